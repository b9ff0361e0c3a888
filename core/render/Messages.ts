// Typed message catalogs for document labels. English is the reference; a catalog for another language must
// have every key (the compiler checks it, and a test checks it at run time). Unknown languages fall back to English.
import { type Locale, languageOf } from "./Locale.ts"
import { ar } from "./messages/ar.ts"
import { de } from "./messages/de.ts"
import { en } from "./messages/en.ts"
import { fr } from "./messages/fr.ts"
import { nl } from "./messages/nl.ts"

/** The name of a label. */
export type MessageKey = keyof typeof en

/** Every label of one language. */
export type Catalog = { readonly [K in MessageKey]: string }

/** The catalogs Portico ships, by language subtag. */
export const catalogs: { readonly [language: string]: Catalog } = { en, de, fr, nl, ar }

/** The languages with a catalog of their own. */
export const catalogLanguages: ReadonlyArray<string> = Object.keys(catalogs)

/** Every message key, in the English catalog's order. */
export const messageKeys: ReadonlyArray<MessageKey> = Object.keys(en).filter((key): key is MessageKey => key in en)

/**
 * The labels for a locale: its language's catalog, else English (deliberately: English is the one catalog
 * every key is written in first, and a page in a language Portico does not ship is still readable; Hebrew,
 * Persian and Urdu pages get English labels laid out right to left). `extra` lets an application add or override
 * catalogs (a language Portico does not ship, or its own wording) without touching this module.
 */
export const catalogFor = (value: Locale, extra?: { readonly [language: string]: Catalog }): Catalog => {
  const language = languageOf(value)
  return extra?.[language] ?? catalogs[language] ?? en
}
