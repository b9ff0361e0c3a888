// The facts and intents of one invoice's life: events (what happened) and commands (what someone asks for).
// Both are Schemas, so the store can persist events and the HTTP layer can decode commands.
import { Schema } from "effect"
import { CurrencyCode } from "../domain/Currency.ts"
import { CreditNoteId, EventId, InvoiceId, PaymentId } from "../domain/Ids.ts"
import { LocalDate } from "../domain/LocalDate.ts"
import { Money } from "../domain/Money.ts"

/** How a payment is taken back: refunded by the business, or charged back through the customer's bank. */
export const ReversalKind = Schema.Literals(["refund", "chargeback"])
export type ReversalKind = typeof ReversalKind.Type

const envelope = {
  /** Identifies the event: an event id already applied to an invoice changes nothing when seen again. */
  eventId: EventId,
  /** The day the event takes effect (today, or the ERP's posting date when syncing). */
  occurredOn: LocalDate
}

/** The invoice was issued for `total`, due on `dueDate`. The issue date is `occurredOn`. */
export const InvoiceIssued = Schema.TaggedStruct("InvoiceIssued", {
  ...envelope,
  invoiceId: InvoiceId,
  total: Money,
  dueDate: LocalDate,
  currency: CurrencyCode
})
export type InvoiceIssued = typeof InvoiceIssued.Type

/** Part (or all, or more than all) of a payment was applied to the invoice. */
export const PaymentApplied = Schema.TaggedStruct("PaymentApplied", {
  ...envelope,
  paymentId: PaymentId,
  amount: Money
})
export type PaymentApplied = typeof PaymentApplied.Type

/** Money applied from a payment was returned: a refund or a chargeback. */
export const PaymentReversed = Schema.TaggedStruct("PaymentReversed", {
  ...envelope,
  paymentId: PaymentId,
  amount: Money,
  kind: ReversalKind
})
export type PaymentReversed = typeof PaymentReversed.Type

/** A credit note was applied to the invoice. */
export const CreditApplied = Schema.TaggedStruct("CreditApplied", {
  ...envelope,
  creditNoteId: CreditNoteId,
  amount: Money
})
export type CreditApplied = typeof CreditApplied.Type

/** The customer disputes the invoice; collection pauses until the dispute is resolved. */
export const Disputed = Schema.TaggedStruct("Disputed", { ...envelope, reason: Schema.String })
export type Disputed = typeof Disputed.Type

/** The dispute is over (how it was settled shows in the credits, payments or write-offs around it). */
export const DisputeResolved = Schema.TaggedStruct("DisputeResolved", { ...envelope })
export type DisputeResolved = typeof DisputeResolved.Type

/** The invoice was cancelled: it owes nothing and accepts nothing more. */
export const Voided = Schema.TaggedStruct("Voided", { ...envelope, reason: Schema.String })
export type Voided = typeof Voided.Type

/** Part or all of the open balance was written off as uncollectable. */
export const WrittenOff = Schema.TaggedStruct("WrittenOff", { ...envelope, amount: Money, reason: Schema.String })
export type WrittenOff = typeof WrittenOff.Type

/** Everything that can happen to an invoice. */
export const InvoiceEvent = Schema.Union([
  InvoiceIssued,
  PaymentApplied,
  PaymentReversed,
  CreditApplied,
  Disputed,
  DisputeResolved,
  Voided,
  WrittenOff
]).pipe(Schema.toTaggedUnion("_tag"))
export type InvoiceEvent = typeof InvoiceEvent.Type

const intent = {
  /** The id the resulting event gets; retrying a command with the same id is a no-op. */
  eventId: EventId
}

/** Issue the invoice (the currency is the total's). */
export const IssueInvoice = Schema.TaggedStruct("IssueInvoice", {
  ...intent,
  invoiceId: InvoiceId,
  total: Money,
  dueDate: LocalDate
})
export type IssueInvoice = typeof IssueInvoice.Type

/** Apply (part of) a payment; more than the open balance is an overpayment and becomes account credit. */
export const ApplyPayment = Schema.TaggedStruct("ApplyPayment", { ...intent, paymentId: PaymentId, amount: Money })
export type ApplyPayment = typeof ApplyPayment.Type

/** Take back money applied from a payment, at most what that payment has net on this invoice. */
export const ReversePayment = Schema.TaggedStruct("ReversePayment", {
  ...intent,
  paymentId: PaymentId,
  amount: Money,
  kind: ReversalKind
})
export type ReversePayment = typeof ReversePayment.Type

/** Apply a credit note, at most the open balance. */
export const ApplyCredit = Schema.TaggedStruct("ApplyCredit", { ...intent, creditNoteId: CreditNoteId, amount: Money })
export type ApplyCredit = typeof ApplyCredit.Type

/** Open a dispute on an invoice with an open balance. */
export const OpenDispute = Schema.TaggedStruct("OpenDispute", { ...intent, reason: Schema.String })
export type OpenDispute = typeof OpenDispute.Type

/** Close the open dispute. */
export const ResolveDispute = Schema.TaggedStruct("ResolveDispute", { ...intent })
export type ResolveDispute = typeof ResolveDispute.Type

/** Void an invoice that has no payments, credits or write-offs on it. */
export const VoidInvoice = Schema.TaggedStruct("VoidInvoice", { ...intent, reason: Schema.String })
export type VoidInvoice = typeof VoidInvoice.Type

/** Write off part or all of the open balance. */
export const WriteOff = Schema.TaggedStruct("WriteOff", { ...intent, amount: Money, reason: Schema.String })
export type WriteOff = typeof WriteOff.Type

/** Everything someone can ask of an invoice. */
export const InvoiceCommand = Schema.Union([
  IssueInvoice,
  ApplyPayment,
  ReversePayment,
  ApplyCredit,
  OpenDispute,
  ResolveDispute,
  VoidInvoice,
  WriteOff
]).pipe(Schema.toTaggedUnion("_tag"))
export type InvoiceCommand = typeof InvoiceCommand.Type
