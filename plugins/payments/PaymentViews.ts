// The bodies of the payer's pages, as escaped HTML (the starter's `html` template): the pay page (open
// invoices to choose, part payments, everything open, an amount, account credit), the confirmation after the
// hosted checkout with its receipt link, and AutoPay. Plain forms, no script (the portal's CSP allows none
// inline); every form that changes something carries the CSRF token.
import { type Money, toDecimal } from "../../core/domain/Money.ts"
import { csrfField } from "../../core/plugin/PortalHost.ts"
import { type Html, html } from "../../starter/server/Html.ts"
import type { Enrolment, SavedMethod } from "./AutoPay.ts"
import { amountField, formatMoney, openTotals, payActions } from "./internal/payForm.ts"
import type { IntentRecord } from "./PaymentIntent.ts"
import { paymentPaths } from "./PaymentPaths.ts"
import type { Payable } from "./Payments.ts"

/** A line above a page's forms: what went wrong, or what was just done. */
export interface PageMessage {
  readonly kind: "error" | "notice"
  readonly text: string
}

const csrfInput = (token: string): Html => html`<input type="hidden" name="${csrfField}" value="${token}">`

const message = (shown: PageMessage | undefined): Html =>
  shown === undefined
    ? html``
    : shown.kind === "error"
      ? html`<p class="error" role="alert">${shown.text}</p>`
      : html`<p class="notice" role="status">${shown.text}</p>`

/** What the pay page shows. */
export interface PayPageOptions {
  readonly payable: Payable
  readonly csrf: string
  /** A fresh attempt id for the forms (the checkout's idempotency key). */
  readonly attempt: string
  /** The smallest part payment in each currency that has one. */
  readonly minimumPartial: ReadonlyMap<string, Money>
  readonly advancePayments: boolean
  /** The account's AutoPay enrolment, when it has one. */
  readonly enrolment: Enrolment | undefined
  /** The submitted form, shown again with a refusal (chosen invoices and typed amounts kept). */
  readonly values: URLSearchParams
  readonly message?: PageMessage
}

const autoPayLine = (enrolment: Enrolment | undefined): Html =>
  enrolment === undefined
    ? html`<p><a href="${paymentPaths.autoPay}">Set up AutoPay</a> to have invoices paid on their due date.</p>`
    : html`<p class="notice">This account is on AutoPay (up to ${formatMoney(enrolment.maxAmount)} each run). You can still pay early here. <a href="${paymentPaths.autoPay}">Manage AutoPay</a></p>`

const invoiceRow = (invoice: Payable["invoices"][number], index: number, values: URLSearchParams): Html => {
  const id = `pay-invoice-${index}`
  const chosen = values.getAll("invoice").includes(invoice.id)
  const disputed = invoice.status === "disputed"
  return html`<tr data-invoice="${invoice.id}">
<td class="select"><input type="checkbox" id="${id}" name="invoice" value="${invoice.id}"${chosen ? html` checked` : ""}></td>
<th scope="row"><label for="${id}">${invoice.number}</label>${disputed ? html` <span class="muted">(disputed)</span>` : ""}</th>
<td>${invoice.dueDate}</td>
<td class="num">${formatMoney(invoice.open)}</td>
<td><input type="text" inputmode="decimal" name="${amountField(invoice.id)}" value="${values.get(amountField(invoice.id)) ?? ""}" placeholder="${formatMoney(invoice.open)}" aria-label="Amount to pay on ${invoice.number}" size="12"></td>
</tr>`
}

const minimumHint = (payable: Payable, minimumPartial: ReadonlyMap<string, Money>): Html => {
  const minimums = [...new Set(payable.invoices.map((i) => i.open.currency))].flatMap((currency) => {
    const minimum = minimumPartial.get(currency)
    return minimum === undefined ? [] : [formatMoney(minimum)]
  })
  return html`<p class="hint">Leave the amount empty to pay an invoice's whole open balance, or type less to pay part of it${minimums.length === 0 ? "" : html` (at least ${minimums.join(", ")})`}.</p>`
}

const invoicesSection = (options: PayPageOptions): Html => {
  const { payable } = options
  if (payable.invoices.length === 0) {
    return html`<section aria-labelledby="pay-open"><h2 id="pay-open">Open invoices</h2><p class="notice">Nothing is open on this account.</p></section>`
  }
  return html`<section aria-labelledby="pay-open"><h2 id="pay-open">Open invoices</h2>
<form method="post" action="${paymentPaths.pay}" class="stack pay-invoices">
${csrfInput(options.csrf)}
<input type="hidden" name="attempt" value="${options.attempt}">
<div class="table-scroll"><table class="data">
<caption>Open invoices, oldest due first</caption>
<thead><tr><th scope="col" class="select">Pay</th><th scope="col">Invoice</th><th scope="col">Due</th><th scope="col" class="num">Open</th><th scope="col">Amount to pay</th></tr></thead>
<tbody>${payable.invoices.map((invoice, index) => invoiceRow(invoice, index, options.values))}</tbody>
</table></div>
${minimumHint(payable, options.minimumPartial)}
<p class="actions">
<button type="submit" name="action" value="${payActions.selected}">Pay selected invoices</button>
${openTotals(payable.invoices).map(
  (total) =>
    html` <button type="submit" name="action" value="${payActions.all(total.currency)}">Pay everything open in ${total.currency} (${formatMoney(total)}, oldest due first)</button>`
)}
</p>
</form></section>`
}

const amountSection = (options: PayPageOptions): Html =>
  html`<section aria-labelledby="pay-amount"><h2 id="pay-amount">${options.advancePayments ? "Pay an amount or in advance" : "Pay an amount"}</h2>
<form method="post" action="${paymentPaths.pay}" class="stack">
${csrfInput(options.csrf)}
<input type="hidden" name="attempt" value="${options.attempt}">
<label for="pay-advance">Amount in ${options.payable.currency}</label>
<input id="pay-advance" type="text" inputmode="decimal" name="advance" value="${options.values.get("advance") ?? ""}" placeholder="0.00" size="12">
<p class="hint">${
    options.advancePayments
      ? "It settles your oldest open invoices first; whatever is left becomes account credit for later invoices."
      : "It settles your oldest open invoices first, up to what is open."
  }</p>
<button type="submit" name="action" value="${payActions.amount}">Pay this amount</button>
</form></section>`

const creditSection = (options: PayPageOptions): Html => {
  const credits = options.payable.credit.filter((c) => c.minor > 0)
  if (credits.length === 0) return html``
  return html`<section aria-labelledby="pay-credit"><h2 id="pay-credit">Account credit</h2>
${credits.map((credit) => {
  const invoices = options.payable.invoices.filter(
    (i) => i.open.currency === credit.currency && i.status !== "disputed"
  )
  return html`<form method="post" action="${paymentPaths.credit}" class="stack credit" data-currency="${credit.currency}">
${csrfInput(options.csrf)}
<input type="hidden" name="currency" value="${credit.currency}">
<p>Open credit: <strong class="credit-amount">${formatMoney(credit)}</strong></p>
${
  invoices.length === 0
    ? html`<p class="hint">Nothing in ${credit.currency} is open to apply it to; it stays on the account for later invoices.</p>`
    : html`<fieldset><legend>Apply it to</legend>
${invoices.map(
  (invoice) =>
    html`<label class="check"><input type="checkbox" name="invoice" value="${invoice.id}"> ${invoice.number} (${formatMoney(invoice.open)} open, due ${invoice.dueDate})</label>`
)}
</fieldset>
<p class="hint">Choose none to apply it to the oldest due invoices first.</p>
<button type="submit">Apply credit</button>`
}
</form>`
})}
</section>`
}

/** The pay page. */
export const payPageBody = (options: PayPageOptions): Html => html`<h1>Pay</h1>
${message(options.message)}
${autoPayLine(options.enrolment)}
${invoicesSection(options)}
${amountSection(options)}
${creditSection(options)}`

/** What the confirmation page knows: the intent and, once settled, whether its receipt is ready. */
export interface PaidPageOptions {
  readonly intent: IntentRecord
  readonly receiptReady: boolean
}

/** After the hosted checkout: paid (with the receipt link), still waiting, or not paid. */
export const paidPageBody = ({ intent, receiptReady }: PaidPageOptions): Html => {
  const amount = formatMoney(intent.amount)
  if (intent.status === "succeeded" && intent.paymentId !== null) {
    return html`<h1>Thank you</h1>
<p class="notice" role="status">Your payment of ${amount} is received${intent.targets.length === 0 ? " and is on your account as credit" : ""}.</p>
${
  receiptReady
    ? html`<p><a class="button" href="${paymentPaths.receipt(intent.paymentId)}" download>Download the receipt</a></p>`
    : html`<p class="hint">Your receipt is being prepared. Reload this page in a moment to download it.</p>`
}
<p><a href="${paymentPaths.pay}">Back to payments</a> · <a href="/">Your account</a></p>`
  }
  if (intent.status === "created" || intent.status === "pending") {
    return html`<h1>Payment in progress</h1>
<p class="notice" role="status">We are waiting for the payment provider to confirm your payment of ${amount}. Reload this page in a moment to see the result.</p>
<p><a href="${paymentPaths.pay}">Back to payments</a></p>`
  }
  return html`<h1>Payment not completed</h1>
<p class="error" role="alert">${
    intent.status === "mismatch"
      ? `The amount the provider reported does not match the ${amount} asked for; we will look into it and contact you.`
      : `The payment of ${amount} was not completed, and nothing was charged.`
  }</p>
<p><a href="${paymentPaths.pay}">Back to payments</a></p>`
}

/** What the AutoPay page shows. */
export interface AutoPayPageOptions {
  readonly currency: Payable["currency"]
  readonly enrolment: Enrolment | undefined
  readonly methods: ReadonlyArray<SavedMethod>
  readonly csrf: string
  readonly attempt: string
  /** Whether the principal can enrol (a signed-in contact; a link cannot). */
  readonly canEnrol: boolean
  readonly values: URLSearchParams
  readonly message?: PageMessage
}

const statusSection = (options: AutoPayPageOptions): Html => {
  const { enrolment } = options
  if (enrolment === undefined) {
    return html`<p class="autopay-status">AutoPay is <strong>off</strong>. Invoices are paid when you pay them.</p>`
  }
  const method = options.methods.find((m) => m.id === enrolment.methodId)
  return html`<p class="autopay-status">AutoPay is <strong>on</strong>: invoices are charged to ${method?.label ?? "your saved method"} on their due date, up to ${formatMoney(enrolment.maxAmount)} each run.</p>
<form method="post" action="${paymentPaths.autoPayLeave}" class="inline">
${csrfInput(options.csrf)}
<button type="submit">Leave AutoPay</button>
</form>
<p>You can still <a href="${paymentPaths.pay}">pay early</a>; AutoPay charges only what is left open.</p>`
}

const enrolForm = (options: AutoPayPageOptions): Html => {
  if (!options.canEnrol) return html`<p class="hint">A contact of the account signs in to set up AutoPay.</p>`
  if (options.methods.length === 0) {
    return html`<p>Save a card or a direct-debit mandate with the payment provider first.</p>`
  }
  const chosen = options.values.get("method") ?? options.enrolment?.methodId ?? options.methods[0]?.id
  const max =
    options.values.get("max") ?? (options.enrolment === undefined ? "" : toDecimal(options.enrolment.maxAmount))
  return html`<form method="post" action="${paymentPaths.autoPayEnrol}" class="stack">
${csrfInput(options.csrf)}
<fieldset><legend>Pay with</legend>
${options.methods.map(
  (method) =>
    html`<label class="check"><input type="radio" name="method" value="${method.id}"${method.id === chosen ? html` checked` : ""}> ${method.label}</label>`
)}
</fieldset>
<label for="autopay-max">Charge at most (${options.currency}) each run</label>
<input id="autopay-max" type="text" inputmode="decimal" name="max" value="${max}" placeholder="0.00" size="12" required>
<button type="submit">${options.enrolment === undefined ? "Turn on AutoPay" : "Save changes"}</button>
</form>`
}

/** The AutoPay page: status, leave, enrol or change the method and maximum, save a new method. */
export const autoPayPageBody = (options: AutoPayPageOptions): Html => html`<h1>AutoPay</h1>
${message(options.message)}
${statusSection(options)}
<section aria-labelledby="autopay-settings"><h2 id="autopay-settings">${options.enrolment === undefined ? "Turn on AutoPay" : "Change AutoPay"}</h2>
${enrolForm(options)}
</section>
<section aria-labelledby="autopay-methods"><h2 id="autopay-methods">Saved payment methods</h2>
${
  options.methods.length === 0
    ? html`<p class="muted">None yet.</p>`
    : html`<ul class="methods">${options.methods.map((m) => html`<li>${m.label}</li>`)}</ul>`
}
<form method="post" action="${paymentPaths.autoPayMethod}" class="inline">
${csrfInput(options.csrf)}
<input type="hidden" name="attempt" value="${options.attempt}">
<button type="submit">Save a new payment method</button>
</form>
<p class="hint">The payment provider keeps your card or mandate; the portal keeps only its reference.</p>
</section>`
