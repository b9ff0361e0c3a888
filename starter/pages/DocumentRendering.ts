// The starter's implementation of the portal's `DocumentFiles` port: documents become HTML with the HTML
// renderer, PDF by printing that HTML on the PDF renderer's browser pool, CSV with the CSV renderer, and
// ZIP archives with the streamed ZIP export. Theme and language come from `PortalSettings`.
import { Effect, Layer, Stream } from "effect"
import { DocumentFiles } from "../../core/portal/DocumentFiles.ts"
import { PortalSettings } from "../../core/portal/PortalSettings.ts"
import { sha256Hex } from "../../core/render/Digest.ts"
import { RenderError, type Rendered } from "../../core/render/Renderer.ts"
import type { ViewModel } from "../../core/render/ViewModels.ts"
import { csvRenderer } from "../../renderers/csv/index.ts"
import { HtmlRenderer } from "../../renderers/html/index.ts"
import { PdfRenderer } from "../../renderers/pdf/index.ts"
import { zipStream } from "../../renderers/zip/index.ts"

/** A rendered document in one piece, as the portal hands it out (with its hash for the download's audit entry). */
const fileOf = (rendered: Rendered) =>
  rendered.body._tag === "Bytes"
    ? Effect.succeed({
        fileName: rendered.fileName,
        contentType: rendered.contentType,
        bytes: rendered.body.bytes,
        sha256: rendered.sha256 ?? sha256Hex(rendered.body.bytes)
      })
    : Effect.fail(
        new RenderError({
          format: rendered.format,
          reason: "Failed",
          message: `expected a ${rendered.format} document in one piece`
        })
      )

/** `DocumentFiles` over the library's HTML, PDF and CSV renderers (their layers provided by the composition). */
export const DocumentRendering = Layer.effect(
  DocumentFiles,
  Effect.gen(function* () {
    const html = yield* HtmlRenderer
    const pdf = yield* PdfRenderer.renderer
    const settings = yield* PortalSettings
    const request = (document: ViewModel) => ({ document, theme: settings.theme, locale: settings.locale })

    const renderHtml = (document: ViewModel) => html.renderHtml(request(document))
    const renderPdf = (document: ViewModel) => Effect.flatMap(pdf.render(request(document)), fileOf)
    const renderCsv = (document: ViewModel) => Effect.flatMap(csvRenderer.render(request(document)), fileOf)

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
