// The refusals of the payment service: what was asked, and why it cannot be done.
import { Schema } from "effect"
import { Money } from "../../core/domain/Money.ts"

/** A partial payment of an invoice below the configured minimum. */
export class PartialBelowMinimum extends Schema.TaggedError<PartialBelowMinimum>()("PartialBelowMinimum", {
  invoiceId: Schema.String,
  requested: Money,
  minimum: Money
}) {
  override get message(): string {
    return `a partial payment of invoice ${this.invoiceId} must be at least ${this.minimum.minor} minor units of ${this.minimum.currency}`
  }
}

/** Nothing to pay: no open invoice, or a zero amount. */
export class NothingToPay extends Schema.TaggedError<NothingToPay>()("NothingToPay", { detail: Schema.String }) {}

/** The payment request is not valid (mixed currencies, an unknown invoice, advance payments switched off...). */
export class PaymentRequestInvalid extends Schema.TaggedError<PaymentRequestInvalid>()("PaymentRequestInvalid", {
  detail: Schema.String
}) {}

/** No payment, intent, saved method or enrolment with this id for the account. */
export class PaymentRecordNotFound extends Schema.TaggedError<PaymentRecordNotFound>()("PaymentRecordNotFound", {
  kind: Schema.String,
  id: Schema.String
}) {
  override get message(): string {
    return `${this.kind} ${this.id} not found`
  }
}
