// The CSV adapter on real files: encodings, dialects, locale formats, grouping, credit notes, rejections,
// cursors over appended and rewritten files, and lazy reading.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Logger, Option, Result, Stream } from "effect"
import { CsvAdapter, type CsvEncoding, encodeText } from "../../../adapters/csv/index.ts"
import type { CreditNote, Invoice } from "../../../core/domain/index.ts"
import { type CanonicalRecord, type ErpAdapterShape, makeAdapter, type ReadItem } from "../../../core/erp/index.ts"

const withDir = <A, E>(use: (dir: string) => Effect.Effect<A, E>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "portico-csv-test-"))),
    use,
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

const columns = "Nr;Kunde;Datum;Fällig;Währung;Netto;Steuer;Brutto;Pos;Text;Menge;Preis;MwSt"
const row = (
  nr: string,
  text: string,
  options: { total?: string; kunde?: string; currency?: string; date?: string } = {}
) =>
  `${nr};${options.kunde ?? "K1"};${options.date ?? "01.02.2026"};03.03.2026;${options.currency ?? "EUR"};100,00;19,00;${options.total ?? "119,00"};1;${text};1;100;19`

const settings = (path: string, extra: Record<string, unknown> = {}) => ({
  formats: { dateFormat: "dd.mm.yyyy", decimalSeparator: ",", thousandsSeparator: "." },
  invoices: {
    path,
    delimiter: ";",
    header: {
      number: "Nr",
      accountNumber: "Kunde",
      issueDate: "Datum",
      dueDate: "Fällig",
      currency: "Währung",
      netTotal: "Netto",
      taxTotal: "Steuer",
      total: "Brutto"
    },
    lines: { lineNumber: "Pos", description: "Text", quantity: "Menge", unitPrice: "Preis", taxRate: "MwSt" },
    ...extra
  }
})

const adapterFor = (config: unknown) => makeAdapter(CsvAdapter, { sourceId: "csv" }, config)

const readItems = (
  adapter: ErpAdapterShape,
  entity: "invoices" | "credit-notes" = "invoices",
  cursor = Option.none<ReadItem["cursor"]>()
) => Stream.runCollect(adapter.read(entity, cursor))

const decodeOk = (adapter: ErpAdapterShape, item: ReadItem | undefined): CanonicalRecord => {
  if (item?._tag !== "SourceRecord") return assert.fail(`expected a source record, got ${JSON.stringify(item)}`)
  const decoded = adapter.decode(item)
  if (Result.isFailure(decoded)) return assert.fail(decoded.failure.message)
  return decoded.success
}

const invoiceOf = (record: CanonicalRecord): Invoice =>
  record.entity === "invoices" ? record.value : assert.fail(`expected an invoice, got ${record.entity}`)

describe("CSV adapter", () => {
  const special = "Größe €5, äöü ÄÖÜ ß é"
  for (const [encoding, euroByte] of [
    ["windows-1252", 0x80],
    ["iso-8859-15", 0xa4],
    ["utf-8", undefined]
  ] as const) {
    it.effect(`reads ${encoding}: the euro sign and umlauts round-trip`, () =>
      withDir((dir) =>
        Effect.gen(function* () {
          const path = join(dir, "export.csv")
          const bytes = encodeText(`${columns}\r\n${row("R-1", special)}\r\n`, encoding as CsvEncoding)
          if (euroByte !== undefined) {
            assert.isTrue(bytes.includes(euroByte), "the fixture really is in the single-byte encoding")
            assert.strictEqual(bytes.length, `${columns}\r\n${row("R-1", special)}\r\n`.length)
          }
          writeFileSync(path, bytes)
          const adapter = yield* adapterFor(settings(path, { encoding }))
          const [item] = yield* readItems(adapter)
          assert.strictEqual(invoiceOf(decodeOk(adapter, item)).lines[0]?.description, special)
        }).pipe(Effect.scoped)
      )
    )
  }

  it.effect("skips a UTF-8 BOM and reads quoted fields with delimiters, quotes and line breaks", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const path = join(dir, "export.csv")
        const text = `${columns}\n${row("R-1", '"Mutter; M8 ""verzinkt""\nzweite Zeile"')}\n`
        writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]))
        const adapter = yield* adapterFor(settings(path))
        const [item] = yield* readItems(adapter)
        const invoice = invoiceOf(decodeOk(adapter, item))
        assert.strictEqual(invoice.number, "R-1")
        assert.strictEqual(invoice.lines[0]?.description, 'Mutter; M8 "verzinkt"\nzweite Zeile')
      }).pipe(Effect.scoped)
    )
  )

  it.effect("groups contiguous rows into one invoice and reads locale amounts exactly", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const path = join(dir, "export.csv")
        const lines = [
          columns,
          "R-1;K1;01.02.2026;03.03.2026;EUR;1.234,56;234,57;1.469,13;1;Schrauben;2,5;493,824;19",
          "R-1;K1;01.02.2026;03.03.2026;EUR;1.234,56;234,57;1.469,13;2;Muttern;1;0,0001;19",
          "R-2;K2;2.2.2026;04.03.2026;JPY;1.000;0;1.000;1;Tee;1;1.000;0"
        ]
        writeFileSync(path, `${lines.join("\r\n")}\r\n`)
        const adapter = yield* adapterFor(settings(path))
        const items = yield* readItems(adapter)
        assert.deepStrictEqual(
          items.map((i) => (i._tag === "SourceRecord" ? i.externalId : "rejected")),
          ["R-1", "R-2"]
        )
        const first = invoiceOf(decodeOk(adapter, items[0]))
        assert.deepStrictEqual(first.totals.total, { currency: "EUR", minor: 146913 })
        assert.deepStrictEqual(
          first.lines.map((l) => [l.lineNumber, l.quantity, l.unitPrice]),
          [
            [1, "2.5", "493.824"],
            [2, "1", "0.0001"]
          ]
        )
        const second = items[1]
        assert.strictEqual(second?._tag, "SourceRecord")
        // "2.2.2026" does not match dd.mm.yyyy: rejected with the line and the column, never guessed.
        const decoded = second?._tag === "SourceRecord" ? adapter.decode(second) : undefined
        assert.isTrue(decoded !== undefined && Result.isFailure(decoded))
        if (decoded !== undefined && Result.isFailure(decoded)) {
          assert.strictEqual(decoded.failure.path, 'line 4: issueDate (from "Datum")')
          assert.strictEqual(decoded.failure.value, "2.2.2026")
        }
      }).pipe(Effect.scoped)
    )
  )

  it.effect("negative documents are credit notes, stated positive; each read returns only its entity", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const path = join(dir, "export.csv")
        const credit = "G-1;K1;05.02.2026;05.02.2026;EUR;-100,00;-19,00;-119,00;1;Gutschrift;-1;100;19"
        writeFileSync(path, `${[columns, row("R-1", "a"), credit, row("R-2", "b")].join("\n")}\n`)
        const adapter = yield* adapterFor(settings(path))
        const invoices = yield* readItems(adapter, "invoices")
        const credits = yield* readItems(adapter, "credit-notes")
        assert.deepStrictEqual(
          invoices.map((i) => (i._tag === "SourceRecord" ? i.externalId : "?")),
          ["R-1", "R-2"]
        )
        assert.strictEqual(credits.length, 1)
        const note = decodeOk(adapter, credits[0])
        const value: CreditNote = note.entity === "credit-notes" ? note.value : assert.fail(note.entity)
        assert.deepStrictEqual(value.totals, {
          net: { currency: "EUR", minor: 10000 },
          tax: { currency: "EUR", minor: 1900 },
          total: { currency: "EUR", minor: 11900 }
        })
        assert.strictEqual(value.lines[0]?.quantity, "1")
      }).pipe(Effect.scoped)
    )
  )

  it.effect("a type column can name credit notes instead of the sign", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const path = join(dir, "export.csv")
        writeFileSync(path, `${columns};Art\n${row("R-1", "a")};RE\n${row("G-1", "b")};GS\n`)
        const adapter = yield* adapterFor(
          settings(path, { creditNotes: { _tag: "type-column", column: "Art", values: ["GS"] } })
        )
        const credits = yield* readItems(adapter, "credit-notes")
        assert.deepStrictEqual(
          credits.map((i) => (i._tag === "SourceRecord" ? i.externalId : "?")),
          ["G-1"]
        )
      }).pipe(Effect.scoped)
    )
  )

  it.effect("malformed rows are rejected with the reason and the raw row, never dropped or fatal", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const path = join(dir, "export.csv")
        const lines = [
          columns,
          row("R-1", "ok"),
          row("R-2", "line one"),
          "R-2;K1;01.02.2026", // too few fields: taints R-2
          row("R-3", "unknown currency", { currency: "EUX" }),
          ";;;", // four fields, no invoice number
          row("", "no number"),
          row("R-1", "again"), // R-1 came back after its rows ended
          row("R-4", "ok")
        ]
        writeFileSync(path, `${lines.join("\n")}\n`)
        const adapter = yield* adapterFor(settings(path))
        const items = yield* readItems(adapter)
        const summary = items.map((item) => {
          if (item._tag === "RejectedRecord") return `rejected ${item.externalId ?? "-"}: ${item.rejection.message}`
          const decoded = adapter.decode(item)
          return Result.isSuccess(decoded)
            ? `ok ${item.externalId}`
            : `bad ${item.externalId}: ${decoded.failure.message}`
        })
        assert.deepStrictEqual(summary, [
          "ok R-1",
          "rejected R-2: line 3: line 4 has 3 fields, the header has 13",
          'bad R-3: line 5: currency (from "Währung"): is not an ISO 4217 currency code (such as EUR, USD, CHF)',
          "rejected -: line 6: has 4 fields, the header has 13",
          'rejected -: line 7: has no value in column "Nr"',
          'rejected R-1: line 8: the rows of "R-1" are not contiguous: it already appeared in rows ending at line 2; sort the export by "Nr" so each document\'s rows are together',
          "ok R-4"
        ])
        const tainted = items[1]
        assert.deepStrictEqual(tainted?._tag === "RejectedRecord" ? tainted.raw : undefined, {
          file: path,
          rows: [
            { line: 3, fields: row("R-2", "line one").split(";") },
            { line: 4, fields: ["R-2", "K1", "01.02.2026"] }
          ]
        })
      }).pipe(Effect.scoped)
    )
  )

  it.effect("an appended export resumes after the last record; a rewritten one is read again from the start", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const path = join(dir, "export.csv")
        writeFileSync(path, `${[columns, row("R-1", "a"), row("R-2", "b")].join("\r\n")}\r\n`)
        const adapter = yield* adapterFor(settings(path))
        const first = yield* readItems(adapter)
        const cursor = Option.some(first[first.length - 1]?.cursor ?? assert.fail("no cursor"))
        appendFileSync(path, `${row("R-3", "c")}\r\n`)
        const next = yield* readItems(adapter, "invoices", cursor)
        assert.deepStrictEqual(
          next.map((i) => (i._tag === "SourceRecord" ? i.externalId : "?")),
          ["R-3"]
        )
        writeFileSync(path, `${[columns, row("R-1", "a"), row("R-9", "changed")].join("\r\n")}\r\n`)
        const warnings: Array<string> = []
        const again = yield* readItems(adapter, "invoices", cursor).pipe(
          Effect.provide(Logger.layer([Logger.make(({ message }) => void warnings.push(String(message)))]))
        )
        assert.deepStrictEqual(
          again.map((i) => (i._tag === "SourceRecord" ? i.externalId : "?")),
          ["R-1", "R-9"]
        )
        assert.isTrue(warnings.some((w) => w.includes("changed other than by appending")))
      }).pipe(Effect.scoped)
    )
  )

  it.effect("configuration mistakes fail clearly: a missing column, a wrong encoding, a missing file", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const path = join(dir, "export.csv")
        writeFileSync(path, encodeText(`${columns}\r\n${row("R-1", "a")}\r\n`, "windows-1252"))
        const wrongEncoding = yield* adapterFor(settings(path))
        const error = yield* Effect.flip(readItems(wrongEncoding))
        assert.strictEqual(error.reason._tag, "SchemaMismatch")
        assert.include(error.message, '"Fällig", "Währung" not in the header')
        assert.include(error.message, '"encoding": "windows-1252"')
        const checked = yield* wrongEncoding.check()
        assert.isFalse(checked.ok)
        const missing = yield* adapterFor(settings(join(dir, "nope.csv")))
        const notFound = yield* Effect.flip(readItems(missing))
        assert.strictEqual(notFound.reason._tag, "NotFound")
        assert.isFalse(notFound.retryable)
        const discovered = yield* missing.discover()
        assert.isFalse(discovered.entities.find((e) => e.entity === "invoices")?.available ?? true)
        const noFile = yield* Effect.flip(Stream.runCollect(missing.read("payments", Option.none())))
        assert.include(noFile.message, "no file is configured for payments")
        const commas = join(dir, "commas.csv")
        writeFileSync(commas, `${columns.replaceAll(";", ",")}\n`)
        const wrongDelimiter = yield* Effect.flip(readItems(yield* adapterFor(settings(commas))))
        assert.include(wrongDelimiter.message, 'try "delimiter": ","')
        const bom = join(dir, "bom.csv")
        writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${columns}\n`)]))
        const bomAsLatin = yield* Effect.flip(readItems(yield* adapterFor(settings(bom, { encoding: "windows-1252" }))))
        assert.include(bomAsLatin.message, 'byte order mark: set "encoding": "utf-8"')
        const doubled = join(dir, "doubled.csv")
        writeFileSync(doubled, `${columns};Nr\n`)
        const ambiguous = yield* Effect.flip(readItems(yield* adapterFor(settings(doubled))))
        assert.include(ambiguous.message, 'names "Nr" more than once')
      }).pipe(Effect.scoped)
    )
  )
})
