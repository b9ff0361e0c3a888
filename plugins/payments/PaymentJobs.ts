// The jobs a confirmed payment sets off, enqueued in the transaction that records it (so they exist exactly
// when the payment does): render its receipt through the renderer registry, and post it to the ERP when the
// adapter can write back. Both are idempotent: a receipt is stored once, a write-back records the ERP's id.
import { Effect, Option, Schema, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { CurrentPrincipal, system } from "../../core/access/Principal.ts"
import { Account } from "../../core/domain/Account.ts"
import { ErpAdapter } from "../../core/erp/ErpAdapter.ts"
import { defineJob } from "../../core/jobs/Job.ts"
import { locale as toLocale } from "../../core/render/Locale.ts"
import { Renderers } from "../../core/render/Renderers.ts"
import { defaultTheme } from "../../core/render/Theme.ts"
import { paymentReceiptViewModel } from "../../core/render/ViewModels.ts"
import { Store } from "../../core/store/Store.ts"
import { PaymentLedger } from "./PaymentLedger.ts"
import { PaymentsSettings } from "./PaymentsSettings.ts"

const PaymentJob = Schema.Struct({ paymentId: Schema.String })

const AccountRow = Schema.Struct({
  id: Schema.String,
  source: Schema.String,
  external_id: Schema.String,
  number: Schema.String,
  name: Schema.String,
  tier: Schema.String,
  currency: Schema.String,
  email: Schema.NullOr(Schema.String)
})
const decodeAccountRows = Schema.decodeUnknownSync(Schema.Array(AccountRow))
const decodeAccount = Schema.decodeUnknownSync(Account)

/** Runs `effect` as the system in one transaction. */
const asSystem = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Store, (store) => store.withScope(effect)).pipe(
    Effect.provideService(CurrentPrincipal, system("payments"))
  )

const concat = (chunks: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.byteLength
  }
  return out
}

/** `payments/receipt`: renders the payment's receipt (format and locale from the settings) and stores it. */
export const receiptJob = defineJob({
  kind: "payments/receipt",
  payload: PaymentJob,
  retry: { maxAttempts: 8, base: "30 seconds" },
  run: ({ paymentId }) =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const ledger = yield* PaymentLedger
      const settings = yield* PaymentsSettings
      const renderers = yield* Renderers
      const found = yield* asSystem(
        Effect.gen(function* () {
          const done = yield* sql`select 1 from portico.payment_receipts where payment_id = ${paymentId}`
          if (done.length > 0) return undefined
          const payment = yield* ledger.payment(paymentId)
          if (payment === undefined) return undefined
          const accounts = decodeAccountRows(
            yield* sql`select id, source, external_id, number, name, tier, currency, email from portico.accounts
              where id = ${payment.accountId}`
          )
          const numbers = yield* sql<{ id: string; number: string }>`select id, number from portico.invoices
            where id = any(${payment.allocations.map((a) => a.invoiceId)}::text[])`
          return { payment, account: accounts[0], numbers: new Map(numbers.map((row) => [row.id, row.number])) }
        })
      )
      if (found === undefined || found.account === undefined) return
      const row = found.account
      const account = decodeAccount({
        id: row.id,
        source: { source: row.source, externalId: row.external_id },
        number: row.number,
        name: row.name,
        tier: row.tier,
        currency: row.currency,
        ...(row.email === null ? {} : { email: row.email })
      })
      const view = paymentReceiptViewModel(found.payment, account, (id) => found.numbers.get(id))
      if (view._tag === "Failure") return yield* Effect.fail(view.failure)
      const rendered = yield* renderers.render(settings.receiptFormat, {
        document: view.success,
        theme: defaultTheme,
        locale: toLocale(settings.receiptLocale)
      })
      const bytes =
        rendered.body._tag === "Bytes" ? rendered.body.bytes : concat(yield* Stream.runCollect(rendered.body.stream))
      yield* asSystem(
        sql`insert into portico.payment_receipts (payment_id, account_id, format, file_name, content_type, content,
            created_at)
          values (${paymentId}, ${found.payment.accountId}, ${rendered.format}, ${rendered.fileName},
            ${rendered.contentType}, ${bytes}, now())
          on conflict (payment_id) do nothing`
      )
    })
})

/**
 * `payments/erp-write-back`: posts the payment to the ERP when the adapter has `writeBack` (and records the
 * id the ERP gave it); without such an adapter it does nothing. A retryable ERP error retries the job.
 */
export const writeBackJob = defineJob({
  kind: "payments/erp-write-back",
  payload: PaymentJob,
  retry: { maxAttempts: 10, base: "1 minute", max: "6 hours" },
  run: ({ paymentId }) =>
    Effect.gen(function* () {
      const adapter = yield* Effect.serviceOption(ErpAdapter)
      if (Option.isNone(adapter) || adapter.value.writeBack === undefined) return
      const writeBack = adapter.value.writeBack
      const sql = yield* SqlClient.SqlClient
      const ledger = yield* PaymentLedger
      const pending = yield* asSystem(
        Effect.gen(function* () {
          const rows = yield* sql<{ erp_external_id: string | null }>`select erp_external_id
            from portico.payment_intents where payment_id = ${paymentId}`
          if (rows[0]?.erp_external_id) return undefined
          return yield* ledger.payment(paymentId)
        })
      )
      if (pending === undefined) return
      const result = yield* writeBack({ _tag: "PostPayment", payment: pending })
      yield* asSystem(
        sql`update portico.payment_intents set erp_external_id = ${result.externalId} where payment_id = ${paymentId}`
      )
    })
})
