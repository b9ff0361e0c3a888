// The HTML renderer: translated, locale-formatted, accessible, right-to-left safe, self-contained pages;
// templates compiled and checked when the layer is built.
import { createHash } from "node:crypto"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Exit, Layer, Schema } from "effect"
import { locale } from "../../../core/render/Locale.ts"
import { Renderers } from "../../../core/render/Renderers.ts"
import {
  sampleInvoice,
  sampleOpenItemStatement,
  sampleStatement,
  sampleViewModels
} from "../../../core/render/Samples.ts"
import { defaultTheme, Theme } from "../../../core/render/Theme.ts"
import type { ViewModel } from "../../../core/render/ViewModels.ts"
import { HtmlRenderer, HtmlTemplateError, templatesDirectory } from "../../../renderers/html/HtmlRenderer.ts"
import { type Token, tokenize } from "./HtmlTokens.ts"

const render = (document: ViewModel, tag: string, theme: Theme = defaultTheme) =>
  Effect.flatMap(Effect.service(HtmlRenderer), (html) => html.renderHtml({ document, theme, locale: locale(tag) }))

const starts = (tokens: ReadonlyArray<Token>, name: string) =>
  tokens.flatMap((token) => (token.type === "start" && token.name === name ? [token] : []))
const attribute = (token: Token | undefined, name: string): string | undefined =>
  token?.type === "start" ? token.attributes.find(([key]) => key === name)?.[1] : undefined
const textOf = (html: string) =>
  tokenize(html)
    .flatMap((token) => (token.type === "text" && !token.raw ? [token.text] : []))
    .join(" ")
    .replace(/\s+/g, " ")

const pngLogo = `data:image/png;base64,${Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString("base64")}`

layer(HtmlRenderer.layer)("HtmlRenderer", (it) => {
  it.effect("labels and figures follow the locale (en, de, fr, nl)", () =>
    Effect.gen(function* () {
      const expectations = {
        en: ["Invoice INV-2026-0042", "Amount due", "€2,373.91", "Nov 2, 2026", "Partially paid", "€1,250.00"],
        de: ["Rechnung INV-2026-0042", "Offener Betrag", "2.373,91 €", "02.11.2026", "Teilweise bezahlt", "1.250,00 €"],
        fr: [
          "Facture INV-2026-0042",
          "Reste à payer",
          "2 373,91 €",
          "2 nov. 2026",
          "Partiellement payée",
          "1 250,00 €"
        ],
        nl: ["Factuur INV-2026-0042", "Te betalen", "€ 2.373,91", "2 nov 2026", "Deels betaald", "€ 1.250,00"]
      } as const
      for (const [tag, expected] of Object.entries(expectations)) {
        const html = yield* render(sampleInvoice, tag)
        const text = textOf(html).replace(/[\u00a0\u202f]/g, " ")
        for (const value of expected) assert.include(text, value, `${tag}: ${value}`)
        assert.strictEqual(attribute(starts(tokenize(html), "html")[0], "lang"), tag)
        assert.strictEqual(attribute(starts(tokenize(html), "html")[0], "dir"), "ltr")
      }
    })
  )

  it.effect("statements show their movements or open items, the period's figures and labelled ageing", () =>
    Effect.gen(function* () {
      const forward = textOf(yield* render(sampleStatement, "de")).replace(/[\u00a0\u202f]/g, " ")
      for (const value of [
        "Kontobewegungen",
        "Gutschrift",
        "Anfangssaldo 450,00 €",
        "Berechnet 3.373,91 €",
        "Endsaldo 2.281,11 €"
      ]) {
        assert.include(forward, value)
      }
      for (const value of [
        "Noch nicht fällig",
        "1–30 Tage überfällig",
        "61–90 Tage überfällig",
        "Mehr als 90 Tage überfällig"
      ]) {
        assert.include(forward, value)
      }
      const open = textOf(yield* render(sampleOpenItemStatement, "en")).replace(/[\u00a0\u202f]/g, " ")
      for (const value of [
        "Open items",
        "Unallocated payment",
        "Original amount",
        "-€50.00",
        "Closing balance €2,281.11"
      ]) {
        assert.include(open, value)
      }
    })
  )

  it.effect("right-to-left locales get dir=rtl, Arabic its own labels, Hebrew the English ones", () =>
    Effect.gen(function* () {
      for (const [tag, amountDue] of [
        ["ar", "المبلغ المستحق"],
        ["ar-EG", "المبلغ المستحق"],
        ["he-IL", "Amount due"]
      ] as const) {
        const html = yield* render(sampleInvoice, tag)
        const root = starts(tokenize(html), "html")[0]
        assert.strictEqual(attribute(root, "dir"), "rtl")
        assert.strictEqual(attribute(root, "lang"), tag)
        assert.include(textOf(html), amountDue)
      }
      const forced = yield* render(sampleInvoice, "en", { ...defaultTheme, direction: "rtl" })
      assert.strictEqual(attribute(starts(tokenize(forced), "html")[0], "dir"), "rtl")
    })
  )

  it.effect("the stylesheet uses logical properties only, so RTL pages mirror", () =>
    Effect.gen(function* () {
      const html = yield* render(sampleInvoice, "en")
      const css = tokenize(html).flatMap((token) => (token.type === "text" && token.raw ? [token.text] : []))
      assert.isAbove(css.join("").length, 500)
      for (const sheet of css) {
        assert.notMatch(sheet, /(margin|padding|border)-(left|right)|text-align:\s*(left|right)|float:|\b(left|right):/)
      }
    })
  )

  it.effect("every table has a caption and scoped header cells; every page has a lang", () =>
    Effect.gen(function* () {
      for (const document of sampleViewModels) {
        const tokens = tokenize(yield* render(document, "de"))
        const tables = starts(tokens, "table")
        assert.isAtLeast(tables.length, 1)
        assert.strictEqual(starts(tokens, "caption").length, tables.length, `${document._tag}: a caption per table`)
        const headers = starts(tokens, "th")
        assert.isAbove(headers.length, 0)
        for (const header of headers) assert.oneOf(attribute(header, "scope"), ["col", "row"])
        assert.strictEqual(starts(tokens, "thead").length + starts(tokens, "tbody").length >= tables.length, true)
        assert.isDefined(attribute(starts(tokens, "html")[0], "lang"))
        assert.strictEqual(starts(tokens, "h1").length, 1)
      }
    })
  )

  it.effect("pages load nothing: no scripts, links, frames or remote URLs", () =>
    Effect.gen(function* () {
      const theme = Schema.decodeUnknownSync(Theme)({
        ...defaultTheme,
        logo: pngLogo,
        customCss: "h1 { letter-spacing: 0.02em }"
      })
      for (const document of sampleViewModels) {
        const html = yield* render(document, "en", theme)
        const tokens = tokenize(html)
        for (const name of ["script", "link", "iframe", "object", "embed", "base", "form"]) {
          assert.strictEqual(starts(tokens, name).length, 0, `${document._tag} has no <${name}>`)
        }
        assert.notMatch(html, /https?:\/\/|url\(|@import/i)
        for (const image of starts(tokens, "img")) assert.match(attribute(image, "src") ?? "", /^data:image\//)
      }
    })
  )

  it.effect("the theme's logo, footer and own CSS appear; the CSS in a <style> of its own", () =>
    Effect.gen(function* () {
      const theme = Schema.decodeUnknownSync(Theme)({
        ...defaultTheme,
        businessName: "Müller & Söhne",
        logo: pngLogo,
        legalFooter: "Registergericht Hamburg HRB 12345\nIBAN DE00 0000",
        customCss: ".business-name { font-variant: small-caps }"
      })
      const html = yield* render(sampleInvoice, "de", theme)
      const tokens = tokenize(html)
      const image = starts(tokens, "img")[0]
      assert.strictEqual(attribute(image, "src"), pngLogo)
      assert.strictEqual(attribute(image, "alt"), "Müller & Söhne Logo")
      assert.include(textOf(html), "Registergericht Hamburg HRB 12345 IBAN DE00 0000")
      const styles = tokens.flatMap((token, index) =>
        token.type === "start" && token.name === "style" ? [tokens[index + 1]] : []
      )
      assert.strictEqual(styles.length, 2)
      assert.deepStrictEqual(styles[1], {
        type: "text",
        text: ".business-name { font-variant: small-caps }",
        raw: true
      })
    })
  )

  it.effect("print CSS sets the paper from the locale, or from the request", () =>
    Effect.gen(function* () {
      assert.include(yield* render(sampleStatement, "en-US"), "@page { size: Letter;")
      assert.include(yield* render(sampleStatement, "de-DE"), "@page { size: A4;")
      const html = yield* HtmlRenderer
      const letter = yield* html.renderHtml({
        document: sampleStatement,
        theme: defaultTheme,
        locale: locale("de"),
        paper: "Letter"
      })
      assert.include(letter, "@page { size: Letter;")
    })
  )

  it.effect("a theme that did not come through the schema is refused, not rendered", () =>
    Effect.gen(function* () {
      const html = yield* HtmlRenderer
      const error = yield* Effect.flip(
        html.renderHtml({
          document: sampleInvoice,
          theme: { ...defaultTheme, customCss: "</style><script>alert(1)</script>" },
          locale: locale("en")
        })
      )
      assert.strictEqual(error.reason, "InvalidInput")
      assert.isFalse(error.retryable)
    })
  )

  it.effect("the registry entry renders bytes with a content type, a file name and their SHA-256", () =>
    Effect.gen(function* () {
      const renderers = yield* Renderers
      const rendered = yield* renderers.render("html", {
        document: sampleInvoice,
        theme: defaultTheme,
        locale: locale("en")
      })
      assert.strictEqual(rendered.contentType, "text/html; charset=utf-8")
      assert.strictEqual(rendered.fileName, "invoice-INV-2026-0042.html")
      assert.strictEqual(rendered.body._tag, "Bytes")
      const bytes = rendered.body._tag === "Bytes" ? rendered.body.bytes : new Uint8Array()
      assert.include(new TextDecoder().decode(bytes), "<!DOCTYPE html>")
      assert.strictEqual(rendered.sha256, createHash("sha256").update(bytes).digest("hex"))
    }).pipe(Effect.provide(Renderers.layer(HtmlRenderer.renderer)))
  )
})

describe("HtmlRenderer templates", () => {
  it("use the triple-stash only for the theme's own CSS", () => {
    const unescaped = readdirSync(templatesDirectory)
      .filter((file) => file.endsWith(".hbs"))
      .flatMap((file) =>
        [...readFileSync(join(templatesDirectory, file), "utf8").matchAll(/\{\{\{\s*([^}]*?)\s*\}\}\}|\{\{&/g)].map(
          (match) => `${file}: ${match[0]}`
        )
      )
    assert.deepStrictEqual(unescaped, ["layout.hbs: {{{customCss}}}"])
  })

  it.effect("a template that does not compile fails the layer at start-up", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Layer.build(HtmlRenderer.layerWith({ templates: { totals: "{{#if totals}}<table>" } }))
      )
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) assert.include(String(exit.cause), "HtmlTemplateError")
    }).pipe(Effect.scoped)
  )

  it.effect("a template that reads a missing field fails the layer at start-up (strict mode)", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Layer.build(HtmlRenderer.layerWith({ templates: { footer: "<footer>{{legalFootr}}</footer>" } }))
      )
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) {
        const error = exit.cause.toString()
        assert.include(error, "HtmlTemplateError")
      }
    }).pipe(Effect.scoped)
  )

  it.effect("a replaced template is used", () =>
    Effect.gen(function* () {
      const html = yield* HtmlRenderer
      const page = yield* html.renderHtml({ document: sampleInvoice, theme: defaultTheme, locale: locale("en") })
      assert.include(page, '<footer class="own">Portico</footer>')
    }).pipe(
      Effect.provide(
        HtmlRenderer.layerWith({ templates: { footer: '<footer class="own">{{business.name}}</footer>' } })
      )
    )
  )

  it("HtmlTemplateError names the template", () => {
    assert.strictEqual(new HtmlTemplateError({ template: "totals", message: "x" }).template, "totals")
  })
})
