// The CSV adapter reads lazily and in constant memory: it stops reading when the consumer stops pulling,
// and the live heap stays flat while a large generated file streams through.
import { createWriteStream, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Result, Stream } from "effect"
import { CsvAdapter } from "../../../adapters/csv/index.ts"
import { makeAdapter } from "../../../core/erp/index.ts"

const header = "Nr;Kunde;Datum;Faellig;Whg;Netto;Steuer;Brutto;Pos;Text;Menge;Preis;MwSt\n"
const invoiceRows = (n: number) => {
  let chunk = ""
  for (let line = 1; line <= 5; line++) {
    chunk += `R-${n};K${n % 100};01.02.2026;03.03.2026;EUR;1.234,56;234,57;1.469,13;${line};Position ${line} mit etwas Text;2;617,28;19\n`
  }
  return chunk
}

/** Writes about `bytes` of invoice rows (5 lines per invoice), then `tail`, honouring back-pressure. */
const writeExport = (path: string, bytes: number, tail = "") =>
  Effect.callback<number>((resume) => {
    const out = createWriteStream(path)
    out.write(header)
    let written = 0
    let n = 0
    const pump = () => {
      let ok = true
      while (ok && written < bytes) {
        const chunk = invoiceRows(++n)
        written += chunk.length
        ok = out.write(chunk)
      }
      if (written < bytes) out.once("drain", pump)
      else out.end(tail, () => resume(Effect.succeed(n)))
    }
    pump()
  })

const settings = (path: string) => ({
  formats: { dateFormat: "dd.mm.yyyy", decimalSeparator: ",", thousandsSeparator: "." },
  invoices: {
    path,
    delimiter: ";",
    header: {
      number: "Nr",
      accountNumber: "Kunde",
      issueDate: "Datum",
      dueDate: "Faellig",
      currency: "Whg",
      netTotal: "Netto",
      taxTotal: "Steuer",
      total: "Brutto"
    },
    lines: { lineNumber: "Pos", description: "Text", quantity: "Menge", unitPrice: "Preis", taxRate: "MwSt" }
  }
})

const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "portico-csv-big-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

describe("CSV adapter memory", () => {
  it.effect("pulls lazily: taking the first invoices never reaches a broken tail", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const path = join(dir, "export.csv")
      // An unclosed quote at the end fails the parse, but only for a reader that gets that far.
      yield* writeExport(path, 8 * 1024 * 1024, 'R-X;"never closed\n')
      const adapter = yield* makeAdapter(CsvAdapter, { sourceId: "big" }, settings(path))
      const first = yield* Stream.runCollect(adapter.read("invoices", Option.none()).pipe(Stream.take(3)))
      assert.deepStrictEqual(
        first.map((item) => (item._tag === "SourceRecord" ? item.externalId : "rejected")),
        ["R-1", "R-2", "R-3"]
      )
      const whole = yield* Effect.flip(Stream.runDrain(adapter.read("invoices", Option.none())))
      assert.strictEqual(whole.reason._tag, "SchemaMismatch")
    }).pipe(Effect.scoped)
  )

  it.effect("keeps the live heap flat while a 12 MB export streams through", () =>
    Effect.gen(function* () {
      setFlagsFromString("--expose-gc")
      const gc: unknown = runInNewContext("gc")
      const collect = () => (typeof gc === "function" ? gc() : undefined)
      const dir = yield* tempDir
      const path = join(dir, "export.csv")
      const invoices = yield* writeExport(path, 12 * 1024 * 1024)
      const adapter = yield* makeAdapter(CsvAdapter, { sourceId: "big" }, settings(path))
      const samples: Array<number> = []
      const count = yield* adapter.read("invoices", Option.none()).pipe(
        Stream.runFold(
          () => 0,
          (n, item) => {
            if (item._tag === "SourceRecord" && Result.isFailure(adapter.decode(item))) return n
            if (n % 4_000 === 2_000) {
              collect()
              samples.push(process.memoryUsage().heapUsed)
            }
            return n + 1
          }
        )
      )
      assert.strictEqual(count, invoices)
      assert.isAtLeast(samples.length, 4)
      const first = samples[0] ?? 0
      const growth = Math.max(...samples) - first
      // A reader holding the file would grow by tens of MB here; a streaming one stays within noise.
      assert.isBelow(growth, 16 * 1024 * 1024, `heap grew by ${Math.round(growth / 1024 / 1024)} MB`)
    }).pipe(Effect.scoped)
  )
})
