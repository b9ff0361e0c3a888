// The registry finds renderers by format, refuses two renderers for one format, and takes a new format
// (the plain-text example of docs/renderers.md) without any change to core.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import { locale } from "../../../core/render/Locale.ts"
import { RendererNotFound, Renderers } from "../../../core/render/Renderers.ts"
import { sampleInvoice, sampleStatement } from "../../../core/render/Samples.ts"
import { defaultTheme } from "../../../core/render/Theme.ts"
import { HtmlRenderer } from "../../../renderers/html/HtmlRenderer.ts"
import { plainTextRenderer } from "./PlainTextRenderer.ts"

const request = { document: sampleInvoice, theme: defaultTheme, locale: locale("en") }

describe("Renderers", () => {
  it.effect("finds each renderer by its format, in registration order", () =>
    Effect.gen(function* () {
      const renderers = yield* Renderers
      assert.deepStrictEqual(renderers.formats, ["html", "text"])
      const text = yield* renderers.render("text", request)
      assert.strictEqual(text.fileName, "invoice-INV-2026-0042.txt")
      assert.strictEqual(text.contentType, "text/plain; charset=utf-8")
      assert.strictEqual(text.body._tag, "Bytes")
      if (text.body._tag === "Bytes") {
        assert.strictEqual(
          new TextDecoder().decode(text.body.bytes),
          [
            "Invoice INV-2026-0042 (2026-11-02, due 2026-12-02)",
            "2 x Hydraulic pump HX-200",
            "3.5 x Installation, on site",
            "1 x Technical manual (print)",
            "Total: EUR 3373.91",
            "Open: EUR 2373.91",
            ""
          ].join("\n")
        )
      }
      const html = yield* renderers.get("html")
      assert.strictEqual(html.contentType, "text/html; charset=utf-8")
    }).pipe(
      Effect.provide(Renderers.layer(HtmlRenderer.renderer, plainTextRenderer).pipe(Layer.provide(HtmlRenderer.layer)))
    )
  )

  it.effect("an unknown format fails with the formats that exist", () =>
    Effect.gen(function* () {
      const renderers = yield* Renderers
      const error = yield* Effect.flip(renderers.render("pdf", request))
      assert.instanceOf(error, RendererNotFound)
      if (error instanceof RendererNotFound) {
        assert.deepStrictEqual(error.available, ["text"])
        assert.strictEqual(error.message, 'no renderer for format "pdf"; available: text')
      }
    }).pipe(Effect.provide(Renderers.layer(plainTextRenderer)))
  )

  it.effect("a renderer asked for a kind it does not render says so", () =>
    Effect.gen(function* () {
      const renderers = yield* Renderers
      const error = yield* Effect.flip(renderers.render("text", { ...request, document: sampleStatement }))
      assert.strictEqual(error._tag, "RenderError")
      if (error._tag === "RenderError") {
        assert.strictEqual(error.reason, "UnsupportedDocument")
        assert.isFalse(error.retryable)
      }
    }).pipe(Effect.provide(Renderers.layer(plainTextRenderer)))
  )

  it.effect("two renderers for one format, or an invalid format name, fail the layer", () =>
    Effect.gen(function* () {
      const twice = yield* Effect.exit(Layer.build(Renderers.layer(plainTextRenderer, plainTextRenderer)))
      assert.isTrue(Exit.isFailure(twice))
      if (Exit.isFailure(twice)) assert.include(String(twice.cause), 'two renderers are registered for format "text"')
      const invalid = yield* Effect.exit(Layer.build(Renderers.layer({ ...plainTextRenderer, format: "Plain Text" })))
      assert.isTrue(Exit.isFailure(invalid))
      if (Exit.isFailure(invalid)) assert.include(String(invalid.cause), 'invalid renderer format "Plain Text"')
    }).pipe(Effect.scoped)
  )
})
