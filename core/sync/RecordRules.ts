// The billing rules a synced record must pass before it is written, as pure checks. Each gives a reason to
// reject (the record goes to the quarantine) and warnings (the record is written, the figure is reported).
import { Result } from "effect"
import {
  checkStatedTotals,
  type RoundingPolicy,
  type StatedDocument,
  type TotalsDiscrepancy
} from "../billing/Totals.ts"
import * as Money from "../domain/Money.ts"
import type { Payment } from "../domain/Payment.ts"

/** The outcome of a check: a rejection reason, or acceptance with warnings. */
export type RuleOutcome =
  | { readonly _tag: "Rejected"; readonly reason: string }
  | { readonly _tag: "Accepted"; readonly warnings: ReadonlyArray<string> }

const rejected = (reason: string): RuleOutcome => ({ _tag: "Rejected", reason })
const accepted = (warnings: ReadonlyArray<string> = []): RuleOutcome => ({ _tag: "Accepted", warnings })

const describe = (d: TotalsDiscrepancy): string => {
  const where =
    d.lineNumber !== undefined
      ? ` of line ${d.lineNumber}`
      : d.taxCode !== undefined
        ? ` of tax ${d.taxCode === "" ? "" : `${d.taxCode} `}at ${d.taxRate ?? "?"}%`
        : ""
  return `stated ${d.figure}${where} is ${Money.toDecimal(d.stated)}, the lines give ${Money.toDecimal(d.computed)}`
}

/**
 * Checks an invoice's or credit note's stated figures. Rejected: a stated amount in another currency, or
 * stated totals that contradict themselves (total ≠ net + tax): the document cannot be shown truthfully.
 * Only reported: stated figures that differ from what the lines recompute to (ERPs round differently; the
 * ERP's figures stay the truth), and tax-line figures when the source states no tax lines at all.
 */
export const checkDocument = (doc: StatedDocument, policy: RoundingPolicy): RuleOutcome => {
  const { net, tax, total } = doc.totals
  if (net.currency !== doc.currency || tax.currency !== doc.currency || total.currency !== doc.currency) {
    return rejected(`the stated totals are not all in the document's currency ${doc.currency}`)
  }
  if (net.minor + tax.minor !== total.minor) {
    return rejected(
      `the stated total ${Money.toDecimal(total)} is not net ${Money.toDecimal(net)} + tax ${Money.toDecimal(tax)}`
    )
  }
  const checked = checkStatedTotals(doc, policy)
  if (Result.isFailure(checked)) return rejected(checked.failure.message)
  const relevant = checked.success.filter(
    (d) => doc.taxLines.length > 0 || (d.figure !== "tax-line-taxable" && d.figure !== "tax-line-tax")
  )
  return accepted(relevant.map(describe))
}

/**
 * Checks a payment on its own: every allocation positive, in the payment's currency, at most one per
 * invoice, and together no more than the payment's amount (the rest is account credit).
 */
export const checkPayment = (payment: Payment): RuleOutcome => {
  if (payment.amount.minor < 0) return rejected(`the amount ${Money.toDecimal(payment.amount)} is negative`)
  const seen = new Set<string>()
  let allocated = 0
  for (const allocation of payment.allocations) {
    if (allocation.amount.currency !== payment.amount.currency) {
      return rejected(
        `the allocation to ${allocation.invoiceId} is in ${allocation.amount.currency}, the payment in ${payment.amount.currency}`
      )
    }
    if (allocation.amount.minor <= 0) {
      return rejected(
        `the allocation to ${allocation.invoiceId} is ${Money.toDecimal(allocation.amount)}, not positive`
      )
    }
    if (seen.has(allocation.invoiceId)) return rejected(`${allocation.invoiceId} is allocated twice`)
    seen.add(allocation.invoiceId)
    allocated += allocation.amount.minor
  }
  if (allocated > payment.amount.minor) {
    return rejected(
      `the allocations add up to ${Money.toDecimal(Money.make(payment.amount.currency, allocated))}, more than the payment's ${Money.toDecimal(payment.amount)}`
    )
  }
  return accepted()
}
