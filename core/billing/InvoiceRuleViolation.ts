// The typed reasons an invoice command is refused (and an event is not applied): one Schema.TaggedError each.
import { Schema } from "effect"
import { AmountOverflow, CurrencyMismatch, Money } from "../domain/Money.ts"

/** A command other than IssueInvoice reached an invoice that has not been issued. */
export class InvoiceNotIssued extends Schema.TaggedError<InvoiceNotIssued>()("InvoiceNotIssued", {
  command: Schema.String
}) {
  override get message(): string {
    return `cannot ${this.command}: the invoice has not been issued`
  }
}

/** IssueInvoice reached an invoice that is already issued (under another event id). */
export class AlreadyIssued extends Schema.TaggedError<AlreadyIssued>()("AlreadyIssued", { invoiceId: Schema.String }) {
  override get message(): string {
    return `invoice ${this.invoiceId} is already issued`
  }
}

/** A void invoice accepts nothing more. */
export class InvoiceIsVoid extends Schema.TaggedError<InvoiceIsVoid>()("InvoiceIsVoid", { command: Schema.String }) {
  override get message(): string {
    return `cannot ${this.command}: the invoice is void`
  }
}

/** A written-off invoice accepts no payments, credits, disputes or further write-offs. */
export class InvoiceIsWrittenOff extends Schema.TaggedError<InvoiceIsWrittenOff>()("InvoiceIsWrittenOff", {
  command: Schema.String
}) {
  override get message(): string {
    return `cannot ${this.command}: the invoice is written off`
  }
}

/** An amount that must be positive (a payment, credit, reversal or write-off) was zero or negative. */
export class AmountNotPositive extends Schema.TaggedError<AmountNotPositive>()("AmountNotPositive", {
  field: Schema.String,
  amount: Money
}) {
  override get message(): string {
    return `${this.field} must be positive, got ${this.amount.minor} minor units of ${this.amount.currency}`
  }
}

/** An invoice total below zero (a negative amount owed is a credit note, not an invoice). */
export class NegativeTotal extends Schema.TaggedError<NegativeTotal>()("NegativeTotal", { total: Money }) {
  override get message(): string {
    return `an invoice total cannot be negative (${this.total.minor} minor units of ${this.total.currency})`
  }
}

/** The due date is before the issue date. */
export class DueBeforeIssue extends Schema.TaggedError<DueBeforeIssue>()("DueBeforeIssue", {
  issuedOn: Schema.String,
  dueDate: Schema.String
}) {
  override get message(): string {
    return `due date ${this.dueDate} is before issue date ${this.issuedOn}`
  }
}

/** A credit larger than what is still open: the rest would be a refund, which a credit note is not. */
export class CreditExceedsOpenBalance extends Schema.TaggedError<CreditExceedsOpenBalance>()(
  "CreditExceedsOpenBalance",
  { requested: Money, open: Money }
) {
  override get message(): string {
    return `a credit of ${this.requested.minor} exceeds the open balance of ${this.open.minor} (${this.open.currency} minor units)`
  }
}

/** A write-off larger than what is still open. */
export class WriteOffExceedsOpenBalance extends Schema.TaggedError<WriteOffExceedsOpenBalance>()(
  "WriteOffExceedsOpenBalance",
  { requested: Money, open: Money }
) {
  override get message(): string {
    return `a write-off of ${this.requested.minor} exceeds the open balance of ${this.open.minor} (${this.open.currency} minor units)`
  }
}

/** A reversal of a payment that was never applied to this invoice. */
export class PaymentNotApplied extends Schema.TaggedError<PaymentNotApplied>()("PaymentNotApplied", {
  paymentId: Schema.String
}) {
  override get message(): string {
    return `payment ${this.paymentId} was never applied to this invoice`
  }
}

/** A reversal larger than what the payment still has applied to this invoice. */
export class ReversalExceedsPayment extends Schema.TaggedError<ReversalExceedsPayment>()("ReversalExceedsPayment", {
  paymentId: Schema.String,
  requested: Money,
  applied: Money
}) {
  override get message(): string {
    return `cannot reverse ${this.requested.minor} of payment ${this.paymentId}: only ${this.applied.minor} is applied`
  }
}

/** A dispute opened on an invoice already in dispute. */
export class AlreadyDisputed extends Schema.TaggedError<AlreadyDisputed>()("AlreadyDisputed", {}) {
  override get message(): string {
    return "the invoice is already disputed"
  }
}

/** A dispute resolved on an invoice not in dispute. */
export class NotDisputed extends Schema.TaggedError<NotDisputed>()("NotDisputed", {}) {
  override get message(): string {
    return "the invoice is not disputed"
  }
}

/** A dispute opened on an invoice with nothing left to pay. */
export class NoOpenBalance extends Schema.TaggedError<NoOpenBalance>()("NoOpenBalance", { command: Schema.String }) {
  override get message(): string {
    return `cannot ${this.command}: nothing is open on the invoice`
  }
}

/** A void of an invoice that already has money against it: reverse the payments and credits first. */
export class VoidWithSettlements extends Schema.TaggedError<VoidWithSettlements>()("VoidWithSettlements", {
  paid: Money,
  credited: Money,
  writtenOff: Money
}) {
  override get message(): string {
    return "cannot void an invoice with payments, credits or write-offs applied"
  }
}

/** Every reason `decide` refuses a command. */
export type InvoiceRuleViolation =
  | InvoiceNotIssued
  | AlreadyIssued
  | InvoiceIsVoid
  | InvoiceIsWrittenOff
  | AmountNotPositive
  | NegativeTotal
  | DueBeforeIssue
  | CreditExceedsOpenBalance
  | WriteOffExceedsOpenBalance
  | PaymentNotApplied
  | ReversalExceedsPayment
  | AlreadyDisputed
  | NotDisputed
  | NoOpenBalance
  | VoidWithSettlements
  | CurrencyMismatch
  | AmountOverflow

/** The Schema of every reason `decide` refuses a command (for persisting or sending rejections). */
export const InvoiceRuleViolation = Schema.Union([
  InvoiceNotIssued,
  AlreadyIssued,
  InvoiceIsVoid,
  InvoiceIsWrittenOff,
  AmountNotPositive,
  NegativeTotal,
  DueBeforeIssue,
  CreditExceedsOpenBalance,
  WriteOffExceedsOpenBalance,
  PaymentNotApplied,
  ReversalExceedsPayment,
  AlreadyDisputed,
  NotDisputed,
  NoOpenBalance,
  VoidWithSettlements,
  CurrencyMismatch,
  AmountOverflow
])
