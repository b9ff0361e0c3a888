// What a document shows, with every figure already computed: the input of every renderer. Money stays Money
// and dates stay LocalDate so each renderer formats them its own way (Intl for HTML, plain decimals for CSV).
// The builders take domain records plus plain figures (status, paid, open…) from the billing core.
import { Result, Schema } from "effect"
import type { Account, Address } from "../domain/Account.ts"
import { CurrencyCode } from "../domain/Currency.ts"
import { Decimal } from "../domain/Decimal.ts"
import type { InvoiceId } from "../domain/Ids.ts"
import type { CreditNote, DocumentLine, Invoice } from "../domain/Invoice.ts"
import { TaxLine } from "../domain/Invoice.ts"
import { LocalDate } from "../domain/LocalDate.ts"
import * as MoneyOps from "../domain/Money.ts"
import { Money } from "../domain/Money.ts"
import type { Payment } from "../domain/Payment.ts"

/** The customer a document is addressed to. */
export const PartyView = Schema.Struct({
  name: Schema.String,
  number: Schema.optionalKey(Schema.String),
  taxId: Schema.optionalKey(Schema.String),
  email: Schema.optionalKey(Schema.String),
  addressLines: Schema.Array(Schema.String)
})
export type PartyView = typeof PartyView.Type

/** One document line; `net` is absent when neither the ERP nor the billing core stated it. */
export const LineView = Schema.Struct({
  lineNumber: Schema.Int,
  description: Schema.String,
  productCode: Schema.optionalKey(Schema.String),
  unit: Schema.optionalKey(Schema.String),
  quantity: Decimal,
  unitPrice: Decimal,
  discountPercent: Schema.optionalKey(Decimal),
  taxRate: Decimal,
  net: Schema.optionalKey(Money)
})
export type LineView = typeof LineView.Type

/** Net, tax and gross total of a document. */
export const TotalsView = Schema.Struct({ net: Money, tax: Money, total: Money })
export type TotalsView = typeof TotalsView.Type

/** Where an invoice stands on a given day (the billing core's `InvoiceStatusAsOf`). */
export const InvoiceStatus = Schema.Literals([
  "open",
  "partially-paid",
  "paid",
  "overdue",
  "credited",
  "void",
  "written-off",
  "disputed"
])
export type InvoiceStatus = typeof InvoiceStatus.Type

/** An invoice with its balance as of `asOf`. */
export const InvoiceView = Schema.TaggedStruct("Invoice", {
  number: Schema.String,
  issueDate: LocalDate,
  dueDate: LocalDate,
  currency: CurrencyCode,
  terms: Schema.optionalKey(Schema.String),
  poNumber: Schema.optionalKey(Schema.String),
  customer: PartyView,
  lines: Schema.Array(LineView),
  taxLines: Schema.Array(TaxLine),
  totals: TotalsView,
  paid: Money,
  credited: Money,
  writtenOff: Schema.optionalKey(Money),
  open: Money,
  status: InvoiceStatus,
  asOf: LocalDate
})
export type InvoiceView = typeof InvoiceView.Type

/** A credit note, with the number of the invoice it credits when it credits one. */
export const CreditNoteView = Schema.TaggedStruct("CreditNote", {
  number: Schema.String,
  issueDate: LocalDate,
  currency: CurrencyCode,
  invoiceNumber: Schema.optionalKey(Schema.String),
  reason: Schema.optionalKey(Schema.String),
  customer: PartyView,
  lines: Schema.Array(LineView),
  taxLines: Schema.Array(TaxLine),
  totals: TotalsView
})
export type CreditNoteView = typeof CreditNoteView.Type

/** One invoice a payment was applied to. */
export const AllocationView = Schema.Struct({ invoiceNumber: Schema.String, amount: Money })
export type AllocationView = typeof AllocationView.Type

/** A receipt for a payment: how much, when, and which invoices it settled. */
export const PaymentReceiptView = Schema.TaggedStruct("PaymentReceipt", {
  reference: Schema.String,
  receivedDate: LocalDate,
  amount: Money,
  method: Schema.optionalKey(Schema.String),
  customer: PartyView,
  allocations: Schema.Array(AllocationView),
  /** What was not applied to an invoice and stays as account credit. */
  unallocated: Money
})
export type PaymentReceiptView = typeof PaymentReceiptView.Type

/** The kind of a balance-forward statement line (the billing core's `StatementLineKind`). */
export const StatementLineKind = Schema.Literals([
  "invoice",
  "credit-note",
  "payment",
  "refund",
  "chargeback",
  "write-off",
  "void"
])
export type StatementLineKind = typeof StatementLineKind.Type

/** One movement on a balance-forward statement: a debit or a credit, and the running balance after it. */
export const StatementLineView = Schema.Struct({
  date: LocalDate,
  kind: StatementLineKind,
  reference: Schema.String,
  description: Schema.optionalKey(Schema.String),
  dueDate: Schema.optionalKey(LocalDate),
  debit: Schema.optionalKey(Money),
  credit: Schema.optionalKey(Money),
  balance: Money
})
export type StatementLineView = typeof StatementLineView.Type

/** The kind of an open item (the billing core's `OpenItemKind`). */
export const OpenItemKind = Schema.Literals([
  "invoice",
  "unallocated-payment",
  "credit-note",
  "overpaid-invoice",
  "uncovered-reversal"
])
export type OpenItemKind = typeof OpenItemKind.Type

/** One item open at the end of an open-item statement's period; `open` is negative for a credit. */
export const OpenItemView = Schema.Struct({
  date: LocalDate,
  kind: OpenItemKind,
  reference: Schema.String,
  dueDate: Schema.optionalKey(LocalDate),
  original: Money,
  open: Money
})
export type OpenItemView = typeof OpenItemView.Type

/** One ageing bucket by days past due: "current" has no minimum and a maximum of 0, the last no maximum. */
export const AgingRowView = Schema.Struct({
  minDaysPastDue: Schema.optionalKey(Schema.Int),
  maxDaysPastDue: Schema.optionalKey(Schema.Int),
  amount: Money
})
export type AgingRowView = typeof AgingRowView.Type

/**
 * A statement of account for `[periodStart, statementDate]` in one currency: balance-forward (`lines`) or
 * open-item (`openItems`), with the period's figures (closing = opening + invoiced - paid - credited) and
 * optionally the ageing of what is open.
 */
export const StatementView = Schema.TaggedStruct("Statement", {
  style: Schema.Literals(["balance-forward", "open-item"]),
  customer: PartyView,
  currency: CurrencyCode,
  periodStart: LocalDate,
  statementDate: LocalDate,
  opening: Money,
  invoiced: Money,
  paid: Money,
  credited: Money,
  closing: Money,
  lines: Schema.Array(StatementLineView),
  openItems: Schema.Array(OpenItemView),
  aging: Schema.Array(AgingRowView)
})
export type StatementView = typeof StatementView.Type

/** One row of an invoice list. */
export const InvoiceRowView = Schema.Struct({
  number: Schema.String,
  issueDate: LocalDate,
  dueDate: LocalDate,
  status: InvoiceStatus,
  total: Money,
  open: Money
})
export type InvoiceRowView = typeof InvoiceRowView.Type

/** A list of invoices (a search result, an export), with the open amount per currency. */
export const InvoiceListView = Schema.TaggedStruct("InvoiceList", {
  customer: PartyView,
  asOf: LocalDate,
  rows: Schema.Array(InvoiceRowView),
  openByCurrency: Schema.Array(Money)
})
export type InvoiceListView = typeof InvoiceListView.Type

/** Any document a renderer can render; `_tag` says which. */
export const ViewModel = Schema.Union([InvoiceView, CreditNoteView, PaymentReceiptView, StatementView, InvoiceListView])
export type ViewModel = typeof ViewModel.Type

/** The kind of a view model: its `_tag`. */
export type ViewModelKind = ViewModel["_tag"]

/** Every view model kind. */
export const viewModelKinds: ReadonlyArray<ViewModelKind> = [
  "Invoice",
  "CreditNote",
  "PaymentReceipt",
  "Statement",
  "InvoiceList"
]

const addressLines = (address: Address | undefined): ReadonlyArray<string> => {
  if (address === undefined) return []
  const cityLine = [address.postalCode, address.city].filter((part) => part !== undefined && part !== "").join(" ")
  return [...address.lines, cityLine, address.region ?? "", address.country ?? ""].filter((line) => line !== "")
}

/** The customer block of an account. */
export const partyView = (account: Account): PartyView => ({
  name: account.name,
  number: account.number,
  addressLines: addressLines(account.billingAddress),
  ...(account.taxId !== undefined ? { taxId: account.taxId } : {}),
  ...(account.email !== undefined ? { email: account.email } : {})
})

const lineView = (line: DocumentLine, net: Money | undefined): LineView => ({
  lineNumber: line.lineNumber,
  description: line.description,
  quantity: line.quantity,
  unitPrice: line.unitPrice,
  taxRate: line.taxRate,
  ...(line.productCode !== undefined ? { productCode: line.productCode } : {}),
  ...(line.unit !== undefined ? { unit: line.unit } : {}),
  ...(line.discountPercent !== undefined ? { discountPercent: line.discountPercent } : {}),
  ...(net !== undefined ? { net } : {})
})

const lineViews = (lines: ReadonlyArray<DocumentLine>, nets: ReadonlyArray<Money> | undefined) =>
  lines.map((line, index) => lineView(line, nets?.[index] ?? line.statedNet))

/** The figures of an invoice that the billing core computes (InvoiceState): status and balance on a day. */
export interface InvoiceFigures {
  readonly status: InvoiceStatus
  readonly asOf: LocalDate
  readonly paid: Money
  readonly credited: Money
  readonly writtenOff?: Money
  readonly open: Money
  /** Line net amounts computed by the billing core, by line position; else the ERP's stated nets are shown. */
  readonly lineNets?: ReadonlyArray<Money>
}

/** An invoice view from the ERP's invoice, its account and the billing core's figures. */
export const invoiceViewModel = (invoice: Invoice, account: Account, figures: InvoiceFigures): InvoiceView => ({
  _tag: "Invoice",
  number: invoice.number,
  issueDate: invoice.issueDate,
  dueDate: invoice.dueDate,
  currency: invoice.currency,
  customer: partyView(account),
  lines: lineViews(invoice.lines, figures.lineNets),
  taxLines: invoice.taxLines,
  totals: invoice.totals,
  paid: figures.paid,
  credited: figures.credited,
  open: figures.open,
  status: figures.status,
  asOf: figures.asOf,
  ...(figures.writtenOff !== undefined && figures.writtenOff.minor !== 0 ? { writtenOff: figures.writtenOff } : {}),
  ...(invoice.terms !== undefined ? { terms: invoice.terms } : {}),
  ...(invoice.poNumber !== undefined ? { poNumber: invoice.poNumber } : {})
})

/** A credit note view; pass the credited invoice's number when the note is linked to one. */
export const creditNoteViewModel = (
  creditNote: CreditNote,
  account: Account,
  figures: { readonly invoiceNumber?: string; readonly lineNets?: ReadonlyArray<Money> } = {}
): CreditNoteView => ({
  _tag: "CreditNote",
  number: creditNote.number,
  issueDate: creditNote.issueDate,
  currency: creditNote.currency,
  customer: partyView(account),
  lines: lineViews(creditNote.lines, figures.lineNets),
  taxLines: creditNote.taxLines,
  totals: creditNote.totals,
  ...(figures.invoiceNumber !== undefined ? { invoiceNumber: figures.invoiceNumber } : {}),
  ...(creditNote.reason !== undefined ? { reason: creditNote.reason } : {})
})

/**
 * A payment receipt. `invoiceNumber` names each allocated invoice (the id when it returns undefined). Fails
 * when an allocation is in another currency than the payment, since the unallocated rest would be meaningless.
 */
export const paymentReceiptViewModel = (
  payment: Payment,
  account: Account,
  invoiceNumber: (id: InvoiceId) => string | undefined
): Result.Result<PaymentReceiptView, MoneyOps.CurrencyMismatch | MoneyOps.AmountOverflow> =>
  Result.map(
    Result.flatMap(
      MoneyOps.sum(
        payment.amount.currency,
        payment.allocations.map((allocation) => allocation.amount)
      ),
      (allocated) => MoneyOps.subtract(payment.amount, allocated)
    ),
    (unallocated): PaymentReceiptView => ({
      _tag: "PaymentReceipt",
      reference: payment.reference,
      receivedDate: payment.receivedDate,
      amount: payment.amount,
      customer: partyView(account),
      allocations: payment.allocations.map((allocation) => ({
        invoiceNumber: invoiceNumber(allocation.invoiceId) ?? allocation.invoiceId,
        amount: allocation.amount
      })),
      unallocated,
      ...(payment.method !== undefined ? { method: payment.method } : {})
    })
  )

/** The period's figures of a statement (the billing core's `StatementSummary`). */
export interface StatementFigures {
  readonly currency: CurrencyCode
  readonly from: LocalDate
  readonly to: LocalDate
  readonly opening: Money
  readonly invoiced: Money
  readonly paid: Money
  readonly credited: Money
  readonly closing: Money
}

/** A balance-forward statement's movement as the billing core gives it (debit and credit, one of them zero). */
export interface StatementLineFigures {
  readonly date: LocalDate
  readonly kind: StatementLineKind
  readonly reference: string
  readonly debit: Money
  readonly credit: Money
  readonly balance: Money
}

/** An ageing bucket as the billing core's `AgingReport` gives it. */
export interface AgingFigures {
  readonly minDaysPastDue: number | undefined
  readonly maxDaysPastDue: number | undefined
  readonly amount: Money
}

const agingRows = (aging: ReadonlyArray<AgingFigures> | undefined): ReadonlyArray<AgingRowView> =>
  (aging ?? []).map((bucket) => ({
    amount: bucket.amount,
    ...(bucket.minDaysPastDue !== undefined ? { minDaysPastDue: bucket.minDaysPastDue } : {}),
    ...(bucket.maxDaysPastDue !== undefined ? { maxDaysPastDue: bucket.maxDaysPastDue } : {})
  }))

const statementBase = (account: Account, statement: StatementFigures) => ({
  _tag: "Statement" as const,
  customer: partyView(account),
  currency: statement.currency,
  periodStart: statement.from,
  statementDate: statement.to,
  opening: statement.opening,
  invoiced: statement.invoiced,
  paid: statement.paid,
  credited: statement.credited,
  closing: statement.closing
})

/**
 * A balance-forward statement view from the billing core's statement (`balanceForwardStatement`) and,
 * optionally, the buckets of its `AgingReport`. Zero debits and credits are left out.
 */
export const balanceForwardStatementViewModel = (
  account: Account,
  statement: StatementFigures & { readonly lines: ReadonlyArray<StatementLineFigures> },
  aging?: ReadonlyArray<AgingFigures>
): StatementView => ({
  ...statementBase(account, statement),
  style: "balance-forward",
  lines: statement.lines.map((line) => ({
    date: line.date,
    kind: line.kind,
    reference: line.reference,
    balance: line.balance,
    ...(line.debit.minor !== 0 ? { debit: line.debit } : {}),
    ...(line.credit.minor !== 0 ? { credit: line.credit } : {})
  })),
  openItems: [],
  aging: agingRows(aging)
})

/** An open-item statement view from the billing core's statement (`openItemStatement`) and its ageing. */
export const openItemStatementViewModel = (
  account: Account,
  statement: StatementFigures & { readonly items: ReadonlyArray<OpenItemView> },
  aging?: ReadonlyArray<AgingFigures>
): StatementView => ({
  ...statementBase(account, statement),
  style: "open-item",
  lines: [],
  openItems: statement.items.map((item) => ({
    date: item.date,
    kind: item.kind,
    reference: item.reference,
    original: item.original,
    open: item.open,
    ...(item.dueDate !== undefined ? { dueDate: item.dueDate } : {})
  })),
  aging: agingRows(aging)
})

/** One invoice and its figures, for a list. */
export interface InvoiceListItem {
  readonly invoice: Invoice
  readonly figures: Pick<InvoiceFigures, "status" | "open">
}

/**
 * An invoice list; the open amount is summed per currency, in the order currencies first appear. Fails only
 * when a sum leaves the exactly representable range.
 */
export const invoiceListViewModel = (
  account: Account,
  items: ReadonlyArray<InvoiceListItem>,
  asOf: LocalDate
): Result.Result<InvoiceListView, MoneyOps.CurrencyMismatch | MoneyOps.AmountOverflow> => {
  const currencies = [...new Set(items.map(({ figures }) => figures.open.currency))]
  const sums = currencies.map((currency) =>
    MoneyOps.sum(
      currency,
      items.filter(({ figures }) => figures.open.currency === currency).map(({ figures }) => figures.open)
    )
  )
  return Result.map(Result.all(sums), (openByCurrency) => ({
    _tag: "InvoiceList" as const,
    customer: partyView(account),
    asOf,
    rows: items.map(({ invoice, figures }) => ({
      number: invoice.number,
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      status: figures.status,
      total: invoice.totals.total,
      open: figures.open
    })),
    openByCurrency
  }))
}
