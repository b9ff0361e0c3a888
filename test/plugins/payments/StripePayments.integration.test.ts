// Payments through the fake Stripe, end to end on PGlite and PostgreSQL: two invoices in one checkout, paid
// by a signed webhook, audited, with a receipt rendered by the job; a webhook delivered twice, late or out of
// order changes nothing more; a forged one is refused and audited; partial payments respect the minimum;
// an advance payment becomes credit that is applied to a later invoice; checkouts are idempotent.
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { TestClock } from "effect/testing"
import { CurrentPrincipal, system } from "../../../core/access/Principal.ts"
import { AuditLog } from "../../../core/audit/AuditLog.ts"
import { CurrencyCode } from "../../../core/domain/Currency.ts"
import { AccountId, InvoiceId } from "../../../core/domain/Ids.ts"
import { localDate } from "../../../core/domain/LocalDate.ts"
import * as JobWorker from "../../../core/jobs/JobWorker.ts"
import { AutoPay } from "../../../plugins/payments/AutoPay.ts"
import { Payments } from "../../../plugins/payments/Payments.ts"
import { backends } from "../../support/Databases.ts"
import { fakeStripe } from "./FakeStripe.ts"
import { migrations, payerPrincipal, paymentsApp, seed, settingsFor } from "./support/PaymentsHarness.ts"

const accountId = AccountId.make("acme")
const EUR = CurrencyCode.make("EUR")
const asPayer = Effect.provideService(CurrentPrincipal, payerPrincipal("acme-payer", "acme"))
const asSystem = Effect.provideService(CurrentPrincipal, system("test"))
const ret = { returnUrl: "https://portal.test/paid", cancelUrl: "https://portal.test/cancelled" }

/** The fake, the app over it, and the seeded account. */
const setup = (database: Parameters<typeof paymentsApp>[0]) =>
  Effect.gen(function* () {
    const stripe = yield* fakeStripe()
    const app = yield* Layer.build(
      paymentsApp(
        database,
        settingsFor({
          kind: "stripe",
          secretKey: stripe.secretKey,
          webhookSecret: stripe.webhookSecret,
          apiBaseUrl: stripe.server.origin
        })
      )
    )
    yield* seed({
      accountId: "acme",
      invoices: [
        { id: "inv-1", accountId: "acme", total: 10_000, dueDate: "2026-01-31" },
        { id: "inv-2", accountId: "acme", total: 5_050, dueDate: "2026-02-28" },
        { id: "inv-3", accountId: "acme", total: 2_500, dueDate: "2026-03-31" }
      ]
    }).pipe(asSystem, Effect.provideContext(app))
    return { stripe, app }
  })

const invoiceRow = (id: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ status: string; open_minor: string | number; paid_minor: string | number }>`
      select status, open_minor, paid_minor from portico.invoices where id = ${id}`
    const row = rows[0]
    return row === undefined
      ? undefined
      : { status: row.status, open: Number(row.open_minor), paid: Number(row.paid_minor) }
  })

const eventCount = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ n: string | number }>`select count(*) as n from portico.invoice_events`
  return Number(rows[0]?.n ?? 0)
})

for (const backend of await backends()) {
  describe.skipIf(!backend.availability.available)(`payments through Stripe on ${backend.name}`, () => {
    it.effect(
      "pays two invoices in one checkout; the signed webhook settles both, audits, and the job renders a receipt",
      () =>
        Effect.gen(function* () {
          const { stripe, app } = yield* setup(backend.layer(migrations))
          const payments = Context.get(app, Payments)
          const started = yield* payments
            .startCheckout({
              accountId,
              selection: {
                _tag: "Invoices",
                invoices: [{ invoiceId: InvoiceId.make("inv-1") }, { invoiceId: InvoiceId.make("inv-2") }]
              },
              ...ret
            })
            .pipe(asPayer)
          assert.deepStrictEqual(started.amount, { currency: EUR, minor: 15_050 })
          const session = stripe.sessions()[0]
          assert.strictEqual(session?.amount_total, 15_050)
          assert.strictEqual(session?.currency, "eur")
          assert.strictEqual(started.checkoutUrl, session?.url)
          const delivery = stripe.sign(stripe.complete(session?.id ?? ""), 0)
          const outcome = yield* payments.handleWebhook({
            headers: delivery.headers,
            body: new TextEncoder().encode(delivery.body)
          })
          assert.strictEqual(outcome._tag, "Settled")
          const [one, two, three] = yield* Effect.all([
            invoiceRow("inv-1"),
            invoiceRow("inv-2"),
            invoiceRow("inv-3")
          ]).pipe(Effect.provideContext(app))
          assert.deepStrictEqual(one, { status: "paid", open: 0, paid: 10_000 })
          assert.deepStrictEqual(two, { status: "paid", open: 0, paid: 5_050 })
          assert.deepStrictEqual(three, { status: "open", open: 2_500, paid: 0 })
          const entries = yield* Context.get(app, AuditLog).entries("acme").pipe(asSystem)
          const payment = entries.find((e) => e.action === "payment")
          assert.strictEqual(payment?.outcome, "success")
          assert.deepStrictEqual(
            payment?.records.map((r) => r.id),
            [`portal-${started.intentId}`, "inv-1", "inv-2"]
          )
          assert.strictEqual(yield* JobWorker.drain("w").pipe(Effect.provideContext(app)), 2)
          const receipt = yield* payments.receipt(`portal-${started.intentId}`).pipe(asPayer)
          const html = new TextDecoder().decode(receipt.content)
          assert.strictEqual(receipt.contentType, "text/html; charset=utf-8")
          assert.include(html, "INV-1")
          assert.include(html, "INV-2")
          assert.include(html, "150.50")
        }).pipe(Effect.scoped),
      120_000
    )

    it.effect(
      "a webhook delivered twice, late, or out of order changes nothing the second time; a forged one is refused and audited",
      () =>
        Effect.gen(function* () {
          const { stripe, app } = yield* setup(backend.layer(migrations))
          const payments = Context.get(app, Payments)
          yield* payments
            .startCheckout({
              accountId,
              selection: { _tag: "Invoices", invoices: [{ invoiceId: InvoiceId.make("inv-1") }] },
              ...ret
            })
            .pipe(asPayer)
          const sessionId = String(stripe.sessions()[0]?.id)
          const completed = stripe.complete(sessionId)
          const deliver = (event: ReturnType<typeof stripe.complete>, at: number, secret?: string) => {
            const signed = stripe.sign(event, at, secret)
            return payments.handleWebhook({ headers: signed.headers, body: new TextEncoder().encode(signed.body) })
          }
          assert.strictEqual((yield* deliver(completed, 0))._tag, "Settled")
          const events = yield* eventCount.pipe(Effect.provideContext(app))
          assert.strictEqual((yield* deliver(completed, 0))._tag, "AlreadySettled")
          // a late redelivery (Stripe re-signs with the time of the retry) and an out-of-order "expired"
          assert.strictEqual((yield* deliver(completed, 200))._tag, "AlreadySettled")
          assert.strictEqual((yield* deliver(stripe.expire(sessionId), 250))._tag, "AlreadySettled")
          assert.strictEqual(yield* eventCount.pipe(Effect.provideContext(app)), events)
          assert.deepStrictEqual(yield* invoiceRow("inv-1").pipe(Effect.provideContext(app)), {
            status: "paid",
            open: 0,
            paid: 10_000
          })
          const forged = yield* Effect.flip(deliver(completed, 0, "whsec_attacker"))
          assert.strictEqual(forged._tag, "WebhookRejected")
          yield* TestClock.adjust("1000 seconds")
          const stale = yield* Effect.flip(deliver(completed, 1000 - 301))
          assert.strictEqual(
            stale._tag === "WebhookRejected" ? stale.reason : "",
            "timestamp outside the tolerance zone"
          )
          const tampered = stripe.sign(completed, 1000)
          const rejected = yield* Effect.flip(
            payments.handleWebhook({
              headers: tampered.headers,
              body: new TextEncoder().encode(tampered.body.replace('"amount_total":10000', '"amount_total":1'))
            })
          )
          assert.strictEqual(rejected._tag, "WebhookRejected")
          assert.notStrictEqual(tampered.body.replace('"amount_total":10000', '"amount_total":1'), tampered.body)
          const denied = (yield* Context.get(app, AuditLog).entries(null).pipe(asSystem)).filter(
            (e) => e.action === "payment-webhook"
          )
          assert.deepStrictEqual(
            denied.map((e) => [e.outcome, e.reason]),
            [
              ["denied", "stripe: no signature matches the payload"],
              ["denied", "stripe: timestamp outside the tolerance zone"],
              ["denied", "stripe: no signature matches the payload"]
            ]
          )
        }).pipe(Effect.scoped),
      120_000
    )

    it.effect(
      "partial payments respect the minimum; an advance payment becomes credit, applied to a later invoice",
      () =>
        Effect.gen(function* () {
          const { stripe, app } = yield* setup(backend.layer(migrations))
          const payments = Context.get(app, Payments)
          const pay = (selection: Parameters<typeof payments.startCheckout>[0]["selection"]) =>
            Effect.gen(function* () {
              const started = yield* payments.startCheckout({ accountId, selection, ...ret }).pipe(asPayer)
              const session = stripe.sessions().find((s) => s.client_reference_id === started.intentId)
              const signed = stripe.sign(stripe.complete(String(session?.id)), 0)
              yield* payments.handleWebhook({ headers: signed.headers, body: new TextEncoder().encode(signed.body) })
              return started
            })
          const tooSmall = yield* Effect.flip(
            payments
              .startCheckout({
                accountId,
                selection: {
                  _tag: "Invoices",
                  invoices: [{ invoiceId: InvoiceId.make("inv-1"), amount: { currency: EUR, minor: 999 } }]
                },
                ...ret
              })
              .pipe(asPayer)
          )
          assert.strictEqual(tooSmall._tag, "PartialBelowMinimum")
          yield* pay({
            _tag: "Invoices",
            invoices: [{ invoiceId: InvoiceId.make("inv-1"), amount: { currency: EUR, minor: 4_000 } }]
          })
          assert.deepStrictEqual(yield* invoiceRow("inv-1").pipe(Effect.provideContext(app)), {
            status: "partially-paid",
            open: 6_000,
            paid: 4_000
          })
          // 20,000 against 6,000 + 5,050 + 2,500 open: oldest due first, 6,450 left as credit
          yield* pay({ _tag: "Amount", amount: { currency: EUR, minor: 20_000 } })
          const credit = yield* payments.openCredit(accountId).pipe(asPayer)
          assert.deepStrictEqual(credit, [{ currency: EUR, minor: 6_450 }])
          yield* seed({
            accountId: "acme",
            invoices: [{ id: "inv-4", accountId: "acme", total: 7_000, dueDate: "2026-04-30" }]
          }).pipe(asSystem, Effect.provideContext(app))
          const applied = yield* payments.applyCredit(accountId, EUR).pipe(asPayer)
          assert.deepStrictEqual(applied, { currency: EUR, minor: 6_450 })
          assert.deepStrictEqual(yield* invoiceRow("inv-4").pipe(Effect.provideContext(app)), {
            status: "partially-paid",
            open: 550,
            paid: 6_450
          })
          assert.deepStrictEqual(yield* payments.openCredit(accountId).pipe(asPayer), [])
        }).pipe(Effect.scoped),
      120_000
    )

    it.effect(
      "a refund comes out of the payment's credit first, then off its last invoice, through Stripe, once per key",
      () =>
        Effect.gen(function* () {
          const { stripe, app } = yield* setup(backend.layer(migrations))
          const payments = Context.get(app, Payments)
          const started = yield* payments
            .startCheckout({
              accountId,
              selection: { _tag: "Amount", amount: { currency: EUR, minor: 20_000 } },
              ...ret
            })
            .pipe(asPayer)
          const signed = stripe.sign(stripe.complete(String(stripe.sessions()[0]?.id)), 0)
          yield* payments.handleWebhook({ headers: signed.headers, body: new TextEncoder().encode(signed.body) })
          assert.deepStrictEqual(yield* payments.openCredit(accountId).pipe(asPayer), [{ currency: EUR, minor: 2_450 }])
          const paymentId = `portal-${started.intentId}`
          const request = { paymentId, amount: { currency: EUR, minor: 3_000 }, idempotencyKey: "refund-1" }
          const denied = yield* Effect.flip(payments.refund(request).pipe(asPayer))
          assert.strictEqual(denied._tag, "PermissionDenied")
          const after = yield* payments.refund(request).pipe(asSystem)
          assert.deepStrictEqual(after.amount, { currency: EUR, minor: 17_000 })
          assert.deepStrictEqual(yield* payments.openCredit(accountId).pipe(asPayer), [])
          assert.deepStrictEqual(yield* invoiceRow("inv-3").pipe(Effect.provideContext(app)), {
            status: "partially-paid",
            open: 550,
            paid: 1_950
          })
          assert.deepStrictEqual(yield* invoiceRow("inv-1").pipe(Effect.provideContext(app)), {
            status: "paid",
            open: 0,
            paid: 10_000
          })
          yield* payments.refund(request).pipe(asSystem)
          assert.deepStrictEqual(
            stripe.refunds().map((r) => r.amount),
            [3_000]
          )
          assert.deepStrictEqual(yield* invoiceRow("inv-3").pipe(Effect.provideContext(app)), {
            status: "partially-paid",
            open: 550,
            paid: 1_950
          })
          const tooMuch = yield* Effect.flip(
            payments
              .refund({ paymentId, amount: { currency: EUR, minor: 17_001 }, idempotencyKey: "refund-2" })
              .pipe(asSystem)
          )
          assert.strictEqual(tooMuch._tag, "PaymentRequestInvalid")
          const entries = yield* Context.get(app, AuditLog).entries("acme").pipe(asSystem)
          assert.deepStrictEqual(
            entries.filter((e) => e.action === "payment-refunded").map((e) => e.records.map((r) => r.id)),
            [[paymentId, "inv-3"]]
          )
        }).pipe(Effect.scoped),
      120_000
    )

    it.effect(
      "AutoPay through Stripe: a setup session saves the card; the charge takes whole due invoices up to the maximum",
      () =>
        Effect.gen(function* () {
          const { stripe, app } = yield* setup(backend.layer(migrations))
          const payments = Context.get(app, Payments)
          const autoPay = Context.get(app, AutoPay)
          yield* autoPay.startSaveMethod({ accountId, ...ret }).pipe(asPayer)
          const session = stripe.sessions().find((x) => x.mode === "setup")
          assert.strictEqual(typeof session?.customer, "string")
          const signed = stripe.sign(stripe.complete(String(session?.id), { card: "1881" }), 0)
          const saved = yield* payments.handleWebhook({
            headers: signed.headers,
            body: new TextEncoder().encode(signed.body)
          })
          assert.strictEqual(saved._tag, "MethodSaved")
          const methods = yield* autoPay.methods(accountId).pipe(asPayer)
          assert.deepStrictEqual(
            methods.map((m) => m.label),
            ["visa •••• 1881"]
          )
          const refused = yield* Effect.flip(
            autoPay.enrol({ accountId, methodId: "pm-unknown", maxAmount: { currency: EUR, minor: 1 } }).pipe(asPayer)
          )
          assert.strictEqual(refused._tag, "PaymentRecordNotFound")
          yield* autoPay
            .enrol({ accountId, methodId: String(methods[0]?.id), maxAmount: { currency: EUR, minor: 12_000 } })
            .pipe(asPayer)
          // on 2026-02-01 only inv-1 (due 01-31) is due
          const first = yield* autoPay.charge("acme", localDate("2026-02-01"))
          assert.strictEqual(first?._tag, "Settled")
          // on 2026-03-31 inv-2 (5,050) and inv-3 (2,500) are due, 7,550 fits under 12,000
          const second = yield* autoPay.charge("acme", localDate("2026-03-31"))
          assert.strictEqual(second?._tag, "Settled")
          assert.deepStrictEqual(
            yield* Effect.all([invoiceRow("inv-1"), invoiceRow("inv-2"), invoiceRow("inv-3")]).pipe(
              Effect.provideContext(app)
            ),
            [
              { status: "paid", open: 0, paid: 10_000 },
              { status: "paid", open: 0, paid: 5_050 },
              { status: "paid", open: 0, paid: 2_500 }
            ]
          )
          // a repeated run of the same day is answered from the intent, charging nothing again
          const again = yield* autoPay.charge("acme", localDate("2026-03-31"))
          assert.strictEqual(again?._tag, "AlreadySettled")
          yield* seed({
            accountId: "acme",
            invoices: [{ id: "inv-9", accountId: "acme", total: 12_001, dueDate: "2026-04-30" }]
          }).pipe(asSystem, Effect.provideContext(app))
          assert.strictEqual(yield* autoPay.charge("acme", localDate("2026-05-01")), undefined, "over the maximum")
          const intents = stripe.sessions().length
          assert.strictEqual(intents, 1, "AutoPay charges off-session, without checkout sessions")
        }).pipe(Effect.scoped),
      120_000
    )

    it.effect(
      "the same idempotency key gives the same checkout; Stripe replays a repeated create and refuses other parameters",
      () =>
        Effect.gen(function* () {
          const { stripe, app } = yield* setup(backend.layer(migrations))
          const payments = Context.get(app, Payments)
          const request = {
            accountId,
            selection: { _tag: "Invoices" as const, invoices: [{ invoiceId: InvoiceId.make("inv-3") }] },
            idempotencyKey: "click-1",
            ...ret
          }
          const first = yield* payments.startCheckout(request).pipe(asPayer)
          const second = yield* payments.startCheckout(request).pipe(asPayer)
          assert.deepStrictEqual(second, first)
          assert.strictEqual(stripe.sessions().length, 1)
          const body = "mode=payment"
          const post = (payload: string) =>
            Effect.promise(() =>
              fetch(`${stripe.server.origin}/v1/customers`, {
                method: "POST",
                headers: {
                  authorization: `Bearer ${stripe.secretKey}`,
                  "content-type": "application/x-www-form-urlencoded",
                  "idempotency-key": "k-1"
                },
                body: payload
              }).then(async (r) => ({
                status: r.status,
                replayed: r.headers.get("idempotent-replayed"),
                body: await r.text()
              }))
            )
          const a = yield* post(`${body}&email=a%40x.test`)
          const b = yield* post(`${body}&email=a%40x.test`)
          const c = yield* post(`${body}&email=b%40x.test`)
          assert.strictEqual(a.status, 200)
          assert.deepStrictEqual([b.status, b.replayed, b.body], [200, "true", a.body])
          assert.strictEqual(c.status, 400)
          assert.include(c.body, "idempotency_error")
          const unauthorized = yield* Effect.promise(() =>
            fetch(`${stripe.server.origin}/v1/checkout/sessions/x`, { headers: { authorization: "Bearer sk_wrong" } })
          )
          assert.strictEqual(unauthorized.status, 401)
        }).pipe(Effect.scoped),
      120_000
    )
  })
}
