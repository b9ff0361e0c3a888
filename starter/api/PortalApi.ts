// The JSON API's contract: typed endpoints for the same reads as the customer pages, scoped the same way
// (the session's principal), under /api. Shared by the server and by generated clients.
import { Schema } from "effect"
import { HttpApi, HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import { InvoiceEvent } from "../../core/billing/InvoiceEvents.ts"
import { InvoiceStatusAsOf } from "../../core/billing/InvoiceStateMachine.ts"
import { Account } from "../../core/domain/Account.ts"
import { CurrencyCode } from "../../core/domain/Currency.ts"
import { AccountId, CreditNoteId, DocumentId, InvoiceId, PaymentId } from "../../core/domain/Ids.ts"
import { Invoice } from "../../core/domain/Invoice.ts"
import { LocalDate } from "../../core/domain/LocalDate.ts"
import { Money } from "../../core/domain/Money.ts"
import { StatementView } from "../../core/render/ViewModels.ts"
import { InvoiceSortField, SortDirection } from "../../core/store/InvoiceQuery.ts"
import { InvoiceSummary } from "../../core/store/Invoices.ts"
import { ApiAuthentication } from "./ApiAuthentication.ts"
import { BadRequest, Forbidden, NotFoundError } from "./ApiErrors.ts"

const AgingBucketJson = Schema.Struct({
  label: Schema.String,
  minDaysPastDue: Schema.NullOr(Schema.Int),
  maxDaysPastDue: Schema.NullOr(Schema.Int),
  amount: Money,
  count: Schema.Int
})

/** One currency's figures of an account. */
export const CurrencySummaryJson = Schema.Struct({
  currency: CurrencyCode,
  open: Money,
  openCount: Schema.Int,
  overdue: Money,
  overdueCount: Schema.Int,
  disputed: Money,
  credit: Money,
  aging: Schema.Array(AgingBucketJson)
})

/** An account's summary as of a day. */
export const AccountSummaryJson = Schema.Struct({
  accountId: AccountId,
  asOf: LocalDate,
  currencies: Schema.Array(CurrencySummaryJson)
})

/** A page of the invoice list; pass `nextCursor` as `cursor` for the next one. */
export const InvoicePageJson = Schema.Struct({
  asOf: LocalDate,
  items: Schema.Array(InvoiceSummary),
  nextCursor: Schema.NullOr(Schema.String)
})

/** One invoice with what was applied to it and its history. */
export const InvoiceDetailJson = Schema.Struct({
  invoice: Invoice,
  summary: InvoiceSummary,
  payments: Schema.Array(
    Schema.Struct({
      paymentId: PaymentId,
      reference: Schema.String,
      receivedDate: LocalDate,
      method: Schema.NullOr(Schema.String),
      applied: Money,
      amount: Money
    })
  ),
  creditNotes: Schema.Array(
    Schema.Struct({
      creditNoteId: CreditNoteId,
      number: Schema.String,
      issueDate: LocalDate,
      reason: Schema.NullOr(Schema.String),
      total: Money
    })
  ),
  documents: Schema.Array(
    Schema.Struct({
      documentId: DocumentId,
      fileName: Schema.String,
      contentType: Schema.String,
      size: Schema.Int,
      sha256: Schema.String
    })
  ),
  history: Schema.Array(InvoiceEvent)
})

/** An attachment of the account. */
export const DocumentJson = Schema.Struct({
  id: DocumentId,
  invoiceId: Schema.NullOr(InvoiceId),
  invoiceNumber: Schema.NullOr(Schema.String),
  fileName: Schema.String,
  contentType: Schema.String,
  size: Schema.Int
})

const accountParams = { accountId: AccountId }

/** The invoice list's query: every filter optional; amounts in minor units of the invoice's currency. */
export const InvoiceListQuery = {
  status: Schema.optionalKey(Schema.Union([InvoiceStatusAsOf, Schema.Array(InvoiceStatusAsOf)])),
  issuedFrom: Schema.optionalKey(LocalDate),
  issuedTo: Schema.optionalKey(LocalDate),
  dueFrom: Schema.optionalKey(LocalDate),
  dueTo: Schema.optionalKey(LocalDate),
  currency: Schema.optionalKey(CurrencyCode),
  minTotal: Schema.optionalKey(Schema.NumberFromString.check(Schema.isInt())),
  maxTotal: Schema.optionalKey(Schema.NumberFromString.check(Schema.isInt())),
  search: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(100))),
  sort: Schema.optionalKey(InvoiceSortField),
  direction: Schema.optionalKey(SortDirection),
  limit: Schema.optionalKey(
    Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 200 }))
  ),
  cursor: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(1000)))
}

/** The statement's query. */
export const StatementQuery = {
  style: Schema.Literals(["open-item", "balance-forward"]),
  from: LocalDate,
  to: LocalDate,
  currency: Schema.optionalKey(CurrencyCode)
}

/** The customer reads. */
export class PortalApiGroup extends HttpApiGroup.make("portal")
  .add(
    HttpApiEndpoint.get("accounts", "/accounts", { success: Schema.Array(Account) }),
    HttpApiEndpoint.get("summary", "/accounts/:accountId/summary", {
      params: accountParams,
      success: AccountSummaryJson,
      error: [NotFoundError, Forbidden, BadRequest]
    }),
    HttpApiEndpoint.get("invoices", "/accounts/:accountId/invoices", {
      params: accountParams,
      query: InvoiceListQuery,
      success: InvoicePageJson,
      error: [NotFoundError, Forbidden, BadRequest]
    }),
    HttpApiEndpoint.get("invoice", "/invoices/:invoiceId", {
      params: { invoiceId: InvoiceId },
      success: InvoiceDetailJson,
      error: [NotFoundError, Forbidden, BadRequest]
    }),
    HttpApiEndpoint.get("statement", "/accounts/:accountId/statement", {
      params: accountParams,
      query: StatementQuery,
      success: StatementView,
      error: [NotFoundError, Forbidden, BadRequest]
    }),
    HttpApiEndpoint.get("documents", "/accounts/:accountId/documents", {
      params: accountParams,
      success: Schema.Array(DocumentJson),
      error: [NotFoundError, Forbidden, BadRequest]
    })
  )
  .middleware(ApiAuthentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Customer reads",
      description:
        "What the signed-in customer (session cookie) may read, scoped exactly as the portal pages: a foreign id is 404."
    })
  ) {}

/** The JSON API served under /api. */
export class PortalApi extends HttpApi.make("portico-portal")
  .add(PortalApiGroup)
  .prefix("/api")
  .annotateMerge(
    OpenApi.annotations({
      title: "Portico portal API",
      description: "Customer reads (session cookie) and the host-app magic link API (API key)."
    })
  ) {}
