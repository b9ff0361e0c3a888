// The business's analytics page: one accessible table per figure (caption, column and row headers), every
// value escaped by the `html` template, and a GET form to change the range, grouping and as-of date.
import { toDecimal } from "../../../core/domain/Money.ts"
import { type Html, html } from "../../../starter/server/Html.ts"
import type { AnalyticsReport } from "../PortalAnalytics.ts"

/** "3 d 4 h 5 min" from seconds (whole minutes; "—" for none). */
export const formatDuration = (seconds: number | null): string => {
  if (seconds === null) return "—"
  const sign = seconds < 0 ? "−" : ""
  const minutes = Math.floor(Math.abs(seconds) / 60)
  const days = Math.floor(minutes / 1440)
  const hours = Math.floor((minutes % 1440) / 60)
  const parts = [days > 0 ? `${days} d` : "", hours > 0 ? `${hours} h` : "", `${minutes % 60} min`].filter(Boolean)
  return sign + parts.join(" ")
}

const table = (
  caption: string,
  headers: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  empty: string
): Html =>
  rows.length === 0
    ? html`<h2>${caption}</h2><p class="hint">${empty}</p>`
    : html`<h2>${caption}</h2>
<table class="data">
<caption class="visually-hidden">${caption}</caption>
<thead><tr>${headers.map((header) => html`<th scope="col">${header}</th>`)}</tr></thead>
<tbody>${rows.map(([first, ...rest]) => html`<tr><th scope="row">${first ?? ""}</th>${rest.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody>
</table>`

/** The page body for a report and the form's action path. */
export const reportPage = (report: AnalyticsReport, action: string): string =>
  html`<h1>Portal analytics</h1>
<form method="get" action="${action}">
<label for="from">From</label><input type="text" id="from" name="from" value="${report.from}" inputmode="numeric" pattern="\\d{4}-\\d{2}-\\d{2}">
<label for="to">To</label><input type="text" id="to" name="to" value="${report.to}" inputmode="numeric" pattern="\\d{4}-\\d{2}-\\d{2}">
<label for="period">Group by</label><select id="period" name="period">${(["day", "week", "month"] as const).map(
    (p) => html`<option value="${p}"${p === report.period ? html` selected` : ""}>${p}</option>`
  )}</select>
<label for="asOf">Overdue as of</label><input type="text" id="asOf" name="asOf" value="${report.asOf}" inputmode="numeric" pattern="\\d{4}-\\d{2}-\\d{2}">
<button type="submit">Show</button>
</form>
${table(
  "Time from issue to first view, by period of issue",
  ["Period from", "Issued", "Viewed", "Median", "90th percentile"],
  report.firstViewPeriods.map((p) => [
    p.periodStart,
    p.issued,
    p.viewed,
    formatDuration(p.medianSeconds),
    formatDuration(p.p90Seconds)
  ]),
  "No invoices were issued in this range."
)}
${table(
  "Sign-ins by period",
  ["Period from", "Sign-ins", "Contacts signing in"],
  report.signInsPerPeriod.map((p) => [p.periodStart, p.signIns, p.contacts]),
  "Nobody signed in during this range."
)}
${table(
  "Sign-ins by contact",
  ["Contact", "Period from", "Sign-ins"],
  report.signInsPerContact.map((c) => [c.contactId, c.periodStart, c.signIns]),
  "Nobody signed in during this range."
)}
${table(
  "Views and downloads by account",
  ["Account", "Views", "Invoice views", "Downloads"],
  report.activity.map((a) => [a.accountId, a.views, a.invoiceViews, a.downloads]),
  "Nothing was viewed or downloaded in this range."
)}
${table(
  `Accounts that have not looked at invoices overdue on ${report.asOf}`,
  ["Account", "Overdue", "Never viewed", "Invoices never viewed"],
  report.unseenOverdue.map((a) => [
    `${a.accountName} (${a.accountId})`,
    a.overdue,
    a.unseen.length,
    a.unseen.map((i) => `${i.number} due ${i.dueDate}, ${i.open.currency} ${toDecimal(i.open)} open`).join("; ")
  ]),
  "Every overdue invoice has been viewed."
)}
${table(
  "Invoices issued in the range",
  ["Invoice", "Account", "Issued", "First viewed", "Time to first view"],
  report.firstViews.map((f) => [
    f.number,
    f.accountId,
    f.issueDate,
    f.firstViewAt ?? "never",
    formatDuration(f.secondsToFirstView)
  ]),
  "No invoices were issued in this range."
)}`.value
