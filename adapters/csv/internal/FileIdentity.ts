// Tells whether a file is the export we read before, grown by appends, or a different one: the header
// and the row just before the stored offset must still be there, unchanged, at the same bytes.
import { open } from "node:fs/promises"
import { parse } from "csv-parse/sync"
import { decoderFor, parserEncoding } from "../Encoding.ts"
import type { Dialect } from "./CsvRows.ts"

/** A 64-bit FNV-1a hash (two 32-bit lanes) of a row's fields, as 16 hex digits. */
export const rowHash = (fields: ReadonlyArray<string>): string => {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ 0x5bd1e995
  for (const field of fields) {
    for (let i = 0; i < field.length; i++) {
      const c = field.charCodeAt(i)
      a = Math.imul(a ^ c, 0x01000193)
      b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13)
    }
    a = Math.imul(a ^ 0x1f, 0x01000193)
    b = Math.imul(b ^ 0x1f, 0x01000193) ^ (b >>> 13)
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0")
}

/** Where a previous read stopped: the row ending at `offset` was `length` bytes and hashed to `hash`. */
export interface Anchor {
  readonly offset: number
  readonly length: number
  readonly hash: string
}

/** Whether the row that ended at `anchor.offset` is still there, byte-identical in its fields. */
export const anchorHolds = async (path: string, dialect: Dialect, anchor: Anchor): Promise<boolean> => {
  const from = anchor.offset - anchor.length
  if (from < 0 || anchor.length <= 0) return false
  const handle = await open(path, "r")
  const buffer = Buffer.alloc(anchor.length)
  const { bytesRead } = await handle.read(buffer, 0, anchor.length, from).finally(() => handle.close())
  if (bytesRead !== anchor.length) return false
  const records: Array<Array<string>> = parse(buffer, {
    delimiter: dialect.delimiter,
    quote: dialect.quote,
    ...(dialect.recordDelimiter === undefined ? {} : { record_delimiter: dialect.recordDelimiter }),
    encoding: parserEncoding(dialect.encoding),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true
  })
  const decode = decoderFor(dialect.encoding)
  const [only, ...rest] = records
  return only !== undefined && rest.length === 0 && rowHash(only.map(decode)) === anchor.hash
}
