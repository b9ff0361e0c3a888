// Makes Chromium's PDF output a pure function of the document: rewrites the creation and modification dates
// (Info dictionary and XMP), the structure element ids of tagged PDFs and the file identifiers in place,
// keeping every byte offset so the xref stays valid.
import { createHash } from "node:crypto"

// PDF is a byte format whose structure is ASCII; latin1 maps each byte to one UTF-16 unit and back unchanged,
// so string replacements of equal length keep every offset. The patterns below are long ASCII runs that do not
// occur by chance inside compressed streams.
const toLatin1 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1")
const fromLatin1 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "latin1"))

const pad2 = (n: number): string => String(n).padStart(2, "0")

const dateParts = (date: Date) => ({
  ymd: `${date.getUTCFullYear()}${pad2(date.getUTCMonth() + 1)}${pad2(date.getUTCDate())}`,
  hms: `${pad2(date.getUTCHours())}${pad2(date.getUTCMinutes())}${pad2(date.getUTCSeconds())}`,
  iso: date.toISOString().slice(0, 19)
})

// The first candidate that fits in `length` characters, padded with spaces after the token (whitespace between PDF
// tokens is insignificant); undefined when none fits, and the original stays.
const fitToLength = (candidates: ReadonlyArray<string>, length: number): string | undefined => {
  const chosen = candidates.find((candidate) => candidate.length <= length)
  return chosen?.padEnd(length, " ")
}

const pdfDate = (date: Date, original: string): string => {
  const { ymd, hms } = dateParts(date)
  // `(D:...)` including the parentheses: the full form, then shorter ones PDF allows (prefixes of the date).
  const full = `D:${ymd}${hms}`
  const candidates = [`(${full}+00'00')`, `(${full}Z)`, `(${full})`, `(D:${ymd})`, `(D:${ymd.slice(0, 4)})`]
  return fitToLength(candidates, original.length) ?? original
}

const xmpDate = (date: Date, original: string): string => {
  const { iso } = dateParts(date)
  return fitToLength([`${iso}+00:00`, `${iso}Z`, iso.slice(0, 10)], original.length) ?? original
}

const infoDates = /\/(CreationDate|ModDate)(\s*)(\(D:[^)]*\))/g
const xmpDates = /<xmp:(CreateDate|ModifyDate|MetadataDate)>([^<]*)<\/xmp:\1>/g
const trailerId = /\/ID(\s*)\[(\s*)<([0-9A-Fa-f]*)>(\s*)<([0-9A-Fa-f]*)>/g
const uuids = /uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g

// Tagged PDFs name structure elements after DOM node ids, `(node00000027)`, which keep growing while a page is
// reused. Renumbering them by rank (1, 2, 3… padded to the same width) keeps their order, so the IDTree stays
// sorted and its Limits stay true, and makes them independent of the page's history.
const structureIds = /\(node(\d+)\)/g

const renumberStructureIds = (text: string): string => {
  const ids = [...new Set(Array.from(text.matchAll(structureIds), (match) => match[1] ?? ""))]
  if (ids.length === 0) return text
  const rank = new Map(ids.sort((a, b) => Number(a) - Number(b)).map((id, index) => [id, index + 1]))
  return text.replace(
    structureIds,
    (_m: string, id: string) => `(node${String(rank.get(id)).padStart(id.length, "0")})`
  )
}

const blankIds = (text: string): string =>
  text
    .replace(
      trailerId,
      (_m: string, s1: string, s2: string, a: string, s3: string, b: string) =>
        `/ID${s1}[${s2}<${"0".repeat(a.length)}>${s3}<${"0".repeat(b.length)}>`
    )
    .replace(uuids, "uuid:00000000-0000-0000-0000-000000000000")

const fillIds = (text: string, digest: string): string => {
  const hex = (length: number) => digest.repeat(Math.ceil(length / digest.length)).slice(0, length)
  const uuid = `uuid:${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`
  return text
    .replace(
      trailerId,
      (_m: string, s1: string, s2: string, a: string, s3: string, b: string) =>
        `/ID${s1}[${s2}<${hex(a.length)}>${s3}<${hex(b.length)}>`
    )
    .replaceAll("uuid:00000000-0000-0000-0000-000000000000", uuid)
}

/**
 * Rewrites the dates Chromium stamps into a PDF to `date` (UTC), its structure element ids to their rank, and its
 * identifiers to a digest of the rest of the document, without changing the length of anything. The same document thus gives the same bytes, and a different
 * document a different identifier.
 */
export const normalisePdf = (bytes: Uint8Array, date: Date): Uint8Array => {
  const dated = toLatin1(bytes)
    .replace(infoDates, (_m, key: string, space: string, value: string) => `/${key}${space}${pdfDate(date, value)}`)
    .replace(xmpDates, (_m, key: string, value: string) => `<xmp:${key}>${xmpDate(date, value)}</xmp:${key}>`)
  const blanked = blankIds(renumberStructureIds(dated))
  const digest = createHash("sha256").update(blanked, "latin1").digest("hex")
  return fromLatin1(fillIds(blanked, digest))
}

/** Hex SHA-256 of the bytes, as written into a download's audit entry. */
export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex")

/** Counts page objects (`/Type /Page`, not `/Pages`); Chromium writes them uncompressed. */
export const countPages = (bytes: Uint8Array): number =>
  toLatin1(bytes).match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0
