// The payments plugin switched on in the starter by its config (Stripe, against the wire-compatible fake on
// 127.0.0.1): a contact pays two synced invoices in one checkout, Stripe's signed webhook reaches the portal's
// root route over HTTP (a forged one is refused), both invoices are paid, and the portal's job worker renders
// the receipt.
import { assert, describe, layer } from "@effect/vitest"
import { Clock, Context, Effect, Layer, Schedule } from "effect"
import { SqlClient } from "effect/sql"
import { CurrentPrincipal } from "../../../core/access/Principal.ts"
import { AccountId, InvoiceId } from "../../../core/domain/Ids.ts"
import { addDays } from "../../../core/domain/LocalDate.ts"
import { SyncEngine } from "../../../core/sync/SyncEngine.ts"
import { Payments } from "../../../plugins/payments/Payments.ts"
import { dayIn } from "../../../plugins/reminders/index.ts"
import { csvFixture, german } from "../../adapters/csv/CsvFixture.ts"
import {
  account,
  accountId,
  contact,
  contactId,
  invoice,
  invoiceId,
  sourceId
} from "../../plugins/notifications/support/NotificationsHarness.ts"
import { type FakeStripe, fakeStripe } from "../../plugins/payments/FakeStripe.ts"
import { payerPrincipal } from "../../plugins/payments/support/PaymentsHarness.ts"
import { configFile, PortalUrl, pgliteStore, pluginPortal } from "./support/PluginPortal.ts"

class Stripe extends Context.Service<Stripe, FakeStripe>()("test/starter/plugins/Stripe") {}

const portalLayer = Layer.unwrap(
  Effect.gen(function* () {
    const stripe = yield* Stripe
    const plugins = {
      payments: {
        provider: {
          kind: "stripe",
          secretKey: stripe.secretKey,
          webhookSecret: stripe.webhookSecret,
          apiBaseUrl: stripe.server.origin
        },
        receiptFormat: "html"
      }
    }
    return pluginPortal(configFile(plugins), yield* pgliteStore)
  })
).pipe(Layer.provideMerge(Layer.effect(Stripe, fakeStripe())))

const invoiceRow = (id: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ status: string; open_minor: string | number }>`
      select status, open_minor from portico.invoices where id = ${id}`
    return rows.map((row) => [row.status, Number(row.open_minor)])
  })

describe("the payments plugin in the starter", () => {
  layer(portalLayer, { timeout: 120_000, excludeTestServices: true })((it) => {
    it.effect(
      "pays two invoices in one checkout; the signed webhook over HTTP settles both; a receipt is rendered",
      () =>
        Effect.gen(function* () {
          const { baseUrl } = yield* PortalUrl
          const stripe = yield* Stripe
          const today = dayIn(yield* Clock.currentTimeMillis, "UTC")
          const fixture = yield* csvFixture(german)({ sourceId })
          yield* fixture.seed([
            account(3),
            contact(3, 3, "cy@fabrikam.example", "Cy"),
            invoice(3, 3, today, addDays(today, 30)),
            invoice(4, 3, today, addDays(today, 14))
          ])
          yield* (yield* SyncEngine).run(yield* fixture.adapter)

          const payments = yield* Payments
          const asPayer = Effect.provideService(CurrentPrincipal, payerPrincipal(contactId(3), accountId(3)))
          const started = yield* payments
            .startCheckout({
              accountId: AccountId.make(accountId(3)),
              selection: {
                _tag: "Invoices",
                invoices: [{ invoiceId: InvoiceId.make(invoiceId(3)) }, { invoiceId: InvoiceId.make(invoiceId(4)) }]
              },
              returnUrl: `${baseUrl}/plugins/payments/return`,
              cancelUrl: `${baseUrl}/invoices`
            })
            .pipe(asPayer)
          assert.deepStrictEqual(started.amount, { currency: "EUR", minor: 23_800 })

          const session = String(stripe.sessions()[0]?.id)
          const signed = stripe.sign(stripe.complete(session), Math.floor((yield* Clock.currentTimeMillis) / 1000))
          const post = (headers: Record<string, string>) =>
            Effect.promise(async () => {
              const response = await fetch(new URL("/webhooks/payments/stripe", baseUrl), {
                method: "POST",
                headers,
                body: signed.body
              })
              return { status: response.status, body: await response.text() }
            })
          const forged = yield* post({ ...signed.headers, "stripe-signature": "t=0,v1=00" })
          assert.strictEqual(forged.status, 400)
          const accepted = yield* post(signed.headers)
          assert.deepStrictEqual(
            [accepted.status, JSON.parse(accepted.body)],
            [200, { received: true, outcome: "Settled" }]
          )

          assert.deepStrictEqual(yield* invoiceRow(invoiceId(3)), [["paid", 0]])
          assert.deepStrictEqual(yield* invoiceRow(invoiceId(4)), [["paid", 0]])
          // The portal's own worker renders the receipt; until its job has run there is none to fetch.
          const receipt = yield* payments
            .receipt(`portal-${started.intentId}`)
            .pipe(asPayer, Effect.retry({ schedule: Schedule.spaced("100 millis"), times: 200 }))
          const html = new TextDecoder().decode(receipt.content)
          assert.include(html, "INV-3")
          assert.include(html, "INV-4")
          assert.include(html, "238.00")
        })
    )
  })
})
