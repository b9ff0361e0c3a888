// The reminders plugin end to end on PGlite and on the PostgreSQL server: a reminder goes out through a real
// SMTP server on its day and never twice; a payment synced through the engine stops the sequence (and
// cancels a reminder written but not yet delivered); two processes running the same day send one reminder;
// the preview lists exactly what the daily runs then send; per-account sequences override the default.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { addDays, localDate } from "../../../core/domain/LocalDate.ts"
import { SyncEngine } from "../../../core/sync/SyncEngine.ts"
import { Notifications } from "../../../plugins/notifications/index.ts"
import { type PlannedReminder, Reminders } from "../../../plugins/reminders/index.ts"
import { csvFixture, german } from "../../adapters/csv/CsvFixture.ts"
import { backends } from "../../support/Databases.ts"
import {
  account,
  accountId,
  contact,
  harness,
  invoice,
  invoiceId,
  ownerSql,
  payment,
  pluginMigrations,
  runJobs,
  servicesOver,
  sourceId
} from "../notifications/support/NotificationsHarness.ts"
import { sharedDatabase } from "../notifications/support/SharedDatabase.ts"
import { SmtpInbox } from "../notifications/support/SmtpInbox.ts"

const d = localDate

/** Account C1 with Anna, and C2 with Bert; invoices INV-<n> (due as given) synced through the engine. */
const seed = Effect.fn("test.seed")(function* (
  invoices: ReadonlyArray<readonly [n: number, accountN: number, due: string]>
) {
  const fixture = yield* csvFixture(german)({ sourceId })
  const engine = yield* SyncEngine
  yield* fixture.seed([
    account(1),
    account(2),
    contact(1, 1, "anna@northwind.example", "Anna"),
    contact(2, 2, "bert@globex.example", "Bert"),
    ...invoices.map(([n, accountN, due]) => invoice(n, accountN, addDays(d(due), -30), due))
  ])
  yield* engine.run(yield* fixture.adapter)
  return fixture
})

const sentSteps = Effect.gen(function* () {
  const sql = yield* ownerSql
  const rows = yield* sql<{ invoice_id: string; offset_days: number; outcome: string }>`
    select invoice_id, offset_days, outcome from portico.reminders_sent order by invoice_id, offset_days`
  return rows.map((row) => [row.invoice_id, row.offset_days, row.outcome])
})

for (const backend of await backends()) {
  describe.skipIf(!backend.availability.available)(`reminders on ${backend.name}`, () => {
    const provide = <A, E, R>(effect: Effect.Effect<A, E, R>, reminderSettings: object = {}) =>
      effect.pipe(Effect.provide(harness(backend.layer(pluginMigrations), reminderSettings)), Effect.scoped)

    it.effect(
      "a reminder goes out through SMTP on its day, never twice, and the sequence stops after a payment",
      () =>
        provide(
          Effect.gen(function* () {
            const fixture = yield* seed([[1, 1, "2026-03-31"]])
            const reminders = yield* Reminders
            const inbox = yield* SmtpInbox
            assert.deepStrictEqual((yield* reminders.run(d("2026-03-27"))).sent, [])
            assert.deepStrictEqual((yield* reminders.run(d("2026-03-28"))).sent, [
              { invoiceId: invoiceId(1), offsetDays: -3, emails: 1 }
            ])
            assert.strictEqual(yield* runJobs, 1)
            const before = yield* inbox.next
            assert.deepStrictEqual(before.to, ["anna@northwind.example"])
            assert.strictEqual(before.subject, "Invoice INV-1 is due on March 31, 2026")
            assert.include(before.decoded, "https://portal.example.com/invoices/erp%3AINV-1")
            // The same day again, and a restart's run: nothing new.
            assert.deepStrictEqual((yield* reminders.run(d("2026-03-28"))).sent, [])
            assert.deepStrictEqual((yield* reminders.run(d("2026-03-31"))).sent, [])
            assert.deepStrictEqual((yield* reminders.run(d("2026-04-01"))).sent, [
              { invoiceId: invoiceId(1), offsetDays: 1, emails: 1 }
            ])
            assert.strictEqual(yield* runJobs, 1)
            const after = yield* inbox.next
            assert.strictEqual(after.subject, "Reminder: invoice INV-1 is overdue")
            assert.include(after.decoded, "was due on March 31, 2026 and is not yet settled")

            // Paid in full, synced through the engine: the 7- and 14-day steps never go out.
            yield* fixture.apply([payment(1, 1, 1, 11900, "2026-04-03")])
            yield* (yield* SyncEngine).run(yield* fixture.adapter)
            for (const day of ["2026-04-07", "2026-04-14", "2026-04-20"]) {
              assert.deepStrictEqual((yield* reminders.run(d(day))).sent, [])
            }
            assert.strictEqual(yield* runJobs, 0)
            assert.strictEqual((yield* inbox.all).length, 2)
            assert.deepStrictEqual(yield* sentSteps, [
              [invoiceId(1), -3, "sent"],
              [invoiceId(1), 1, "sent"]
            ])
          })
        ),
      60_000
    )

    it.effect(
      "a reminder written before the payment and delivered after it is cancelled, not sent",
      () =>
        provide(
          Effect.gen(function* () {
            const fixture = yield* seed([[1, 1, "2026-03-31"]])
            const reminders = yield* Reminders
            assert.strictEqual((yield* reminders.run(d("2026-04-07"))).sent.length, 1)
            yield* fixture.apply([payment(1, 1, 1, 11900, "2026-04-07")])
            yield* (yield* SyncEngine).run(yield* fixture.adapter)
            assert.strictEqual(yield* runJobs, 1)
            const inbox = yield* SmtpInbox
            assert.strictEqual((yield* inbox.all).length, 0)
            const outbox = yield* (yield* Notifications).outbox()
            assert.deepStrictEqual(
              outbox.map((message) => [message.topic, message.status, message.cancelledReason]),
              [["reminder", "cancelled", "the invoice is paid"]]
            )
          })
        ),
      60_000
    )

    it.effect(
      "two processes running the same day send each invoice's reminder once",
      () =>
        Effect.gen(function* () {
          const database = yield* sharedDatabase(backend)
          const inbox = yield* SmtpInbox
          const processA = yield* Layer.build(servicesOver(database.connect(), inbox.port))
          const processB = yield* Layer.build(servicesOver(database.connect(), inbox.port))
          yield* seed([
            [1, 1, "2026-03-31"],
            [2, 1, "2026-03-31"],
            [3, 2, "2026-03-31"],
            [4, 2, "2026-04-02"]
          ]).pipe(Effect.provideContext(processA))
          const runIn = (context: typeof processA) =>
            Effect.flatMap(Reminders, (reminders) => reminders.run(d("2026-03-30"))).pipe(
              Effect.provideContext(context)
            )
          const [a, b] = yield* Effect.all([runIn(processA), runIn(processB)], { concurrency: 2 })
          const sent = [...a.sent, ...b.sent].map((s) => s.invoiceId).sort()
          assert.deepStrictEqual(sent, [invoiceId(1), invoiceId(2), invoiceId(3), invoiceId(4)])
          const again = yield* Effect.all([runIn(processB), runIn(processA)], { concurrency: 2 })
          assert.deepStrictEqual([...again[0].sent, ...again[1].sent], [])
          const [deliveredA, deliveredB] = yield* Effect.all(
            [Effect.provideContext(runJobs, processA), Effect.provideContext(runJobs, processB)],
            { concurrency: 2 }
          )
          assert.strictEqual(deliveredA + deliveredB, 4)
          const mails = yield* inbox.all
          assert.deepStrictEqual(mails.map((mail) => mail.subject).sort(), [
            "Invoice INV-1 is due on March 31, 2026",
            "Invoice INV-2 is due on March 31, 2026",
            "Invoice INV-3 is due on March 31, 2026",
            "Invoice INV-4 is due on April 2, 2026"
          ])
        }).pipe(Effect.provide(SmtpInbox.layer), Effect.scoped),
      60_000
    )

    it.effect(
      "the preview lists what the daily runs then send, per account and for all, with overrides",
      () =>
        provide(
          Effect.gen(function* () {
            yield* seed([
              [1, 1, "2026-03-31"],
              [2, 1, "2026-04-10"],
              [3, 2, "2026-03-25"]
            ])
            const reminders = yield* Reminders
            yield* reminders.setSequence(accountId(2), [0, 5])
            assert.deepStrictEqual(yield* reminders.sequenceOf(accountId(2)), {
              accountId: accountId(2),
              offsets: [0, 5],
              overridden: true
            })
            assert.deepStrictEqual(yield* reminders.sequenceOf(accountId(1)), {
              accountId: accountId(1),
              offsets: [-3, 1, 7, 14],
              overridden: false
            })
            const from = d("2026-03-20")
            const preview = yield* reminders.preview({ from, days: 21 })
            const brief = (planned: ReadonlyArray<PlannedReminder>) =>
              planned.map((p) => [p.sendOn, p.invoiceNumber, p.offsetDays])
            assert.deepStrictEqual(brief(preview), [
              ["2026-03-25", "INV-3", 0],
              ["2026-03-28", "INV-1", -3],
              ["2026-03-30", "INV-3", 5],
              ["2026-04-01", "INV-1", 1],
              ["2026-04-07", "INV-1", 7],
              ["2026-04-07", "INV-2", -3]
            ])
            assert.deepStrictEqual(brief(yield* reminders.preview({ from, days: 21, accountId: accountId(2) })), [
              ["2026-03-25", "INV-3", 0],
              ["2026-03-30", "INV-3", 5]
            ])
            // What the daily runs send over the same days is exactly the preview.
            const sent: Array<[string, string, number]> = []
            for (let day = 0; day < 21; day++) {
              const asOf = addDays(from, day)
              const report = yield* reminders.run(asOf)
              for (const s of report.sent) sent.push([asOf, s.invoiceId.replace("erp:", ""), s.offsetDays])
            }
            assert.deepStrictEqual(sent, brief(preview))
            // Afterwards nothing sent is planned again.
            const later = yield* reminders.preview({ from: d("2026-04-10"), days: 30 })
            assert.deepStrictEqual(brief(later), [
              ["2026-04-11", "INV-2", 1],
              ["2026-04-14", "INV-1", 14],
              ["2026-04-17", "INV-2", 7],
              ["2026-04-24", "INV-2", 14]
            ])
            const refused = yield* Effect.flip(reminders.setSequence(accountId(2), [1, 1]))
            assert.strictEqual(refused._tag, "InvalidSequence")
            yield* reminders.setSequence(accountId(2), null)
            assert.strictEqual((yield* reminders.sequenceOf(accountId(2))).overridden, false)
          })
        ),
      60_000
    )
  })
}
