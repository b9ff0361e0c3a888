// Helpers for the PDF tests: the Chromium to use, text extraction with unpdf, and a check that a PDF's
// cross-reference table still points at its objects.
import { Effect } from "effect"
import { extractText } from "unpdf"
import { chromiumPath } from "../../support/Requirements.ts"

/** Settings for pools under test: the Chromium found on this machine, two pages at a time. */
export const testPdfConfig = () => {
  const executablePath = chromiumPath()
  return { ...(executablePath === undefined ? {} : { executablePath }), concurrency: 2 }
}

/** The text of every page, joined; whitespace collapsed so assertions do not depend on line breaks. */
export const pdfText = (bytes: Uint8Array): Effect.Effect<{ readonly pages: number; readonly text: string }, Error> =>
  Effect.tryPromise({
    // pdf.js takes ownership of the buffer it is given, so it gets a copy.
    try: () => extractText(new Uint8Array(bytes), { mergePages: true }),
    catch: (cause) => new Error(`unpdf could not read the PDF: ${String(cause)}`)
  }).pipe(Effect.map(({ totalPages, text }) => ({ pages: totalPages, text: text.replace(/\s+/g, " ") })))

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("latin1")

/**
 * Follows `startxref` to the classic xref table and lists the entries whose offset does not land on
 * `N G obj`; empty when the table is consistent. Chromium writes one subsection starting at object 0.
 */
export const xrefMismatches = (bytes: Uint8Array): ReadonlyArray<string> => {
  const text = latin1(bytes)
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)
  if (startxref?.[1] === undefined) return ["no startxref"]
  const table = text.slice(Number(startxref[1]))
  const header = /^xref\s+(\d+)\s+(\d+)\s+/.exec(table)
  if (header?.[1] === undefined || header[2] === undefined) return ["startxref does not point at an xref table"]
  const first = Number(header[1])
  const entries = table.slice(header[0].length).match(/\d{10} \d{5} [nf]/g) ?? []
  const problems: Array<string> = []
  entries.slice(0, Number(header[2])).forEach((entry, index) => {
    const [offset, generation, kind] = entry.split(" ")
    if (kind !== "n") return
    const object = first + index
    const at = text.slice(Number(offset), Number(offset) + 24)
    if (!at.startsWith(`${object} ${Number(generation)} obj`)) problems.push(`object ${object} at ${offset}: ${at}`)
  })
  return entries.length === 0 ? ["empty xref table"] : problems
}

/** The value of an Info dictionary entry such as `CreationDate`, as written. */
export const infoEntry = (bytes: Uint8Array, key: string): string | undefined =>
  new RegExp(`/${key}\\s*\\(([^)]*)\\)`).exec(latin1(bytes))?.[1]
