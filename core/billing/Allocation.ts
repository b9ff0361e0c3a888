// Spreading one payment over open invoices: to invoices the payer chose, or oldest due first. What is left is
// account credit. Every plan reconciles to the minor unit: Σ allocations + unallocated = the payment.
import { Result, Schema } from "effect"
import type { CurrencyCode } from "../domain/Currency.ts"
import type { InvoiceId } from "../domain/Ids.ts"
import type { LocalDate } from "../domain/LocalDate.ts"
import { CurrencyMismatch, Money, make as moneyOf } from "../domain/Money.ts"
import type { Allocation } from "../domain/Payment.ts"

/** What allocation needs to know of an invoice: an Invoice's header plus its open balance. */
export interface OpenInvoice {
  readonly id: InvoiceId
  readonly number: string
  readonly issueDate: LocalDate
  readonly dueDate: LocalDate
  readonly open: Money
}

/** A chosen invoice, with the amount to put on it; without `amount`, as much as is open (or as is left). */
export interface AllocationTarget {
  readonly invoiceId: InvoiceId
  readonly amount?: Money
}

/** Where a payment goes. Always `Σ allocations.amount + unallocated = amount`, all in `amount.currency`. */
export interface AllocationPlan {
  readonly amount: Money
  /** One entry per invoice that receives something (never a zero amount), in allocation order. */
  readonly allocations: ReadonlyArray<Allocation>
  /** What no invoice takes: it becomes account credit. */
  readonly unallocated: Money
}

/** A negative payment or allocation amount. */
export class NegativeAllocationAmount extends Schema.TaggedError<NegativeAllocationAmount>()(
  "NegativeAllocationAmount",
  { field: Schema.String, amount: Money }
) {
  override get message(): string {
    return `${this.field} cannot be negative (${this.amount.minor} minor units of ${this.amount.currency})`
  }
}

/** A target names an invoice that is not among the open invoices given. */
export class UnknownInvoice extends Schema.TaggedError<UnknownInvoice>()("UnknownInvoice", {
  invoiceId: Schema.String
}) {
  override get message(): string {
    return `invoice ${this.invoiceId} is not among the account's open invoices`
  }
}

/** The same invoice is chosen twice. */
export class DuplicateAllocationTarget extends Schema.TaggedError<DuplicateAllocationTarget>()(
  "DuplicateAllocationTarget",
  { invoiceId: Schema.String }
) {
  override get message(): string {
    return `invoice ${this.invoiceId} is chosen more than once`
  }
}

/** A target asks for more than the invoice has open. */
export class AllocationExceedsOpenBalance extends Schema.TaggedError<AllocationExceedsOpenBalance>()(
  "AllocationExceedsOpenBalance",
  { invoiceId: Schema.String, requested: Money, open: Money }
) {
  override get message(): string {
    return `cannot put ${this.requested.minor} on invoice ${this.invoiceId}: only ${this.open.minor} is open`
  }
}

/** Explicit target amounts add up to more than the payment. */
export class AllocationExceedsPayment extends Schema.TaggedError<AllocationExceedsPayment>()(
  "AllocationExceedsPayment",
  { invoiceId: Schema.String, requested: Money, remaining: Money }
) {
  override get message(): string {
    return `cannot put ${this.requested.minor} on invoice ${this.invoiceId}: only ${this.remaining.minor} of the payment is left`
  }
}

/** Every reason an allocation is refused. */
export type AllocationError =
  | CurrencyMismatch
  | NegativeAllocationAmount
  | UnknownInvoice
  | DuplicateAllocationTarget
  | AllocationExceedsOpenBalance
  | AllocationExceedsPayment

const checkPayment = (amount: Money): AllocationError | undefined =>
  amount.minor < 0 ? new NegativeAllocationAmount({ field: "payment amount", amount }) : undefined

const plan = (
  currency: CurrencyCode,
  amount: Money,
  taken: ReadonlyArray<Allocation>,
  left: number
): AllocationPlan => ({
  amount,
  allocations: taken,
  unallocated: moneyOf(currency, left)
})

/**
 * Allocates `amount` to the chosen invoices in the order given. A target with an `amount` gets exactly that
 * (it must be at most the invoice's open balance and at most what is left of the payment); a target without
 * one gets its whole open balance, or what is left of the payment if that is less. What no target takes is
 * unallocated (account credit). Invoices with nothing open take nothing.
 */
export const allocateToChosen = (
  amount: Money,
  targets: ReadonlyArray<AllocationTarget>,
  invoices: ReadonlyArray<OpenInvoice>
): Result.Result<AllocationPlan, AllocationError> => {
  const currency = amount.currency
  const invalid = checkPayment(amount)
  if (invalid !== undefined) return Result.fail(invalid)
  const byId = new Map(invoices.map((invoice) => [invoice.id, invoice]))
  const seen = new Set<InvoiceId>()
  const taken: Array<Allocation> = []
  let left = amount.minor
  for (const target of targets) {
    const invoice = byId.get(target.invoiceId)
    if (invoice === undefined) return Result.fail(new UnknownInvoice({ invoiceId: target.invoiceId }))
    if (seen.has(target.invoiceId)) return Result.fail(new DuplicateAllocationTarget({ invoiceId: target.invoiceId }))
    seen.add(target.invoiceId)
    if (invoice.open.currency !== currency) {
      return Result.fail(new CurrencyMismatch({ expected: currency, actual: invoice.open.currency }))
    }
    const open = Math.max(0, invoice.open.minor)
    let take: number
    if (target.amount === undefined) {
      take = Math.min(open, left)
    } else {
      const requested = target.amount
      if (requested.currency !== currency) {
        return Result.fail(new CurrencyMismatch({ expected: currency, actual: requested.currency }))
      }
      if (requested.minor < 0) {
        return Result.fail(new NegativeAllocationAmount({ field: "allocation amount", amount: requested }))
      }
      if (requested.minor > open) {
        return Result.fail(
          new AllocationExceedsOpenBalance({ invoiceId: invoice.id, requested, open: moneyOf(currency, open) })
        )
      }
      if (requested.minor > left) {
        return Result.fail(
          new AllocationExceedsPayment({ invoiceId: invoice.id, requested, remaining: moneyOf(currency, left) })
        )
      }
      take = requested.minor
    }
    if (take > 0) taken.push({ invoiceId: invoice.id, amount: moneyOf(currency, take) })
    left -= take
  }
  return Result.succeed(plan(currency, amount, taken, left))
}

/**
 * The order "oldest first" pays in: earliest due date, then earliest issue date, then invoice number, then id
 * (so the order is total and the same on every run).
 */
export const oldestDueFirst = (a: OpenInvoice, b: OpenInvoice): number => {
  const keys: ReadonlyArray<readonly [string, string]> = [
    [a.dueDate, b.dueDate],
    [a.issueDate, b.issueDate],
    [a.number, b.number],
    [a.id, b.id]
  ]
  for (const [x, y] of keys) if (x !== y) return x < y ? -1 : 1
  return 0
}

/**
 * Allocates `amount` to every open invoice in its currency, oldest due first (see `oldestDueFirst`), each up to
 * its open balance; invoices in other currencies are left alone. The rest is unallocated (account credit).
 */
export const allocateOldestFirst = (
  amount: Money,
  invoices: ReadonlyArray<OpenInvoice>
): Result.Result<AllocationPlan, AllocationError> => {
  const invalid = checkPayment(amount)
  if (invalid !== undefined) return Result.fail(invalid)
  const currency = amount.currency
  const candidates = invoices
    .filter((invoice) => invoice.open.currency === currency && invoice.open.minor > 0)
    .sort(oldestDueFirst)
  const taken: Array<Allocation> = []
  let left = amount.minor
  for (const invoice of candidates) {
    if (left === 0) break
    const take = Math.min(invoice.open.minor, left)
    taken.push({ invoiceId: invoice.id, amount: moneyOf(currency, take) })
    left -= take
  }
  return Result.succeed(plan(currency, amount, taken, left))
}
