// The starter portal with notifications, reminders, comments and analytics switched on by its config file's
// `plugins` section, on PGlite and on the PostgreSQL server: a synced invoice is mailed through real SMTP
// with its deep link; a reminder goes out on its day and stops once a payment is synced; a customer's comment
// flags the invoice (linked from the invoice page) and the business resolves it; a misconfigured or unknown
// plugin stops start-up naming the plugin and the field.
import { assert, describe, layer } from "@effect/vitest"
import { Cause, Clock, Effect, Exit, Layer } from "effect"
import { addDays } from "../../../core/domain/LocalDate.ts"
import { SyncEngine } from "../../../core/sync/SyncEngine.ts"
import { dayIn, Reminders } from "../../../plugins/reminders/index.ts"
import { csvFixture, german } from "../../adapters/csv/CsvFixture.ts"
import {
  account,
  contact,
  contactId,
  invoice,
  invoiceId,
  payment,
  sourceId
} from "../../plugins/notifications/support/NotificationsHarness.ts"
import { postgresAvailability } from "../../support/Requirements.ts"
import { csrfTokenOf, httpSession, signInAs } from "../e2e/support/HttpSession.ts"
import { testApiKey } from "../e2e/support/StarterHarness.ts"
import { GatedSmtp } from "./support/GatedSmtp.ts"
import {
  configFile,
  mailBaseUrl,
  PortalUrl,
  pgliteStore,
  pluginPortal,
  pluginsSection,
  postgresStore
} from "./support/PluginPortal.ts"

const postgres = await postgresAvailability()

/** The next mail whose subject matches, skipping others (other tests' mail shares the server). */
const mailMatching = (subject: RegExp) =>
  Effect.gen(function* () {
    const smtp = yield* GatedSmtp
    while (true) {
      const mail = yield* smtp.next
      if (subject.test(mail.subject)) return mail
    }
  }).pipe(Effect.timeout("30 seconds"))

/** Syncs `records` through the CSV adapter and the portal's sync engine. */
const syncing = Effect.gen(function* () {
  const fixture = yield* csvFixture(german)({ sourceId })
  const engine = yield* SyncEngine
  return (records: Parameters<typeof fixture.apply>[0]) =>
    Effect.gen(function* () {
      yield* fixture.apply(records)
      yield* engine.run(yield* fixture.adapter)
    })
})

const businessApi = (baseUrl: string, path: string, method = "GET", body?: unknown) =>
  Effect.promise(async () => {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: { authorization: `Bearer ${testApiKey}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    return { status: response.status, text: await response.text() }
  })

const startFailure = (plugins: unknown) =>
  Effect.gen(function* () {
    const smtp = yield* GatedSmtp
    const exit = yield* Effect.exit(
      Effect.flatMap(pgliteStore, (store) => Layer.build(pluginPortal(configFile(plugins), store)))
    )
    assert.isTrue(Exit.isFailure(exit), `a portal with ${JSON.stringify(plugins)} started`)
    const error = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
    assert.notInclude(String(error), `127.0.0.1:${smtp.port}`)
    return error instanceof Error ? error.message : String(error)
  }).pipe(Effect.scoped)

const stores = [
  { name: "PGlite", available: true, store: pgliteStore },
  { name: "the PostgreSQL server", available: postgres.available, store: postgresStore }
]

for (const backend of stores) {
  const portalLayer = Layer.unwrap(
    Effect.gen(function* () {
      const smtp = yield* GatedSmtp
      return pluginPortal(configFile(pluginsSection(smtp.port)), yield* backend.store)
    })
  ).pipe(Layer.provideMerge(GatedSmtp.layer))

  describe.skipIf(!backend.available)(`the starter with plugins from its config, on ${backend.name}`, () => {
    layer(portalLayer, { timeout: 120_000, excludeTestServices: true })((it) => {
      it.effect(
        "a synced invoice is mailed with its deep link; its reminder goes out on its day, and stops once paid",
        () =>
          Effect.gen(function* () {
            const today = dayIn(yield* Clock.currentTimeMillis, "UTC")
            const sync = yield* syncing
            yield* sync([account(1), contact(1, 1, "anna@northwind.example", "Anna")])
            yield* sync([
              account(1),
              contact(1, 1, "anna@northwind.example", "Anna"),
              invoice(1, 1, today, addDays(today, 3))
            ])
            const issued = yield* mailMatching(/^New invoice INV-1$/)
            assert.deepStrictEqual(issued.to, ["anna@northwind.example"])
            assert.include(issued.text, `${mailBaseUrl}/invoices/${encodeURIComponent(invoiceId(1))}`)

            // The sequence is [0, 3]: on the due date the first reminder goes out through the outbox and SMTP.
            const reminders = yield* Reminders
            const onDue = yield* reminders.run(addDays(today, 3))
            assert.deepStrictEqual(
              onDue.sent.map((sent) => sent.invoiceId),
              [invoiceId(1)]
            )
            const reminder = yield* mailMatching(/^Invoice INV-1 is due on /)
            assert.deepStrictEqual(reminder.to, ["anna@northwind.example"])
            assert.include(reminder.text, `${mailBaseUrl}/invoices/${encodeURIComponent(invoiceId(1))}`)

            // Paid in full before the second step: three days later nothing goes out.
            yield* sync([
              account(1),
              contact(1, 1, "anna@northwind.example", "Anna"),
              invoice(1, 1, today, addDays(today, 3)),
              payment(1, 1, 1, 11900, addDays(today, 4))
            ])
            const afterPayment = yield* reminders.run(addDays(today, 6))
            assert.deepStrictEqual(afterPayment.sent, [])
          })
      )

      it.effect("the invoice page links to its thread; a comment flags the invoice and the business resolves it", () =>
        Effect.gen(function* () {
          const { baseUrl } = yield* PortalUrl
          const today = dayIn(yield* Clock.currentTimeMillis, "UTC")
          const sync = yield* syncing
          yield* sync([account(2), contact(2, 2, "bo@contoso.example", "Bo"), invoice(2, 2, today, addDays(today, 30))])
          const id = invoiceId(2)
          const thread = `/plugins/comments/invoices/${encodeURIComponent(id)}`

          const session = httpSession(baseUrl)
          yield* signInAs(session, baseUrl, contactId(2))
          const detail = yield* session.get(`/invoices/${encodeURIComponent(id)}`)
          const detailHtml = yield* Effect.promise(() => detail.text())
          assert.strictEqual(detail.status, 200)
          assert.include(detailHtml, `<a href="${thread}">Questions about this invoice</a>`)

          const page = yield* Effect.flatMap(session.get(thread), (response) => Effect.promise(() => response.text()))
          const posted = yield* session.post(`${thread}/comments`, {
            _csrf: csrfTokenOf(page) ?? "",
            body: "Why is the service billed twice?"
          })
          assert.strictEqual(posted.status, 303)

          const flagged = yield* businessApi(baseUrl, "/plugins/comments/api/attention")
          assert.strictEqual(flagged.status, 200)
          assert.include(flagged.text, `"invoiceId":"${id}"`)
          const resolved = yield* businessApi(
            baseUrl,
            `/plugins/comments/api/invoices/${encodeURIComponent(id)}/resolve`,
            "POST",
            { note: "Billed once; the second line is the credit." }
          )
          assert.strictEqual(resolved.status, 201)
          const after = yield* businessApi(baseUrl, "/plugins/comments/api/attention")
          assert.notInclude(after.text, `"invoiceId":"${id}"`)

          const analytics = yield* businessApi(baseUrl, "/plugins/analytics/report.json")
          assert.strictEqual(analytics.status, 200)
        })
      )
    })
  })
}

describe("the starter refuses to start with a misconfigured plugin", () => {
  layer(GatedSmtp.layer, { timeout: 60_000, excludeTestServices: true })((it) => {
    it.effect("names the plugin and the field at fault, never the secrets", () =>
      Effect.gen(function* () {
        const smtp = yield* GatedSmtp
        const { notifications } = pluginsSection(smtp.port)
        const noUrl = yield* startFailure({ notifications: { ...notifications, smtp: { from: "billing@x.example" } } })
        assert.match(noUrl, /^plugin "notifications": invalid config at smtp\.url: /)
        const badCron = yield* startFailure({ notifications, reminders: { cron: "every day" } })
        assert.match(badCron, /^plugin "reminders": invalid config at cron: /)
        const alone = yield* startFailure({ reminders: {} })
        assert.match(alone, /^plugin "reminders": missing-plugin: requires the plugin "notifications"/)
        const typo = yield* startFailure({ comment: {} })
        assert.strictEqual(
          typo,
          'plugins.comment: no plugin "comment" in this portal (it has: notifications, reminders, comments, analytics, payments)'
        )
      })
    )
  })
})
