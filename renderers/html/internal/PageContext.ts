// Turns a render request into the plain data the Handlebars templates show: every label translated, every
// figure formatted for the locale, every string from the business or the ERP stripped of unsafe controls.
// Templates then only place values (always HTML-escaped); no logic or formatting lives in them.

import type { CurrencyCode } from "../../../core/domain/Currency.ts"
import type { TaxLine } from "../../../core/domain/Invoice.ts"
import { agingLabel, openItemLabel, statementLineLabel, statusLabel } from "../../../core/render/Labels.ts"
import { type Locale, textDirection } from "../../../core/render/Locale.ts"
import { type Catalog, catalogFor } from "../../../core/render/Messages.ts"
import { type PaperSize, paperSizeForLocale } from "../../../core/render/Paper.ts"
import type { RenderRequest } from "../../../core/render/Renderer.ts"
import { stripUnsafeControls } from "../../../core/render/Text.ts"
import type { Theme } from "../../../core/render/Theme.ts"
import type {
  CreditNoteView,
  InvoiceListView,
  InvoiceStatus,
  InvoiceView,
  LineView,
  PartyView,
  PaymentReceiptView,
  StatementView,
  ViewModel
} from "../../../core/render/ViewModels.ts"
import type { Formatter } from "../Format.ts"

/** One table cell; `rowHeader` cells become `<th scope="row">`. */
export interface Cell {
  readonly text: string
  readonly numeric: boolean
  readonly rowHeader: boolean
}

/** An accessible table: caption, column headers, rows, and a message when there are no rows. */
export interface Table {
  readonly id: string
  readonly caption: string
  readonly columns: ReadonlyArray<{ readonly label: string; readonly numeric: boolean }>
  readonly rows: ReadonlyArray<{ readonly cells: ReadonlyArray<Cell> }>
  readonly empty: string
}

/** A labelled figure in a totals block; `grand` marks the one that matters most. */
export interface TotalRow {
  readonly label: string
  readonly value: string
  readonly grand: boolean
}

/** A labelled value in the document header (number, dates, terms…). */
export interface Field {
  readonly label: string
  readonly value: string
}

/** Everything a page template reads. */
export interface PageContext {
  readonly lang: string
  readonly dir: "ltr" | "rtl"
  readonly paper: PaperSize
  readonly template: TemplateName
  readonly title: string
  readonly status: { readonly key: InvoiceStatus; readonly label: string } | null
  readonly business: {
    readonly name: string
    readonly lines: ReadonlyArray<string>
    readonly logo: string | null
    readonly logoAlt: string
  }
  readonly customer: { readonly heading: string; readonly name: string; readonly lines: ReadonlyArray<string> }
  readonly fields: ReadonlyArray<Field>
  readonly lines: Table | null
  readonly sections: ReadonlyArray<Table>
  readonly totals: { readonly caption: string; readonly rows: ReadonlyArray<TotalRow> } | null
  readonly legalFooter: string | null
  /** CSS custom properties of the theme, for the `style` attribute of `<html>` (attribute-escaped there). */
  readonly themeStyle: string
  /** The business's own CSS, placed unescaped in a `<style>` of its own; the theme schema vets it. */
  readonly customCss: string | null
}

/** The document templates, one per view model kind. */
export type TemplateName = "invoice" | "credit-note" | "receipt" | "statement" | "invoice-list"

const templateOf: { readonly [K in ViewModel["_tag"]]: TemplateName } = {
  Invoice: "invoice",
  CreditNote: "credit-note",
  PaymentReceipt: "receipt",
  Statement: "statement",
  InvoiceList: "invoice-list"
}

const clean = stripUnsafeControls
const text = (value: string, rowHeader = false): Cell => ({ text: clean(value), numeric: false, rowHeader })
const figure = (value: string, rowHeader = false): Cell => ({ text: value, numeric: true, rowHeader })
const blank: Cell = { text: "", numeric: false, rowHeader: false }

const column = (label: string, numeric = false) => ({ label, numeric })

interface Parts {
  readonly labels: Catalog
  readonly format: Formatter
}

const field = (label: string, value: string | undefined): ReadonlyArray<Field> =>
  value === undefined ? [] : [{ label, value: clean(value) }]

const customerBlock = (labels: Catalog, party: PartyView) => ({
  heading: labels.billTo,
  name: clean(party.name),
  lines: [
    ...party.addressLines.map(clean),
    ...(party.number !== undefined ? [`${labels.customerNumber}: ${clean(party.number)}`] : []),
    ...(party.taxId !== undefined ? [`${labels.taxId}: ${clean(party.taxId)}`] : []),
    ...(party.email !== undefined ? [clean(party.email)] : [])
  ]
})

const linesTable = ({ labels, format }: Parts, lines: ReadonlyArray<LineView>, currency: CurrencyCode): Table => ({
  id: "lines",
  caption: labels.linesCaption,
  columns: [
    column(labels.lineNumber, true),
    column(labels.description),
    column(labels.quantity, true),
    column(labels.unitPrice, true),
    column(labels.discount, true),
    column(labels.taxRate, true),
    column(labels.lineAmount, true)
  ],
  rows: lines.map((line) => ({
    cells: [
      figure(format.decimal(String(line.lineNumber)), true),
      text(
        [line.description, line.productCode !== undefined ? `(${line.productCode})` : ""]
          .filter((s) => s !== "")
          .join(" ")
      ),
      figure(`${format.decimal(line.quantity)}${line.unit !== undefined ? ` ${clean(line.unit)}` : ""}`),
      figure(format.price(line.unitPrice, currency)),
      line.discountPercent !== undefined ? figure(format.percent(line.discountPercent)) : blank,
      figure(format.percent(line.taxRate)),
      line.net !== undefined ? figure(format.money(line.net)) : blank
    ]
  })),
  empty: labels.noEntries
})

const taxTable = ({ labels, format }: Parts, taxLines: ReadonlyArray<TaxLine>): Table => ({
  id: "taxes",
  caption: labels.taxCaption,
  columns: [
    column(labels.taxCode),
    column(labels.taxRate, true),
    column(labels.taxable, true),
    column(labels.tax, true)
  ],
  rows: taxLines.map((tax) => ({
    cells: [
      text(tax.code, true),
      figure(format.percent(tax.rate)),
      figure(format.money(tax.taxable)),
      figure(format.money(tax.tax))
    ]
  })),
  empty: labels.noEntries
})

const total = (label: string, value: string, grand = false): TotalRow => ({ label, value, grand })

const invoicePage = (parts: Parts, doc: InvoiceView) => {
  const { labels, format } = parts
  return {
    title: `${labels.invoice} ${clean(doc.number)}`,
    status: { key: doc.status, label: statusLabel(labels, doc.status) },
    customer: customerBlock(labels, doc.customer),
    fields: [
      ...field(labels.invoiceNumber, doc.number),
      { label: labels.issueDate, value: format.date(doc.issueDate) },
      { label: labels.dueDate, value: format.date(doc.dueDate) },
      ...field(labels.terms, doc.terms),
      ...field(labels.poNumber, doc.poNumber),
      { label: labels.status, value: statusLabel(labels, doc.status) }
    ],
    lines: linesTable(parts, doc.lines, doc.currency),
    sections: [taxTable(parts, doc.taxLines)],
    totals: {
      caption: labels.totalsCaption,
      rows: [
        total(labels.subtotal, format.money(doc.totals.net)),
        total(labels.taxTotal, format.money(doc.totals.tax)),
        total(labels.total, format.money(doc.totals.total)),
        ...(doc.paid.minor !== 0 ? [total(labels.paid, format.money(doc.paid))] : []),
        ...(doc.credited.minor !== 0 ? [total(labels.credited, format.money(doc.credited))] : []),
        ...(doc.writtenOff !== undefined ? [total(labels.writtenOff, format.money(doc.writtenOff))] : []),
        total(`${labels.amountDue} (${labels.asOf} ${format.date(doc.asOf)})`, format.money(doc.open), true)
      ]
    }
  }
}

const creditNotePage = (parts: Parts, doc: CreditNoteView) => {
  const { labels, format } = parts
  return {
    title: `${labels.creditNote} ${clean(doc.number)}`,
    status: null,
    customer: customerBlock(labels, doc.customer),
    fields: [
      ...field(labels.creditNoteNumber, doc.number),
      { label: labels.issueDate, value: format.date(doc.issueDate) },
      ...field(labels.creditsInvoice, doc.invoiceNumber),
      ...field(labels.reason, doc.reason)
    ],
    lines: linesTable(parts, doc.lines, doc.currency),
    sections: [taxTable(parts, doc.taxLines)],
    totals: {
      caption: labels.totalsCaption,
      rows: [
        total(labels.subtotal, format.money(doc.totals.net)),
        total(labels.taxTotal, format.money(doc.totals.tax)),
        total(labels.total, format.money(doc.totals.total), true)
      ]
    }
  }
}

const receiptPage = (parts: Parts, doc: PaymentReceiptView) => {
  const { labels, format } = parts
  return {
    title: `${labels.paymentReceipt} ${clean(doc.reference)}`,
    status: null,
    customer: customerBlock(labels, doc.customer),
    fields: [
      ...field(labels.reference, doc.reference),
      { label: labels.receivedDate, value: format.date(doc.receivedDate) },
      ...field(labels.paymentMethod, doc.method)
    ],
    lines: {
      id: "allocations",
      caption: labels.allocationsCaption,
      columns: [column(labels.invoiceNumber), column(labels.amount, true)],
      rows: doc.allocations.map((allocation) => ({
        cells: [text(allocation.invoiceNumber, true), figure(format.money(allocation.amount))]
      })),
      empty: labels.noEntries
    },
    sections: [],
    totals: {
      caption: labels.totalsCaption,
      rows: [
        ...(doc.unallocated.minor !== 0 ? [total(labels.unallocated, format.money(doc.unallocated))] : []),
        total(labels.amount, format.money(doc.amount), true)
      ]
    }
  }
}

const statementPage = (parts: Parts, doc: StatementView) => {
  const { labels, format } = parts
  const money = (value: StatementView["opening"] | undefined) =>
    value !== undefined ? figure(format.money(value)) : blank
  const date = (value: StatementView["statementDate"] | undefined) =>
    value !== undefined ? text(format.date(value)) : blank
  const lines: Table =
    doc.style === "balance-forward"
      ? {
          id: "entries",
          caption: labels.entriesCaption,
          columns: [
            column(labels.date),
            column(labels.entryType),
            column(labels.reference),
            column(labels.dueDate),
            column(labels.debit, true),
            column(labels.credit, true),
            column(labels.balance, true)
          ],
          rows: doc.lines.map((line) => ({
            cells: [
              text(format.date(line.date), true),
              text(statementLineLabel(labels, line.kind)),
              text([line.reference, line.description ?? ""].filter((s) => s !== "").join(" — ")),
              date(line.dueDate),
              money(line.debit),
              money(line.credit),
              money(line.balance)
            ]
          })),
          empty: labels.noEntries
        }
      : {
          id: "open-items",
          caption: labels.openItemsCaption,
          columns: [
            column(labels.date),
            column(labels.entryType),
            column(labels.reference),
            column(labels.dueDate),
            column(labels.original, true),
            column(labels.openAmount, true)
          ],
          rows: doc.openItems.map((item) => ({
            cells: [
              text(format.date(item.date), true),
              text(openItemLabel(labels, item.kind)),
              text(item.reference),
              date(item.dueDate),
              money(item.original),
              money(item.open)
            ]
          })),
          empty: labels.noEntries
        }
  return {
    title: `${labels.statement} ${format.date(doc.statementDate)}`,
    status: null,
    customer: customerBlock(labels, doc.customer),
    fields: [
      { label: labels.statementDate, value: format.date(doc.statementDate) },
      { label: labels.periodStart, value: format.date(doc.periodStart) },
      { label: labels.currency, value: doc.currency }
    ],
    lines,
    sections:
      doc.aging.length === 0
        ? []
        : [
            {
              id: "aging",
              caption: labels.agingCaption,
              columns: [column(labels.agingBucket), column(labels.amount, true)],
              rows: doc.aging.map((row) => ({
                cells: [
                  text(
                    agingLabel(labels, row, (n) => format.decimal(String(n))),
                    true
                  ),
                  figure(format.money(row.amount))
                ]
              })),
              empty: labels.noEntries
            }
          ],
    totals: {
      caption: labels.totalsCaption,
      rows: [
        total(labels.openingBalance, format.money(doc.opening)),
        total(labels.invoiced, format.money(doc.invoiced)),
        total(labels.paid, format.money(doc.paid)),
        total(labels.credited, format.money(doc.credited)),
        total(labels.closingBalance, format.money(doc.closing), true)
      ]
    }
  }
}

const invoiceListPage = (parts: Parts, doc: InvoiceListView) => {
  const { labels, format } = parts
  return {
    title: `${labels.invoiceList} ${format.date(doc.asOf)}`,
    status: null,
    customer: customerBlock(labels, doc.customer),
    fields: [{ label: labels.asOf, value: format.date(doc.asOf) }],
    lines: {
      id: "invoices",
      caption: labels.listCaption,
      columns: [
        column(labels.invoiceNumber),
        column(labels.issueDate),
        column(labels.dueDate),
        column(labels.status),
        column(labels.total, true),
        column(labels.amountDue, true)
      ],
      rows: doc.rows.map((row) => ({
        cells: [
          text(row.number, true),
          text(format.date(row.issueDate)),
          text(format.date(row.dueDate)),
          text(statusLabel(labels, row.status)),
          figure(format.money(row.total)),
          figure(format.money(row.open))
        ]
      })),
      empty: labels.noEntries
    },
    sections: [],
    totals: {
      caption: labels.totalsByCurrency,
      rows: doc.openByCurrency.map((open) => total(`${labels.amountDue} ${open.currency}`, format.money(open), true))
    }
  }
}

// Theme values reach CSS only through custom properties in an attribute, where HTML escaping is the right
// escaping; the colour and font-stack schemas already refuse anything that could end a declaration.
const themeStyle = (theme: Theme): string =>
  [
    `--portico-text: ${theme.colors.text}`,
    `--portico-background: ${theme.colors.background}`,
    `--portico-muted: ${theme.colors.muted}`,
    `--portico-accent: ${theme.colors.accent}`,
    `--portico-accent-text: ${theme.colors.accentText}`,
    `--portico-border: ${theme.colors.border}`,
    `--portico-font: ${theme.fontStack}`
  ].join("; ")

/** The template data for a request, with labels from `catalogs` (see `catalogFor`). */
export const pageContext = (
  request: RenderRequest,
  format: Formatter,
  extraCatalogs?: { readonly [language: string]: Catalog }
): PageContext => {
  const { document, theme, locale } = request
  const labels = catalogFor(locale, extraCatalogs)
  const parts: Parts = { labels, format }
  const page = (() => {
    switch (document._tag) {
      case "Invoice":
        return invoicePage(parts, document)
      case "CreditNote":
        return creditNotePage(parts, document)
      case "PaymentReceipt":
        return receiptPage(parts, document)
      case "Statement":
        return statementPage(parts, document)
      case "InvoiceList":
        return invoiceListPage(parts, document)
    }
  })()
  return {
    ...page,
    lang: locale,
    dir: directionOf(theme, locale),
    paper: request.paper ?? paperSizeForLocale(locale),
    template: templateOf[document._tag],
    business: {
      name: clean(theme.businessName),
      lines: (theme.businessLines ?? []).map(clean),
      logo: theme.logo ?? null,
      logoAlt: `${clean(theme.businessName)} ${labels.logo}`
    },
    legalFooter: theme.legalFooter !== undefined ? clean(theme.legalFooter) : null,
    themeStyle: themeStyle(theme),
    customCss: theme.customCss ?? null
  }
}

/** The direction a document is laid out in: the theme's when it forces one, else the locale's. */
export const directionOf = (theme: Theme, locale: Locale): "ltr" | "rtl" =>
  theme.direction === "auto" ? textDirection(locale) : theme.direction
