// The payer's forms read into what the payment service takes: amounts typed as decimal strings become exact
// minor units (never floats), chosen invoices must be open on the account, and every mistake becomes a
// sentence the page can show. Pure: the page reads the form and the account, this decides.
import { Result } from "effect"
import type { CurrencyCode } from "../../../core/domain/Currency.ts"
import type { InvoiceId } from "../../../core/domain/Ids.ts"
import { fromDecimal, type Money, toDecimal } from "../../../core/domain/Money.ts"
import type { PayableInvoice } from "../PaymentLedger.ts"
import type { Payable, PaySelection } from "../Payments.ts"

/** A form that cannot be acted on: a sentence for the payer. */
export interface FormProblem {
  readonly _tag: "Invalid"
  readonly message: string
}

/** A form naming an invoice that is not open on the account (someone else's, or none at all). */
export interface UnknownInvoice {
  readonly _tag: "Unknown"
}

/** "EUR 119.00": how the pages write an amount. */
export const formatMoney = (money: Money): string => `${money.currency} ${toDecimal(money)}`

const invalid = (message: string): FormProblem => ({ _tag: "Invalid", message })

const plainAmount = /^\d+(\.\d+)?$/

/** A positive amount in `currency` typed by the payer ("12.50", "12"); `label` names the field in messages. */
export const parseAmount = (
  currency: CurrencyCode,
  input: string,
  label: string
): Result.Result<Money, FormProblem> => {
  const text = input.trim()
  if (text === "") return Result.fail(invalid(`Enter ${label}.`))
  if (!plainAmount.test(text)) {
    return Result.fail(invalid(`Write ${label} as digits with a "." before the cents, such as 12.50.`))
  }
  const parsed = fromDecimal(currency, text)
  if (Result.isFailure(parsed)) {
    return Result.fail(invalid(`${capitalized(label)} has too many decimals: ${parsed.failure.reason}.`))
  }
  if (parsed.success.minor <= 0) return Result.fail(invalid(`${capitalized(label)} must be more than zero.`))
  return Result.succeed(parsed.success)
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

/** The form field holding the amount typed for one invoice. */
export const amountField = (invoiceId: string): string => `amount-${invoiceId}`

/** The chosen invoices, each open on the account; `Unknown` when one is not. */
export const chosenInvoices = (
  form: URLSearchParams,
  open: ReadonlyArray<PayableInvoice>
): Result.Result<ReadonlyArray<PayableInvoice>, UnknownInvoice> => {
  const byId = new Map(open.map((invoice) => [invoice.id as string, invoice]))
  const chosen: Array<PayableInvoice> = []
  for (const id of new Set(form.getAll("invoice"))) {
    const invoice = byId.get(id)
    if (invoice === undefined) return Result.fail({ _tag: "Unknown" })
    chosen.push(invoice)
  }
  return Result.succeed(chosen)
}

/** Invoices that can be paid now (a disputed one waits for its dispute). */
export const payableNow = (invoices: ReadonlyArray<PayableInvoice>): ReadonlyArray<PayableInvoice> =>
  invoices.filter((invoice) => invoice.status !== "disputed")

/** What is open per currency (disputed invoices left out), in the order the currencies first appear. */
export const openTotals = (invoices: ReadonlyArray<PayableInvoice>): ReadonlyArray<Money> => {
  const totals = new Map<CurrencyCode, number>()
  for (const invoice of payableNow(invoices)) {
    totals.set(invoice.open.currency, (totals.get(invoice.open.currency) ?? 0) + invoice.open.minor)
  }
  return [...totals].map(([currency, minor]) => ({ currency, minor }))
}

/** The pay form's submit buttons: pay the chosen invoices, everything open in a currency, or an amount. */
export const payActions = {
  selected: "selected",
  amount: "amount",
  all: (currency: string) => `all:${currency}`
} as const

const choiceOf = (
  form: URLSearchParams,
  payable: Payable
): Result.Result<PaySelection, FormProblem | UnknownInvoice> => {
  const chosen = chosenInvoices(form, payable.invoices)
  if (Result.isFailure(chosen)) return Result.fail(chosen.failure)
  if (chosen.success.length === 0) return Result.fail(invalid("Choose at least one invoice to pay."))
  const currencies = new Set(chosen.success.map((invoice) => invoice.open.currency))
  if (currencies.size > 1) return Result.fail(invalid("Choose invoices in one currency for each payment."))
  const invoices: Array<{ readonly invoiceId: InvoiceId; readonly amount?: Money }> = []
  for (const invoice of chosen.success) {
    const typed = form.get(amountField(invoice.id)) ?? ""
    if (typed.trim() === "") {
      invoices.push({ invoiceId: invoice.id })
      continue
    }
    const amount = parseAmount(invoice.open.currency, typed, `the amount for ${invoice.number}`)
    if (Result.isFailure(amount)) return Result.fail(amount.failure)
    if (amount.success.minor > invoice.open.minor) {
      return Result.fail(
        invalid(`The amount for ${invoice.number} is more than the ${formatMoney(invoice.open)} open on it.`)
      )
    }
    // the whole open balance is a full payment, which no partial minimum applies to
    invoices.push(
      amount.success.minor === invoice.open.minor
        ? { invoiceId: invoice.id }
        : { invoiceId: invoice.id, amount: amount.success }
    )
  }
  return Result.succeed({ _tag: "Invoices", invoices })
}

/** Reads the pay form (its `action` says which of its parts was submitted) into a selection. */
export const readPayForm = (
  form: URLSearchParams,
  payable: Payable
): Result.Result<PaySelection, FormProblem | UnknownInvoice> => {
  const action = form.get("action") ?? ""
  if (action === payActions.selected) return choiceOf(form, payable)
  if (action === payActions.amount) {
    return Result.map(parseAmount(payable.currency, form.get("advance") ?? "", "the amount to pay"), (amount) => ({
      _tag: "Amount" as const,
      amount
    }))
  }
  const all = openTotals(payable.invoices).find((total) => action === payActions.all(total.currency))
  if (all !== undefined) return Result.succeed({ _tag: "AllOpen", currency: all.currency })
  return Result.fail(invalid("Nothing is open to pay in that currency any more."))
}

/** The apply-credit form: the credit's currency (one the account has credit in) and the chosen invoices. */
export const readCreditForm = (
  form: URLSearchParams,
  payable: Payable
): Result.Result<
  { readonly currency: CurrencyCode; readonly invoiceIds: ReadonlyArray<InvoiceId> | undefined },
  FormProblem | UnknownInvoice
> => {
  const credit = payable.credit.find((c) => c.currency === form.get("currency") && c.minor > 0)
  if (credit === undefined) return Result.fail(invalid("There is no credit in that currency to apply."))
  const chosen = chosenInvoices(form, payable.invoices)
  if (Result.isFailure(chosen)) return Result.fail(chosen.failure)
  if (chosen.success.some((invoice) => invoice.open.currency !== credit.currency)) {
    return Result.fail(invalid(`Credit in ${credit.currency} applies to invoices in ${credit.currency} only.`))
  }
  // nothing chosen: the service applies it oldest due first
  return Result.succeed({
    currency: credit.currency,
    invoiceIds: chosen.success.length === 0 ? undefined : chosen.success.map((invoice) => invoice.id)
  })
}

const attemptPattern = /^[A-Za-z0-9-]{16,64}$/

/** The attempt id a page rendered into its form, when it looks like one. */
export const validAttempt = (value: string | null): string | undefined =>
  value !== null && attemptPattern.test(value) ? value : undefined

/**
 * The idempotency key of a submitted choice: the form's attempt id with what was chosen. A repeated submit of
 * the same choice finds the first checkout; a changed choice starts a new one.
 */
export const attemptKey = (attempt: string, selection: PaySelection): string =>
  `${attempt}:${JSON.stringify(selection)}`
