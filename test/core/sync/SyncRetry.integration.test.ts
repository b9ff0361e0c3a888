// Source failures during a run, against the REST adapter and a real JSON API on 127.0.0.1: retryable ones
// (503) are retried from the last committed cursor and the run completes; a non-retryable one (401) ends the
// run with a typed SyncFailed, and the next run continues from the last committed batch.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { SyncEngine } from "../../../core/sync/SyncEngine.ts"
import { backends } from "../../support/Databases.ts"
import { dataset } from "./support/Dataset.ts"
import { restSource } from "./support/RestSource.ts"
import { countOf, snapshot, syncLayer } from "./support/SyncHarness.ts"

const sourceId = "api"
const token = "t0ken-for-sync-tests"

for (const backend of await backends()) {
  describe.skipIf(!backend.availability.available)(`sync retries on ${backend.name}`, () => {
    it.live(
      "503s in the middle of a read are retried from the committed cursor; every record is written once",
      () =>
        Effect.gen(function* () {
          const { server, adapter, seed } = yield* restSource(sourceId)
          yield* seed(dataset(sourceId, { accounts: 2, invoices: 60 }))
          let faults = 0
          const run = yield* SyncEngine.use((engine) =>
            engine.run(adapter, {
              batchSize: 3,
              retry: { base: "5 millis", maxRetries: 4 },
              onProgress: (progress) =>
                Effect.sync(() => {
                  // after the second committed invoice batch, the next three requests fail
                  if (progress.entity === "invoices" && progress.report.batches === 2 && faults === 0) {
                    faults += 1
                    server.fail({ status: 503, body: '{"error":{"code":"Unavailable","message":"try later"}}' }, 3)
                  }
                })
            })
          )
          assert.strictEqual(faults, 1)
          assert.strictEqual(run.status, "succeeded")
          const invoices = run.entities.find((e) => e.entity === "invoices")
          assert.strictEqual(invoices?.inserted, 60)
          assert.strictEqual(invoices?.quarantined, 0)
          assert.strictEqual(yield* countOf("invoices"), 60)
          assert.strictEqual(yield* countOf("invoice_events"), 60)
          // every injected failure was served during the run (none is left for this request)
          const after = yield* Effect.promise(() =>
            fetch(`${server.origin}/customers`, { headers: { authorization: `Bearer ${token}` } })
          )
          assert.strictEqual(after.status, 200)
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      120_000
    )

    it.live(
      "a 401 mid-run fails the run with SyncFailed and keeps the cursor at the last committed batch",
      () =>
        Effect.gen(function* () {
          const { server, adapter, seed } = yield* restSource(sourceId)
          yield* seed(dataset(sourceId, { accounts: 2, invoices: 60 }))
          const engine = yield* SyncEngine
          const failure = yield* engine
            .run(adapter, {
              batchSize: 3,
              retry: { base: "5 millis", maxRetries: 4 },
              onProgress: (progress) =>
                progress.entity === "invoices" && progress.report.batches === 2
                  ? Effect.sync(() =>
                      server.fail({ status: 401, body: '{"error":{"code":"Unauthorized","message":"no"}}' }, 1)
                    )
                  : Effect.void
            })
            .pipe(Effect.flip)
          assert.strictEqual(failure._tag, "SyncFailed")
          assert.strictEqual(failure.cause, "source")
          assert.strictEqual(failure.entity, "invoices")
          assert.match(failure.detail, /Authentication/)
          assert.strictEqual(failure.run.status, "failed")
          // the batches committed before the failure stay (the read runs at most a few pages ahead of the writes)
          const committed = failure.run.entities.find((e) => e.entity === "invoices")?.inserted ?? 0
          assert.isAtLeast(committed, 6)
          assert.isBelow(committed, 60)
          assert.strictEqual(committed % 3, 0)
          assert.strictEqual(yield* countOf("invoices"), committed)
          const resumed = yield* engine.run(adapter, { batchSize: 3 })
          assert.strictEqual(resumed.entities.find((e) => e.entity === "invoices")?.inserted, 60 - committed)
          assert.strictEqual(yield* countOf("invoices"), 60)
          const after = yield* snapshot
          assert.strictEqual(after.events.length, 60)
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      120_000
    )
  })
}
