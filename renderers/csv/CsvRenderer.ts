// The CSV renderer: each view model as one table (invoice and credit note lines, receipt allocations,
// statement entries, invoice list rows) with translated headers, ISO dates and plain decimal amounts; and a
// streaming invoice export for lists too long to hold.
import { Effect, Stream } from "effect"
import type { Money } from "../../core/domain/Money.ts"
import { toDecimal } from "../../core/domain/Money.ts"
import { sha256Hex } from "../../core/render/Digest.ts"
import { openItemLabel, statementLineLabel, statusLabel } from "../../core/render/Labels.ts"
import type { Locale } from "../../core/render/Locale.ts"
import { type Catalog, catalogFor } from "../../core/render/Messages.ts"
import { documentFileName, type Renderer } from "../../core/render/Renderer.ts"
import { type InvoiceRowView, type ViewModel, viewModelKinds } from "../../core/render/ViewModels.ts"
import type { CsvColumn, CsvOptions } from "./CsvFormat.ts"
import { csvBytes, csvStream } from "./CsvWriter.ts"

const format = "csv"
const contentType = "text/csv; charset=utf-8"

const text = (header: string): CsvColumn => ({ header, kind: "text" })
const number = (header: string): CsvColumn => ({ header, kind: "number" })
const date = (header: string): CsvColumn => ({ header, kind: "date" })
const amount = (money: Money | undefined): string => (money === undefined ? "" : toDecimal(money))

/** The columns of an invoice export row. */
export const invoiceRowColumns = (labels: Catalog): ReadonlyArray<CsvColumn> => [
  text(labels.invoiceNumber),
  date(labels.issueDate),
  date(labels.dueDate),
  text(labels.status),
  text(labels.currency),
  number(labels.total),
  number(labels.amountDue)
]

/** The cells of an invoice export row, in `invoiceRowColumns` order. */
export const invoiceRowCells = (labels: Catalog, row: InvoiceRowView): ReadonlyArray<string> => [
  row.number,
  row.issueDate,
  row.dueDate,
  statusLabel(labels, row.status),
  row.total.currency,
  toDecimal(row.total),
  toDecimal(row.open)
]

/** The table a view model becomes: columns and rows of cell strings. */
export const csvTable = (
  document: ViewModel,
  labels: Catalog
): { readonly columns: ReadonlyArray<CsvColumn>; readonly rows: ReadonlyArray<ReadonlyArray<string>> } => {
  switch (document._tag) {
    case "Invoice":
    case "CreditNote":
      return {
        columns: [
          text(document._tag === "Invoice" ? labels.invoiceNumber : labels.creditNoteNumber),
          number(labels.lineNumber),
          text(labels.productCode),
          text(labels.description),
          number(labels.quantity),
          text(labels.unit),
          number(labels.unitPrice),
          number(labels.discount),
          number(labels.taxRate),
          text(labels.currency),
          number(labels.lineAmount)
        ],
        rows: document.lines.map((line) => [
          document.number,
          String(line.lineNumber),
          line.productCode ?? "",
          line.description,
          line.quantity,
          line.unit ?? "",
          line.unitPrice,
          line.discountPercent ?? "",
          line.taxRate,
          document.currency,
          amount(line.net)
        ])
      }
    case "PaymentReceipt":
      return {
        columns: [
          text(labels.reference),
          date(labels.receivedDate),
          text(labels.invoiceNumber),
          text(labels.currency),
          number(labels.amount)
        ],
        rows: document.allocations.map((allocation) => [
          document.reference,
          document.receivedDate,
          allocation.invoiceNumber,
          allocation.amount.currency,
          toDecimal(allocation.amount)
        ])
      }
    case "Statement":
      return document.style === "balance-forward"
        ? {
            columns: [
              date(labels.date),
              text(labels.entryType),
              text(labels.reference),
              text(labels.description),
              date(labels.dueDate),
              text(labels.currency),
              number(labels.debit),
              number(labels.credit),
              number(labels.balance)
            ],
            rows: document.lines.map((line) => [
              line.date,
              statementLineLabel(labels, line.kind),
              line.reference,
              line.description ?? "",
              line.dueDate ?? "",
              document.currency,
              amount(line.debit),
              amount(line.credit),
              toDecimal(line.balance)
            ])
          }
        : {
            columns: [
              date(labels.date),
              text(labels.entryType),
              text(labels.reference),
              date(labels.dueDate),
              text(labels.currency),
              number(labels.original),
              number(labels.openAmount)
            ],
            rows: document.openItems.map((item) => [
              item.date,
              openItemLabel(labels, item.kind),
              item.reference,
              item.dueDate ?? "",
              document.currency,
              toDecimal(item.original),
              toDecimal(item.open)
            ])
          }
    case "InvoiceList":
      return { columns: invoiceRowColumns(labels), rows: document.rows.map((row) => invoiceRowCells(labels, row)) }
  }
}

/** A CSV renderer for the `Renderers` registry; `options` (BOM, delimiter, decimal separator) apply to every render. */
export const makeCsvRenderer = (options: CsvOptions = {}): Renderer => ({
  format,
  contentType,
  kinds: viewModelKinds,
  render: ({ document, locale }) =>
    Effect.sync(() => {
      const { columns, rows } = csvTable(document, catalogFor(locale))
      const bytes = csvBytes(columns, rows, locale, options)
      return {
        format,
        contentType,
        fileName: documentFileName(document, "csv"),
        body: { _tag: "Bytes" as const, bytes },
        sha256: sha256Hex(bytes)
      }
    })
})

/** The CSV renderer with default options (no BOM, locale delimiter and decimal separator). */
export const csvRenderer: Renderer = makeCsvRenderer()

/**
 * Streams a large invoice export: rows in, CSV bytes out, with translated headers. Memory holds one chunk
 * of rows at a time, so an export of every invoice of a large account needs no more than a page of them.
 */
export const invoiceExportStream = <E, R>(
  rows: Stream.Stream<InvoiceRowView, E, R>,
  locale: Locale,
  options?: CsvOptions
): Stream.Stream<Uint8Array, E, R> => {
  const labels = catalogFor(locale)
  return csvStream(
    invoiceRowColumns(labels),
    Stream.map(rows, (row) => invoiceRowCells(labels, row)),
    locale,
    options
  )
}
