// Every string a business or an ERP supplies is shown as text, never as markup: hostile strings in every
// free-text field of every view model and of the theme leave the page's elements and attributes unchanged,
// and appear (decoded) as the text they were, minus the control characters Portico strips.
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import * as fc from "fast-check"
import { locale } from "../../../core/render/Locale.ts"
import { sampleViewModels } from "../../../core/render/Samples.ts"
import { stripUnsafeControls } from "../../../core/render/Text.ts"
import { defaultTheme, Theme } from "../../../core/render/Theme.ts"
import { ViewModel } from "../../../core/render/ViewModels.ts"
import { HtmlRenderer } from "../../../renderers/html/HtmlRenderer.ts"
import { hostileStrings } from "./HostileStrings.ts"
import { skeleton, tokenize } from "./HtmlTokens.ts"

// Fields whose strings are typed values (dates, decimals, codes, enums), not free text.
const typedKeys = new Set([
  "_tag",
  "currency",
  "issueDate",
  "dueDate",
  "asOf",
  "receivedDate",
  "statementDate",
  "periodStart",
  "date",
  "quantity",
  "unitPrice",
  "discountPercent",
  "taxRate",
  "rate",
  "status",
  "kind",
  "bucket",
  "style"
])

/** Replaces every free-text string in a value, giving each its own replacement from `next`. */
const replaceText = (value: unknown, next: () => string, key = ""): unknown => {
  if (typeof value === "string") return typedKeys.has(key) ? value : next()
  if (Array.isArray(value)) return value.map((item) => replaceText(item, next, key))
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceText(v, next, k)]))
  }
  return value
}

const hostileArbitrary = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc
    .array(
      fc.constantFrom(
        "<",
        ">",
        '"',
        "'",
        "`",
        "=",
        "&",
        "{{",
        "}}",
        "<script>",
        "\u202e",
        "\u0000",
        "onload=",
        "</",
        "a",
        " ",
        "/"
      ),
      { minLength: 1, maxLength: 12 }
    )
    .map((parts) => parts.join("")),
  fc.string({ unit: "binary", minLength: 1, maxLength: 30 })
)

const en = locale("en")

const render = (document: ViewModel, theme: Theme) =>
  Effect.flatMap(Effect.service(HtmlRenderer), (html) => html.renderHtml({ document, theme, locale: en }))

/** The page's text and attribute values, decoded. */
const visible = (html: string): string =>
  tokenize(html)
    .map((token) =>
      token.type === "text" ? token.text : token.type === "start" ? token.attributes.map(([, v]) => v).join("\n") : ""
    )
    .join("\n")

// Renders `document`/`theme` with every free-text string replaced by strings from `pick`, and the same
// with harmless placeholders, and compares what the two pages are made of.
const checkHostile = (document: ViewModel, pick: (index: number) => string) =>
  Effect.gen(function* () {
    let hostileIndex = 0
    const used: Array<string> = []
    const nextHostile = () => {
      const value = pick(hostileIndex++)
      used.push(value)
      return value
    }
    const hostileDocument = Schema.decodeUnknownSync(ViewModel)(replaceText(document, nextHostile))
    const hostileTheme = Schema.decodeUnknownSync(Theme)({
      ...defaultTheme,
      businessName: nextHostile(),
      businessLines: [nextHostile(), nextHostile()],
      legalFooter: nextHostile()
    })
    let plainIndex = 0
    const nextPlain = () => `plain${plainIndex++}`
    const plainDocument = Schema.decodeUnknownSync(ViewModel)(replaceText(document, nextPlain))
    const plainTheme = Schema.decodeUnknownSync(Theme)({
      ...defaultTheme,
      businessName: nextPlain(),
      businessLines: [nextPlain(), nextPlain()],
      legalFooter: nextPlain()
    })

    const hostileHtml = yield* render(hostileDocument, hostileTheme)
    const plainHtml = yield* render(plainDocument, plainTheme)

    assert.deepStrictEqual(skeleton(tokenize(hostileHtml)), skeleton(tokenize(plainHtml)))
    assert.notInclude(hostileHtml.toLowerCase(), "<script")
    assert.notInclude(hostileHtml, "\u0000")
    assert.notInclude(hostileHtml, "\u202e")
    const text = visible(hostileHtml)
    for (const value of used) {
      const shown = stripUnsafeControls(value)
      assert.include(text, shown, `the page shows ${JSON.stringify(value)} as text`)
    }
  })

layer(HtmlRenderer.layer)("HTML escaping", (it) => {
  for (const document of sampleViewModels) {
    it.effect(`a ${document._tag} with hostile strings in every field keeps its markup`, () =>
      Effect.gen(function* () {
        for (let offset = 0; offset < hostileStrings.length; offset++) {
          yield* checkHostile(document, (index) => hostileStrings[(index + offset) % hostileStrings.length] ?? "")
        }
      })
    )

    it.effect(`a ${document._tag} with generated hostile strings keeps its markup`, () =>
      Effect.gen(function* () {
        const html = yield* HtmlRenderer
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(fc.array(hostileArbitrary, { minLength: 1, maxLength: 40 }), (values) =>
              Effect.runPromise(
                checkHostile(document, (index) => values[index % values.length] ?? "x").pipe(
                  Effect.provideService(HtmlRenderer, html)
                )
              )
            ),
            { numRuns: 200 }
          )
        )
      })
    )
  }
})

describe("the hostile list", () => {
  it("covers the strings the issue names", () => {
    for (const needle of ["<script>", '"onload=', "{{", "}}", "{{{x}}}", "\u202e", "\u0000"]) {
      assert.isTrue(
        hostileStrings.some((value) => value.includes(needle)),
        `missing ${JSON.stringify(needle)}`
      )
    }
  })
})
