// Turns a finished HTML document into a PDF on a pooled Chromium page: paper from the locale, nothing fetched,
// the same bytes for the same document, and their SHA-256 for the audit trail; and the `pdf` registry entry.
import { Context, DateTime, type Duration, Effect, Layer } from "effect"
import { documentFileName, RenderError, type Renderer } from "../../core/render/Renderer.ts"
import { type ViewModel, viewModelKinds } from "../../core/render/ViewModels.ts"
import { HtmlRenderer } from "../html/HtmlRenderer.ts"
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

  /**
   * The registry entry (format "pdf"), for `Renderers.layer(HtmlRenderer.renderer, PdfRenderer.renderer, ...)`:
   * the page from `HtmlRenderer`, printed on the request's paper (else the locale's), dated with the document's
   * own date, with its SHA-256. A time-out fails with reason "Timeout", no browser or a crashed one with
   * "Unavailable" (both retryable), a page that fails to print with "Failed".
   */
  static readonly renderer: Effect.Effect<Renderer, never, PdfRenderer | HtmlRenderer> = Effect.gen(function* () {
    const html = yield* HtmlRenderer
    const pdf = yield* PdfRenderer
    const render: Renderer["render"] = Effect.fn("PdfRenderer.render")(function* (request) {
      const page = yield* html.renderHtml(request)
      const document = yield* pdf
        .renderPdf(page, {
          locale: request.locale,
          date: DateTime.makeUnsafe(`${documentDate(request.document)}T00:00:00Z`),
          ...(request.paper === undefined ? {} : { paper: request.paper })
        })
        .pipe(Effect.mapError(asRenderError))
      return {
        format,
        contentType,
        fileName: documentFileName(request.document, "pdf"),
        body: { _tag: "Bytes", bytes: document.bytes },
        sha256: document.sha256
      }
    })
    return { format, contentType, kinds: viewModelKinds, render }
  })
}

const format = "pdf"
const contentType = "application/pdf"

/** The date a document is about, written into its PDF's metadata so the bytes depend on the document only. */
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

/**
 * A PDF failure as the registry's `RenderError`: a time-out is "Timeout", no browser or a crashed one is
 * "Unavailable" (both retryable), a page that failed is "Failed"; the original error is the cause.
 */
export const asRenderError = (error: PdfRenderError | PdfTimeout | BrowserUnavailable): RenderError =>
  new RenderError({
    format,
    reason:
      error._tag === "PdfTimeout"
        ? "Timeout"
        : error._tag === "BrowserUnavailable" || error.reason === "BrowserCrashed"
          ? "Unavailable"
          : "Failed",
    message: error.message,
    cause: error
  })
