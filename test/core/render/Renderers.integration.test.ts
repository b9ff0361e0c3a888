// The whole registry on Chromium: html, pdf and csv found by format, the PDF's text showing the invoice's
// number and figures, its metadata dated with the invoice, and a time-out reported as a retryable RenderError.
import { createHash } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { extractText, getDocumentProxy } from "unpdf"
import { locale } from "../../../core/render/Locale.ts"
import { Renderers } from "../../../core/render/Renderers.ts"
import { sampleInvoice } from "../../../core/render/Samples.ts"
import { defaultTheme } from "../../../core/render/Theme.ts"
import { csvRenderer } from "../../../renderers/csv/index.ts"
import { HtmlRenderer } from "../../../renderers/html/index.ts"
import { PdfRenderer } from "../../../renderers/pdf/index.ts"
import { infoEntry, testPdfConfig } from "../../renderers/pdf/PdfTestSupport.ts"
import { chromiumAvailability } from "../../support/Requirements.ts"

const chromium = chromiumAvailability()

const registry = (renderTimeout?: number) =>
  Renderers.layer(HtmlRenderer.renderer, PdfRenderer.renderer, csvRenderer).pipe(
    Layer.provide([
      HtmlRenderer.layer,
      PdfRenderer.layer({
        ...testPdfConfig(),
        concurrency: 1,
        ...(renderTimeout === undefined ? {} : { renderTimeout })
      })
    ])
  )

const request = { document: sampleInvoice, theme: defaultTheme, locale: locale("de-DE") }

describe.skipIf(!chromium.available)("Renderers with the PDF entry", () => {
  it.effect(
    "renders an invoice as a PDF whose text shows its number and amounts",
    () =>
      Effect.gen(function* () {
        const renderers = yield* Renderers
        assert.deepStrictEqual(renderers.formats, ["html", "pdf", "csv"])
        const rendered = yield* renderers.render("pdf", request)
        assert.strictEqual(rendered.fileName, "invoice-INV-2026-0042.pdf")
        assert.strictEqual(rendered.body._tag, "Bytes")
        const bytes = rendered.body._tag === "Bytes" ? rendered.body.bytes : new Uint8Array()
        assert.strictEqual(Buffer.from(bytes.subarray(0, 5)).toString("latin1"), "%PDF-")
        assert.strictEqual(rendered.sha256, createHash("sha256").update(bytes).digest("hex"))
        // The PDF is dated with the invoice's issue date, not with when it was printed.
        assert.match(infoEntry(bytes, "CreationDate") ?? "", /^D:20261102000000/)
        const { text } = yield* Effect.promise(async () =>
          extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })
        )
        for (const expected of [
          "Rechnung INV-2026-0042",
          "Offener Betrag",
          "2.373,91",
          "02.11.2026",
          "Hydraulic pump"
        ]) {
          assert.include(text.replace(/\s+/g, " "), expected)
        }
      }).pipe(Effect.provide(registry())),
    120_000
  )

  // Live: the time-out runs on the real clock.
  it.live(
    "reports a PDF that runs out of time as a retryable RenderError with reason Timeout",
    () =>
      Effect.gen(function* () {
        const renderers = yield* Renderers
        const error = yield* renderers.render("pdf", request).pipe(Effect.flip)
        assert.strictEqual(error._tag, "RenderError")
        if (error._tag === "RenderError") {
          assert.strictEqual(error.format, "pdf")
          assert.strictEqual(error.reason, "Timeout")
          assert.isTrue(error.retryable)
        }
      }).pipe(Effect.provide(registry(1))),
    120_000
  )
})
