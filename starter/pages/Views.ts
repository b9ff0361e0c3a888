// The bodies of the customer pages, as escaped HTML: account overview, activity with filters, bulk actions
// and keyset pages, invoice detail, statements, documents, billing details and notification settings.
// Every form works without JavaScript; every state-changing form carries the CSRF token.
import type { InvoiceStatusAsOf } from "../../core/billing/InvoiceStateMachine.ts"
import { InvoiceStatusAsOf as StatusSchema } from "../../core/billing/InvoiceStateMachine.ts"
import type { Address } from "../../core/domain/Account.ts"
import type {
  AccountOverview,
  Activity,
  BillingDetails,
  InvoicePageData,
  NotificationSettings,
  StatementResult
} from "../../core/portal/index.ts"
import type { DocumentListItem } from "../../core/portal/PortalStore.ts"
import { openItemLabel, statementLineLabel } from "../../core/render/Labels.ts"
import { paymentPaths } from "../../plugins/payments/PaymentPaths.ts"
import { csrfFieldName } from "../auth/Csrf.ts"
import { type Html, html } from "../server/Html.ts"
import type { PageFormat } from "./Formatting.ts"
import type { ActivityForm, StatementForm } from "./Forms.ts"
import { pagePaths } from "./PortalShell.ts"

const csrf = (token: string): Html => html`<input type="hidden" name="${csrfFieldName}" value="${token}">`

/** A short page for a refusal or a missing page. */
export const messageBody = (title: string, text: string): Html =>
  html`<h1>${title}</h1><p>${text}</p><p><a href="${pagePaths.overview}">Back to your account</a></p>`

const figure = (label: string, value: string, tone = ""): Html =>
  html`<div class="figure ${tone}"><dt>${label}</dt><dd>${value}</dd></div>`

/** The payments plugin's pay link of a row: invoices with something open that are not disputed. */
const payCell = (i: Activity["invoices"]["items"][number]): Html =>
  html`<td class="pay-cell">${i.open.minor > 0 && i.statusAsOf !== "disputed" ? html`<a href="${paymentPaths.payInvoice(i.id)}" aria-label="Pay ${i.number}">Pay</a>` : ""}</td>`

const invoiceRows = (
  f: PageFormat,
  items: Activity["invoices"]["items"],
  selectable: boolean,
  payable: boolean
): Html =>
  html`${items.map(
    (i) => html`<tr data-invoice="${i.id}">
${selectable ? html`<td class="select"><input type="checkbox" name="invoice" value="${i.id}" form="bulk" aria-label="Select ${i.number}"></td>` : ""}
<th scope="row"><a href="${pagePaths.invoice(i.id)}">${i.number}</a></th>
<td>${i.poNumber ?? ""}</td>
<td>${f.date(i.issueDate)}</td>
<td>${f.date(i.dueDate)}</td>
<td class="status-cell">${f.status(i.statusAsOf)}</td>
<td class="num">${f.money(i.total)}</td>
<td class="num open-cell">${f.money(i.open)}</td>
${payable ? payCell(i) : ""}
</tr>`
  )}`

const invoiceTable = (
  f: PageFormat,
  items: Activity["invoices"]["items"],
  selectable: boolean,
  caption: string,
  payable = false
): Html =>
  html`<div class="table-scroll"><table class="data">
<caption>${caption}</caption>
<thead><tr>${selectable ? html`<th scope="col" class="select"><span class="visually-hidden">Select</span></th>` : ""}<th scope="col">Invoice</th><th scope="col">PO</th><th scope="col">Issued</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col" class="num">Total</th><th scope="col" class="num">Open</th>${payable ? html`<th scope="col"><span class="visually-hidden">Pay</span></th>` : ""}</tr></thead>
<tbody>${items.length === 0 ? html`<tr><td colspan="${7 + (selectable ? 1 : 0) + (payable ? 1 : 0)}" class="empty">No invoices match.</td></tr>` : invoiceRows(f, items, selectable, payable)}</tbody>
</table></div>`

/** My account: balances per currency, aging, credit, and the latest invoices and payments. */
export const overviewBody = (f: PageFormat, overview: AccountOverview): Html => html`<h1>${overview.account.name}</h1>
<p class="lead">Customer number ${overview.account.number} · figures as of ${f.date(overview.asOf)}</p>
${
  overview.summary === undefined
    ? html`<p class="notice">Your role lets you see invoices; balances and statements are for the account's finance contacts.</p>`
    : overview.summary.currencies.length === 0
      ? html`<p class="notice">Nothing is open on this account.</p>`
      : overview.summary.currencies.map(
          (c) => html`<section class="currency" aria-labelledby="sum-${c.currency}">
<h2 id="sum-${c.currency}">${c.currency}</h2>
<dl class="figures">
${figure("Open balance", f.money(c.open))}
${figure("Overdue", f.money(c.overdue), c.overdue.minor > 0 ? "alert" : "")}
${figure("Account credit", f.money(c.credit))}
${c.disputed.minor > 0 ? figure("Disputed", f.money(c.disputed)) : ""}
</dl>
<div class="table-scroll"><table class="data aging">
<caption>Ageing of the open balance</caption>
<thead><tr><th scope="col">Period</th><th scope="col" class="num">Invoices</th><th scope="col" class="num">Amount</th></tr></thead>
<tbody>${c.aging.buckets.map(
            (b) =>
              html`<tr><th scope="row">${f.aging(b)}</th><td class="num">${b.count}</td><td class="num">${f.money(b.amount)}</td></tr>`
          )}</tbody>
</table></div>
</section>`
        )
}
<section aria-labelledby="recent">
<h2 id="recent">Recent activity</h2>
${invoiceTable(f, overview.recentInvoices, false, "Latest invoices")}
${
  overview.recentPayments.length === 0
    ? ""
    : html`<div class="table-scroll"><table class="data"><caption>Latest payments</caption>
<thead><tr><th scope="col">Reference</th><th scope="col">Received</th><th scope="col" class="num">Amount</th></tr></thead>
<tbody>${overview.recentPayments.map((p) => html`<tr><th scope="row">${p.reference}</th><td>${f.date(p.receivedDate)}</td><td class="num">${f.money(p.amount)}</td></tr>`)}</tbody>
</table></div>`
}
<p><a href="${pagePaths.activity}">All activity</a></p>
</section>`

const statuses = StatusSchema.literals

const sortOptions: ReadonlyArray<readonly [string, string]> = [
  ["issue-date:desc", "Newest first"],
  ["issue-date:asc", "Oldest first"],
  ["due-date:asc", "Due date"],
  ["amount:desc", "Largest amount"],
  ["amount:asc", "Smallest amount"],
  ["number:asc", "Invoice number"]
]

/** The filter form's fields as hidden inputs (for the bulk form and the next-page link). */
const filterQuery = (form: ActivityForm): URLSearchParams => {
  const query = new URLSearchParams()
  for (const status of form.statuses) query.append("status", status)
  if (form.from !== "") query.set("from", form.from)
  if (form.to !== "") query.set("to", form.to)
  if (form.min !== "") query.set("min", form.min)
  if (form.max !== "") query.set("max", form.max)
  if (form.q !== "") query.set("q", form.q)
  query.set("sort", form.sort)
  return query
}

/** The activity page: filters, the invoice list with selection, bulk actions, keyset paging, movements. */
export const activityBody = (
  f: PageFormat,
  activity: Activity,
  form: ActivityForm,
  options: {
    readonly csrf: string
    readonly canBulk: boolean
    /** Pay links on open invoices (the payments plugin is on for the account and the principal may pay). */
    readonly canPay?: boolean
    readonly error?: string | undefined
  }
): Html => {
  const next = activity.invoices.nextCursor
  const nextQuery = filterQuery(form)
  if (next !== undefined) nextQuery.set("cursor", next)
  const statusLabel = (s: InvoiceStatusAsOf) => f.status(s)
  return html`<h1>Activity</h1>
${options.error === undefined ? "" : html`<p class="error" role="alert">${options.error}</p>`}
<form method="get" action="${pagePaths.activity}" class="filters" aria-label="Filter invoices">
<fieldset class="statuses"><legend>Status</legend>
${statuses.map(
  (s) =>
    html`<label class="check"><input type="checkbox" name="status" value="${s}"${form.statuses.includes(s) ? html` checked` : ""}> ${statusLabel(s)}</label>`
)}
</fieldset>
<div class="filter-grid">
<label>Issued from <input type="date" name="from" value="${form.from}"></label>
<label>Issued to <input type="date" name="to" value="${form.to}"></label>
<label>Amount from <input type="text" inputmode="decimal" name="min" value="${form.min}" placeholder="0.00"></label>
<label>Amount to <input type="text" inputmode="decimal" name="max" value="${form.max}" placeholder="any"></label>
<label>Invoice or PO number <input type="search" name="q" value="${form.q}" maxlength="100"></label>
<label>Sort <select name="sort">${sortOptions.map(([value, label]) => html`<option value="${value}"${value === form.sort ? html` selected` : ""}>${label}</option>`)}</select></label>
</div>
<button type="submit">Apply</button> <a href="${pagePaths.activity}" class="reset">Clear filters</a>
</form>
${
  options.canBulk
    ? html`<form method="post" action="${pagePaths.activityExport}" id="bulk" class="bulk">
${csrf(options.csrf)}
${[...filterQuery(form).entries()].map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<span class="bulk-label">With the selected invoices:</span>
<button type="submit" name="action" value="zip">Download PDFs (ZIP)</button>
<button type="submit" name="action" value="csv">Export CSV</button>
<label class="check select-all" hidden><input type="checkbox" data-select-all> Select all on this page</label>
</form>`
    : ""
}
${invoiceTable(f, activity.invoices.items, options.canBulk, "Invoices", options.canPay ?? false)}
${next === undefined ? "" : html`<p class="pager"><a rel="next" href="${pagePaths.activity}?${nextQuery.toString()}">Next page</a></p>`}
${
  form.cursor === ""
    ? html`<h2>Payments</h2>
<div class="table-scroll"><table class="data"><caption class="visually-hidden">Payments received</caption>
<thead><tr><th scope="col">Reference</th><th scope="col">Received</th><th scope="col">Method</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Applied to invoices</th></tr></thead>
<tbody>${
        activity.payments.length === 0
          ? html`<tr><td colspan="5" class="empty">No payments in this range.</td></tr>`
          : activity.payments.map(
              (p) =>
                html`<tr><th scope="row">${p.reference}</th><td>${f.date(p.receivedDate)}</td><td>${p.method ?? ""}</td><td class="num">${f.money(p.amount)}</td><td class="num">${f.money(p.allocated)}</td></tr>`
            )
      }</tbody></table></div>
<h2>Credit notes</h2>
<div class="table-scroll"><table class="data"><caption class="visually-hidden">Credit notes</caption>
<thead><tr><th scope="col">Credit note</th><th scope="col">Issued</th><th scope="col">Credits invoice</th><th scope="col">Reason</th><th scope="col" class="num">Amount</th></tr></thead>
<tbody>${
        activity.creditNotes.length === 0
          ? html`<tr><td colspan="5" class="empty">No credit notes in this range.</td></tr>`
          : activity.creditNotes.map(
              (c) =>
                html`<tr><th scope="row">${c.number}</th><td>${f.date(c.issueDate)}</td><td>${c.invoiceNumber ?? ""}</td><td class="wrap">${c.reason ?? ""}</td><td class="num">${f.money(c.total)}</td></tr>`
            )
      }</tbody></table></div>`
    : ""
}`
}

const historyLabel = (event: InvoicePageData["detail"]["history"][number]): string =>
  event._tag
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/^./, (c: string) => c.toUpperCase())

/** One invoice: header, lines, taxes, totals, payments and credit notes applied, attachments, history. */
export const invoiceBody = (f: PageFormat, data: InvoicePageData): Html => {
  const { detail } = data
  const invoice = detail.invoice
  const summary = detail.summary
  return html`<div class="invoice" data-invoice="${invoice.id}">
<h1>Invoice ${invoice.number} <span class="status-cell">${f.status(summary.statusAsOf)}</span></h1>
<div class="actions">
${data.canDownload ? html`<a class="button" href="${pagePaths.invoicePdf(invoice.id)}" download>Download PDF</a>` : ""}
<a href="${pagePaths.invoiceDocument(invoice.id)}">Printable version</a>
</div>
<dl class="fields">
<div><dt>Customer</dt><dd>${data.account.name} (${data.account.number})</dd></div>
<div><dt>Issued</dt><dd>${f.date(invoice.issueDate)}</dd></div>
<div><dt>Due</dt><dd>${f.date(invoice.dueDate)}</dd></div>
${invoice.terms === undefined ? "" : html`<div><dt>Terms</dt><dd>${invoice.terms}</dd></div>`}
${invoice.poNumber === undefined ? "" : html`<div><dt>PO number</dt><dd>${invoice.poNumber}</dd></div>`}
<div><dt>Open as of ${f.date(data.asOf)}</dt><dd class="open-cell">${f.money(summary.open)}</dd></div>
</dl>
<div class="table-scroll"><table class="data">
<caption>Lines</caption>
<thead><tr><th scope="col" class="num">#</th><th scope="col">Description</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Unit price</th><th scope="col" class="num">Tax rate</th><th scope="col" class="num">Net</th></tr></thead>
<tbody>${data.view.lines.map(
    (line) =>
      html`<tr><td class="num">${line.lineNumber}</td><th scope="row" class="wrap">${line.description}${line.productCode === undefined ? "" : html` <span class="muted">(${line.productCode})</span>`}</th><td class="num">${line.quantity}${line.unit === undefined ? "" : ` ${line.unit}`}</td><td class="num">${f.price(line.unitPrice, invoice.currency)}</td><td class="num">${line.taxRate}%</td><td class="num">${line.net === undefined ? "" : f.money(line.net)}</td></tr>`
  )}</tbody>
</table></div>
<div class="summary">
<div class="table-scroll"><table class="data"><caption>Taxes</caption>
<thead><tr><th scope="col">Code</th><th scope="col" class="num">Rate</th><th scope="col" class="num">Taxable</th><th scope="col" class="num">Tax</th></tr></thead>
<tbody>${data.view.taxLines.map((t) => html`<tr><th scope="row">${t.code === "" ? "—" : t.code}</th><td class="num">${t.rate}%</td><td class="num">${f.money(t.taxable)}</td><td class="num">${f.money(t.tax)}</td></tr>`)}</tbody>
</table></div>
<table class="data totals"><caption>Totals</caption><tbody>
<tr><th scope="row">Net</th><td class="num">${f.money(invoice.totals.net)}</td></tr>
<tr><th scope="row">Tax</th><td class="num">${f.money(invoice.totals.tax)}</td></tr>
<tr><th scope="row">Total</th><td class="num">${f.money(invoice.totals.total)}</td></tr>
${summary.paid.minor === 0 ? "" : html`<tr><th scope="row">Paid</th><td class="num">${f.money(summary.paid)}</td></tr>`}
${summary.credited.minor === 0 ? "" : html`<tr><th scope="row">Credited</th><td class="num">${f.money(summary.credited)}</td></tr>`}
<tr class="grand"><th scope="row">Open</th><td class="num open-cell">${f.money(summary.open)}</td></tr>
</tbody></table>
</div>
<h2>Payments applied</h2>
${
  detail.payments.length === 0
    ? html`<p class="muted">No payments yet.</p>`
    : html`<div class="table-scroll"><table class="data"><caption class="visually-hidden">Payments applied</caption><thead><tr><th scope="col">Reference</th><th scope="col">Received</th><th scope="col">Method</th><th scope="col" class="num">Applied</th></tr></thead>
<tbody>${detail.payments.map((p) => html`<tr><th scope="row">${p.reference}</th><td>${f.date(p.receivedDate)}</td><td>${p.method ?? ""}</td><td class="num">${f.money(p.applied)}</td></tr>`)}</tbody></table></div>`
}
<h2>Credit notes</h2>
${
  detail.creditNotes.length === 0
    ? html`<p class="muted">No credit notes.</p>`
    : html`<div class="table-scroll"><table class="data"><caption class="visually-hidden">Credit notes</caption><thead><tr><th scope="col">Credit note</th><th scope="col">Issued</th><th scope="col">Reason</th><th scope="col" class="num">Amount</th></tr></thead>
<tbody>${detail.creditNotes.map((c) => html`<tr><th scope="row">${c.number}</th><td>${f.date(c.issueDate)}</td><td class="wrap">${c.reason ?? ""}</td><td class="num">${f.money(c.total)}</td></tr>`)}</tbody></table></div>`
}
${
  detail.documents.length === 0
    ? ""
    : html`<h2>Attachments</h2><ul class="documents">${detail.documents.map(
        (d) =>
          html`<li>${data.canDownload ? html`<a href="${pagePaths.document(d.documentId)}" download>${d.fileName}</a>` : d.fileName} <span class="muted">(${Math.max(1, Math.round(d.size / 1024))} KB)</span></li>`
      )}</ul>`
}
<h2>Status history</h2>
<ol class="history">${detail.history.map((event) => html`<li><time datetime="${event.occurredOn}">${f.date(event.occurredOn)}</time> ${historyLabel(event)}</li>`)}</ol>
</div>`
}

/** Statements: the period form, the statement on screen, and its PDF. */
export const statementBody = (
  f: PageFormat,
  result: StatementResult,
  form: StatementForm,
  canDownload: boolean
): Html => {
  const view = result.view
  const query = new URLSearchParams({ style: form.style, from: form.from, to: form.to, currency: view.currency })
  return html`<h1>Statement</h1>
<form method="get" action="${pagePaths.statements}" class="filters" aria-label="Choose a statement">
<div class="filter-grid">
<label>Kind <select name="style">
<option value="open-item"${form.style === "open-item" ? html` selected` : ""}>Open items</option>
<option value="balance-forward"${form.style === "balance-forward" ? html` selected` : ""}>Balance forward</option>
</select></label>
<label>From <input type="date" name="from" value="${form.from}" required></label>
<label>To <input type="date" name="to" value="${form.to}" required></label>
<label>Currency <select name="currency">${result.currencies.map((c) => html`<option${c === view.currency ? html` selected` : ""}>${c}</option>`)}</select></label>
</div>
<button type="submit">Show</button>
</form>
${canDownload ? html`<p><a class="button" href="${pagePaths.statementPdf}?${query.toString()}" download>Download PDF</a></p>` : ""}
<dl class="figures">
${figure("Period", `${f.date(view.periodStart)} – ${f.date(view.statementDate)}`)}
${figure("Opening balance", f.money(view.opening))}
${figure("Invoiced", f.money(view.invoiced))}
${figure("Paid", f.money(view.paid))}
${figure("Credited", f.money(view.credited))}
${figure("Closing balance", f.money(view.closing))}
</dl>
${
  view.style === "open-item"
    ? html`<div class="table-scroll"><table class="data statement">
<caption>Open items at ${f.date(view.statementDate)}</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Kind</th><th scope="col">Reference</th><th scope="col">Due</th><th scope="col" class="num">Original</th><th scope="col" class="num">Open</th></tr></thead>
<tbody>${
        view.openItems.length === 0
          ? html`<tr><td colspan="6" class="empty">Nothing is open.</td></tr>`
          : view.openItems.map(
              (item) =>
                html`<tr><td>${f.date(item.date)}</td><td>${openItemLabel(f.labels, item.kind)}</td><th scope="row">${item.reference}</th><td>${item.dueDate === undefined ? "" : f.date(item.dueDate)}</td><td class="num">${f.money(item.original)}</td><td class="num">${f.money(item.open)}</td></tr>`
            )
      }</tbody>
<tfoot><tr><th scope="row" colspan="5">Closing balance</th><td class="num">${f.money(view.closing)}</td></tr></tfoot>
</table></div>`
    : html`<div class="table-scroll"><table class="data statement">
<caption>Movements</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Kind</th><th scope="col">Reference</th><th scope="col" class="num">Debit</th><th scope="col" class="num">Credit</th><th scope="col" class="num">Balance</th></tr></thead>
<tbody><tr><td>${f.date(view.periodStart)}</td><td colspan="4">Opening balance</td><td class="num">${f.money(view.opening)}</td></tr>
${view.lines.map(
  (line) =>
    html`<tr><td>${f.date(line.date)}</td><td>${statementLineLabel(f.labels, line.kind)}</td><th scope="row">${line.reference}</th><td class="num">${line.debit === undefined ? "" : f.money(line.debit)}</td><td class="num">${line.credit === undefined ? "" : f.money(line.credit)}</td><td class="num">${f.money(line.balance)}</td></tr>`
)}</tbody>
</table></div>`
}
${
  view.aging.length === 0
    ? ""
    : html`<div class="table-scroll"><table class="data aging"><caption>Ageing at the statement date</caption>
<thead><tr><th scope="col">Period</th><th scope="col" class="num">Amount</th></tr></thead>
<tbody>${view.aging.map((a) => html`<tr><th scope="row">${f.aging(a)}</th><td class="num">${f.money(a.amount)}</td></tr>`)}</tbody></table></div>`
}`
}

/** The account's attachments. */
export const documentsBody = (
  documents: ReadonlyArray<DocumentListItem>,
  canDownload: boolean
): Html => html`<h1>Documents</h1>
${
  documents.length === 0
    ? html`<p class="muted">There are no documents for this account.</p>`
    : html`<div class="table-scroll"><table class="data"><caption>Attachments</caption>
<thead><tr><th scope="col">File</th><th scope="col">Invoice</th><th scope="col" class="num">Size</th></tr></thead>
<tbody>${documents.map(
        (d) =>
          html`<tr><th scope="row">${canDownload ? html`<a href="${pagePaths.document(d.id)}" download>${d.fileName}</a>` : d.fileName}</th><td>${d.invoiceId === null ? "" : html`<a href="${pagePaths.invoice(d.invoiceId)}">${d.invoiceNumber ?? ""}</a>`}</td><td class="num">${Math.max(1, Math.round(d.size / 1024))} KB</td></tr>`
      )}</tbody></table></div>`
}`

const addressValue = (address: Address | undefined, index: number): string => address?.lines[index] ?? ""

/** Billing details: the contact's own data, and (for an admin) the account's address and invoice e-mail. */
export const billingBody = (
  details: BillingDetails,
  options: { readonly csrf: string; readonly saved: boolean; readonly error?: string | undefined }
): Html => {
  const address = details.account.billingAddress
  return html`<h1>Billing details</h1>
${options.saved ? html`<p class="notice" role="status">Your changes are saved.</p>` : ""}
${options.error === undefined ? "" : html`<p class="error" role="alert">${options.error}</p>`}
<form method="post" action="${pagePaths.billing}" class="stack">
${csrf(options.csrf)}
<fieldset><legend>Your contact details</legend>
<label for="name">Name</label><input id="name" name="name" type="text" required maxlength="200" autocomplete="name" value="${details.contact?.name ?? ""}">
<label for="phone">Phone</label><input id="phone" name="phone" type="text" maxlength="60" autocomplete="tel" value="${details.contact?.phone ?? ""}">
<p class="hint">Your e-mail address (${details.contact?.email ?? ""}) is the one you sign in with; ask ${details.account.name}'s supplier to change it.</p>
</fieldset>
${
  details.canEditAddress
    ? html`<fieldset><legend>Billing address of ${details.account.name}</legend>
<label for="line1">Street</label><input id="line1" name="line1" type="text" maxlength="200" autocomplete="address-line1" value="${addressValue(address, 0)}">
<label for="line2">Address line 2</label><input id="line2" name="line2" type="text" maxlength="200" autocomplete="address-line2" value="${addressValue(address, 1)}">
<label for="postalCode">Postal code</label><input id="postalCode" name="postalCode" type="text" maxlength="20" autocomplete="postal-code" value="${address?.postalCode ?? ""}">
<label for="city">City</label><input id="city" name="city" type="text" maxlength="100" autocomplete="address-level2" value="${address?.city ?? ""}">
<label for="country">Country (two letters)</label><input id="country" name="country" type="text" maxlength="2" pattern="[A-Za-z]{2}" autocomplete="country" value="${address?.country ?? ""}">
<label for="email">Invoice e-mail</label><input id="email" name="email" type="email" maxlength="254" value="${details.account.email ?? ""}">
${details.addressFromPortal ? html`<p class="hint">This address was entered in the portal and is used instead of the one on file.</p>` : ""}
</fieldset>`
    : html`<section><h2>Billing address</h2><address>${(address?.lines ?? []).map((line) => html`${line}<br>`)}${address?.postalCode ?? ""} ${address?.city ?? ""}<br>${address?.country ?? ""}</address><p class="hint">An administrator of the account can change it.</p></section>`
}
<button type="submit">Save</button>
</form>`
}

const settingLabels: ReadonlyArray<readonly [keyof NotificationSettings, string]> = [
  ["invoiceIssued", "A new invoice is issued"],
  ["paymentReceived", "A payment is received"],
  ["dueReminders", "Reminders before and after due dates"],
  ["monthlyStatement", "A statement every month"],
  ["plainText", "Send plain-text e-mail"]
]

/** Notification settings. */
export const notificationsBody = (
  settings: NotificationSettings,
  options: { readonly csrf: string; readonly saved: boolean }
): Html =>
  html`<h1>Notifications</h1>
${options.saved ? html`<p class="notice" role="status">Your settings are saved.</p>` : ""}
<form method="post" action="${pagePaths.notifications}" class="stack">
${csrf(options.csrf)}
<fieldset><legend>E-mail me when</legend>
${settingLabels.map(([key, label]) => html`<label class="check"><input type="checkbox" name="${key}" value="on"${settings[key] ? html` checked` : ""}> ${label}</label>`)}
</fieldset>
<button type="submit">Save</button>
</form>`
