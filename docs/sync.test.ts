// Runs docs/sync.md: every example file shown in it is the file in docs/examples (so the page cannot drift),
// every example config passes its adapter's settings schema, and the CSV walk-through runs end to end on a
// temporary embedded PGlite store, printing what the page says it prints.
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeServices } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { CurrentPrincipal, system } from "../core/access/Principal.ts"
import { readConfigFile } from "../core/cli/ConfigFile.ts"
import { builtInAdapters } from "../core/cli/commands/sync/BuiltInAdapters.ts"
import { checkReport } from "../core/cli/commands/sync/CheckCommand.ts"
import { quarantineLines } from "../core/cli/commands/sync/QuarantineCommand.ts"
import { summaryLines } from "../core/cli/commands/sync/SyncCommand.ts"
import { DomainEvents } from "../core/events/index.ts"
import * as StoreLayer from "../core/store/StoreLayer.ts"
import { SyncState } from "../core/store/SyncState.ts"
import { storeWithSyncMigrations } from "../core/sync/migrations/index.ts"
import { resolveSources, SyncConfigFile } from "../core/sync/SourceConfig.ts"
import { SyncEngine } from "../core/sync/SyncEngine.ts"

const docs = import.meta.dirname
const page = await readFile(join(docs, "sync.md"), "utf8")

/** The fenced blocks that follow `<!-- example: PATH -->` markers. */
const examples = [...page.matchAll(/<!-- example: (\S+) -->\n```\w*\n([\s\S]*?)```/g)].map((m) => ({
  path: m[1] ?? "",
  shown: m[2] ?? ""
}))

/** The ```text blocks of the walk-through, in order: check, sync, quarantine list. */
const outputs = [...page.matchAll(/```text\n([\s\S]*?)```/g)].map((m) => (m[1] ?? "").trimEnd().split("\n"))

describe("docs/sync.md", () => {
  it("shows every example file exactly as it is in docs/examples", async () => {
    assert.deepStrictEqual(
      examples.map((e) => e.path),
      [
        "examples/csv/customers.csv",
        "examples/csv/invoices.csv",
        "examples/csv/payments.csv",
        "examples/csv/portico.json",
        "examples/rest.json",
        "examples/epicor.json",
        "examples/sql.json"
      ]
    )
    for (const example of examples) {
      assert.strictEqual(example.shown, await readFile(join(docs, example.path), "utf8"), example.path)
    }
  })

  it.effect("every example config passes its adapters' settings schemas", () =>
    Effect.gen(function* () {
      for (const file of [
        "examples/csv/portico.json",
        "examples/rest.json",
        "examples/epicor.json",
        "examples/sql.json"
      ]) {
        const path = join(docs, file)
        const config = yield* readConfigFile(path, SyncConfigFile)
        const sources = yield* resolveSources(path, config, builtInAdapters)
        assert.strictEqual(sources.length, 1, file)
      }
    }).pipe(Effect.provide(NodeServices.layer))
  )

  it.live(
    "the CSV walk-through: check, sync and quarantine list print what the page shows",
    () =>
      Effect.gen(function* () {
        const dir = yield* Effect.acquireRelease(
          Effect.promise(() => mkdtemp(join(tmpdir(), "portico-docs-sync-"))),
          (path) => Effect.promise(() => rm(path, { recursive: true, force: true }))
        )
        yield* Effect.promise(() => cp(join(docs, "examples/csv"), dir, { recursive: true }))
        const file = join(dir, "portico.json")
        const config = yield* readConfigFile(file, SyncConfigFile)
        assert.strictEqual(config.database?.dataDir, join(dir, ".portico/data"))
        yield* Effect.promise(() => mkdir(join(dir, ".portico/data"), { recursive: true }))
        const [source] = yield* resolveSources(file, config, builtInAdapters)
        if (source === undefined) throw new Error("the example has a source")
        const adapter = yield* source.adapter

        // 2. check
        const check = checkReport(source, {
          _tag: "Checked",
          check: yield* adapter.check(),
          discover: yield* adapter.discover()
        })
        assert.deepStrictEqual(
          [...check, "ok: 1 of 1 source(s) ready"],
          (outputs[0] ?? []).map((line) => line.replaceAll("/srv/acme/", `${dir}/`))
        )

        // 3. sync
        const layer = SyncEngine.layer.pipe(
          Layer.provideMerge(DomainEvents.layer),
          Layer.provideMerge(StoreLayer.layer(config.database ?? {}, storeWithSyncMigrations))
        )
        yield* Effect.gen(function* () {
          const engine = yield* SyncEngine
          const run = yield* engine.run(adapter)
          const timeless = (lines: ReadonlyArray<string>) => lines.map((l) => l.replace(/ in \d+\.\d s/, " in _ s"))
          assert.deepStrictEqual(timeless(summaryLines(run)), timeless(outputs[1] ?? []))
          const sql = yield* SqlClient.SqlClient
          const invoices = yield* sql<{ number: string; status: string; open: string }>`
            select number, status, open_minor::text as open from portico.invoices order by number`
          assert.deepStrictEqual(invoices, [
            { number: "RE-2026-001", status: "paid", open: "0" },
            { number: "RE-2026-002", status: "partially-paid", open: "7140" }
          ])

          // 4. quarantine list
          const quarantined = yield* SyncState.use((state) => state.quarantined()).pipe(
            Effect.provideService(CurrentPrincipal, system("docs test"))
          )
          const untimed = (lines: ReadonlyArray<string>) =>
            lines.map((l) => l.replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/, "<when>"))
          assert.deepStrictEqual(untimed(quarantineLines(quarantined)), untimed(outputs[2] ?? []))

          // Syncing again reads nothing new.
          const again = yield* engine.run(adapter)
          assert.isTrue(again.entities.every((e) => e.read === 0))
        }).pipe(Effect.provide(layer))
      }).pipe(Effect.scoped, Effect.provide(NodeServices.layer)),
    180_000
  )
})
