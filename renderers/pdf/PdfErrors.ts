// The typed failures of PDF rendering: no browser, a render that failed, a render that ran out of time,
// and a configuration that does not decode.
import { Schema } from "effect"

/** Why a browser could not be had: none installed, a launch that failed, or a remote endpoint that refused. */
export const BrowserUnavailableReason = Schema.Literals(["NotFound", "LaunchFailed", "ConnectFailed"])

/** No browser to render with; the message says how to get one. */
export class BrowserUnavailable extends Schema.TaggedError<BrowserUnavailable>()("BrowserUnavailable", {
  reason: BrowserUnavailableReason,
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/** Why a render failed: the browser went away under it (retryable on a fresh browser), or the page itself failed. */
export const PdfRenderErrorReason = Schema.Literals(["BrowserCrashed", "PageFailed"])

/** A render that failed for a reason other than time. */
export class PdfRenderError extends Schema.TaggedError<PdfRenderError>()("PdfRenderError", {
  reason: PdfRenderErrorReason,
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {
  /** A crashed browser is replaced by the pool, so the same document can be tried again. */
  get retryable(): boolean {
    return this.reason === "BrowserCrashed"
  }
}

/** A document that took longer than its time-out; the page it used is discarded. */
export class PdfTimeout extends Schema.TaggedError<PdfTimeout>()("PdfTimeout", {
  timeoutMillis: Schema.Number,
  message: Schema.String
}) {}

/** A `PdfConfig` that does not decode; the message names the field. */
export class PdfConfigError extends Schema.TaggedError<PdfConfigError>()("PdfConfigError", {
  message: Schema.String
}) {}
