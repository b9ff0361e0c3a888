// Every catalog has every label, and nothing else; locales pick their catalog or fall back to English.
import { assert, describe, it } from "@effect/vitest"
import { locale } from "../../../core/render/Locale.ts"
import { catalogFor, catalogLanguages, catalogs, messageKeys } from "../../../core/render/Messages.ts"
import { en } from "../../../core/render/messages/en.ts"

describe("Messages", () => {
  it("ships en, de, fr, nl and ar", () => {
    assert.includeMembers([...catalogLanguages], ["en", "de", "fr", "nl", "ar"])
  })

  it("every catalog has exactly the English keys, each with a non-empty label and the English placeholders", () => {
    assert.isAbove(messageKeys.length, 50)
    for (const [language, catalog] of Object.entries(catalogs)) {
      assert.deepStrictEqual(Object.keys(catalog).sort(), [...messageKeys].sort(), language)
      for (const key of messageKeys) {
        assert.isAbove(catalog[key].trim().length, 0, `${language}.${key}`)
        const placeholders = (label: string) => (label.match(/\{\w+\}/g) ?? []).sort()
        assert.deepStrictEqual(placeholders(catalog[key]), placeholders(en[key]), `${language}.${key}`)
      }
    }
  })

  it("translations are translations: most labels differ from English", () => {
    for (const language of ["de", "fr", "nl", "ar"]) {
      const catalog = catalogs[language]
      const same = messageKeys.filter((key) => catalog?.[key] === en[key])
      assert.isBelow(same.length, messageKeys.length / 5, `${language}: ${same.join(", ")}`)
    }
  })

  it("a locale picks its language's catalog, else English; extra catalogs win", () => {
    assert.strictEqual(catalogFor(locale("de-AT")).invoice, "Rechnung")
    assert.strictEqual(catalogFor(locale("fr-CA")).invoice, "Facture")
    assert.strictEqual(catalogFor(locale("nl-BE")).invoice, "Factuur")
    assert.strictEqual(catalogFor(locale("ar-EG")).invoice, "فاتورة")
    assert.strictEqual(catalogFor(locale("he-IL")).invoice, "Invoice")
    assert.strictEqual(catalogFor(locale("ja")).invoice, "Invoice")
    assert.strictEqual(catalogFor(locale("ja"), { ja: { ...en, invoice: "請求書" } }).invoice, "請求書")
  })
})
