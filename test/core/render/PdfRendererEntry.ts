// The `pdf` entry for `Renderers` shown in docs/renderers.md: the HTML renderer's page printed by the PDF
// renderer. Kept here so an integration test runs it and checks that the document shows exactly this code.
import { Effect } from "effect"
import { documentFileName, RenderError, type Renderer, viewModelKinds } from "../../../core/render/index.ts"
import { HtmlRenderer } from "../../../renderers/html/index.ts"
import { PdfRenderer } from "../../../renderers/pdf/index.ts"

/** The `pdf` format: HTML from `HtmlRenderer`, printed by `PdfRenderer`, with the PDF's SHA-256. */
export const pdfRenderer = Effect.gen(function* () {
  const html = yield* HtmlRenderer
  const pdf = yield* PdfRenderer
  const renderer: Renderer = {
    format: "pdf",
    contentType: "application/pdf",
    kinds: viewModelKinds,
    render: (request) =>
      html.renderHtml(request).pipe(
        Effect.flatMap((page) =>
          pdf.renderPdf(page, { locale: request.locale, ...(request.paper ? { paper: request.paper } : {}) }).pipe(
            Effect.mapError(
              (error) =>
                new RenderError({
                  format: "pdf",
                  reason:
                    error._tag === "PdfTimeout"
                      ? "Timeout"
                      : error._tag === "BrowserUnavailable" || error.retryable
                        ? "Unavailable"
                        : "Failed",
                  message: error.message,
                  cause: error
                })
            )
          )
        ),
        Effect.map((document) => ({
          format: "pdf",
          contentType: "application/pdf",
          fileName: documentFileName(request.document, "pdf"),
          body: { _tag: "Bytes", bytes: document.bytes },
          sha256: document.sha256
        }))
      )
  }
  return renderer
})
