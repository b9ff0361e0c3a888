// The example renderer of docs/renderers.md ("Writing a renderer"), kept here so a test runs it and checks
// that the document shows exactly this code.
import { Effect } from "effect"
import { toDecimal } from "../../../core/domain/Money.ts"
import { documentFileName, type Renderer, type RenderRequest, unsupported } from "../../../core/render/index.ts"

const format = "text"
const contentType = "text/plain; charset=utf-8"

/** Plain-text invoices and invoice lists, for e-mail bodies and terminals. */
export const plainTextRenderer: Renderer = {
  format,
  contentType,
  kinds: ["Invoice", "InvoiceList"],
  render: ({ document }: RenderRequest) => {
    const lines = (() => {
      switch (document._tag) {
        case "Invoice":
          return [
            `Invoice ${document.number} (${document.issueDate}, due ${document.dueDate})`,
            ...document.lines.map((line) => `${line.quantity} x ${line.description}`),
            `Total: ${document.currency} ${toDecimal(document.totals.total)}`,
            `Open: ${document.currency} ${toDecimal(document.open)}`
          ]
        case "InvoiceList":
          return document.rows.map(
            (row) => `${row.number}\t${row.dueDate}\t${row.open.currency} ${toDecimal(row.open)}`
          )
        default:
          return undefined
      }
    })()
    if (lines === undefined) return Effect.fail(unsupported(format, document))
    return Effect.succeed({
      format,
      contentType,
      fileName: documentFileName(document, "txt"),
      body: { _tag: "Bytes", bytes: new TextEncoder().encode(`${lines.join("\n")}\n`) }
    })
  }
}
