// Both plugins composed through the plugin contract, the way the starter runs them: the event handler turns
// an invoice synced through the engine into a mail that a worker delivers to a real SMTP server; the daily
// job sends a reminder; the preview route answers over HTTP; reminders without notifications, or a bad
// setting, fail at start naming the plugin and the field.
import { assert, describe, it } from "@effect/vitest"
import { Cause, Clock, Context, Effect, Exit, Layer } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { addDays } from "../../../core/domain/LocalDate.ts"
import { DomainEvents } from "../../../core/events/index.ts"
import { JobQueue } from "../../../core/jobs/JobQueue.ts"
import * as JobWorker from "../../../core/jobs/JobWorker.ts"
import { composePlugins } from "../../../core/plugin/PluginRegistry.ts"
import { StoreLayer } from "../../../core/store/index.ts"
import { SyncEngine } from "../../../core/sync/SyncEngine.ts"
import { notificationsPlugin } from "../../../plugins/notifications/index.ts"
import { dayIn, Reminders, remindersPlugin } from "../../../plugins/reminders/index.ts"
import { csvFixture, german } from "../../adapters/csv/CsvFixture.ts"
import { backends } from "../../support/Databases.ts"
import {
  account,
  contact,
  invoice,
  notificationsSettings,
  pluginMigrations,
  sourceId
} from "../notifications/support/NotificationsHarness.ts"
import { SmtpInbox } from "../notifications/support/SmtpInbox.ts"

const previewToken = "preview-token-0123456789abcdef"

const failureOf = (exit: Exit.Exit<unknown, unknown>): string =>
  Exit.isFailure(exit)
    ? Cause.squash(exit.cause) instanceof Error
      ? String(Cause.squash(exit.cause))
      : ""
    : "succeeded"

for (const backend of await backends()) {
  describe.skipIf(!backend.availability.available)(`notifications and reminders composed on ${backend.name}`, () => {
    it.live(
      "a synced invoice is mailed by the worker, the daily job sends its reminder, the preview answers over HTTP",
      () =>
        Effect.gen(function* () {
          const inbox = yield* SmtpInbox
          const settings = {
            notifications: notificationsSettings(inbox.port),
            reminders: { previewToken, sequence: [0, 3] }
          }
          const composed = composePlugins([remindersPlugin, notificationsPlugin], { settings })
          assert.deepStrictEqual(
            composed.manifests.map((manifest) => manifest.id),
            ["notifications", "reminders"]
          )
          const base = SyncEngine.layer.pipe(
            Layer.provideMerge(JobQueue.layer),
            Layer.provideMerge(DomainEvents.layer),
            Layer.provideMerge(StoreLayer.repositories),
            Layer.provideMerge(backend.layer([...pluginMigrations]))
          )
          const app = yield* Layer.build(
            JobWorker.layer({ pollInterval: "100 millis", shutdownTimeout: "1 second" }).pipe(
              Layer.provideMerge(composed.layer),
              Layer.provideMerge(base)
            )
          )

          // Start-up checks, against the same services: reminders alone, and a malformed base URL.
          const alone = yield* Effect.exit(
            Layer.build(composePlugins([remindersPlugin], { settings }).layer).pipe(
              Effect.provideContext(app),
              Effect.scoped
            )
          )
          assert.match(failureOf(alone), /plugin "reminders": missing-plugin: requires the plugin "notifications"/)
          const badUrl = yield* Effect.exit(
            Layer.build(
              composePlugins([notificationsPlugin], {
                settings: { notifications: { ...settings.notifications, baseUrl: "portal.example.com" } }
              }).layer
            ).pipe(Effect.provideContext(app), Effect.scoped)
          )
          assert.match(failureOf(badUrl), /plugin "notifications": invalid config at baseUrl/)

          yield* Effect.gen(function* () {
            const today = dayIn(yield* Clock.currentTimeMillis, "UTC")
            const fixture = yield* csvFixture(german)({ sourceId })
            const engine = yield* SyncEngine
            yield* fixture.seed([account(1), contact(1, 1, "anna@northwind.example", "Anna")])
            yield* engine.run(yield* fixture.adapter)
            yield* fixture.apply([invoice(1, 1, today, addDays(today, 3))])
            yield* engine.run(yield* fixture.adapter)
            const issued = yield* inbox.next.pipe(Effect.timeout("20 seconds"))
            assert.deepStrictEqual(issued.to, ["anna@northwind.example"])
            assert.strictEqual(issued.subject, "New invoice INV-1")
            assert.include(issued.decoded, "https://portal.example.com/invoices/erp%3AINV-1")

            // The job a schedule tick enqueues: today is 3 days before the due date, and -3 is not in the
            // sequence [0, 3], so nothing goes out today; the preview shows the two steps to come.
            const queue = yield* JobQueue
            yield* queue.enqueue(Reminders.dailyJob("UTC"), {})
            const routes = composed.routes.pipe(
              Layer.provide(Layer.succeedContext(app)),
              Layer.provide(HttpServer.layerServices)
            )
            const { handler, dispose } = HttpRouter.toWebHandler(routes)
            const get = (path: string, token?: string) =>
              Effect.promise(async () => {
                const response = await handler(
                  new Request(`http://portal.test${path}`, {
                    headers: token === undefined ? {} : { authorization: `Bearer ${token}` }
                  }),
                  Context.empty()
                )
                return { status: response.status, body: await response.text() }
              })
            const refused = yield* get("/plugins/reminders/preview")
            const wrong = yield* get("/plugins/reminders/preview", "x".repeat(previewToken.length))
            const preview = yield* get(`/plugins/reminders/preview?days=10&from=${today}`, previewToken)
            const badDays = yield* get("/plugins/reminders/preview?days=0", previewToken)
            yield* Effect.promise(dispose)
            assert.strictEqual(refused.status, 401)
            assert.strictEqual(wrong.status, 401)
            assert.strictEqual(badDays.status, 400)
            assert.strictEqual(preview.status, 200)
            const body: unknown = JSON.parse(preview.body)
            assert.deepInclude(body, { from: today, days: 10 })
            const planned =
              typeof body === "object" && body !== null && "reminders" in body && Array.isArray(body.reminders)
                ? body.reminders.map((r: { sendOn: string; offsetDays: number }) => [r.sendOn, r.offsetDays])
                : []
            assert.deepStrictEqual(planned, [
              [addDays(today, 3), 0],
              [addDays(today, 6), 3]
            ])

            // The same run on the due date, as the daily job would run it then: the reminder is mailed.
            const reminders = yield* Reminders
            const report = yield* reminders.run(addDays(today, 3))
            assert.strictEqual(report.sent.length, 1)
            const reminder = yield* inbox.next.pipe(Effect.timeout("20 seconds"))
            assert.match(reminder.subject, /^Invoice INV-1 is due on /)
          }).pipe(Effect.provideContext(app))
        }).pipe(Effect.provide(SmtpInbox.layer), Effect.scoped),
      90_000
    )
  })
}
