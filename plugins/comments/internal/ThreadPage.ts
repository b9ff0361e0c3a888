// The customer's thread page: the invoice's history (events and comments, oldest first), a comment form and,
// when allowed, a dispute form. Every value is escaped by the `html` template.
import type { InvoiceEvent } from "../../../core/billing/InvoiceStateMachine.ts"
import { toDecimal } from "../../../core/domain/Money.ts"
import { csrfField } from "../../../core/plugin/PortalHost.ts"
import { type Html, html } from "../../../starter/server/Html.ts"
import type { HistoryItem, Thread } from "../Comment.ts"

/** What the page shows besides the thread. */
export interface ThreadPageOptions {
  readonly thread: Thread
  readonly csrfToken: string
  /** Where the forms post to (the plugin's mount point plus the invoice's path). */
  readonly basePath: string
  readonly canDispute: boolean
  /** A message above the forms: a refusal, or what was just done. */
  readonly message?: { readonly kind: "error" | "notice"; readonly text: string }
  /** What the visitor typed, kept when the form is shown again with an error. */
  readonly draft?: string
}

/** One sentence for an invoice event. */
export const describeEvent = (event: InvoiceEvent): string => {
  switch (event._tag) {
    case "InvoiceIssued":
      return `Invoice issued for ${event.total.currency} ${toDecimal(event.total)}, due ${event.dueDate}`
    case "PaymentApplied":
      return `Payment of ${event.amount.currency} ${toDecimal(event.amount)} applied`
    case "PaymentReversed":
      return `Payment of ${event.amount.currency} ${toDecimal(event.amount)} reversed (${event.kind})`
    case "CreditApplied":
      return `Credit of ${event.amount.currency} ${toDecimal(event.amount)} applied`
    case "Disputed":
      return `Disputed: ${event.reason}`
    case "DisputeResolved":
      return "Dispute resolved"
    case "Voided":
      return `Voided: ${event.reason}`
    case "WrittenOff":
      return `Written off: ${event.amount.currency} ${toDecimal(event.amount)}`
  }
}

const who = (item: Extract<HistoryItem, { _tag: "Entry" }>): string =>
  item.entry.side === "business" ? "The business" : "You or a colleague"

const historyItem = (item: HistoryItem): Html =>
  item._tag === "Event"
    ? html`<li><time datetime="${item.at}">${item.event.occurredOn}</time> · ${describeEvent(item.event)}</li>`
    : item.entry.kind === "resolved"
      ? html`<li><time datetime="${item.at}">${item.at.slice(0, 10)}</time> · The business marked the conversation resolved${
          item.entry.body === "" ? "" : html`: ${item.entry.body}`
        }</li>`
      : html`<li><time datetime="${item.at}">${item.at.slice(0, 10)}</time> · ${who(item)} wrote:
<blockquote>${item.entry.body}</blockquote></li>`

/** The page body (inside the portal's frame). */
export const threadPage = (options: ThreadPageOptions): string => {
  const { thread } = options
  const hidden = html`<input type="hidden" name="${csrfField}" value="${options.csrfToken}">`
  const disputed = thread.status === "disputed"
  return html`<h1>Questions about invoice ${thread.number}</h1>
<p><a href="/invoices/${encodeURIComponent(thread.invoiceId)}">Back to the invoice</a></p>
${options.message === undefined ? "" : html`<p class="${options.message.kind}" role="${options.message.kind === "error" ? "alert" : "status"}">${options.message.text}</p>`}
<p class="notice" role="status">${
    disputed
      ? "This invoice is disputed: reminders are paused until the business resolves the dispute."
      : thread.needsAttention
        ? "Waiting for the business to reply."
        : "No open questions."
  }</p>
<h2>History</h2>
${thread.history.length === 0 ? html`<p class="hint">Nothing yet.</p>` : html`<ol class="history">${thread.history.map(historyItem)}</ol>`}
<h2>Ask a question</h2>
<form method="post" action="${options.basePath}/comments">
${hidden}
<label for="comment-body">Your message</label>
<textarea id="comment-body" name="body" rows="5" cols="60" maxlength="4000" required>${options.draft ?? ""}</textarea>
<p><button type="submit">Send</button></p>
</form>
${
  options.canDispute && !disputed
    ? html`<h2>Dispute this invoice</h2>
<form method="post" action="${options.basePath}/dispute">
${hidden}
<label for="dispute-reason">Why do you dispute it?</label>
<textarea id="dispute-reason" name="reason" rows="3" cols="60" maxlength="4000" required aria-describedby="dispute-hint"></textarea>
<p id="dispute-hint" class="hint">Reminders stop while the dispute is open. The business will contact you.</p>
<button type="submit">Open a dispute</button>
</form>`
    : ""
}`.value
}
