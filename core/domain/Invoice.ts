// Invoices and credit notes as the ERP issues them: header, lines, tax lines and the totals the ERP states.
// Portico keeps the ERP's figures as the truth; core/billing/Totals recomputes them only to report drift.
import { Schema } from "effect"
import { CurrencyCode } from "./Currency.ts"
import { Decimal } from "./Decimal.ts"
import { AccountId, CreditNoteId, InvoiceId, SourceRef } from "./Ids.ts"
import { LocalDate } from "./LocalDate.ts"
import { Money } from "./Money.ts"

/** One line of an invoice or credit note. Prices are in major units of the document's currency. */
export const DocumentLine = Schema.Struct({
  lineNumber: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  description: Schema.String,
  productCode: Schema.optionalKey(Schema.String),
  unit: Schema.optionalKey(Schema.String),
  quantity: Decimal,
  /** Price per unit, before discount and tax; may carry more digits than the currency (0.0125). */
  unitPrice: Decimal,
  /** Percentage off the line's gross amount ("10" is 10%). */
  discountPercent: Schema.optionalKey(Decimal),
  /** A fixed amount off the line, in major units, after the percentage. */
  discountAmount: Schema.optionalKey(Decimal),
  /** Tax rate in percent ("19", "7.7", "0"). */
  taxRate: Decimal,
  /** Tax code as the ERP names it ("VAT19", "EXEMPT"); lines with the same code form one tax line. */
  taxCode: Schema.optionalKey(Schema.String),
  /** The line's net amount as the ERP states it, when it does. */
  statedNet: Schema.optionalKey(Money)
})
export type DocumentLine = typeof DocumentLine.Type

/** A tax line: the tax on all lines of one code and rate. */
export const TaxLine = Schema.Struct({
  code: Schema.String,
  rate: Decimal,
  taxable: Money,
  tax: Money
})
export type TaxLine = typeof TaxLine.Type

/** The totals as the ERP states them: net, tax, and gross total. */
export const StatedTotals = Schema.Struct({
  net: Money,
  tax: Money,
  total: Money
})
export type StatedTotals = typeof StatedTotals.Type

/** An invoice: what a customer owes. */
export const Invoice = Schema.Struct({
  id: InvoiceId,
  accountId: AccountId,
  source: SourceRef,
  number: Schema.String.check(Schema.isNonEmpty()),
  issueDate: LocalDate,
  dueDate: LocalDate,
  currency: CurrencyCode,
  /** Payment terms as text ("Net 30", "2/10 net 30"). */
  terms: Schema.optionalKey(Schema.String),
  poNumber: Schema.optionalKey(Schema.String),
  lines: Schema.Array(DocumentLine),
  taxLines: Schema.Array(TaxLine),
  totals: StatedTotals
})
export type Invoice = typeof Invoice.Type

/** A credit note: reduces what a customer owes, on the invoice it credits or, unlinked, as account credit. */
export const CreditNote = Schema.Struct({
  id: CreditNoteId,
  accountId: AccountId,
  source: SourceRef,
  number: Schema.String.check(Schema.isNonEmpty()),
  issueDate: LocalDate,
  currency: CurrencyCode,
  /** The invoice this credits; absent for a credit to the account as a whole. */
  invoiceId: Schema.optionalKey(InvoiceId),
  reason: Schema.optionalKey(Schema.String),
  lines: Schema.Array(DocumentLine),
  taxLines: Schema.Array(TaxLine),
  /** Stated as positive amounts: a credit note of 100 reduces the balance by 100. */
  totals: StatedTotals
})
export type CreditNote = typeof CreditNote.Type
