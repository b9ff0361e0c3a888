// The plugin over HTTP and toward the ERP, on PGlite: Stripe's signed webhook posted to
// /webhooks/payments/stripe settles (a forged one is a 400), the payer's return confirms and redirects only
// within the portal, the write-back job posts the payment to an ERP adapter that can take it, once, and the
// pay form (through a test PortalHost) sends the payer straight to the hosted checkout.
import { assert, describe, it } from "@effect/vitest"
import { Clock, Context, Effect, Layer, Option, Ref, Result, Stream } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { SqlClient } from "effect/sql"
import { CurrentPrincipal, system } from "../../../core/access/Principal.ts"
import { AccountId, InvoiceId } from "../../../core/domain/Ids.ts"
import { ErpAdapter, type WriteBackCommand } from "../../../core/erp/ErpAdapter.ts"
import { RecordRejected } from "../../../core/erp/RecordRejected.ts"
import * as JobWorker from "../../../core/jobs/JobWorker.ts"
import { Payments } from "../../../plugins/payments/Payments.ts"
import { pglite } from "../../support/Databases.ts"
import { type FakeStripe, fakeStripe } from "./FakeStripe.ts"
import {
  migrations,
  payerPrincipal,
  paymentsApp,
  paymentsRoutes,
  seed,
  settingsFor
} from "./support/PaymentsHarness.ts"
import { testHost } from "./support/TestHost.ts"

const accountId = AccountId.make("acme")
const asPayer = Effect.provideService(CurrentPrincipal, payerPrincipal("acme-payer", "acme"))

/** An ERP that accepts posted payments and remembers them (the port's write-back, recorded). */
const recordingErp = (posted: Ref.Ref<ReadonlyArray<WriteBackCommand>>) =>
  Layer.succeed(
    ErpAdapter,
    ErpAdapter.of({
      adapterId: "recording",
      sourceId: "erp",
      check: () => Effect.succeed({ ok: true, checks: [] }),
      discover: () => Effect.succeed({ entities: [] }),
      read: () => Stream.empty,
      decode: () => Result.fail(new RecordRejected({ path: "", reason: "the recording ERP has no records to decode" })),
      writeBack: (command) =>
        Effect.map(
          Ref.updateAndGet(posted, (all) => [...all, command]),
          (all) => ({ externalId: `ERP-PAY-${all.length}` })
        )
    })
  )

/** The plugin's settings for the fake Stripe. */
const stripeSettings = (stripe: FakeStripe) =>
  settingsFor({
    kind: "stripe",
    secretKey: stripe.secretKey,
    webhookSecret: stripe.webhookSecret,
    apiBaseUrl: stripe.server.origin
  })

describe("the payments plugin over HTTP and toward the ERP", () => {
  // live: the web handler runs on the real clock, so the test does too
  it.live(
    "webhook route, return route, and a single ERP write-back",
    () =>
      Effect.gen(function* () {
        const stripe = yield* fakeStripe()
        const settings = stripeSettings(stripe)
        const posted = yield* Ref.make<ReadonlyArray<WriteBackCommand>>([])
        const app = yield* Layer.build(paymentsApp(pglite(migrations), settings, recordingErp(posted)))
        yield* seed({ accountId: "acme", invoices: [{ id: "inv-1", accountId: "acme", total: 12_345 }] }).pipe(
          Effect.provideService(CurrentPrincipal, system("test")),
          Effect.provideContext(app)
        )
        const { handler, dispose } = HttpRouter.toWebHandler(
          paymentsRoutes(settings).pipe(
            Layer.provide(Layer.succeedContext(app)),
            Layer.provide(HttpServer.layerServices)
          )
        )
        yield* Effect.addFinalizer(() => Effect.promise(dispose))
        const call = (request: Request) =>
          Effect.promise(async () => {
            const response = await handler(request, Context.empty())
            return { status: response.status, location: response.headers.get("location"), body: await response.text() }
          })
        const payments = Context.get(app, Payments)
        const started = yield* payments
          .startCheckout({
            accountId,
            selection: { _tag: "Invoices", invoices: [{ invoiceId: InvoiceId.make("inv-1") }] },
            returnUrl: "https://portal.test/plugins/payments/return",
            cancelUrl: "https://portal.test/invoices"
          })
          .pipe(asPayer)
        const session = String(stripe.sessions()[0]?.id)
        const signed = stripe.sign(stripe.complete(session), Math.floor((yield* Clock.currentTimeMillis) / 1000))
        const forged = yield* call(
          new Request("http://portal.test/webhooks/payments/stripe", {
            method: "POST",
            headers: { ...signed.headers, "stripe-signature": "t=0,v1=00" },
            body: signed.body
          })
        )
        assert.strictEqual(forged.status, 400)
        const accepted = yield* call(
          new Request("http://portal.test/webhooks/payments/stripe", {
            method: "POST",
            headers: signed.headers,
            body: signed.body
          })
        )
        assert.deepStrictEqual(
          [accepted.status, JSON.parse(accepted.body)],
          [200, { received: true, outcome: "Settled" }]
        )
        const back = yield* call(
          new Request(`http://portal.test/plugins/payments/return?intent=${started.intentId}&then=/invoices/inv-1`)
        )
        assert.deepStrictEqual([back.status, back.location], [303, "/invoices/inv-1"])
        const away = yield* call(new Request(`http://portal.test/plugins/payments/return?intent=x&then=//evil.test/`))
        assert.deepStrictEqual([away.status, away.location], [303, "/"])
        assert.strictEqual(yield* JobWorker.drain("w").pipe(Effect.provideContext(app)), 2)
        assert.strictEqual(yield* JobWorker.drain("w").pipe(Effect.provideContext(app)), 0)
        const commands = yield* Ref.get(posted)
        assert.strictEqual(commands.length, 1)
        const payment = commands[0]?.payment
        assert.deepStrictEqual(
          payment?.allocations.map((a): [string, string, number] => [a.invoiceId, a.amount.currency, a.amount.minor]),
          [["inv-1", "EUR", 12_345]]
        )
        assert.deepStrictEqual(payment?.source, { source: "portico-payments", externalId: session })
        const sql = Context.get(app, SqlClient.SqlClient)
        const stored = yield* sql<{
          erp_external_id: string | null
        }>`select erp_external_id from portico.payment_intents
          where id = ${started.intentId}`.pipe(
          Effect.provideService(CurrentPrincipal, system("test")),
          Effect.map((rows) => Option.fromNullishOr(rows[0]?.erp_external_id))
        )
        assert.deepStrictEqual(stored, Option.some("ERP-PAY-1"))
      }).pipe(Effect.scoped),
    120_000
  )

  it.live(
    "the pay form answers 303 straight to the hosted checkout; sent again once paid, to the confirmation",
    () =>
      Effect.gen(function* () {
        const stripe = yield* fakeStripe()
        const settings = stripeSettings(stripe)
        const app = yield* Layer.build(paymentsApp(pglite(migrations), settings))
        yield* seed({ accountId: "acme", invoices: [{ id: "inv-1", accountId: "acme", total: 12_345 }] }).pipe(
          Effect.provideService(CurrentPrincipal, system("test")),
          Effect.provideContext(app)
        )
        const { handler, dispose } = HttpRouter.toWebHandler(
          paymentsRoutes(settings).pipe(
            Layer.provide(testHost(payerPrincipal("acme-payer", "acme"))),
            Layer.provide(Layer.succeedContext(app)),
            Layer.provide(HttpServer.layerServices)
          )
        )
        yield* Effect.addFinalizer(() => Effect.promise(dispose))
        // an amount rather than invoices: once paid, the same form still reads (invoices paid would be gone)
        const form = new URLSearchParams({ attempt: crypto.randomUUID(), action: "amount", advance: "50.00" })
        const pay = Effect.promise(async () => {
          const response = await handler(
            new Request("http://portal.test/plugins/payments/pay", {
              method: "POST",
              headers: { "content-type": "application/x-www-form-urlencoded" },
              body: form.toString()
            }),
            Context.empty()
          )
          return [response.status, response.headers.get("location") ?? ""] as const
        })

        const [status, checkoutUrl] = yield* pay
        assert.strictEqual(status, 303)
        const session = String(stripe.sessions()[0]?.id)
        assert.strictEqual(checkoutUrl, `${stripe.server.origin}/c/pay/${session}`)

        const signed = stripe.sign(stripe.complete(session), Math.floor((yield* Clock.currentTimeMillis) / 1000))
        const settled = yield* Effect.promise(() =>
          handler(
            new Request("http://portal.test/webhooks/payments/stripe", {
              method: "POST",
              headers: signed.headers,
              body: signed.body
            }),
            Context.empty()
          )
        )
        assert.strictEqual(settled.status, 200)
        const [againStatus, again] = yield* pay
        assert.strictEqual(againStatus, 303)
        assert.match(again, /^\/plugins\/payments\/paid\?intent=pi-/)
        assert.strictEqual(stripe.sessions().length, 1)
      }).pipe(Effect.scoped),
    120_000
  )
})
