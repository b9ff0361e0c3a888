// CSV documents on real files: an index file names each document's file relative to the documents folder;
// `content` streams it exactly, and refuses paths that lead outside the folder (`..`, absolute, a symlink out).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Result, Stream } from "effect"
import { CsvAdapter } from "../../../adapters/csv/index.ts"
import { makeAdapter, readContent } from "../../../core/erp/index.ts"

const withDir = <A, E>(use: (dir: string) => Effect.Effect<A, E>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "portico-csv-docs-"))),
    use,
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

const settings = (dir: string) => ({
  documents: {
    path: join(dir, "documents.csv"),
    key: "Id",
    fileColumn: "File",
    folder: join(dir, "files"),
    mapping: { accountNumber: "Customer", fileName: "Name", contentType: "Type" }
  }
})

describe("CSV documents", () => {
  it.effect("deliver the named file's bytes and refuse paths outside the folder", () =>
    withDir((dir) =>
      Effect.scoped(
        Effect.gen(function* () {
          const files = join(dir, "files")
          mkdirSync(join(files, "2026"), { recursive: true })
          const pdf = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256)
          writeFileSync(join(files, "2026", "a.pdf"), pdf)
          writeFileSync(join(dir, "secret.txt"), "not for the portal")
          symlinkSync(join(dir, "secret.txt"), join(files, "link.pdf"))
          writeFileSync(
            join(dir, "documents.csv"),
            [
              "Id,Customer,Name,Type,File",
              "D1,C1,a.pdf,application/pdf,2026/a.pdf",
              "D2,C1,up.pdf,application/pdf,../secret.txt",
              `D3,C1,abs.pdf,application/pdf,${join(dir, "secret.txt")}`,
              "D4,C1,link.pdf,application/pdf,link.pdf",
              "D5,C1,gone.pdf,application/pdf,2026/gone.pdf",
              "D6,C1,round.pdf,application/pdf,2026/../2026/a.pdf",
              "D7,C1,none.pdf,application/pdf,",
              ""
            ].join("\n")
          )
          const adapter = yield* makeAdapter(CsvAdapter, { sourceId: "csv" }, settings(dir))
          const content = adapter.content
          if (content === undefined) return assert.fail("the CSV adapter has no content operation")
          const items = yield* Stream.runCollect(adapter.read("documents", Option.none()))
          const outcomes = new Map<string, Result.Result<Uint8Array, string>>()
          for (const item of items) {
            if (item._tag !== "SourceRecord") return assert.fail(`rejected: ${item.rejection.message}`)
            const decoded = adapter.decode(item)
            assert.isTrue(Result.isSuccess(decoded), `${item.externalId} decodes`)
            const bytes = yield* Effect.result(readContent(content(item), 1_000_000))
            outcomes.set(
              item.externalId,
              Result.mapError(bytes, (error) => error.message)
            )
          }
          const ok = (id: string) => {
            const outcome = outcomes.get(id)
            return outcome !== undefined && Result.isSuccess(outcome) ? [...outcome.success] : undefined
          }
          const failure = (id: string) => {
            const outcome = outcomes.get(id)
            return outcome !== undefined && Result.isFailure(outcome) ? outcome.failure : ""
          }
          assert.deepStrictEqual(ok("D1"), [...pdf])
          assert.deepStrictEqual(ok("D6"), [...pdf])
          for (const id of ["D2", "D3", "D4"]) assert.match(failure(id), /SchemaMismatch.*outside the documents folder/)
          assert.match(failure("D5"), /^NotFound.*does not exist/)
          assert.match(failure("D7"), /^NotFound.*names no file/)
          const discovered = yield* adapter.discover()
          assert.isTrue(discovered.entities.find((e) => e.entity === "documents")?.available)
        })
      )
    )
  )
})
