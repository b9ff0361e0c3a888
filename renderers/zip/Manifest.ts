// The manifest CSV inside every export archive: one row per document with its file name in the archive,
// document number, kind, content type, SHA-256 and size, so a recipient can check the archive is complete.
import { locale } from "../../core/render/Locale.ts"
import type { CsvColumn } from "../csv/CsvFormat.ts"
import { csvHeader, csvRowsText } from "../csv/CsvWriter.ts"

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

const dialect = { delimiter: ",", decimalSeparator: "." } as const

const cellsOf = (entry: ManifestEntry): ReadonlyArray<string> => [
  entry.fileName,
  entry.documentNumber,
  entry.kind,
  entry.contentType,
  entry.sha256,
  String(entry.size)
]

/** Manifest rows as CSV records (text cells neutralised like every Portico CSV), each ending in CRLF. */
export const manifestLines = (entries: ReadonlyArray<ManifestEntry>): string =>
  csvRowsText(manifestColumns, entries.map(cellsOf), english, dialect)

const encoder = new TextEncoder()

/**
 * Collects manifest rows as compact CSV text while an archive is written (a short string per document,
 * encoded in batches), and hands the finished manifest out in chunks, never as one large string.
 */
export class ManifestWriter {
  readonly #batches: Array<string> = []
  #pending: Array<ManifestEntry> = []

  add(entry: ManifestEntry): void {
    this.#pending.push(entry)
    if (this.#pending.length >= 256) this.#flush()
  }

  #flush(): void {
    if (this.#pending.length > 0) this.#batches.push(manifestLines(this.#pending))
    this.#pending = []
  }

  /** The manifest CSV: the header, then the rows in the order they were added. */
  *chunks(): Generator<Uint8Array> {
    this.#flush()
    yield csvHeader(manifestColumns, english, dialect)
    for (const batch of this.#batches) yield encoder.encode(batch)
  }
}

/** The whole manifest as CSV bytes. */
export const manifestCsv = (entries: ReadonlyArray<ManifestEntry>): Uint8Array => {
  const writer = new ManifestWriter()
  for (const entry of entries) writer.add(entry)
  return Buffer.concat([...writer.chunks()])
}
