// A sync killed half way and started again ends with every record present exactly once: the cursor is saved
// in the transaction of the batch it covers, so an interrupted batch leaves neither its records nor its cursor.
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import { SqlClient } from "effect/sql"
import * as fc from "fast-check"
import { CurrentPrincipal, system } from "../../../core/access/Principal.ts"
import { SyncEngine } from "../../../core/sync/SyncEngine.ts"
import type { SyncProgress } from "../../../core/sync/SyncRun.ts"
import { SyncRuns } from "../../../core/sync/SyncRuns.ts"
import { csvFixture, german } from "../../adapters/csv/CsvFixture.ts"
import { backends } from "../../support/Databases.ts"
import { dataset, payment } from "./support/Dataset.ts"
import { countOf, invoiceLineCount, snapshot, syncLayer } from "./support/SyncHarness.ts"

const sourceId = "erp"
const invoices = 30
const records = () => [
  ...dataset(sourceId, { accounts: 4, invoices }),
  ...Array.from({ length: 10 }, (_, i) => payment(sourceId, i + 1, (i % 4) + 1, 1000, [[i + 1, 1000]]))
]

const wipe = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`truncate portico.accounts, portico.contacts, portico.contact_account_links, portico.invoices,
    portico.invoice_events, portico.credit_notes, portico.payments, portico.payment_allocations,
    portico.sync_cursors, portico.quarantine, portico.sync_runs cascade`
})

/**
 * Runs a sync and interrupts it once `after` batches are committed: either parked right after that commit
 * (`parked`), or while it goes on into the next batch (the interruption lands wherever the fiber is).
 */
const interruptedRun = (
  adapter: Parameters<SyncEngine["Service"]["run"]>[0],
  options: { readonly after: number; readonly batchSize: number; readonly parked: boolean }
) =>
  Effect.gen(function* () {
    const engine = yield* SyncEngine
    const reached = yield* Deferred.make<void>()
    let batches = 0
    const onProgress = (_: SyncProgress) => {
      batches += 1
      if (batches < options.after) return Effect.void
      return Effect.andThen(Deferred.succeed(reached, undefined), options.parked ? Effect.never : Effect.void)
    }
    const fiber = yield* engine.run(adapter, { batchSize: options.batchSize, onProgress }).pipe(Effect.forkChild)
    yield* Effect.raceFirst(Deferred.await(reached), Effect.asVoid(Fiber.await(fiber)))
    yield* Fiber.interrupt(fiber)
  })

for (const backend of await backends()) {
  describe.skipIf(!backend.availability.available)(`sync resume on ${backend.name}`, () => {
    it.live(
      "interrupted after 3 batches and run again: every record exactly once, the first run recorded as interrupted",
      () =>
        Effect.gen(function* () {
          const fixture = yield* csvFixture(german)({ sourceId })
          yield* fixture.seed(records())
          const adapter = yield* fixture.adapter
          yield* interruptedRun(adapter, { after: 3, batchSize: 4, parked: true })
          // accounts (4) are one batch; two invoice batches of 4 are committed.
          assert.strictEqual(yield* countOf("invoices"), 8)
          const run = yield* SyncEngine.use((engine) => engine.run(adapter, { batchSize: 4 }))
          const report = run.entities.find((e) => e.entity === "invoices")
          assert.strictEqual(report?.inserted, invoices - 8)
          assert.strictEqual(report?.read, invoices - 8)
          assert.strictEqual(yield* countOf("invoices"), invoices)
          assert.strictEqual(yield* invoiceLineCount, invoices * 2)
          assert.strictEqual(yield* countOf("payments"), 10)
          // one InvoiceIssued per invoice and one PaymentApplied per payment
          assert.strictEqual(yield* countOf("invoice_events"), invoices + 10)
          const runs = yield* SyncRuns.use((r) => r.recent({ source: sourceId })).pipe(
            Effect.provideService(CurrentPrincipal, system("test"))
          )
          assert.deepStrictEqual(
            runs.map((r) => r.status),
            ["succeeded", "interrupted"]
          )
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      120_000
    )

    it.live(
      "property: wherever a run is interrupted, the run after it leaves the same store as one uninterrupted run",
      () =>
        Effect.gen(function* () {
          const fixture = yield* csvFixture(german)({ sourceId })
          yield* fixture.seed(records())
          const adapter = yield* fixture.adapter
          const engine = yield* SyncEngine
          yield* engine.run(adapter, { batchSize: 7 })
          const expected = yield* snapshot
          const context = yield* Effect.context<SyncEngine | SqlClient.SqlClient>()
          const scenario = (after: number, batchSize: number, parked: boolean) =>
            Effect.gen(function* () {
              yield* wipe
              yield* interruptedRun(adapter, { after, batchSize, parked })
              const run = yield* engine.run(adapter, { batchSize })
              assert.strictEqual(run.status, "succeeded")
              assert.deepStrictEqual(yield* snapshot, expected)
            })
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(
                fc.integer({ min: 1, max: 14 }),
                fc.integer({ min: 1, max: 9 }),
                fc.boolean(),
                (after, batchSize, parked) => Effect.runPromiseWith(context)(scenario(after, batchSize, parked))
              ),
              { numRuns: backend.name === "pglite" ? 6 : 12 }
            )
          )
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      240_000
    )
  })
}
