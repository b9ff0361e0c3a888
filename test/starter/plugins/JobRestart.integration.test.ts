// Restarting the starter in the middle of a plugin's job: the portal is stopped while a notification's
// delivery job holds its claim (the SMTP server sits on the message), a new portal starts on the same PGlite
// folder, and the mail has gone out exactly once, its job finished once and nothing is left to run.
import { assert, describe, it } from "@effect/vitest"
import { Clock, Deferred, Effect, Exit, Fiber, Layer, Scope } from "effect"
import { SqlClient } from "effect/sql"
import { addDays } from "../../../core/domain/LocalDate.ts"
import * as JobWorker from "../../../core/jobs/JobWorker.ts"
import { SyncEngine } from "../../../core/sync/SyncEngine.ts"
import { deliverKind } from "../../../plugins/notifications/Notifications.ts"
import { dayIn } from "../../../plugins/reminders/index.ts"
import { csvFixture, german } from "../../adapters/csv/CsvFixture.ts"
import { account, contact, invoice, sourceId } from "../../plugins/notifications/support/NotificationsHarness.ts"
import { GatedSmtp } from "./support/GatedSmtp.ts"
import { configFile, pgliteStore, pluginPortal, pluginsSection } from "./support/PluginPortal.ts"

describe("the starter stopped while a plugin's job runs", () => {
  it.live(
    "lets the claimed delivery finish, and the next portal on the same database sends nothing twice",
    () =>
      Effect.gen(function* () {
        const smtp = yield* GatedSmtp
        const store = yield* pgliteStore
        const config = configFile(pluginsSection(smtp.port))
        const today = dayIn(yield* Clock.currentTimeMillis, "UTC")
        const fixture = yield* csvFixture(german)({ sourceId })

        // The first portal: an invoice is synced, its mail's delivery job is claimed and held at the server.
        const first = yield* Scope.make()
        const running = yield* Layer.buildWithScope(pluginPortal(config, store), first)
        const hold = yield* smtp.holdNext
        yield* Effect.gen(function* () {
          yield* fixture.seed([account(1), contact(1, 1, "anna@northwind.example", "Anna")])
          yield* fixture.apply([invoice(1, 1, today, addDays(today, 14))])
          yield* (yield* SyncEngine).run(yield* fixture.adapter)
        }).pipe(Effect.provideContext(running))
        yield* Deferred.await(hold.arrived).pipe(Effect.timeout("30 seconds"))
        const claimed = yield* Effect.provideContext(
          Effect.flatMap(
            SqlClient.SqlClient,
            (sql) => sql<{ status: string }>`select status from portico.jobs where kind = ${deliverKind}`
          ),
          running
        )
        assert.deepStrictEqual(
          claimed.map((row) => row.status),
          ["running"]
        )

        // Stop it while the job runs; the server answers only now, and the stop waits for the job to record.
        const stopping = yield* Effect.forkChild(Scope.close(first, Exit.void))
        yield* hold.release
        yield* Fiber.join(stopping)

        // A new portal on the same folder: the job is done once, nothing is due, the mail went out once.
        const second = yield* Layer.build(pluginPortal(config, store))
        const jobs = yield* Effect.provideContext(
          Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            const ran = yield* JobWorker.drain("restart-check")
            const rows = yield* sql<{ status: string; attempts: number }>`select status, attempts from portico.jobs
              where kind = ${deliverKind}`
            return { ran, rows }
          }),
          second
        )
        assert.strictEqual(jobs.ran, 0)
        assert.deepStrictEqual(
          jobs.rows.map((row) => [row.status, row.attempts]),
          [["succeeded", 1]]
        )
        const mails = (yield* smtp.all).filter((mail) => mail.subject === "New invoice INV-1")
        assert.deepStrictEqual(
          mails.map((mail) => mail.to),
          [["anna@northwind.example"]]
        )
      }).pipe(Effect.provide(GatedSmtp.layer), Effect.scoped),
    120_000
  )
})
