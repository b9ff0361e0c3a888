// The portal's invoice reads, always scoped: the filtered, sorted list with keyset pagination (and an OFFSET
// variant kept only to benchmark against), and one invoice's detail with lines, taxes, payments, credit
// notes, documents and history. A guessed or foreign id is NotFound, never data.
import { Context, Effect, Layer, Result, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { Fragment } from "effect/sql/Statement"
import type { CurrentPrincipal } from "../access/Principal.ts"
import { InvoiceEvent, InvoiceStatus, InvoiceStatusAsOf } from "../billing/InvoiceStateMachine.ts"
import { CurrencyCode } from "../domain/Currency.ts"
import { AccountId, CreditNoteId, DocumentId, InvoiceId, PaymentId } from "../domain/Ids.ts"
import { DocumentLine, type Invoice, TaxLine } from "../domain/Invoice.ts"
import { LocalDate } from "../domain/LocalDate.ts"
import { Money } from "../domain/Money.ts"
import {
  containsPattern,
  decodeCursor,
  defaultLimit,
  defaultSort,
  encodeCursor,
  type InvoiceQuery,
  type InvoiceSortField
} from "./InvoiceQuery.ts"
import { DbDate, DbMinor, DbText, decodeRows } from "./internal/rows.ts"
import { type ServiceScope, Store, serviceScope } from "./Store.ts"
import { type InvalidCursor, NotFound } from "./StoreErrors.ts"

/** One row of the invoice list. */
export const InvoiceSummary = Schema.Struct({
  id: InvoiceId,
  accountId: AccountId,
  number: Schema.String,
  poNumber: Schema.NullOr(Schema.String),
  issueDate: LocalDate,
  dueDate: LocalDate,
  currency: CurrencyCode,
  total: Money,
  paid: Money,
  credited: Money,
  writtenOff: Money,
  open: Money,
  /** The persisted, date-free status. */
  status: InvoiceStatus,
  /** The status as of the query's `asOf` ("overdue" added). */
  statusAsOf: InvoiceStatusAsOf
})
export type InvoiceSummary = typeof InvoiceSummary.Type

/** A page of the list; `nextCursor` is absent on the last page. */
export interface InvoicePage {
  readonly items: ReadonlyArray<InvoiceSummary>
  readonly nextCursor?: string
}

/** A payment's part on this invoice. */
export interface InvoicePayment {
  readonly paymentId: PaymentId
  readonly reference: string
  readonly receivedDate: LocalDate
  readonly method: string | null
  /** What the payment applied to this invoice. */
  readonly applied: Money
  /** The whole payment. */
  readonly amount: Money
}

/** A credit note on this invoice. */
export interface InvoiceCreditNote {
  readonly creditNoteId: CreditNoteId
  readonly number: string
  readonly issueDate: LocalDate
  readonly reason: string | null
  readonly total: Money
}

/** An attachment's metadata (the bytes come from `Documents.content`). */
export interface InvoiceDocument {
  readonly documentId: DocumentId
  readonly fileName: string
  readonly contentType: string
  readonly size: number
  readonly sha256: string
}

/** One invoice with everything the detail page shows. */
export interface InvoiceDetail {
  readonly invoice: Invoice
  readonly summary: InvoiceSummary
  readonly payments: ReadonlyArray<InvoicePayment>
  readonly creditNotes: ReadonlyArray<InvoiceCreditNote>
  readonly documents: ReadonlyArray<InvoiceDocument>
  /** The invoice's events, oldest first. */
  readonly history: ReadonlyArray<InvoiceEvent>
}

type Scoped<A, E = never> = Effect.Effect<A, E | SqlError, CurrentPrincipal>

/** The most accounts a list merges from per-account scans. */
const maxMergedAccounts = 32

const sortColumns: Record<InvoiceSortField, { readonly column: string; readonly cast: string }> = {
  "issue-date": { column: "issue_date", cast: "::date" },
  "due-date": { column: "due_date", cast: "::date" },
  amount: { column: "total_minor", cast: "::bigint" },
  number: { column: "number", cast: "::text" }
}

const SummaryRow = Schema.Struct({
  id: InvoiceId,
  account_id: AccountId,
  number: Schema.String,
  po_number: DbText,
  issue_date: DbDate,
  due_date: DbDate,
  currency: CurrencyCode,
  total_minor: DbMinor,
  paid_minor: DbMinor,
  credited_minor: DbMinor,
  written_off_minor: DbMinor,
  open_minor: DbMinor,
  status: InvoiceStatus,
  status_as_of: InvoiceStatusAsOf,
  net_minor: DbMinor,
  tax_minor: DbMinor,
  terms: DbText,
  source: Schema.String,
  external_id: Schema.String
})
type SummaryRow = typeof SummaryRow.Type
const decodeSummaries = decodeRows(SummaryRow)

const toSummary = (row: SummaryRow): InvoiceSummary => {
  const money = (minor: number) => ({ currency: row.currency, minor })
  return {
    id: row.id,
    accountId: row.account_id,
    number: row.number,
    poNumber: row.po_number,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    currency: row.currency,
    total: money(row.total_minor),
    paid: money(row.paid_minor),
    credited: money(row.credited_minor),
    writtenOff: money(row.written_off_minor),
    open: money(row.open_minor),
    status: row.status,
    statusAsOf: row.status_as_of
  }
}

const sortKey = (summary: InvoiceSummary, field: InvoiceSortField): string | number => {
  switch (field) {
    case "issue-date":
      return summary.issueDate
    case "due-date":
      return summary.dueDate
    case "amount":
      return summary.total.minor
    case "number":
      return summary.number
  }
}

/** An invoice row's lines and tax lines: JSON arrays in the domain's own shape (see core/0004). */
const LinesRow = Schema.Struct({ lines: Schema.Array(DocumentLine), tax_lines: Schema.Array(TaxLine) })
const decodeLinesRows = decodeRows(LinesRow)
const PaymentRow = Schema.Struct({
  id: PaymentId,
  reference: Schema.String,
  received_date: DbDate,
  method: DbText,
  currency: CurrencyCode,
  applied_minor: DbMinor,
  amount_minor: DbMinor
})
const decodePayments = decodeRows(PaymentRow)
const CreditRow = Schema.Struct({
  id: CreditNoteId,
  number: Schema.String,
  issue_date: DbDate,
  reason: DbText,
  currency: CurrencyCode,
  total_minor: DbMinor
})
const decodeCredits = decodeRows(CreditRow)
const DocumentRow = Schema.Struct({
  id: DocumentId,
  file_name: Schema.String,
  content_type: Schema.String,
  size: Schema.Int,
  sha256: Schema.String
})
const decodeDocuments = decodeRows(DocumentRow)
const EventRow = Schema.Struct({ payload: Schema.Unknown })
const decodeEventRows = decodeRows(EventRow)
const decodeEvent = Schema.decodeUnknownSync(InvoiceEvent)

/** Scoped invoice reads for the portal. */
export class Invoices extends Context.Service<
  Invoices,
  {
    /** One page of the list, keyset-paginated: pass the previous page's `nextCursor` as `cursor`. */
    readonly list: (query: InvoiceQuery) => Scoped<InvoicePage, InvalidCursor>
    /** The same list paged with OFFSET (ignores `cursor`); slow on deep pages, kept for the benchmark. */
    readonly listWithOffset: (query: InvoiceQuery, offset: number) => Scoped<ReadonlyArray<InvoiceSummary>>
    /** One invoice in full, as of `asOf`; NotFound when it does not exist or is outside the scope. */
    readonly detail: (id: InvoiceId, asOf: LocalDate) => Scoped<InvoiceDetail, NotFound>
  }
>()("portico/core/store/Invoices") {
  static readonly layer = Layer.effect(
    Invoices,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store

      const columns = (asOf: LocalDate) => sql`i.id, i.account_id, i.number, i.po_number, i.issue_date, i.due_date,
        i.currency, i.total_minor, i.paid_minor, i.credited_minor, i.written_off_minor, i.open_minor, i.status,
        portico.status_as_of(i.status, i.due_date, ${asOf}::date) as status_as_of, i.net_minor, i.tax_minor,
        i.terms, i.source, i.external_id`

      /** The service scope as WHERE conditions (none when switched off or for the system). */
      const scopeConditions = (scope: ServiceScope | undefined): Array<Fragment> => {
        if (scope === undefined) return []
        // One account (the usual case) as an equality, so the (account_id, key, id) index also gives the order.
        const [only, ...rest] = scope.accountIds
        const where = [
          only !== undefined && rest.length === 0
            ? sql`i.account_id = ${only}`
            : sql`i.account_id = any(${scope.accountIds}::text[])`
        ]
        if (scope.invoiceId !== null) where.push(sql`i.id = ${scope.invoiceId}`)
        return where
      }

      /** The query's own filters as WHERE conditions. */
      const filters = (query: InvoiceQuery): Array<Fragment> => {
        const where: Array<Fragment> = [sql`true`]
        if (query.accountId !== undefined) where.push(sql`i.account_id = ${query.accountId}`)
        if (query.statuses !== undefined) {
          where.push(
            sql`portico.status_as_of(i.status, i.due_date, ${query.asOf}::date) = any(${query.statuses}::text[])`
          )
        }
        if (query.issuedFrom !== undefined) where.push(sql`i.issue_date >= ${query.issuedFrom}::date`)
        if (query.issuedTo !== undefined) where.push(sql`i.issue_date <= ${query.issuedTo}::date`)
        if (query.dueFrom !== undefined) where.push(sql`i.due_date >= ${query.dueFrom}::date`)
        if (query.dueTo !== undefined) where.push(sql`i.due_date <= ${query.dueTo}::date`)
        if (query.currency !== undefined) where.push(sql`i.currency = ${query.currency}`)
        if (query.minTotal !== undefined) where.push(sql`i.total_minor >= ${query.minTotal}`)
        if (query.maxTotal !== undefined) where.push(sql`i.total_minor <= ${query.maxTotal}`)
        if (query.search !== undefined && query.search.length > 0) {
          const pattern = containsPattern(query.search)
          where.push(sql`(i.number ilike ${pattern} escape '\\' or i.po_number ilike ${pattern} escape '\\')`)
        }
        return where
      }

      const orderBy = (query: InvoiceQuery, alias = "i") => {
        const sort = query.sort ?? defaultSort
        const { column } = sortColumns[sort.field]
        const direction = sort.direction === "asc" ? "asc" : "desc"
        return sql.literal(`order by ${alias}.${column} ${direction}, ${alias}.id ${direction}`)
      }

      const list = Effect.fn("Invoices.list")(function* (query: InvoiceQuery) {
        const sort = query.sort ?? defaultSort
        const limit = query.limit ?? defaultLimit
        const after =
          query.cursor === undefined
            ? undefined
            : yield* Result.match(decodeCursor(query.cursor, sort), {
                onFailure: Effect.fail,
                onSuccess: Effect.succeed
              })
        const { column, cast } = sortColumns[sort.field]
        const where = filters(query)
        if (after !== undefined) {
          const comparison = sort.direction === "asc" ? ">" : "<"
          where.push(
            sql`(${sql.literal(`i.${column}`)}, i.id) ${sql.literal(comparison)} (${after.key}${sql.literal(cast)}, ${after.id})`
          )
        }
        return yield* store.withScope(
          Effect.gen(function* () {
            const scope = yield* serviceScope
            const accounts = scope?.accountIds ?? []
            // Several accounts: one ordered index scan per account, merged, rather than sorting every row of
            // every account (an `= any(...)` condition cannot give the index's order). Past a few dozen
            // accounts the union costs more than it saves.
            const perAccount =
              scope !== undefined &&
              scope.invoiceId === null &&
              query.accountId === undefined &&
              accounts.length > 1 &&
              accounts.length <= maxMergedAccounts
            const rows = perAccount
              ? yield* sql`select * from (${sql.join(
                  " union all ",
                  false
                )(
                  accounts.map(
                    (accountId) => sql`(select ${columns(query.asOf)} from portico.invoices i
                      where ${sql.and([...where, sql`i.account_id = ${accountId}`])} ${orderBy(query)} limit ${limit + 1})`
                  )
                )}) u ${orderBy(query, "u")} limit ${limit + 1}`
              : yield* sql`select ${columns(query.asOf)} from portico.invoices i
                  where ${sql.and([...scopeConditions(scope), ...where])} ${orderBy(query)} limit ${limit + 1}`
            const items = decodeSummaries(rows).map(toSummary)
            const page = items.slice(0, limit)
            const last = page.at(-1)
            return items.length > limit && last !== undefined
              ? { items: page, nextCursor: encodeCursor({ sort, key: sortKey(last, sort.field), id: last.id }) }
              : { items: page }
          })
        )
      })

      const listWithOffset = Effect.fn("Invoices.listWithOffset")(function* (query: InvoiceQuery, offset: number) {
        return yield* store.withScope(
          Effect.gen(function* () {
            const where = [...scopeConditions(yield* serviceScope), ...filters(query)]
            const rows = yield* sql`select ${columns(query.asOf)} from portico.invoices i
              where ${sql.and(where)} ${orderBy(query)} limit ${query.limit ?? defaultLimit} offset ${offset}`
            return decodeSummaries(rows).map(toSummary)
          })
        )
      })

      const detail = Effect.fn("Invoices.detail")(function* (id: InvoiceId, asOf: LocalDate) {
        return yield* store.withScope(
          Effect.gen(function* () {
            const where = scopeConditions(yield* serviceScope)
            const headers = yield* sql`select ${columns(asOf)}, i.lines, i.tax_lines from portico.invoices i
              where ${sql.and([...where, sql`i.id = ${id}`])}`
            const header = decodeSummaries(headers)[0]
            const content = decodeLinesRows(headers)[0]
            if (header === undefined || content === undefined) return yield* new NotFound({ kind: "invoice", id })
            const money = (minor: number) => ({ currency: header.currency, minor })
            const [payments, credits, documents, events] = yield* Effect.all([
              sql`select p.id, p.reference, p.received_date, p.method, p.currency, a.amount_minor as applied_minor,
                  p.amount_minor
                from portico.payment_allocations a join portico.payments p on p.id = a.payment_id
                where a.invoice_id = ${header.id} order by p.received_date, p.id`,
              sql`select id, number, issue_date, reason, currency, total_minor from portico.credit_notes
                where invoice_id = ${header.id} order by issue_date, id`,
              sql`select id, file_name, content_type, size, sha256 from portico.documents
                where invoice_id = ${header.id} order by file_name, id`,
              sql`select payload from portico.invoice_events where invoice_id = ${header.id}
                order by occurred_on, position`
            ])
            const invoice: Invoice = {
              id: header.id,
              accountId: header.account_id,
              source: { source: header.source, externalId: header.external_id },
              number: header.number,
              issueDate: header.issue_date,
              dueDate: header.due_date,
              currency: header.currency,
              ...(header.terms === null ? {} : { terms: header.terms }),
              ...(header.po_number === null ? {} : { poNumber: header.po_number }),
              lines: content.lines,
              taxLines: content.tax_lines,
              totals: { net: money(header.net_minor), tax: money(header.tax_minor), total: money(header.total_minor) }
            }
            return {
              invoice,
              summary: toSummary(header),
              payments: decodePayments(payments).map((p) => ({
                paymentId: p.id,
                reference: p.reference,
                receivedDate: p.received_date,
                method: p.method,
                applied: { currency: p.currency, minor: p.applied_minor },
                amount: { currency: p.currency, minor: p.amount_minor }
              })),
              creditNotes: decodeCredits(credits).map((c) => ({
                creditNoteId: c.id,
                number: c.number,
                issueDate: c.issue_date,
                reason: c.reason,
                total: { currency: c.currency, minor: c.total_minor }
              })),
              documents: decodeDocuments(documents).map((d) => ({
                documentId: d.id,
                fileName: d.file_name,
                contentType: d.content_type,
                size: d.size,
                sha256: d.sha256
              })),
              history: decodeEventRows(events).map((row) => decodeEvent(row.payload))
            }
          })
        )
      })

      return Invoices.of({ list, listWithOffset, detail })
    })
  )
}
