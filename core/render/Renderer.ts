// The renderer contract: a renderer turns a view model, a theme and a locale into a document (bytes or a
// stream) with a content type and a file name. HTML, PDF, CSV and any plugin's format implement it.
import { type Effect, Schema, type Stream } from "effect"
import { safeFileName } from "./FileName.ts"
import type { Locale } from "./Locale.ts"
import type { PaperSize } from "./Paper.ts"
import type { Theme } from "./Theme.ts"
import type { ViewModel, ViewModelKind } from "./ViewModels.ts"

/** A format name: lower-case letters, digits and hyphens ("html", "pdf", "csv", "ubl-xml"). */
export const Format = Schema.String.check(
  Schema.isPattern(/^[a-z][a-z0-9-]{0,39}$/, { expected: 'a lower-case format name such as "pdf"' })
)

/** What to render, for whom, and how it should look. */
export interface RenderRequest {
  readonly document: ViewModel
  readonly theme: Theme
  readonly locale: Locale
  /** The paper to lay the document out for; renderers default to the locale's (`paperSizeForLocale`). */
  readonly paper?: PaperSize
}

/** A rendered document's content: all the bytes at once, or a stream of them for large documents. */
export type RenderedBody =
  | { readonly _tag: "Bytes"; readonly bytes: Uint8Array }
  | { readonly _tag: "Stream"; readonly stream: Stream.Stream<Uint8Array, RenderError> }

/** A rendered document, ready to send or store. */
export interface Rendered {
  readonly format: string
  /** A full media type, with its charset for text ("text/html; charset=utf-8"). */
  readonly contentType: string
  /** A safe file name with the format's extension ("invoice-INV-1001.pdf"). */
  readonly fileName: string
  readonly body: RenderedBody
  /**
   * Lower-case hex SHA-256 of a `Bytes` body (`sha256Hex`), for the audit entry of a download. The shipped
   * renderers (html, pdf, csv) always fill it; a streamed body cannot know it before it has been sent.
   */
  readonly sha256?: string
}

/** A renderer for one format. */
export interface Renderer {
  /** The format it is found by in `Renderers`. */
  readonly format: string
  /** The media type of what it produces. */
  readonly contentType: string
  /** The view model kinds it can render; others fail with reason "UnsupportedDocument". */
  readonly kinds: ReadonlyArray<ViewModelKind>
  readonly render: (request: RenderRequest) => Effect.Effect<Rendered, RenderError>
}

/**
 * Why a render failed. "Timeout" and "Unavailable" (no browser, a crashed one) may succeed when tried again;
 * "UnsupportedDocument", "InvalidInput" and "Failed" will not.
 */
export const RenderErrorReason = Schema.Literals([
  "UnsupportedDocument",
  "InvalidInput",
  "Timeout",
  "Unavailable",
  "Failed"
])
export type RenderErrorReason = typeof RenderErrorReason.Type

/** A render that failed; the one error every renderer reports, so callers handle all formats alike. */
export class RenderError extends Schema.TaggedError<RenderError>()("RenderError", {
  format: Schema.String,
  reason: RenderErrorReason,
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {
  /** Whether the same request may succeed if tried again. */
  get retryable(): boolean {
    return this.reason === "Timeout" || this.reason === "Unavailable"
  }
}

const kindStem: { readonly [K in ViewModelKind]: string } = {
  Invoice: "invoice",
  CreditNote: "credit-note",
  PaymentReceipt: "receipt",
  Statement: "statement",
  InvoiceList: "invoices"
}

/**
 * The default file name of a document: `invoice-INV-1001.pdf`, `credit-note-CN-7.csv`, `receipt-REF.html`,
 * `statement-2026-11-30.pdf`, `invoices-2026-11-21.csv`; always safe (see `safeFileName`).
 */
export const documentFileName = (document: ViewModel, extension: string): string => {
  const id = (() => {
    switch (document._tag) {
      case "Invoice":
      case "CreditNote":
        return document.number
      case "PaymentReceipt":
        return document.reference
      case "Statement":
        return document.statementDate
      case "InvoiceList":
        return document.asOf
    }
  })()
  const stem = kindStem[document._tag]
  return safeFileName(`${stem}-${id}.${extension}`, `${stem}.${extension}`)
}

/** The failure of a renderer asked for a kind of document it does not render. */
export const unsupported = (format: string, document: ViewModel): RenderError =>
  new RenderError({
    format,
    reason: "UnsupportedDocument",
    message: `the ${format} renderer does not render ${document._tag} documents`
  })
