// The paper a PDF is printed on when neither the caller nor the document's `@page` rule says: the locale's,
// as decided by the renderer contract (core/render/Paper.ts), for any string a caller may pass.
import { Option, Schema } from "effect"
import { Locale } from "../../core/render/Locale.ts"
import { type PaperSize, paperSizeForLocale as paperForLocale } from "../../core/render/Paper.ts"

export type { PaperSize }

const decodeLocale = Schema.decodeUnknownOption(Locale)

/** Letter for en-US, en-CA, fr-CA, es-MX, en-PH…, A4 for every other locale and for a tag Intl cannot read. */
export const paperSizeForLocale = (locale: string): PaperSize =>
  Option.match(decodeLocale(locale), { onNone: () => "A4", onSome: paperForLocale })
