// A payment received from a customer, allocated across invoices; what is not allocated is account credit.
import { Schema } from "effect"
import { AccountId, InvoiceId, PaymentId, SourceRef } from "./Ids.ts"
import { LocalDate } from "./LocalDate.ts"
import { Money } from "./Money.ts"

/** The part of a payment applied to one invoice. */
export const Allocation = Schema.Struct({ invoiceId: InvoiceId, amount: Money })
export type Allocation = typeof Allocation.Type

/** A payment and where it went. The unallocated rest (amount - allocations) is account credit. */
export const Payment = Schema.Struct({
  id: PaymentId,
  accountId: AccountId,
  source: SourceRef,
  /** The payer's or bank's reference. */
  reference: Schema.String,
  receivedDate: LocalDate,
  amount: Money,
  method: Schema.optionalKey(Schema.String),
  allocations: Schema.Array(Allocation)
})
export type Payment = typeof Payment.Type
