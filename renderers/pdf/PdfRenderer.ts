// Turns a finished HTML document into a PDF on a pooled Chromium page: paper from the locale, nothing fetched,
// the same bytes for the same document, and their SHA-256 for the audit trail.
import { Context, DateTime, type Duration, Effect, Layer } from "effect"
import { BrowserPool } from "./BrowserPool.ts"
import { countPages, normalisePdf, sha256Hex } from "./internal/DeterministicPdf.ts"
import { type PaperSize, paperSizeForLocale } from "./PaperSize.ts"
import type { PdfConfigInput } from "./PdfConfig.ts"
import type { BrowserUnavailable, PdfConfigError, PdfRenderError, PdfTimeout } from "./PdfErrors.ts"

/** A rendered PDF. */
export interface PdfDocument {
  readonly bytes: Uint8Array
  /** Lower-case hex SHA-256 of `bytes`. */
  readonly sha256: string
  /** Number of pages. */
  readonly pages?: number
}

/** How to render one document. */
export interface RenderPdfOptions {
  /** BCP 47 locale of the reader; chooses Letter or A4 unless `paper` is given. */
  readonly locale: string
  /**
   * Paper to print on, overriding the locale's. A `size` in the document's own `@page` rule wins over both, so a
   * template laid out for a paper is printed on it.
   */
  readonly paper?: PaperSize
  /** Document title in the PDF's properties; default the HTML `<title>`. */
  readonly title?: string
  /** Time-out for this document; default `PdfConfig.renderTimeout`. */
  readonly timeout?: Duration.Input
  /**
   * The date written as the PDF's creation and modification date (e.g. the invoice's issue date), so the bytes do
   * not depend on when they were made; default 1970-01-01T00:00:00Z.
   */
  readonly date?: DateTime.DateTime
}

/** The epoch written into PDFs that do not say which date they belong to. */
export const defaultPdfDate: Date = new Date(0)

/** Renders HTML to PDF. */
export class PdfRenderer extends Context.Service<
  PdfRenderer,
  {
    readonly renderPdf: (
      html: string,
      options: RenderPdfOptions
    ) => Effect.Effect<PdfDocument, PdfRenderError | PdfTimeout | BrowserUnavailable>
  }
>()("portico/renderers/pdf/PdfRenderer") {
  /** The renderer on a `BrowserPool` provided from outside (shared with other users of the pool). */
  static readonly layerWithoutPool: Layer.Layer<PdfRenderer, never, BrowserPool> = Layer.effect(
    PdfRenderer,
    Effect.gen(function* () {
      const pool = yield* BrowserPool

      const renderPdf = Effect.fn("PdfRenderer.renderPdf")(function* (html: string, options: RenderPdfOptions) {
        const format = options.paper ?? paperSizeForLocale(options.locale)
        const { raw, blocked } = yield* pool.withPage(
          (lease) =>
            Effect.gen(function* () {
              yield* lease.run("loading the HTML", (page) => page.setContent(html, { waitUntil: "load" }))
              if (options.title !== undefined) {
                const script = `document.title = ${JSON.stringify(options.title)}`
                yield* lease.run("setting the title", (page) => page.evaluate(script))
              }
              const raw = yield* lease.run("printing", (page) =>
                page.pdf({ format, printBackground: true, tagged: true, preferCSSPageSize: true })
              )
              return { raw, blocked: lease.blockedRequests() }
            }),
          options.timeout === undefined ? {} : { timeout: options.timeout }
        )
        if (blocked.length > 0) {
          yield* Effect.logWarning("PdfRenderer: the document asked for resources that were blocked", blocked)
        }
        const date = options.date === undefined ? defaultPdfDate : DateTime.toDateUtc(options.date)
        const bytes = normalisePdf(raw, date)
        return { bytes, sha256: sha256Hex(bytes), pages: countPages(bytes) }
      })

      return PdfRenderer.of({ renderPdf })
    })
  )

  /** The renderer with its own pool, configured by `config`; the pool is in the output too. */
  static readonly layer = (config: PdfConfigInput = {}): Layer.Layer<PdfRenderer | BrowserPool, PdfConfigError> =>
    PdfRenderer.layerWithoutPool.pipe(Layer.provideMerge(BrowserPool.layer(config)))
}
