// Paper follows the reader's locale: Letter in North America (and the few others that use it), A4 elsewhere.
import { describe, expect, it } from "@effect/vitest"
import { paperSizeForLocale } from "../../../renderers/pdf/PaperSize.ts"

describe("paperSizeForLocale", () => {
  it.each(["en-US", "en-CA", "fr-CA", "es-MX", "en", "es-CO", "fil-PH", "en-PH", "es-US"])("%s prints on Letter", (l) =>
    expect(paperSizeForLocale(l)).toBe("Letter")
  )

  it.each(["en-GB", "de-DE", "fr-FR", "es", "es-ES", "fr", "ja-JP", "pt-BR", "en-AU", "en-IN", "zh-Hans"])(
    "%s prints on A4",
    (l) => expect(paperSizeForLocale(l)).toBe("A4")
  )

  it.each(["", "not a locale", "en_US!"])("an unreadable locale (%j) falls back to A4", (l) =>
    expect(paperSizeForLocale(l)).toBe("A4")
  )
})
