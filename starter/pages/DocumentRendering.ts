// The starter's implementation of the portal's `DocumentFiles` port: documents become HTML with the HTML
// renderer, PDF by printing that HTML on the PDF renderer's browser pool, CSV with the CSV renderer, and
// ZIP archives with the streamed ZIP export. Theme and language come from `PortalSettings`.
import { createHash } from "node:crypto"
import { DateTime, Effect, Layer, Stream } from "effect"
import { DocumentFiles } from "../../core/portal/DocumentFiles.ts"
import { PortalSettings } from "../../core/portal/PortalSettings.ts"
import { documentFileName, RenderError } from "../../core/render/Renderer.ts"
import type { ViewModel } from "../../core/render/ViewModels.ts"
import { csvRenderer } from "../../renderers/csv/index.ts"
import { HtmlRenderer } from "../../renderers/html/index.ts"
import { PdfRenderer } from "../../renderers/pdf/index.ts"
import { zipStream } from "../../renderers/zip/index.ts"

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex")

/** The date a document is "of": written into its PDF so the same document gives the same bytes. */
const documentDate = (document: ViewModel): string => {
  switch (document._tag) {
    case "Invoice":
    case "CreditNote":
      return document.issueDate
    case "PaymentReceipt":
      return document.receivedDate
    case "Statement":
      return document.statementDate
    case "InvoiceList":
      return document.asOf
  }
}

const bytesOf = (body: { readonly _tag: "Bytes"; readonly bytes: Uint8Array } | { readonly _tag: "Stream" }) =>
  body._tag === "Bytes"
    ? Effect.succeed(body.bytes)
    : Effect.fail(new RenderError({ format: "csv", reason: "Failed", message: "expected a CSV document in one piece" }))

/** `DocumentFiles` over `HtmlRenderer` and `PdfRenderer` (their layers provided by the composition). */
export const DocumentRendering = Layer.effect(
  DocumentFiles,
  Effect.gen(function* () {
    const html = yield* HtmlRenderer
    const pdf = yield* PdfRenderer
    const settings = yield* PortalSettings
    const request = (document: ViewModel) => ({ document, theme: settings.theme, locale: settings.locale })

    const renderHtml = (document: ViewModel) => html.renderHtml(request(document))

    const renderPdf = Effect.fn("DocumentRendering.pdf")(function* (document: ViewModel) {
      const page = yield* renderHtml(document)
      const printed = yield* pdf
        .renderPdf(page, {
          locale: settings.locale,
          date: DateTime.makeUnsafe(`${documentDate(document)}T00:00:00Z`)
        })
        .pipe(
          Effect.mapError(
            (error) =>
              new RenderError({
                format: "pdf",
                reason:
                  error._tag === "PdfTimeout"
                    ? "Timeout"
                    : error._tag === "BrowserUnavailable"
                      ? "Unavailable"
                      : "Failed",
                message: error.message,
                cause: error
              })
          )
        )
      return {
        fileName: documentFileName(document, "pdf"),
        contentType: "application/pdf",
        bytes: printed.bytes,
        sha256: printed.sha256
      }
    })

    const renderCsv = Effect.fn("DocumentRendering.csv")(function* (document: ViewModel) {
      const rendered = yield* csvRenderer.render(request(document))
      const bytes = yield* bytesOf(rendered.body)
      return { fileName: rendered.fileName, contentType: rendered.contentType, bytes, sha256: sha256(bytes) }
    })

    const archive: DocumentFiles["Service"]["archive"] = (files) =>
      zipStream(
        Stream.fromIterable(
          files.map((file) => ({
            fileName: file.fileName,
            contentType: file.contentType,
            bytes: file.bytes,
            sha256: file.sha256,
            ...(file.documentNumber === undefined ? {} : { documentNumber: file.documentNumber })
          }))
        )
      ).pipe(
        Stream.mapError(
          (error) => new RenderError({ format: "zip", reason: "Failed", message: error.message, cause: error })
        )
      )

    return DocumentFiles.of({ html: renderHtml, pdf: renderPdf, csv: renderCsv, archive })
  })
)
