// Themes are validated data: colours, logo data URLs, font stacks and custom CSS are checked when a theme
// is decoded, and colours below WCAG AA fail (or warn, when the business chooses so).
import { assert, describe, it } from "@effect/vitest"
import { Effect, Logger, Schema } from "effect"
import { decodeTheme, defaultTheme, LogoDataUrl, Theme } from "../../../core/render/Theme.ts"

const base64 = (bytes: ReadonlyArray<number> | string) =>
  (typeof bytes === "string" ? Buffer.from(bytes, "utf8") : Buffer.from(bytes)).toString("base64")
const png = `data:image/png;base64,${base64([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])}`
const jpeg = `data:image/jpeg;base64,${base64([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])}`
const svg = `data:image/svg+xml;base64,${base64('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')}`

const decodes = (input: unknown) => Schema.is(Theme)(input)

describe("Theme", () => {
  it("accepts the default theme and PNG, JPEG and SVG logos", () => {
    assert.isTrue(decodes(defaultTheme))
    for (const logo of [png, jpeg, svg]) assert.isTrue(Schema.is(LogoDataUrl)(logo), logo.slice(0, 30))
  })

  it("refuses logos that are not embedded images of the declared type", () => {
    for (const logo of [
      "https://example.com/logo.png",
      "javascript:alert(1)",
      `data:text/html;base64,${base64("<script>alert(1)</script>")}`,
      `data:image/png;base64,${base64("<html></html>")}`,
      `data:image/jpeg;base64,${base64([0x89, 0x50, 0x4e, 0x47])}`,
      `data:image/svg+xml;base64,${base64("<html><script/></html>")}`,
      "data:image/png,notbase64",
      `data:image/gif;base64,${base64("GIF89a")}`
    ]) {
      assert.isFalse(Schema.is(LogoDataUrl)(logo), logo.slice(0, 40))
    }
  })

  it("refuses colours that are not hex, fonts that could end a declaration, and CSS that closes its <style>", () => {
    assert.isFalse(decodes({ ...defaultTheme, colors: { ...defaultTheme.colors, text: "red" } }))
    assert.isFalse(decodes({ ...defaultTheme, colors: { ...defaultTheme.colors, text: "#12345" } }))
    assert.isFalse(decodes({ ...defaultTheme, fontStack: "Arial; background: url(x)" }))
    assert.isFalse(decodes({ ...defaultTheme, fontStack: "Arial}</style>" }))
    assert.isFalse(decodes({ ...defaultTheme, customCss: "h1{} </STYLE ><script>" }))
    assert.isTrue(decodes({ ...defaultTheme, customCss: "h1 { color: #123 } /* < and > are fine */" }))
    assert.isFalse(decodes({ ...defaultTheme, businessName: "" }))
    assert.isFalse(decodes({ ...defaultTheme, direction: "up" }))
  })

  it.effect("decodeTheme fails on colours below WCAG AA, naming the pair", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        decodeTheme({ ...defaultTheme, colors: { ...defaultTheme.colors, muted: "#aaaaaa" } })
      )
      assert.strictEqual(error._tag, "ThemeError")
      assert.include(error.message, "muted on background")
      assert.include(error.message, "AA needs 4.5")
    })
  )

  it.effect("decodeTheme with contrast: warn keeps the theme and logs the failing pairs", () =>
    Effect.gen(function* () {
      const logged: Array<string> = []
      const capture = Logger.make(({ message }) => {
        logged.push(String(message))
      })
      const theme = yield* decodeTheme(
        { ...defaultTheme, colors: { ...defaultTheme.colors, accentText: "#7a8aff" } },
        { contrast: "warn" }
      ).pipe(Effect.provide(Logger.layer([capture])))
      assert.strictEqual(theme.colors.accentText, "#7a8aff")
      assert.strictEqual(logged.length, 1)
      assert.include(logged[0] ?? "", "accentText on accent")
    })
  )

  it.effect("decodeTheme reports undecodable input as a ThemeError", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(decodeTheme({ businessName: "x" }))
      assert.include(error.message, "Invalid theme")
    })
  )
})
