// Scheduled runs under the TestClock: the first run starts at once, the next one when the clock has moved
// by the schedule's interval, and it picks up what the source gained meanwhile.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Queue, Schedule } from "effect"
import { TestClock } from "effect/testing"
import { SyncEngine } from "../../../core/sync/SyncEngine.ts"
import type { SyncFailed, SyncRun } from "../../../core/sync/SyncRun.ts"
import { csvFixture, german } from "../../adapters/csv/CsvFixture.ts"
import { backends } from "../../support/Databases.ts"
import { dataset, invoice } from "./support/Dataset.ts"
import { countOf, syncLayer } from "./support/SyncHarness.ts"

const sourceId = "erp"

for (const backend of await backends()) {
  describe.skipIf(!backend.availability.available)(`scheduled sync on ${backend.name}`, () => {
    it.effect(
      "Schedule.spaced runs again after the interval, recording each run as scheduled",
      () =>
        Effect.gen(function* () {
          const fixture = yield* csvFixture(german)({ sourceId })
          yield* fixture.seed(dataset(sourceId, { accounts: 1, invoices: 3 }))
          const adapter = yield* fixture.adapter
          const engine = yield* SyncEngine
          const runs = yield* Queue.unbounded<Exit.Exit<SyncRun, SyncFailed>>()
          const fiber = yield* engine
            .schedule(adapter, Schedule.spaced("15 minutes"), {
              onRun: (exit) => Queue.offer(runs, exit).pipe(Effect.asVoid)
            })
            .pipe(Effect.forkChild)
          const first = yield* Queue.take(runs)
          assert.isTrue(Exit.isSuccess(first))
          if (Exit.isSuccess(first)) {
            assert.strictEqual(first.value.trigger, "schedule")
            assert.strictEqual(first.value.entities.find((e) => e.entity === "invoices")?.inserted, 3)
          }
          yield* fixture.apply([invoice(sourceId, 4, 1)])
          yield* TestClock.adjust("14 minutes")
          assert.strictEqual(yield* Queue.size(runs), 0, "no run before the interval has passed")
          yield* TestClock.adjust("1 minute")
          const second = yield* Queue.take(runs)
          assert.isTrue(Exit.isSuccess(second))
          if (Exit.isSuccess(second)) {
            assert.strictEqual(second.value.entities.find((e) => e.entity === "invoices")?.inserted, 1)
            assert.strictEqual(second.value.startedAt, 15 * 60 * 1000)
          }
          assert.strictEqual(yield* countOf("invoices"), 4)
          yield* Fiber.interrupt(fiber)
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      120_000
    )
  })
}
