// Recording a portal payment in the store: each allocation becomes a PaymentApplied event through the
// invoice state machine (the invoice rows locked, balances and status rewritten, events appended), and the
// payment with its allocations is upserted beside the ERP's. What no invoice takes stays as account credit.
// Every call runs in the caller's transaction, which must be the system's (`Store.withScope`).
import { Context, Effect, Layer, Result, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { Fragment } from "effect/sql/Statement"
import type { CurrentPrincipal } from "../../core/access/Principal.ts"
import type { OpenInvoice } from "../../core/billing/Allocation.ts"
import {
  baseStatus,
  InvoiceEvent,
  InvoiceNotIssued,
  type InvoiceRuleViolation,
  isIssued,
  replay
} from "../../core/billing/InvoiceStateMachine.ts"
import { CurrencyCode } from "../../core/domain/Currency.ts"
import { AccountId, InvoiceId, PaymentId } from "../../core/domain/Ids.ts"
import { LocalDate } from "../../core/domain/LocalDate.ts"
import type { Money } from "../../core/domain/Money.ts"
import type { Payment } from "../../core/domain/Payment.ts"
import type { InvoiceChanged } from "../../core/events/DomainEvents.ts"
import { SyncBatches } from "../../core/store/SyncBatches.ts"
import { settlePayment } from "../../core/sync/InvoiceLedger.ts"

/** The source portal payments are recorded under, beside the ERP sources. */
export const portalPaymentSource = "portico-payments"

/** An open invoice as the payment service sees it. */
export interface PayableInvoice extends OpenInvoice {
  readonly status: string
}

/** A portal payment with some of its amount not yet on any invoice. */
export interface CreditSource {
  readonly payment: Payment
  readonly unallocated: Money
}

type Scoped<A, E = never> = Effect.Effect<A, E | SqlError, CurrentPrincipal>

const Minor = Schema.Union([Schema.BigInt, Schema.String, Schema.Number])
const OpenRow = Schema.Struct({
  id: InvoiceId,
  number: Schema.String,
  issue_date: LocalDate,
  due_date: LocalDate,
  currency: CurrencyCode,
  open_minor: Minor,
  status: Schema.String
})
const PaymentRow = Schema.Struct({
  id: PaymentId,
  account_id: AccountId,
  source: Schema.String,
  external_id: Schema.String,
  reference: Schema.String,
  received_date: LocalDate,
  currency: CurrencyCode,
  amount_minor: Minor,
  method: Schema.NullOr(Schema.String),
  allocations: Schema.Array(Schema.Struct({ invoice_id: InvoiceId, amount_minor: Minor }))
})
const HeadRow = Schema.Struct({
  id: InvoiceId,
  account_id: Schema.String,
  source: Schema.String,
  external_id: Schema.String
})
const EventRow = Schema.Struct({ invoice_id: Schema.String, payload: Schema.Unknown })
const decodeHeads = Schema.decodeUnknownSync(Schema.Array(HeadRow))
const decodeEventRows = Schema.decodeUnknownSync(Schema.Array(EventRow))
const decodeEvent = Schema.decodeUnknownSync(InvoiceEvent)
const decodeOpen = Schema.decodeUnknownSync(Schema.Array(OpenRow))
const decodePayments = Schema.decodeUnknownSync(Schema.Array(PaymentRow))

const toPayment = (row: typeof PaymentRow.Type): Payment => ({
  id: row.id,
  accountId: row.account_id,
  source: { source: row.source, externalId: row.external_id },
  reference: row.reference,
  receivedDate: row.received_date,
  amount: { currency: row.currency, minor: Number(row.amount_minor) },
  ...(row.method === null ? {} : { method: row.method }),
  allocations: row.allocations.map((a) => ({
    invoiceId: a.invoice_id,
    amount: { currency: row.currency, minor: Number(a.amount_minor) }
  }))
})

/** The state of a stored invoice from its events: the latest issue, then everything else in order. */
const stateOf = (events: ReadonlyArray<InvoiceEvent>) => {
  const issued = events.filter((event) => event._tag === "InvoiceIssued").at(-1)
  const state = replay(issued === undefined ? events : [issued, ...events.filter((e) => e._tag !== "InvoiceIssued")])
  return isIssued(state) ? Result.succeed(state) : Result.fail(new InvoiceNotIssued({ command: "apply a payment" }))
}

/** Reads and writes of portal payments. */
export class PaymentLedger extends Context.Service<
  PaymentLedger,
  {
    /** The account's invoices with something open (disputed ones included: callers decide). */
    readonly openInvoices: (accountId: string) => Scoped<ReadonlyArray<PayableInvoice>>
    /**
     * Records `payment`: each allocation brings what the payment has applied to its invoice to the allocated
     * amount (so recording a payment again, or with allocations added, applies only the difference), then
     * upserts the payment. Gives the invoices changed, as domain events.
     */
    readonly record: (payment: Payment) => Scoped<ReadonlyArray<InvoiceChanged>, InvoiceRuleViolation>
    readonly payment: (paymentId: string) => Scoped<Payment | undefined>
    /** Portal payments of the account with an unallocated rest (account credit), oldest first. */
    readonly credit: (accountId: string) => Scoped<ReadonlyArray<CreditSource>>
  }
>()("portico/plugins/payments/PaymentLedger") {
  static readonly layer = Layer.effect(
    PaymentLedger,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const batches = yield* SyncBatches

      const openInvoices = Effect.fn("PaymentLedger.openInvoices")(function* (accountId: string) {
        const rows = yield* sql`select id, number, issue_date, due_date, currency, open_minor, status
          from portico.invoices
          where account_id = ${accountId} and open_minor > 0 and status in ('open', 'partially-paid', 'disputed')
          order by due_date, issue_date, number, id`
        return decodeOpen(rows).map(
          (row): PayableInvoice => ({
            id: row.id,
            number: row.number,
            issueDate: row.issue_date,
            dueDate: row.due_date,
            open: { currency: row.currency, minor: Number(row.open_minor) },
            status: row.status
          })
        )
      })

      /** The invoices among `ids` with their recorded events, in the order they were recorded. */
      const storedInvoices = Effect.fnUntraced(function* (ids: ReadonlyArray<string>) {
        const heads = decodeHeads(
          yield* sql`select id, account_id, source, external_id from portico.invoices where id = any(${ids}::text[])`
        )
        const events = decodeEventRows(
          yield* sql`select invoice_id, payload from portico.invoice_events where invoice_id = any(${ids}::text[])
            order by position`
        )
        return new Map(
          heads.map((head) => [
            head.id as string,
            {
              id: head.id,
              accountId: head.account_id,
              source: head.source,
              externalId: head.external_id,
              events: events.filter((row) => row.invoice_id === head.id).map((row) => decodeEvent(row.payload))
            }
          ])
        )
      })

      const record = Effect.fn("PaymentLedger.record")(function* (payment: Payment) {
        const ids = payment.allocations.map((allocation) => allocation.invoiceId)
        // Lock the invoices: a sync batch or another payment on them waits for this one to commit.
        if (ids.length > 0) yield* sql`select id from portico.invoices where id = any(${ids}::text[]) for update`
        const stored = yield* storedInvoices(ids)
        const changed: Array<InvoiceChanged> = []
        const writes = []
        for (const allocation of payment.allocations) {
          const invoice = stored.get(allocation.invoiceId)
          if (invoice === undefined) return yield* new InvoiceNotIssued({ command: "apply a payment" })
          const state = stateOf(invoice.events)
          if (Result.isFailure(state)) return yield* state.failure
          const settled = settlePayment(state.success, payment.id, allocation.amount.minor, payment.receivedDate)
          if (Result.isFailure(settled)) return yield* settled.failure
          if (settled.success.events.length === 0) continue
          writes.push({ invoiceId: invoice.id, accountId: invoice.accountId, state: settled.success.state })
          changed.push({
            _tag: "InvoiceChanged",
            change: "updated",
            invoiceId: allocation.invoiceId,
            accountId: payment.accountId,
            source: { source: invoice.source, externalId: invoice.externalId },
            status: baseStatus(settled.success.state),
            open: settled.success.state.open,
            events: settled.success.events
          })
        }
        yield* batches.updateInvoiceStates(writes)
        // an allocation brought to zero (a refund) has been reversed above; the stored payment drops it
        yield* batches.upsertPayments([
          { ...payment, allocations: payment.allocations.filter((a) => a.amount.minor > 0) }
        ])
        return changed
      })

      const payments = (where: Fragment) =>
        sql`select p.id, p.account_id, p.source, p.external_id, p.reference, p.received_date, p.currency,
            p.amount_minor, p.method,
            coalesce((select json_agg(json_build_object('invoice_id', a.invoice_id, 'amount_minor', a.amount_minor)
              order by a.invoice_id) from portico.payment_allocations a where a.payment_id = p.id), '[]'::json)
              as allocations
          from portico.payments p where ${where}
          order by p.received_date, p.id`.pipe(Effect.map((rows) => decodePayments(rows).map(toPayment)))

      const payment = Effect.fn("PaymentLedger.payment")(function* (paymentId: string) {
        return (yield* payments(sql`p.id = ${paymentId}`))[0]
      })

      const credit = Effect.fn("PaymentLedger.credit")(function* (accountId: string) {
        const all = yield* payments(sql`p.account_id = ${accountId} and p.source = ${portalPaymentSource}`)
        return all.flatMap((p): ReadonlyArray<CreditSource> => {
          const allocated = p.allocations.reduce((sum, a) => sum + a.amount.minor, 0)
          const rest = p.amount.minor - allocated
          return rest > 0 ? [{ payment: p, unallocated: { currency: p.amount.currency, minor: rest } }] : []
        })
      })

      return PaymentLedger.of({ openInvoices, record, payment, credit })
    })
  ).pipe(Layer.provide(SyncBatches.layer))
}
