// Chooses the paper a document is printed on from the reader's locale: Letter where it is the custom, A4 elsewhere.

/** The paper sizes the PDF renderer prints on. */
export type PaperSize = "Letter" | "A4"

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

// "en" alone means en-US, "es" alone es-ES: the likely region comes from Intl.Locale#maximize.
const regionOf = (locale: string): string | undefined => {
  try {
    return new Intl.Locale(locale).maximize().region
  } catch {
    return undefined
  }
}

/** Letter for en-US, en-CA, fr-CA, es-MX, en-PH…, A4 for every other (or unreadable) locale. */
export const paperSizeForLocale = (locale: string): PaperSize => {
  const region = regionOf(locale)
  return region !== undefined && letterRegions.has(region) ? "Letter" : "A4"
}
