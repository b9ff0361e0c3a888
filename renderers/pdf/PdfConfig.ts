// The settings of the PDF renderer as a Schema: where the browser comes from, how many pages render at once,
// when pages and browsers are recycled, and how long a document may take. Every field has a default.
import { availableParallelism } from "node:os"
import { Effect, Schema } from "effect"
import { PdfConfigError } from "./PdfErrors.ts"

const PositiveInt = Schema.Int.check(Schema.isGreaterThan(0))

/** A browser run elsewhere (a rendering fleet): a Playwright server (`launchServer`) or a CDP endpoint. */
export const RemoteBrowser = Schema.Struct({
  /** `ws://host:port/path` of `chromium.launchServer`, or the CDP endpoint; may carry a token, so it is redacted. */
  endpoint: Schema.RedactedFromValue(Schema.String, { label: "remote.endpoint" }),
  /** `playwright` uses `chromium.connect`, `cdp` uses `chromium.connectOverCDP`. */
  protocol: Schema.Literals(["playwright", "cdp"]).pipe(Schema.withDecodingDefaultKey(Effect.succeed("playwright")))
})

/** The PDF renderer's settings; decode an object (all keys optional) with `decodePdfConfig`. */
export const PdfConfig = Schema.Struct({
  /** A Chromium binary to use before the usual install paths are tried. */
  executablePath: Schema.optionalKey(Schema.String),
  /** Render on a remote browser instead of launching one. */
  remote: Schema.optionalKey(RemoteBrowser),
  /** Documents rendered at the same time (one page each); default `os.availableParallelism()`. */
  concurrency: PositiveInt.pipe(Schema.withDecodingDefaultKey(Effect.sync(() => availableParallelism()))),
  /** A page is closed and replaced after this many renders. */
  pageRendersBeforeRecycle: PositiveInt.pipe(Schema.withDecodingDefaultKey(Effect.succeed(100))),
  /** The browser is replaced (once its pages are back) after this many renders. */
  browserRendersBeforeRecycle: PositiveInt.pipe(Schema.withDecodingDefaultKey(Effect.succeed(2000))),
  /** Time-out per document when the caller gives none, in milliseconds on the encoded side. */
  renderTimeout: Schema.DurationFromMillis.pipe(Schema.withDecodingDefaultKey(Effect.succeed(30_000))),
  /** Time allowed to launch or connect to a browser, in milliseconds on the encoded side. */
  launchTimeout: Schema.DurationFromMillis.pipe(Schema.withDecodingDefaultKey(Effect.succeed(30_000))),
  /** Invoice HTML is rendered on the server and needs no script; turning scripts off narrows what a template can do. */
  javaScriptEnabled: Schema.Boolean.pipe(Schema.withDecodingDefaultKey(Effect.succeed(false)))
})

/** Decoded settings. */
export type PdfConfig = typeof PdfConfig.Type

/** Settings as written by hand or read from a file: every key optional, times in milliseconds. */
export type PdfConfigInput = typeof PdfConfig.Encoded

/** Decodes settings, failing with a `PdfConfigError` that names the offending field. */
export const decodePdfConfig = (input: PdfConfigInput): Effect.Effect<PdfConfig, PdfConfigError> =>
  Schema.decodeUnknownEffect(PdfConfig)(input).pipe(
    Effect.mapError((error) => new PdfConfigError({ message: `Invalid PDF renderer config: ${error.message}` }))
  )
