// The manifest CSV inside every export archive: one row per document with its file name in the archive,
// document number, kind, content type, SHA-256 and size, so a recipient can check the archive is complete.
import { locale } from "../../core/render/Locale.ts"
import type { CsvColumn } from "../csv/CsvFormat.ts"
import { csvBytes } from "../csv/CsvWriter.ts"

/** One manifest row. */
export interface ManifestEntry {
  readonly fileName: string
  readonly documentNumber: string
  readonly kind: string
  readonly contentType: string
  readonly sha256: string
  readonly size: number
}

/** The manifest's file name inside the archive; documents never take it. */
export const manifestFileName = "manifest.csv"

/** The manifest's columns (machine-readable headers, RFC 4180: "," and "."). */
export const manifestColumns: ReadonlyArray<CsvColumn> = [
  { header: "file_name", kind: "text" },
  { header: "document_number", kind: "text" },
  { header: "kind", kind: "text" },
  { header: "content_type", kind: "text" },
  { header: "sha256", kind: "text" },
  { header: "size", kind: "number" }
]

const english = locale("en")

/** The manifest as CSV bytes (UTF-8, no BOM; text cells neutralised like every Portico CSV). */
export const manifestCsv = (entries: ReadonlyArray<ManifestEntry>): Uint8Array =>
  csvBytes(
    manifestColumns,
    entries.map((entry) => [
      entry.fileName,
      entry.documentNumber,
      entry.kind,
      entry.contentType,
      entry.sha256,
      String(entry.size)
    ]),
    english,
    { delimiter: ",", decimalSeparator: "." }
  )
