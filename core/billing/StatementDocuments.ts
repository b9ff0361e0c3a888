// What statements are built from: an account's invoices, credit notes, payments and dated adjustments, in
// every currency together, and the errors that say they do not add up.
import { Schema } from "effect"
import type { CurrencyCode } from "../domain/Currency.ts"
import type { CreditNoteId, InvoiceId, PaymentId } from "../domain/Ids.ts"
import type { LocalDate } from "../domain/LocalDate.ts"
import type { AmountOverflow, Money } from "../domain/Money.ts"
import type { InvoiceEvent, ReversalKind } from "./InvoiceEvents.ts"

/** What a statement needs of an invoice (an Invoice fits). */
export interface StatementInvoice {
  readonly id: InvoiceId
  readonly number: string
  readonly issueDate: LocalDate
  readonly dueDate: LocalDate
  readonly currency: CurrencyCode
  readonly totals: { readonly total: Money }
}

/** What a statement needs of a credit note (a CreditNote fits). */
export interface StatementCreditNote {
  readonly id: CreditNoteId
  readonly number: string
  readonly issueDate: LocalDate
  readonly currency: CurrencyCode
  readonly invoiceId?: InvoiceId
  readonly totals: { readonly total: Money }
}

/** What a statement needs of a payment (a Payment fits). Allocations take effect on the received date. */
export interface StatementPayment {
  readonly id: PaymentId
  readonly reference: string
  readonly receivedDate: LocalDate
  readonly amount: Money
  readonly allocations: ReadonlyArray<{ readonly invoiceId: InvoiceId; readonly amount: Money }>
}

/**
 * Dated changes that are not documents of their own: money returned from a payment (on one invoice's allocation
 * when `invoiceId` is given, else on the payment's unallocated part), a write-off, a void.
 */
export type StatementAdjustment =
  | {
      readonly kind: ReversalKind
      readonly paymentId: PaymentId
      readonly date: LocalDate
      readonly amount: Money
      readonly invoiceId?: InvoiceId
    }
  | { readonly kind: "write-off"; readonly invoiceId: InvoiceId; readonly date: LocalDate; readonly amount: Money }
  | { readonly kind: "void"; readonly invoiceId: InvoiceId; readonly date: LocalDate }

/** An account's documents, all currencies together. */
export interface StatementDocuments {
  readonly invoices: ReadonlyArray<StatementInvoice>
  readonly creditNotes: ReadonlyArray<StatementCreditNote>
  readonly payments: ReadonlyArray<StatementPayment>
  readonly adjustments?: ReadonlyArray<StatementAdjustment>
}

/** The adjustments (reversals, write-offs, voids) in one invoice's event history. */
export const adjustmentsFromInvoiceEvents = (
  invoiceId: InvoiceId,
  events: Iterable<InvoiceEvent>
): ReadonlyArray<StatementAdjustment> => {
  const out: Array<StatementAdjustment> = []
  for (const event of events) {
    if (event._tag === "PaymentReversed") {
      out.push({
        kind: event.kind,
        paymentId: event.paymentId,
        date: event.occurredOn,
        amount: event.amount,
        invoiceId
      })
    } else if (event._tag === "WrittenOff") {
      out.push({ kind: "write-off", invoiceId, date: event.occurredOn, amount: event.amount })
    } else if (event._tag === "Voided") {
      out.push({ kind: "void", invoiceId, date: event.occurredOn })
    }
  }
  return out
}

/** The documents do not add up (a void of an unknown invoice, allocations beyond the payment...). */
export class InvalidStatementInput extends Schema.TaggedError<InvalidStatementInput>()("InvalidStatementInput", {
  documentId: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `cannot build a statement: ${this.documentId}: ${this.reason}`
  }
}

/** A period that ends before it starts. */
export class InvalidPeriod extends Schema.TaggedError<InvalidPeriod>()("InvalidPeriod", {
  from: Schema.String,
  to: Schema.String
}) {
  override get message(): string {
    return `the period ${this.from} to ${this.to} ends before it starts`
  }
}

/** Every reason a statement cannot be built. */
export type StatementError = InvalidStatementInput | InvalidPeriod | AmountOverflow

/** The currencies the documents use, sorted. */
export const statementCurrencies = (docs: StatementDocuments): ReadonlyArray<CurrencyCode> =>
  [
    ...new Set<CurrencyCode>([
      ...docs.invoices.map((i) => i.currency),
      ...docs.creditNotes.map((c) => c.currency),
      ...docs.payments.map((p) => p.amount.currency)
    ])
  ].sort()
