// The paper a document is laid out for. Print CSS (`@page`) and the PDF renderer use the same two sizes.
import { Schema } from "effect"
import { type Locale, regionOf } from "./Locale.ts"

/** The paper sizes documents are laid out for. */
export const PaperSize = Schema.Literals(["A4", "Letter"])
export type PaperSize = typeof PaperSize.Type

// Regions whose everyday paper is US Letter (the Americas that follow the US custom, and the Philippines).
const letterRegions: ReadonlySet<string> = new Set([
  "US",
  "CA",
  "MX",
  "PR",
  "GU",
  "VI",
  "AS",
  "MP",
  "UM",
  "CL",
  "CO",
  "VE",
  "CR",
  "GT",
  "SV",
  "HN",
  "NI",
  "PA",
  "DO",
  "BZ",
  "PH"
])

/** Letter for en-US, en-CA, fr-CA, es-MX, en-PH…, A4 for every other locale ("en" alone means en-US). */
export const paperSizeForLocale = (value: Locale): PaperSize => {
  const region = regionOf(value)
  return region !== undefined && letterRegions.has(region) ? "Letter" : "A4"
}
