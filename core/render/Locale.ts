// The reader's locale (a BCP 47 tag such as "de-CH") and what follows from it for layout: the writing direction.
// Labels come from the message catalogs; numbers, money and dates from Intl.
import * as Schema from "effect/Schema"

const canonical = (value: string): string | undefined => {
  try {
    return Intl.getCanonicalLocales(value)[0]
  } catch {
    return undefined
  }
}

/** A BCP 47 language tag that Intl accepts ("en", "de-CH", "ar-EG"). */
export const Locale = Schema.String.check(
  Schema.makeFilter(
    (value: string) => canonical(value) !== undefined || `expected a BCP 47 locale such as "de-CH", got "${value}"`
  )
).pipe(Schema.brand("Locale"))
export type Locale = typeof Locale.Type

/** Builds a Locale from a tag known to be valid (tests, literals); throws on an invalid one. */
export const locale = (value: string): Locale => Schema.decodeUnknownSync(Locale)(value)

/** The writing direction of a script: left-to-right or right-to-left. */
export const TextDirection = Schema.Literals(["ltr", "rtl"])
export type TextDirection = typeof TextDirection.Type

// Languages written right to left by default. A fixed list, not Intl.Locale#getTextInfo, so the answer is
// the same on every Node and ICU build.
const rtlLanguages: ReadonlySet<string> = new Set([
  "ar",
  "arc",
  "ckb",
  "dv",
  "fa",
  "he",
  "iw",
  "ks",
  "ps",
  "sd",
  "ug",
  "ur",
  "yi"
])
const rtlScripts: ReadonlySet<string> = new Set(["Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg"])

/** The direction text in `locale` is written in: "rtl" for Arabic, Hebrew, Persian, Urdu…, else "ltr". */
export const textDirection = (value: Locale): TextDirection => {
  const parsed = new Intl.Locale(value)
  if (parsed.script !== undefined) return rtlScripts.has(parsed.script) ? "rtl" : "ltr"
  return rtlLanguages.has(parsed.language) ? "rtl" : "ltr"
}

/** The language subtag of a locale, lower-cased: "de" for "de-CH". */
export const languageOf = (value: Locale): string => new Intl.Locale(value).language

/** The likely region of a locale ("en" → "US", "de" → "DE"), from Intl.Locale#maximize. */
export const regionOf = (value: Locale): string | undefined => new Intl.Locale(value).maximize().region
