// The documents a customer statement is built from (core/billing/Statement.ts): an account's invoices,
// credit notes, payments with allocations, and the adjustments in its invoice histories, up to a date.
import { Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { CurrentPrincipal } from "../access/Principal.ts"
import { InvoiceEvent } from "../billing/InvoiceStateMachine.ts"
import { adjustmentsFromInvoiceEvents, type StatementDocuments } from "../billing/Statement.ts"
import { CurrencyCode } from "../domain/Currency.ts"
import { type AccountId, CreditNoteId, InvoiceId, PaymentId } from "../domain/Ids.ts"
import type { LocalDate } from "../domain/LocalDate.ts"
import { DbDate, DbMinor, decodeRows } from "./internal/rows.ts"
import { Store, serviceScope } from "./Store.ts"
import { NotFound } from "./StoreErrors.ts"

const InvoiceRow = Schema.Struct({
  id: InvoiceId,
  number: Schema.String,
  issue_date: DbDate,
  due_date: DbDate,
  currency: CurrencyCode,
  total_minor: DbMinor
})
const CreditRow = Schema.Struct({
  id: CreditNoteId,
  number: Schema.String,
  issue_date: DbDate,
  currency: CurrencyCode,
  invoice_id: Schema.NullOr(InvoiceId),
  total_minor: DbMinor
})
const PaymentRow = Schema.Struct({
  id: PaymentId,
  reference: Schema.String,
  received_date: DbDate,
  currency: CurrencyCode,
  amount_minor: DbMinor,
  allocations: Schema.Array(Schema.Struct({ invoiceId: InvoiceId, currency: CurrencyCode, minor: DbMinor }))
})
const EventRow = Schema.Struct({ invoice_id: InvoiceId, payload: Schema.Unknown })
const decodeInvoices = decodeRows(InvoiceRow)
const decodeCredits = decodeRows(CreditRow)
const decodePayments = decodeRows(PaymentRow)
const decodeEvents = decodeRows(EventRow)
const decodeEvent = Schema.decodeUnknownSync(InvoiceEvent)

/** Scoped statement inputs. */
export class Statements extends Context.Service<
  Statements,
  {
    /**
     * Everything dated on or before `through` (a statement's period end), for `balanceForwardStatement` or
     * `openItemStatement`; NotFound when the account is outside the scope.
     */
    readonly documents: (
      accountId: AccountId,
      through: LocalDate
    ) => Effect.Effect<StatementDocuments, NotFound | SqlError, CurrentPrincipal>
  }
>()("portico/core/store/Statements") {
  static readonly layer = Layer.effect(
    Statements,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store

      const documents = Effect.fn("Statements.documents")(function* (accountId: AccountId, through: LocalDate) {
        return yield* store.withScope(
          Effect.gen(function* () {
            const scope = yield* serviceScope
            const inScope = scope === undefined ? sql`true` : sql`id = any(${scope.accountIds}::text[])`
            const found = yield* sql`select 1 from portico.accounts where ${sql.and([inScope, sql`id = ${accountId}`])}`
            if (found.length === 0) return yield* new NotFound({ kind: "account", id: accountId })
            const invoices = yield* sql`select id, number, issue_date, due_date, currency, total_minor
              from portico.invoices where account_id = ${accountId} and issue_date <= ${through}::date
              order by issue_date, id`
            const credits = yield* sql`select id, number, issue_date, currency, invoice_id, total_minor
              from portico.credit_notes where account_id = ${accountId} and issue_date <= ${through}::date
              order by issue_date, id`
            const payments = yield* sql`select p.id, p.reference, p.received_date, p.currency, p.amount_minor,
                coalesce((select jsonb_agg(jsonb_build_object('invoiceId', a.invoice_id, 'currency', a.currency,
                  'minor', a.amount_minor) order by a.invoice_id)
                  from portico.payment_allocations a where a.payment_id = p.id), '[]'::jsonb) as allocations
              from portico.payments p where p.account_id = ${accountId} and p.received_date <= ${through}::date
              order by p.received_date, p.id`
            const events = yield* sql`select invoice_id, payload from portico.invoice_events
              where account_id = ${accountId} and occurred_on <= ${through}::date
                and type in ('PaymentReversed', 'WrittenOff', 'Voided')
              order by invoice_id, occurred_on, position`
            const result: StatementDocuments = {
              invoices: decodeInvoices(invoices).map((row) => ({
                id: row.id,
                number: row.number,
                issueDate: row.issue_date,
                dueDate: row.due_date,
                currency: row.currency,
                totals: { total: { currency: row.currency, minor: row.total_minor } }
              })),
              creditNotes: decodeCredits(credits).map((row) => ({
                id: row.id,
                number: row.number,
                issueDate: row.issue_date,
                currency: row.currency,
                ...(row.invoice_id === null ? {} : { invoiceId: row.invoice_id }),
                totals: { total: { currency: row.currency, minor: row.total_minor } }
              })),
              payments: decodePayments(payments).map((row) => ({
                id: row.id,
                reference: row.reference,
                receivedDate: row.received_date,
                amount: { currency: row.currency, minor: row.amount_minor },
                allocations: row.allocations.map((a) => ({
                  invoiceId: a.invoiceId,
                  amount: { currency: a.currency, minor: a.minor }
                }))
              })),
              adjustments: decodeEvents(events).flatMap((row) =>
                adjustmentsFromInvoiceEvents(row.invoice_id, [decodeEvent(row.payload)])
              )
            }
            return result
          })
        )
      })

      return Statements.of({ documents })
    })
  )
}
