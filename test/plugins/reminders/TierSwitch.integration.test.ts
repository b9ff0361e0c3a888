// Notifications and reminders switched per account tier through the plugin contract (the composition's
// `tiers`), on PGlite and the PostgreSQL server: a premium account's contact gets the new-invoice e-mail and
// the reminder through real SMTP, a standard account's contact gets neither (nor a preview line); an account
// moved to a tier without the plugins has its pending e-mail cancelled and no further reminders.
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Layer } from "effect"
import { addDays } from "../../../core/domain/LocalDate.ts"
import { DomainEvents } from "../../../core/events/index.ts"
import { JobQueue } from "../../../core/jobs/JobQueue.ts"
import { composePlugins } from "../../../core/plugin/PluginRegistry.ts"
import { StoreLayer } from "../../../core/store/index.ts"
import { SyncEngine } from "../../../core/sync/SyncEngine.ts"
import { Notifications, notificationsPlugin } from "../../../plugins/notifications/index.ts"
import { dayIn, Reminders, remindersPlugin } from "../../../plugins/reminders/index.ts"
import { csvFixture, german } from "../../adapters/csv/CsvFixture.ts"
import { backends } from "../../support/Databases.ts"
import {
  account,
  contact,
  invoice,
  invoiceId,
  notificationsSettings,
  pluginMigrations,
  runJobs,
  sourceId
} from "../notifications/support/NotificationsHarness.ts"
import { SmtpInbox } from "../notifications/support/SmtpInbox.ts"

for (const backend of await backends()) {
  describe.skipIf(!backend.availability.available)(`notifications and reminders per tier on ${backend.name}`, () => {
    it.live(
      "a premium account is mailed and reminded, a standard one is not; a downgrade stops what is pending",
      () =>
        Effect.gen(function* () {
          const inbox = yield* SmtpInbox
          const settings = { notifications: notificationsSettings(inbox.port), reminders: { sequence: [0, 3] } }
          const composed = composePlugins([notificationsPlugin, remindersPlugin], {
            settings,
            tiers: { notifications: ["premium"], reminders: ["premium"] }
          })
          const base = SyncEngine.layer.pipe(
            Layer.provideMerge(JobQueue.layer),
            Layer.provideMerge(DomainEvents.layer),
            Layer.provideMerge(StoreLayer.repositories),
            Layer.provideMerge(backend.layer([...pluginMigrations]))
          )
          yield* Effect.gen(function* () {
            const today = dayIn(yield* Clock.currentTimeMillis, "UTC")
            const fixture = yield* csvFixture(german)({ sourceId })
            const engine = yield* SyncEngine
            const notifications = yield* Notifications
            const reminders = yield* Reminders
            yield* fixture.seed([
              account(1, "premium"),
              account(2, "standard"),
              contact(1, 1, "anna@northwind.example", "Anna"),
              contact(2, 2, "bert@globex.example", "Bert"),
              invoice(1, 1, today, addDays(today, 3)),
              invoice(2, 2, today, addDays(today, 3))
            ])
            yield* engine.run(yield* fixture.adapter)
            // The relay records whatever the event handler has not yet, through the same gated path.
            yield* notifications.relay
            assert.strictEqual(yield* runJobs, 1)
            const issued = yield* inbox.next
            assert.deepStrictEqual([issued.to, issued.subject], [["anna@northwind.example"], "New invoice INV-1"])
            assert.deepStrictEqual(yield* notifications.outbox({ invoiceId: invoiceId(2) }), [])

            const planned = yield* reminders.preview({ from: today, days: 10 })
            assert.deepStrictEqual(
              planned.map((p) => [p.invoiceId, p.offsetDays]),
              [
                [invoiceId(1), 0],
                [invoiceId(1), 3]
              ]
            )
            const due = yield* reminders.run(addDays(today, 3))
            assert.deepStrictEqual(due.sent, [{ invoiceId: invoiceId(1), offsetDays: 0, emails: 1 }])
            assert.strictEqual(yield* runJobs, 1)
            const reminded = yield* inbox.next
            assert.deepStrictEqual(reminded.to, ["anna@northwind.example"])
            assert.match(reminded.subject, /^Invoice INV-1 is due on /)

            // The second step is written, then the account moves to the standard tier before delivery.
            const late = yield* reminders.run(addDays(today, 6))
            assert.deepStrictEqual(late.sent, [{ invoiceId: invoiceId(1), offsetDays: 3, emails: 1 }])
            yield* fixture.apply([account(1, "standard")])
            yield* engine.run(yield* fixture.adapter)
            assert.strictEqual(yield* runJobs, 1)
            const outbox = yield* notifications.outbox({ invoiceId: invoiceId(1) })
            assert.deepStrictEqual(
              outbox.map((m) => [m.topic, m.status, m.cancelledReason]),
              [
                ["reminder", "cancelled", "notifications are off for the account's tier"],
                ["reminder", "sent", null],
                ["invoice-issued", "sent", null]
              ]
            )
            assert.deepStrictEqual(yield* reminders.preview({ from: addDays(today, 7), days: 30 }), [])
            assert.strictEqual((yield* inbox.all).length, 2)
          }).pipe(Effect.provide(composed.layer.pipe(Layer.provideMerge(base))))
        }).pipe(Effect.provide(SmtpInbox.layer), Effect.scoped),
      120_000
    )
  })
}
