// The notifications plugin end to end on PGlite and on the PostgreSQL server: invoices synced through the
// engine become e-mails (received by a real SMTP server on 127.0.0.1) and in-app notifications for the
// contacts whose preferences allow them; an event seen twice makes one message; a mail server that is down
// leads to retries, a dead letter, and delivery after re-queueing.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { TestClock } from "effect/testing"
import type { DomainEvent } from "../../../core/events/index.ts"
import { Store } from "../../../core/store/Store.ts"
import { SyncEngine } from "../../../core/sync/SyncEngine.ts"
import { InAppNotifications, type InvoiceEventRef, Notifications } from "../../../plugins/notifications/index.ts"
import { csvFixture, german } from "../../adapters/csv/CsvFixture.ts"
import { withPublished } from "../../core/sync/support/Events.ts"
import { backends } from "../../support/Databases.ts"
import {
  account,
  asContact,
  contact,
  harness,
  invoice,
  invoiceId,
  ownerSql,
  payment,
  pluginMigrations,
  runJobs,
  sourceId
} from "./support/NotificationsHarness.ts"
import { SmtpInbox } from "./support/SmtpInbox.ts"

const link = "https://portal.example.com/invoices/erp%3AINV-1"

/** The invoice events of the published domain events, as the plugin's handler reads them. */
const refsOf = (published: ReadonlyArray<DomainEvent>): ReadonlyArray<InvoiceEventRef> =>
  published.flatMap((event) =>
    event._tag === "InvoiceChanged"
      ? event.events.map((fact) => ({
          eventId: fact.eventId,
          type: fact._tag,
          invoiceId: event.invoiceId,
          occurredOn: fact.occurredOn
        }))
      : []
  )

/**
 * Account C1 with Anna (defaults), Ben (no e-mail for new invoices: in-app only) and Carla (switched new
 * invoices off in the portal's settings); then INV-1 synced. Gives the invoice events the sync published.
 */
const issueInvoice = Effect.fn("test.issueInvoice")(function* (issueDate = "2026-03-01", dueDate = "2026-03-31") {
  const fixture = yield* csvFixture(german)({ sourceId })
  const engine = yield* SyncEngine
  yield* fixture.seed([
    account(1),
    contact(1, 1, "anna@northwind.example", "Anna"),
    contact(2, 1, "ben@northwind.example", "Ben"),
    contact(3, 1, "carla@northwind.example", "Carla")
  ])
  yield* engine.run(yield* fixture.adapter)
  const inApp = yield* InAppNotifications
  const defaults = yield* asContact(2, 1, inApp.preferences)
  yield* asContact(2, 1, inApp.savePreferences({ ...defaults, invoiceIssued: { email: false, inApp: true } }))
  const sql = yield* ownerSql
  yield* sql`insert into portico.portal_notification_settings (contact_id, settings, updated_at)
    values (${"erp:K3"}, ${JSON.stringify({
      invoiceIssued: false,
      paymentReceived: true,
      dueReminders: true,
      monthlyStatement: false,
      plainText: false
    })}::jsonb, now())`
  yield* fixture.apply([invoice(1, 1, issueDate, dueDate)])
  const synced = yield* withPublished(engine.run(yield* fixture.adapter))
  return { events: refsOf(synced.published), fixture }
})

const outboxCount = Effect.gen(function* () {
  const sql = yield* ownerSql
  const rows = yield* sql<{ n: number }>`select count(*)::int as n from portico.notification_outbox`
  return rows[0]?.n ?? -1
})

for (const backend of await backends()) {
  describe.skipIf(!backend.availability.available)(`notifications on ${backend.name}`, () => {
    const provide = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      effect.pipe(Effect.provide(harness(backend.layer(pluginMigrations))), Effect.scoped)

    it.effect(
      "an issued invoice mails the contacts whose preferences allow it, with the deep link, and lists in-app",
      () =>
        provide(
          Effect.gen(function* () {
            const { events } = yield* issueInvoice()
            assert.deepStrictEqual(
              events.map((event) => event.type),
              ["InvoiceIssued"]
            )
            const notifications = yield* Notifications
            assert.strictEqual(yield* notifications.recordEvents(events), 1)
            assert.strictEqual(yield* runJobs, 1)
            const inbox = yield* SmtpInbox
            const mails = yield* inbox.all
            assert.deepStrictEqual(
              mails.map((mail) => mail.to),
              [["anna@northwind.example"]]
            )
            const mail = mails[0]
            assert.strictEqual(mail?.subject, "New invoice INV-1")
            assert.include(mail?.decoded, "Hello Anna,")
            assert.include(mail?.decoded, `View the invoice: ${link}`)
            assert.include(mail?.decoded, `<a href="${link}">View the invoice</a>`)
            assert.include(mail?.decoded, "Content-Type: text/plain")
            assert.include(mail?.decoded, "Content-Type: text/html")
            const outbox = yield* notifications.outbox({ invoiceId: invoiceId(1) })
            assert.deepStrictEqual(
              outbox.map((message) => [message.recipient, message.status, message.link]),
              [["anna@northwind.example", "sent", link]]
            )

            const inApp = yield* InAppNotifications
            const anna = yield* asContact(1, 1, inApp.unread())
            const ben = yield* asContact(2, 1, inApp.unread())
            const carla = yield* asContact(3, 1, inApp.unread())
            assert.deepStrictEqual(
              [...anna, ...ben].map((n) => [n.topic, n.title, n.link]),
              [
                ["invoice-issued", "New invoice INV-1", link],
                ["invoice-issued", "New invoice INV-1", link]
              ]
            )
            assert.strictEqual(carla.length, 0)
            const annas = anna.map((n) => n.id)
            // Ben cannot mark Anna's notification read: it is not his (row-level security and the condition).
            assert.deepStrictEqual(yield* asContact(2, 1, inApp.markRead(annas)), [])
            assert.deepStrictEqual(yield* asContact(1, 1, inApp.markRead(annas)), annas)
            assert.strictEqual((yield* asContact(1, 1, inApp.unread())).length, 0)
            assert.strictEqual((yield* asContact(2, 1, inApp.unread())).length, 1)

            // Row-level security alone: Ben's transaction sees his own rows, and no outbox at all.
            const store = yield* Store
            const sql = yield* ownerSql
            const seen = yield* asContact(
              2,
              1,
              store.withScope(sql<{ contact_id: string }>`select contact_id from portico.in_app_notifications`)
            )
            assert.deepStrictEqual(
              seen.map((row) => row.contact_id),
              ["erp:K2"]
            )
            const outboxRead = yield* Effect.exit(
              asContact(2, 1, store.withScope(sql`select id from portico.notification_outbox`))
            )
            assert.isTrue(Exit.isFailure(outboxRead))
          })
        ),
      60_000
    )

    it.effect(
      "a payment synced through the engine tells each contact in its language, as the portal's switches allow",
      () =>
        provide(
          Effect.gen(function* () {
            const { fixture } = yield* issueInvoice()
            const inApp = yield* InAppNotifications
            // Ben reads German, and wants status changes by e-mail only.
            const ben = yield* asContact(2, 1, inApp.preferences)
            yield* asContact(
              2,
              1,
              inApp.savePreferences({ ...ben, statusChanged: { email: true, inApp: false }, locale: "de" })
            )
            // Carla asks the portal for plain-text mail.
            const sql = yield* ownerSql
            yield* sql`update portico.portal_notification_settings
              set settings = jsonb_set(settings, '{plainText}', 'true') where contact_id = ${"erp:K3"}`
            yield* fixture.apply([payment(1, 1, 1, 11900, "2026-03-20")])
            const paid = yield* withPublished((yield* SyncEngine).run(yield* fixture.adapter))
            const events = refsOf(paid.published)
            assert.deepStrictEqual(
              events.map((event) => event.type),
              ["PaymentApplied"]
            )
            const notifications = yield* Notifications
            assert.strictEqual(yield* notifications.recordEvents(events), 1)
            assert.strictEqual(yield* runJobs, 3)
            const inbox = yield* SmtpInbox
            const mails = (yield* inbox.all).map((mail) => [mail.to[0], mail.subject]).sort()
            // Carla switched off new invoices only: status changes still reach her.
            assert.deepStrictEqual(mails, [
              ["anna@northwind.example", "Invoice INV-1: paid"],
              ["ben@northwind.example", "Rechnung INV-1: bezahlt"],
              ["carla@northwind.example", "Invoice INV-1: paid"]
            ])
            const plain = (yield* inbox.all).find((mail) => mail.to[0] === "carla@northwind.example")
            assert.include(plain?.decoded, `View the invoice: ${link}`)
            assert.notInclude(plain?.decoded, "text/html")
            const german = (yield* inbox.all).find((mail) => mail.to[0] === "ben@northwind.example")
            assert.include(german?.decoded, "text/html")
            assert.include(german?.decoded, "Guten Tag Ben,")
            assert.include(german?.decoded, `Rechnung ansehen: ${link}`)
            // In-app: Anna has the change listed; Ben chose e-mail only for status changes.
            const annaInApp = yield* asContact(1, 1, inApp.unread())
            assert.deepStrictEqual(
              annaInApp.map((n) => [n.topic, n.title, n.body]),
              [["status-changed", "Invoice INV-1: paid", "The status of invoice INV-1 is now: paid."]]
            )
            assert.deepStrictEqual(yield* asContact(2, 1, inApp.unread()), [])
          })
        ),
      60_000
    )

    it.effect(
      "an event delivered twice, and found again by the relay, makes one message",
      () =>
        provide(
          Effect.gen(function* () {
            const { events } = yield* issueInvoice()
            const notifications = yield* Notifications
            assert.strictEqual(yield* notifications.recordEvents(events), 1)
            assert.strictEqual(yield* notifications.recordEvents(events), 0)
            assert.strictEqual(yield* notifications.relay, 0)
            assert.strictEqual(yield* outboxCount, 1)
            assert.strictEqual(yield* runJobs, 1)
            assert.strictEqual(yield* runJobs, 0)
            const inbox = yield* SmtpInbox
            assert.strictEqual((yield* inbox.all).length, 1)
          })
        ),
      60_000
    )

    it.effect(
      "the relay records events the bus never delivered (a crash between commit and publish)",
      () =>
        provide(
          Effect.gen(function* () {
            yield* issueInvoice()
            const notifications = yield* Notifications
            // Nobody handled the published events: the relay finds them in invoice_events.
            assert.strictEqual(yield* notifications.relay, 1)
            assert.strictEqual(yield* notifications.relay, 0)
            assert.strictEqual(yield* runJobs, 1)
            const inbox = yield* SmtpInbox
            assert.deepStrictEqual(
              (yield* inbox.all).map((mail) => mail.subject),
              ["New invoice INV-1"]
            )
          })
        ),
      60_000
    )

    it.effect(
      "events older than maxEventAgeDays (an initial import) get a receipt and no message",
      () =>
        provide(
          Effect.gen(function* () {
            // The test clock stands at 1970-01-01; an invoice issued 60 days before is past the 14 days.
            const { events } = yield* issueInvoice("1969-11-02", "1969-12-02")
            assert.deepStrictEqual(
              events.map((event) => [event.type, event.occurredOn]),
              [["InvoiceIssued", "1969-11-02"]]
            )
            const notifications = yield* Notifications
            assert.strictEqual(yield* notifications.recordEvents(events), 0)
            assert.strictEqual(yield* notifications.relay, 0)
            assert.strictEqual(yield* outboxCount, 0)
          })
        ),
      60_000
    )

    it.effect(
      "a mail server that is down: retried with back-off, dead-lettered after the last attempt, re-queued and delivered",
      () =>
        provide(
          Effect.gen(function* () {
            const { events } = yield* issueInvoice()
            const notifications = yield* Notifications
            const inbox = yield* SmtpInbox
            yield* notifications.recordEvents(events)
            yield* inbox.setAccepting(false)
            assert.strictEqual(yield* runJobs, 1) // attempt 1 fails; the next is due in 1 s
            assert.strictEqual(yield* runJobs, 0)
            yield* TestClock.adjust("1 second")
            assert.strictEqual(yield* runJobs, 1) // attempt 2 fails; the next is due in 2 s
            yield* TestClock.adjust("1 second")
            assert.strictEqual(yield* runJobs, 0)
            yield* TestClock.adjust("1 second")
            assert.strictEqual(yield* runJobs, 1) // attempt 3 fails: dead
            yield* TestClock.adjust("1 hour")
            assert.strictEqual(yield* runJobs, 0)
            const dead = yield* notifications.deadLetters
            assert.strictEqual(dead.length, 1)
            assert.strictEqual(dead[0]?.recipient, "anna@northwind.example")
            assert.match(dead[0]?.lastError ?? "", /EmailFailed/)
            assert.match(dead[0]?.lastError ?? "", /421/)
            assert.strictEqual((yield* inbox.all).length, 0)

            yield* inbox.setAccepting(true)
            yield* notifications.requeue(dead[0]?.id ?? "")
            assert.strictEqual(yield* runJobs, 1)
            const mails = yield* inbox.all
            assert.deepStrictEqual(
              mails.map((mail) => [mail.to, mail.subject]),
              [[["anna@northwind.example"], "New invoice INV-1"]]
            )
            assert.strictEqual((yield* notifications.deadLetters).length, 0)
            const outbox = yield* notifications.outbox()
            assert.deepStrictEqual(
              outbox.map((message) => message.status),
              ["sent"]
            )
          })
        ),
      60_000
    )
  })
}
