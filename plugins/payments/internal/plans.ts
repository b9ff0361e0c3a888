// The pure allocation steps of the payment service: what a selection charges (checked against what is open
// and against the settings), how a confirmed intent is allocated against what is open by then, and how
// credit applied later extends a payment's allocations. No I/O: the service reads, these decide.
import { Result } from "effect"
import {
  type AllocationError,
  type AllocationPlan,
  allocateOldestFirst,
  allocateToChosen
} from "../../../core/billing/Allocation.ts"
import type { Money } from "../../../core/domain/Money.ts"
import type { Payment } from "../../../core/domain/Payment.ts"
import { PartialBelowMinimum, PaymentRequestInvalid } from "../PaymentErrors.ts"
import type { IntentRecord } from "../PaymentIntent.ts"
import type { PayableInvoice } from "../PaymentLedger.ts"
import type { PaySelection } from "../Payments.ts"
import type { ResolvedPaymentsSettings } from "../PaymentsSettings.ts"

/** An intent's kind as stored. */
export type IntentKind = "invoices" | "all-open" | "advance"

/** What a selection charges and where it is meant to go. */
export interface SelectionPlan {
  readonly kind: IntentKind
  readonly plan: AllocationPlan
}

/** Plans a selection against the open invoices: partial minimums, advance payments, allocation rules. */
export const planSelection = (
  selection: PaySelection,
  open: ReadonlyArray<PayableInvoice>,
  settings: Pick<ResolvedPaymentsSettings, "minimumPartial" | "advancePayments">
): Result.Result<SelectionPlan, AllocationError | PartialBelowMinimum | PaymentRequestInvalid> => {
  switch (selection._tag) {
    case "Invoices": {
      const first = open.find((i) => i.id === selection.invoices[0]?.invoiceId)
      if (first === undefined) {
        return Result.fail(new PaymentRequestInvalid({ detail: "choose at least one open invoice of the account" }))
      }
      const currency = first.open.currency
      const minimum = settings.minimumPartial.get(currency)
      const byId = new Map(open.map((i) => [i.id as string, i]))
      let total = 0
      for (const target of selection.invoices) {
        const invoice = byId.get(target.invoiceId)
        const amount = target.amount?.minor ?? invoice?.open.minor ?? 0
        total += amount
        const partial = invoice !== undefined && target.amount !== undefined && amount < invoice.open.minor
        if (partial && target.amount !== undefined && minimum !== undefined && amount < minimum.minor) {
          return Result.fail(
            new PartialBelowMinimum({ invoiceId: target.invoiceId, requested: target.amount, minimum })
          )
        }
      }
      return Result.map(allocateToChosen({ currency, minor: total }, selection.invoices, open), (plan) => ({
        kind: "invoices" as const,
        plan
      }))
    }
    case "AllOpen": {
      const payable = open.filter((i) => i.status !== "disputed" && i.open.currency === selection.currency)
      const total = payable.reduce((sum, i) => sum + i.open.minor, 0)
      return Result.map(allocateOldestFirst({ currency: selection.currency, minor: total }, payable), (plan) => ({
        kind: "all-open" as const,
        plan
      }))
    }
    case "Amount": {
      const planned = allocateOldestFirst(
        selection.amount,
        open.filter((i) => i.status !== "disputed")
      )
      if (Result.isFailure(planned)) return Result.fail(planned.failure)
      const plan = planned.success
      if (plan.unallocated.minor > 0 && !settings.advancePayments) {
        return Result.fail(new PaymentRequestInvalid({ detail: "payments beyond what is owed are not accepted" }))
      }
      return Result.succeed({ kind: plan.allocations.length === 0 ? "advance" : "all-open", plan })
    }
  }
}

/**
 * Allocates a confirmed intent against what is open now: chosen invoices (and AutoPay's) take at most their
 * target and at most what they still have open; the other kinds go oldest due first (an advance payment to
 * nothing). What is left is account credit.
 */
export const allocateConfirmed = (
  intent: IntentRecord,
  amount: Money,
  open: ReadonlyArray<PayableInvoice>
): Result.Result<AllocationPlan, AllocationError> => {
  if (intent.kind === "invoices" || intent.kind === "autopay") {
    const byId = new Map(open.map((i) => [i.id as string, i]))
    const targets = intent.targets.flatMap((t) => {
      const invoice = byId.get(t.invoiceId)
      if (invoice === undefined || invoice.open.currency !== amount.currency) return []
      return [
        {
          invoiceId: invoice.id,
          amount: { currency: amount.currency, minor: Math.min(t.amountMinor, invoice.open.minor) }
        }
      ]
    })
    return allocateToChosen(amount, targets, open)
  }
  return allocateOldestFirst(amount, intent.kind === "advance" ? [] : open.filter((i) => i.status !== "disputed"))
}

/** The targets an intent stores: each allocated invoice and its amount. */
export const targetsOf = (plan: AllocationPlan) =>
  plan.allocations.map((a) => ({ invoiceId: a.invoiceId as string, amountMinor: a.amount.minor }))

/** The payment with `plan`'s allocations added to those it already has. */
export const mergeAllocations = (payment: Payment, plan: AllocationPlan): Payment => {
  const amounts = new Map(payment.allocations.map((a) => [a.invoiceId, a.amount.minor]))
  for (const a of plan.allocations) amounts.set(a.invoiceId, (amounts.get(a.invoiceId) ?? 0) + a.amount.minor)
  return {
    ...payment,
    allocations: [...amounts].map(([invoiceId, minor]) => ({
      invoiceId,
      amount: { currency: payment.amount.currency, minor }
    }))
  }
}

/**
 * The payment after refunding `minor` of it: the refund comes out of its unallocated rest (account credit)
 * first, then off its invoices, the last allocated first; the payment's amount shrinks by the refund.
 */
export const refundFrom = (payment: Payment, minor: number): Payment => {
  const allocated = payment.allocations.reduce((sum, a) => sum + a.amount.minor, 0)
  let left = Math.max(0, minor - (payment.amount.minor - allocated))
  const allocations = [...payment.allocations]
    .reverse()
    .map((a) => {
      const take = Math.min(left, a.amount.minor)
      left -= take
      return { invoiceId: a.invoiceId, amount: { currency: a.amount.currency, minor: a.amount.minor - take } }
    })
    .reverse()
  return {
    ...payment,
    amount: { currency: payment.amount.currency, minor: payment.amount.minor - minor },
    allocations
  }
}
