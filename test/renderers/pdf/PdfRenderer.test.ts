// The renderer's failures that need no Chromium: no browser where it was said to be, a remote endpoint that does
// not answer (without leaking its token), settings that do not decode, and how the registry entry reports each.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { locale } from "../../../core/render/Locale.ts"
import { Renderers } from "../../../core/render/Renderers.ts"
import { sampleInvoice } from "../../../core/render/Samples.ts"
import { defaultTheme } from "../../../core/render/Theme.ts"
import { HtmlRenderer } from "../../../renderers/html/HtmlRenderer.ts"
import { BrowserUnavailable, PdfRenderError, PdfTimeout } from "../../../renderers/pdf/PdfErrors.ts"
import { asRenderError, PdfRenderer } from "../../../renderers/pdf/PdfRenderer.ts"

const render = PdfRenderer.use((renderer) => renderer.renderPdf("<p>hello</p>", { locale: "en-US" }))

describe("PdfRenderer without a browser", () => {
  it.effect("fails with BrowserUnavailable, saying how to install one, when executablePath does not exist", () =>
    Effect.gen(function* () {
      const error = yield* render.pipe(Effect.flip)
      expect(error._tag).toBe("BrowserUnavailable")
      if (error._tag === "BrowserUnavailable") {
        expect(error.reason).toBe("NotFound")
        expect(error.message).toContain("/nonexistent/chromium")
        expect(error.message).toContain("apt-get install -y chromium")
      }
    }).pipe(Effect.provide(PdfRenderer.layer({ executablePath: "/nonexistent/chromium" })))
  )

  it.live("fails with BrowserUnavailable when the remote endpoint does not answer, without repeating its token", () =>
    Effect.gen(function* () {
      const error = yield* render.pipe(Effect.flip)
      expect(error._tag).toBe("BrowserUnavailable")
      if (error._tag === "BrowserUnavailable") {
        expect(error.reason).toBe("ConnectFailed")
        expect(error.message).not.toContain("s3cret")
      }
    }).pipe(
      Effect.provide(
        PdfRenderer.layer({ remote: { endpoint: "ws://127.0.0.1:9/pw?token=s3cret" }, launchTimeout: 5000 })
      )
    )
  )

  it.effect("fails to build with PdfConfigError naming the field when the settings do not decode", () =>
    Effect.gen(function* () {
      const error = yield* Layer.build(PdfRenderer.layer({ concurrency: -1 })).pipe(Effect.flip)
      expect(error._tag).toBe("PdfConfigError")
      expect(error.message).toContain("concurrency")
    })
  )

  it.effect("the registry entry reports a missing browser as a retryable RenderError with reason Unavailable", () =>
    Effect.gen(function* () {
      const renderers = yield* Renderers
      const error = yield* renderers
        .render("pdf", { document: sampleInvoice, theme: defaultTheme, locale: locale("en-US") })
        .pipe(Effect.flip)
      expect(error._tag).toBe("RenderError")
      if (error._tag === "RenderError") {
        expect([error.format, error.reason, error.retryable]).toEqual(["pdf", "Unavailable", true])
        expect(error.message).toContain("apt-get install -y chromium")
      }
    }).pipe(
      Effect.provide(
        Renderers.layer(PdfRenderer.renderer).pipe(
          Layer.provide([HtmlRenderer.layer, PdfRenderer.layer({ executablePath: "/nonexistent/chromium" })])
        )
      )
    )
  )

  it("maps every PDF failure to the RenderError reason callers retry on", () => {
    const cases = [
      [new PdfTimeout({ timeoutMillis: 10, message: "late" }), "Timeout", true],
      [new BrowserUnavailable({ reason: "LaunchFailed", message: "no" }), "Unavailable", true],
      [new PdfRenderError({ reason: "BrowserCrashed", message: "gone" }), "Unavailable", true],
      [new PdfRenderError({ reason: "PageFailed", message: "broken page" }), "Failed", false]
    ] as const
    for (const [error, reason, retryable] of cases) {
      const mapped = asRenderError(error)
      expect([mapped.format, mapped.reason, mapped.retryable, mapped.message]).toEqual([
        "pdf",
        reason,
        retryable,
        error.message
      ])
      expect(mapped.cause).toBe(error)
    }
  })
})
