// Locales are valid BCP 47 tags; direction and paper follow from them.
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import { Locale, locale, textDirection } from "../../../core/render/Locale.ts"
import { paperSizeForLocale } from "../../../core/render/Paper.ts"

describe("Locale", () => {
  it("accepts BCP 47 tags and refuses others", () => {
    for (const tag of ["en", "de-CH", "ar-EG", "zh-Hant-TW", "sr-Latn"]) assert.isTrue(Schema.is(Locale)(tag), tag)
    for (const tag of ["", "en US", "en_US", "12", "de-", "x"]) assert.isFalse(Schema.is(Locale)(tag), tag)
  })

  it("knows which locales are written right to left", () => {
    for (const tag of ["ar", "ar-EG", "he", "he-IL", "fa-IR", "ur", "yi"])
      assert.strictEqual(textDirection(locale(tag)), "rtl", tag)
    for (const tag of ["en", "de", "fr", "nl", "ja", "az-Latn", "uz-Latn"])
      assert.strictEqual(textDirection(locale(tag)), "ltr", tag)
    assert.strictEqual(textDirection(locale("az-Arab")), "rtl")
    assert.strictEqual(textDirection(locale("pa-Arab")), "rtl")
  })

  it("prints on Letter in the US custom, A4 elsewhere", () => {
    assert.strictEqual(paperSizeForLocale(locale("en")), "Letter")
    assert.strictEqual(paperSizeForLocale(locale("en-US")), "Letter")
    assert.strictEqual(paperSizeForLocale(locale("fr-CA")), "Letter")
    assert.strictEqual(paperSizeForLocale(locale("en-GB")), "A4")
    assert.strictEqual(paperSizeForLocale(locale("de")), "A4")
    assert.strictEqual(paperSizeForLocale(locale("nl-BE")), "A4")
  })
})
