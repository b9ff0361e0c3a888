// Payments through the fake Mollie on PGlite: everything open in one payment, settled from a webhook that
// carries only the id (the payment is fetched); repeats change nothing, a forged id is refused and audited,
// a failed payment leaves the invoices open. AutoPay: a saved mandate, enrolment with a maximum, the daily run
// charging what is due (once, whatever the repeats), early payment respected, leaving at once.
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { TestClock } from "effect/testing"
import { FeatureGates } from "../../../core/access/FeatureGates.ts"
import { CurrentPrincipal, system } from "../../../core/access/Principal.ts"
import { AuditLog } from "../../../core/audit/AuditLog.ts"
import { CurrencyCode } from "../../../core/domain/Currency.ts"
import { AccountId, InvoiceId } from "../../../core/domain/Ids.ts"
import { JobQueue } from "../../../core/jobs/JobQueue.ts"
import * as JobWorker from "../../../core/jobs/JobWorker.ts"
import { AutoPay } from "../../../plugins/payments/AutoPay.ts"
import { Payments } from "../../../plugins/payments/Payments.ts"
import { pglite } from "../../support/Databases.ts"
import { fakeMollie } from "./FakeMollie.ts"
import { migrations, payerPrincipal, paymentsApp, seed, settingsFor } from "./support/PaymentsHarness.ts"

const accountId = AccountId.make("acme")
const EUR = CurrencyCode.make("EUR")
const asPayer = Effect.provideService(CurrentPrincipal, payerPrincipal("acme-payer", "acme"))
const asSystem = Effect.provideService(CurrentPrincipal, system("test"))
const ret = { returnUrl: "https://portal.test/paid", cancelUrl: "https://portal.test/cancelled" }
const form = (body: string) => ({
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new TextEncoder().encode(body)
})

const setup = Effect.gen(function* () {
  const mollie = yield* fakeMollie()
  const app = yield* Layer.build(
    paymentsApp(
      pglite(migrations),
      settingsFor({
        kind: "mollie",
        apiKey: mollie.apiKey,
        webhookUrl: "https://portal.test/webhooks/payments/mollie",
        apiBaseUrl: mollie.server.origin
      })
    )
  )
  yield* seed({
    accountId: "acme",
    invoices: [
      { id: "inv-1", accountId: "acme", total: 10_000, issueDate: "1970-01-01", dueDate: "1970-01-05" },
      { id: "inv-2", accountId: "acme", total: 5_050, issueDate: "1970-01-01", dueDate: "1970-01-10" },
      { id: "inv-3", accountId: "acme", total: 2_500, issueDate: "1970-01-01", dueDate: "1970-01-20" }
    ]
  }).pipe(asSystem, Effect.provideContext(app))
  return { mollie, app }
})

const statuses = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ id: string; status: string }>`select id, status from portico.invoices order by id`
  return rows.map((row) => `${row.id}:${row.status}`)
})

describe("payments through Mollie", () => {
  it.effect(
    "settles from an id-only webhook by fetching the payment; repeats change nothing; a forged id is refused and audited",
    () =>
      Effect.gen(function* () {
        const { mollie, app } = yield* setup
        const payments = Context.get(app, Payments)
        const started = yield* payments
          .startCheckout({ accountId, selection: { _tag: "AllOpen", currency: EUR }, ...ret })
          .pipe(asPayer)
        const created = mollie.payments()[0]
        assert.deepStrictEqual(created?.amount, { currency: "EUR", value: "175.50" })
        assert.deepStrictEqual(created?.metadata, { reference: started.intentId, invoices: "INV-1,INV-2,INV-3" })
        assert.strictEqual(created?.webhookUrl, "https://portal.test/webhooks/payments/mollie")
        // before the payer pays, a webhook (Mollie also posts on status changes) settles nothing
        assert.strictEqual((yield* payments.handleWebhook(form(`id=${String(created?.id)}`)))._tag, "NotPaid")
        const body = mollie.settle(String(created?.id))
        assert.strictEqual((yield* payments.handleWebhook(form(body)))._tag, "Settled")
        assert.deepStrictEqual(yield* statuses.pipe(Effect.provideContext(app)), [
          "inv-1:paid",
          "inv-2:paid",
          "inv-3:paid"
        ])
        assert.strictEqual((yield* payments.handleWebhook(form(body)))._tag, "AlreadySettled")
        const forged = yield* Effect.flip(payments.handleWebhook(form("id=tr_forged123")))
        assert.strictEqual(forged._tag, "WebhookRejected")
        const empty = yield* Effect.flip(payments.handleWebhook(form("status=paid")))
        assert.strictEqual(empty._tag, "WebhookRejected")
        const denied = (yield* Context.get(app, AuditLog).entries(null).pipe(asSystem)).map((e) => [
          e.action,
          e.outcome,
          e.reason
        ])
        assert.deepStrictEqual(denied, [
          ["payment-webhook", "denied", "mollie: no such payment tr_forged123"],
          ["payment-webhook", "denied", "mollie: the body carries no payment id"]
        ])
      }).pipe(Effect.scoped),
    120_000
  )

  it.effect(
    "a failed payment leaves the invoices open; a retried create is answered from the idempotency key",
    () =>
      Effect.gen(function* () {
        const { mollie, app } = yield* setup
        const payments = Context.get(app, Payments)
        yield* payments
          .startCheckout({
            accountId,
            selection: { _tag: "Invoices", invoices: [{ invoiceId: InvoiceId.make("inv-2") }] },
            ...ret
          })
          .pipe(asPayer)
        const created = String(mollie.payments()[0]?.id)
        const outcome = yield* payments.handleWebhook(form(mollie.settle(created, "failed")))
        assert.deepStrictEqual(outcome._tag === "NotPaid" ? outcome.status : outcome._tag, "failed")
        assert.deepStrictEqual(yield* statuses.pipe(Effect.provideContext(app)), [
          "inv-1:open",
          "inv-2:open",
          "inv-3:open"
        ])
        const replay = yield* Effect.promise(async () => {
          const send = () =>
            fetch(`${mollie.server.origin}/v2/customers`, {
              method: "POST",
              headers: {
                authorization: `Bearer ${mollie.apiKey}`,
                "idempotency-key": "same",
                "content-type": "application/json"
              },
              body: JSON.stringify({ name: "A", email: "a@x.test" })
            }).then((r) => r.json())
          return [await send(), await send()]
        })
        assert.deepStrictEqual(replay[0], replay[1])
      }).pipe(Effect.scoped),
    120_000
  )

  it.effect(
    "AutoPay charges what is due up to the maximum, once per day, respects early payment, and stops when left",
    () =>
      Effect.gen(function* () {
        const { mollie, app } = yield* setup
        const payments = Context.get(app, Payments)
        const autoPay = Context.get(app, AutoPay)
        const queue = Context.get(app, JobQueue)
        const saving = yield* autoPay.startSaveMethod({ accountId, ...ret }).pipe(asPayer)
        const first = mollie.payments().find((p) => p.sequenceType === "first")
        assert.deepStrictEqual(first?.amount, { currency: "EUR", value: "0.00" })
        assert.strictEqual(saving.checkoutUrl, `${mollie.server.origin}/checkout/${String(first?.id)}`)
        const saved = yield* payments.handleWebhook(form(mollie.settle(String(first?.id))))
        assert.strictEqual(saved._tag, "MethodSaved")
        const [method] = yield* autoPay.methods(accountId).pipe(asPayer)
        assert.strictEqual(method?.label, "creditcard")
        yield* autoPay
          .enrol({ accountId, methodId: String(method?.id), maxAmount: { currency: EUR, minor: 12_000 } })
          .pipe(asPayer)
        // the payer pays inv-2 early, before AutoPay's day comes
        yield* payments
          .startCheckout({
            accountId,
            selection: { _tag: "Invoices", invoices: [{ invoiceId: InvoiceId.make("inv-2") }] },
            ...ret
          })
          .pipe(asPayer)
        const early = mollie.payments().find((p) => p.sequenceType === "oneoff")
        yield* payments.handleWebhook(form(mollie.settle(String(early?.id))))
        // day 12 (1970-01-13): inv-1 (due 01-05) is due, inv-2 is paid, inv-3 (due 01-20) is not due yet
        yield* TestClock.setTime(12 * 86_400_000 + 7 * 3_600_000)
        assert.strictEqual(yield* autoPay.runDue, 1)
        assert.strictEqual(yield* autoPay.runDue, 1, "a second run the same day enqueues nothing new")
        // the charge, and the receipt and write-back jobs of the early payment and of the AutoPay payment
        assert.strictEqual(yield* JobWorker.drain("w").pipe(Effect.provideContext(app)), 5)
        const recurring = mollie.payments().filter((p) => p.sequenceType === "recurring")
        assert.deepStrictEqual(
          recurring.map((p) => p.amount),
          [{ currency: "EUR", value: "100.00" }]
        )
        assert.deepStrictEqual(yield* statuses.pipe(Effect.provideContext(app)), [
          "inv-1:paid",
          "inv-2:paid",
          "inv-3:open"
        ])
        const charges = yield* queue.list({ kind: "payments/autopay-charge" })
        assert.deepStrictEqual(
          charges.map((job) => job.status),
          ["succeeded"]
        )
        // day 30: inv-3 is due, but the account left AutoPay
        yield* autoPay.leave(accountId).pipe(asPayer)
        yield* TestClock.setTime(30 * 86_400_000)
        assert.strictEqual(yield* autoPay.runDue, 0)
        assert.strictEqual(mollie.payments().filter((p) => p.sequenceType === "recurring").length, 1)
        assert.strictEqual(yield* autoPay.enrolment(accountId).pipe(asPayer), undefined)
      }).pipe(Effect.scoped),
    120_000
  )

  it.effect(
    "is switched off for a tier whose features leave payments out",
    () =>
      Effect.gen(function* () {
        const mollie = yield* fakeMollie()
        const gates = FeatureGates.layer({ default: ["statements"], tiers: {} })
        const app = yield* Layer.build(
          paymentsApp(
            pglite(migrations),
            settingsFor({
              kind: "mollie",
              apiKey: mollie.apiKey,
              webhookUrl: "https://portal.test/webhooks/payments/mollie",
              apiBaseUrl: mollie.server.origin
            }),
            gates
          )
        )
        yield* seed({ accountId: "acme", invoices: [{ id: "inv-1", accountId: "acme", total: 100 }] }).pipe(
          asSystem,
          Effect.provideContext(app)
        )
        const refused = yield* Effect.flip(
          Context.get(app, Payments)
            .startCheckout({ accountId, selection: { _tag: "AllOpen", currency: EUR }, ...ret })
            .pipe(asPayer)
        )
        assert.strictEqual(refused.message, 'the feature "payments" is not enabled for tier "standard"')
        assert.strictEqual(mollie.payments().length, 0)
      }).pipe(Effect.scoped),
    120_000
  )
})
