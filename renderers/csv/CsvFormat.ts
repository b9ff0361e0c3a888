// How Portico writes CSV: the delimiter and decimal separator a locale's spreadsheet expects, and the cell
// rules that keep an export safe to open: text that a spreadsheet would run as a formula is neutralised,
// and numbers are written as plain decimals so they stay numbers.
import * as Schema from "effect/Schema"
import { type Locale, languageOf } from "../../core/render/Locale.ts"
import { stripUnsafeControls } from "../../core/render/Text.ts"

/** How a column's cells are written: free text (neutralised), plain decimal numbers, or ISO dates. */
export const CsvColumnKind = Schema.Literals(["text", "number", "date"])
export type CsvColumnKind = typeof CsvColumnKind.Type

/** A column: its header and the kind of its cells. */
export interface CsvColumn {
  readonly header: string
  readonly kind: CsvColumnKind
}

/** A field delimiter: one character that is not a quote, a line break, a letter or a digit. */
export const CsvDelimiter = Schema.String.check(
  Schema.isPattern(/^[^"\r\n\p{L}\p{N}.]$/u, { expected: 'one delimiter character such as "," or ";"' })
)

/** Settings of a CSV export. */
export const CsvOptions = Schema.Struct({
  /** Overrides the locale's delimiter (`;` for de/fr/nl…, `,` for en). */
  delimiter: Schema.optionalKey(CsvDelimiter),
  /** Starts the file with a UTF-8 byte order mark, so Excel reads it as UTF-8. */
  bom: Schema.optionalKey(Schema.Boolean),
  /** Overrides the locale's decimal separator for number cells. */
  decimalSeparator: Schema.optionalKey(Schema.Literals([".", ","]))
})
export type CsvOptions = typeof CsvOptions.Type

// Spreadsheets in these languages use the comma as decimal separator and so expect ";" between fields.
const semicolonLanguages: ReadonlySet<string> = new Set([
  "de",
  "fr",
  "nl",
  "it",
  "es",
  "pt",
  "da",
  "fi",
  "sv",
  "nb",
  "pl",
  "cs"
])

/** `;` where a spreadsheet for the locale expects it (de, fr, nl and others with decimal commas), `,` elsewhere. */
export const delimiterForLocale = (locale: Locale): "," | ";" =>
  semicolonLanguages.has(languageOf(locale)) ? ";" : ","

/** The locale's decimal separator, from Intl ("," for de, "." for en). */
export const decimalSeparatorForLocale = (locale: Locale): "." | "," =>
  new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === "decimal")?.value === "," ? "," : "."

/** The delimiter, decimal separator and BOM an export uses, after locale defaults. */
export interface CsvDialect {
  readonly delimiter: string
  readonly decimalSeparator: "." | ","
  readonly bom: boolean
}

/** Resolves options against the locale's defaults. */
export const csvDialect = (locale: Locale, options: CsvOptions = {}): CsvDialect => ({
  delimiter: options.delimiter ?? delimiterForLocale(locale),
  decimalSeparator: options.decimalSeparator ?? decimalSeparatorForLocale(locale),
  bom: options.bom ?? false
})

// A spreadsheet runs a cell as a formula when it starts with one of these (after optional spaces);
// tab and carriage return are included because some programs strip them and see what follows.
const formulaStart = /^[\s]*[=+\-@\t\r]/

/**
 * A text cell safe to open in a spreadsheet: unsafe controls removed, and a leading `'` added when the
 * text would otherwise start a formula ("=HYPERLINK(...)", "+1", "-12.50", "@SUM", "\t=1").
 */
export const neutralizeText = (value: string): string => {
  const clean = stripUnsafeControls(value)
  return formulaStart.test(clean) ? `'${clean}` : clean
}

const plainDecimal = /^-?\d+(\.\d+)?$/
const isoDate = /^\d{4}-\d{2}-\d{2}$/

/** A cell as written: numbers and dates as they are when well-formed, everything else as neutralised text. */
export const csvCell = (kind: CsvColumnKind, value: string, decimalSeparator: "." | ","): string => {
  if (kind === "number" && plainDecimal.test(value)) return decimalSeparator === "," ? value.replace(".", ",") : value
  if (kind === "date" && isoDate.test(value)) return value
  return neutralizeText(value)
}
