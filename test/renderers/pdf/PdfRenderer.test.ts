// The renderer's failures that need no Chromium: no browser where it was said to be, a remote endpoint that does
// not answer (without leaking its token), and settings that do not decode.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { PdfRenderer } from "../../../renderers/pdf/PdfRenderer.ts"

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
})
