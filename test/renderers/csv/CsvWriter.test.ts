// CSV output parses back (csv-parse) to the cells that went in, modulo formula neutralisation: text that
// would run as a formula gets a leading "'", numbers stay plain decimals, dates stay ISO.
import { assert, describe, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Effect, Stream } from "effect"
import * as fc from "fast-check"
import { locale } from "../../../core/render/Locale.ts"
import {
  type CsvColumn,
  type CsvColumnKind,
  csvCell,
  decimalSeparatorForLocale,
  delimiterForLocale,
  neutralizeText
} from "../../../renderers/csv/CsvFormat.ts"
import { csvBytes, csvStream } from "../../../renderers/csv/CsvWriter.ts"
import { hostileStrings } from "../html/HostileStrings.ts"

const decoder = new TextDecoder()
const parseBack = (bytes: Uint8Array, delimiter: string): ReadonlyArray<ReadonlyArray<string>> =>
  parse(Buffer.from(bytes), { delimiter, bom: true, relax_column_count: false })

const en = locale("en")
const de = locale("de")

const cellArbitrary = fc.oneof(
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    ...hostileStrings,
    "-12.50",
    "+1",
    "=1+2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    " =1",
    "a;b",
    'a"b',
    "a,b",
    "x\ny",
    ""
  ),
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }).map((minor) => (minor / 100).toFixed(2)),
  fc
    .date({ min: new Date("1900-01-01"), max: new Date("2199-12-31"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10))
)
const kindArbitrary = fc.constantFrom<CsvColumnKind>("text", "number", "date")

const tableArbitrary = fc.array(kindArbitrary, { minLength: 1, maxLength: 6 }).chain((kinds) =>
  fc.record({
    columns: fc.constant(kinds.map((kind, index): CsvColumn => ({ header: `${kind} ${index}`, kind }))),
    rows: fc.array(fc.array(cellArbitrary, { minLength: kinds.length, maxLength: kinds.length }), { maxLength: 20 })
  })
)

describe("csvBytes", () => {
  it("parses back to the written cells, for any delimiter, with or without BOM", () =>
    fc.assert(
      fc.property(
        tableArbitrary,
        fc.constantFrom(",", ";", "\t", "|"),
        fc.boolean(),
        fc.constantFrom<"." | ",">(".", ","),
        ({ columns, rows }, delimiter, bom, decimalSeparator) => {
          const bytes = csvBytes(columns, rows, en, { delimiter, bom, decimalSeparator })
          assert.strictEqual(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, bom)
          const parsed = parseBack(bytes, delimiter)
          assert.deepStrictEqual(
            parsed[0],
            columns.map((column) => column.header)
          )
          assert.deepStrictEqual(
            parsed.slice(1),
            rows.map((row) => row.map((cell, index) => csvCell(columns[index]?.kind ?? "text", cell, decimalSeparator)))
          )
        }
      ),
      { numRuns: 500 }
    ))

  it("no text cell can start a formula, and every number cell is a number", () =>
    fc.assert(
      fc.property(tableArbitrary, ({ columns, rows }) => {
        const parsed = parseBack(csvBytes(columns, rows, en), ",").slice(1)
        parsed.forEach((row, r) => {
          row.forEach((cell, c) => {
            const kind = columns[c]?.kind
            const original = rows[r]?.[c] ?? ""
            if (/^-?\d+(\.\d+)?$/.test(original) && kind === "number") {
              assert.strictEqual(cell, original)
              assert.isFalse(Number.isNaN(Number(cell)))
            } else {
              assert.notMatch(cell, /^\s*[=+\-@\t\r]/, `row ${r} column ${c}: ${JSON.stringify(cell)}`)
            }
          })
        })
      }),
      { numRuns: 300 }
    ))

  it("keeps amounts numbers in amount columns and neutralises the same text in text columns", () => {
    const columns: ReadonlyArray<CsvColumn> = [
      { header: "Reference", kind: "text" },
      { header: "Amount", kind: "number" },
      { header: "Date", kind: "date" }
    ]
    const rows = [
      ["-12.50", "-12.50", "2026-11-21"],
      ['=HYPERLINK("http://x","y")', "=1+2", "=today()"],
      ["@SUM(A1)", "12.5.1", "+1"],
      ["\t=1", "1e5", "\r=cmd"],
      ["plain", "0", "2026-02-30"]
    ]
    const parsed = parseBack(csvBytes(columns, rows, en), ",")
    assert.deepStrictEqual(parsed.slice(1), [
      ["'-12.50", "-12.50", "2026-11-21"],
      ['\'=HYPERLINK("http://x","y")', "'=1+2", "'=today()"],
      ["'@SUM(A1)", "12.5.1", "'+1"],
      ["'\t=1", "1e5", "'\r=cmd"],
      ["plain", "0", "2026-02-30"]
    ])
  })

  it("uses ';' and decimal commas for de/fr/nl, ',' and points for en; both overridable", () => {
    assert.strictEqual(delimiterForLocale(de), ";")
    assert.strictEqual(delimiterForLocale(locale("fr-BE")), ";")
    assert.strictEqual(delimiterForLocale(locale("nl")), ";")
    assert.strictEqual(delimiterForLocale(en), ",")
    assert.strictEqual(decimalSeparatorForLocale(de), ",")
    assert.strictEqual(decimalSeparatorForLocale(locale("en-GB")), ".")
    const columns: ReadonlyArray<CsvColumn> = [
      { header: "Rechnung", kind: "text" },
      { header: "Betrag", kind: "number" }
    ]
    assert.strictEqual(decoder.decode(csvBytes(columns, [["R-1", "-12.50"]], de)), "Rechnung;Betrag\r\nR-1;-12,50\r\n")
    assert.strictEqual(decoder.decode(csvBytes(columns, [["R-1", "-12.50"]], en)), "Rechnung,Betrag\r\nR-1,-12.50\r\n")
    assert.strictEqual(
      decoder.decode(csvBytes(columns, [["R-1", "-12.50"]], de, { delimiter: ",", decimalSeparator: "," })),
      'Rechnung,Betrag\r\nR-1,"-12,50"\r\n'
    )
    const withBom = csvBytes(columns, [], en, { bom: true })
    assert.deepStrictEqual([...withBom.slice(0, 3)], [0xef, 0xbb, 0xbf])
  })

  it("neutralises text that starts a formula and strips control characters", () => {
    assert.strictEqual(neutralizeText("=1"), "'=1")
    assert.strictEqual(neutralizeText("  -1"), "'  -1")
    assert.strictEqual(neutralizeText("a=1"), "a=1")
    assert.strictEqual(neutralizeText("nul\u0000\u202e"), "nul")
  })
})

describe("csvStream", () => {
  const columns: ReadonlyArray<CsvColumn> = [
    { header: "n", kind: "number" },
    { header: "text", kind: "text" }
  ]
  const row = (n: number): ReadonlyArray<string> => [String(n), n % 3 === 0 ? `=cmd${n}` : `row ${n}`]

  it.effect("streams the same bytes as the whole-table writer", () =>
    Effect.gen(function* () {
      const rows = Array.from({ length: 5000 }, (_, n) => row(n))
      const chunks = yield* Stream.runCollect(
        csvStream(columns, Stream.fromIterable(rows).pipe(Stream.rechunk(64)), de, { bom: true })
      )
      assert.isAbove(chunks.length, 50)
      assert.isTrue(Buffer.concat(chunks).equals(Buffer.from(csvBytes(columns, rows, de, { bom: true }))))
    })
  )

  it.effect("a source that fails fails the byte stream", () =>
    Effect.gen(function* () {
      const failing = Stream.concat(Stream.make(row(1), row(2)), Stream.fail("database gone" as const))
      const error = yield* Effect.flip(Stream.runCollect(csvStream(columns, failing, en)))
      assert.strictEqual(error, "database gone")
    })
  )
})
