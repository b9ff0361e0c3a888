// Rendering a notification: the subject, the in-app title and line, and the e-mail's plain-text and HTML
// parts from handlebars templates. Every value reaches the HTML through `{{...}}`, so it is escaped; the
// plain-text template is compiled without escaping (it is not markup).
import Handlebars from "handlebars"
import type { LocalDate } from "../../core/domain/LocalDate.ts"
import { type Money, toDecimal } from "../../core/domain/Money.ts"
import { fill, labels } from "./internal/Labels.ts"
import type { MessageLocale, Topic } from "./Topics.ts"

/** What a message says: the facts of the invoice, for one contact, in one language. */
export interface MessageFacts {
  readonly topic: Topic
  readonly locale: MessageLocale
  readonly contactName: string
  readonly accountName: string
  readonly invoiceNumber: string
  /** The invoice's base status ("open", "paid", ...). */
  readonly status: string
  readonly dueDate: LocalDate
  readonly total: Money
  readonly open: Money
  /** The deep link to the invoice in the portal. */
  readonly link: string
  /** For reminders: days from the due date (negative: before it). */
  readonly offsetDays?: number
}

/** A rendered message. */
export interface RenderedMessage {
  readonly subject: string
  /** The in-app notification's title and line. */
  readonly title: string
  readonly line: string
  readonly text: string
  readonly html: string
}

const htmlTemplate = Handlebars.compile<Record<string, string>>(
  `<!doctype html>
<html lang="{{lang}}"><head><meta charset="utf-8"><title>{{subject}}</title></head>
<body style="font-family: system-ui, sans-serif; color: #1f2933; line-height: 1.5">
<p>{{greeting}}</p>
<p>{{line}}</p>
<table role="presentation" style="border-collapse: collapse">
<tr><th scope="row" style="text-align: left; padding-right: 1em">{{openLabel}}</th><td>{{open}}</td></tr>
<tr><th scope="row" style="text-align: left; padding-right: 1em">{{dueLabel}}</th><td>{{dueDate}}</td></tr>
</table>
<p><a href="{{link}}">{{viewInvoice}}</a></p>
<p style="color: #52606d; font-size: 0.875em">{{footer}}</p>
</body></html>
`,
  { strict: true }
)

const textTemplate = Handlebars.compile<Record<string, string>>(
  `{{greeting}}

{{line}}

{{openLabel}}: {{open}}
{{dueLabel}}: {{dueDate}}

{{viewInvoice}}: {{link}}

--
{{footer}}
`,
  { strict: true, noEscape: true }
)

/** The amount in the reader's language: the exact decimal string goes to Intl, never a float. */
export const formatMoney = (money: Money, locale: MessageLocale): string =>
  new Intl.NumberFormat(locale, { style: "currency", currency: money.currency }).format(
    toDecimal(money) as Intl.StringNumericLiteral
  )

/** A calendar date in the reader's language ("31 March 2026", "31. März 2026"). */
export const formatDate = (date: LocalDate, locale: MessageLocale): string =>
  new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`))

/** Renders the message for `facts`. */
export const renderMessage = (facts: MessageFacts): RenderedMessage => {
  const words = labels[facts.locale]
  const values = {
    number: facts.invoiceNumber,
    status: words.statuses[facts.status] ?? facts.status,
    dueDate: formatDate(facts.dueDate, facts.locale),
    total: formatMoney(facts.total, facts.locale),
    account: facts.accountName,
    name: facts.contactName
  }
  // On the due date itself the invoice is due, not yet overdue.
  const before = (facts.offsetDays ?? 0) <= 0
  const [subject, line] =
    facts.topic === "invoice-issued"
      ? [words.subjectIssued, words.lineIssued]
      : facts.topic === "status-changed"
        ? [words.subjectStatus, words.lineStatus]
        : before
          ? [words.subjectReminderBefore, words.lineReminderBefore]
          : [words.subjectReminderAfter, words.lineReminderAfter]
  const filledSubject = fill(subject, values)
  const filledLine = fill(line, values)
  const context = {
    lang: facts.locale,
    subject: filledSubject,
    greeting: fill(words.greeting, values),
    line: filledLine,
    openLabel: words.openAmount,
    open: formatMoney(facts.open, facts.locale),
    dueLabel: words.dueDate,
    dueDate: values.dueDate,
    link: facts.link,
    viewInvoice: words.viewInvoice,
    footer: words.footer
  }
  const capitalised = filledLine.charAt(0).toUpperCase() + filledLine.slice(1)
  return {
    subject: filledSubject,
    title: filledSubject,
    line: capitalised,
    text: textTemplate(context),
    html: htmlTemplate(context)
  }
}

/** The deep link to an invoice: `<baseUrl>/invoices/<id>` (the id URL-encoded; a trailing slash tolerated). */
export const invoiceLink = (baseUrl: string, invoiceId: string): string =>
  `${baseUrl.replace(/\/+$/, "")}/invoices/${encodeURIComponent(invoiceId)}`
