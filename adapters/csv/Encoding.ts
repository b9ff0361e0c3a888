// Text encodings of CSV exports. The parser reads single-byte encodings as latin1 (one char per byte, so
// its byte counts are file offsets); `decoderFor` then maps the bytes 0x80-0xFF to the real code page.

/** The encodings the CSV adapter reads. UTF-8 files may start with a BOM (skipped). */
export type CsvEncoding = "utf-8" | "windows-1252" | "iso-8859-15"

const tables = new Map<CsvEncoding, ReadonlyArray<string>>()

const tableFor = (encoding: Exclude<CsvEncoding, "utf-8">): ReadonlyArray<string> => {
  const hit = tables.get(encoding)
  if (hit !== undefined) return hit
  const decoder = new TextDecoder(encoding)
  const table = Array.from({ length: 128 }, (_, i) => decoder.decode(Uint8Array.of(0x80 + i)))
  tables.set(encoding, table)
  return table
}

const high = /[\u0080-\u00ff]/

/** Maps a field the parser read as latin1 to its text in `encoding`; identity for UTF-8. */
export const decoderFor = (encoding: CsvEncoding): ((latin1: string) => string) => {
  if (encoding === "utf-8") return (text) => text
  const table = tableFor(encoding)
  return (text) => {
    if (!high.test(text)) return text
    let out = ""
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i)
      out += code >= 0x80 && code <= 0xff ? (table[code - 0x80] ?? "") : text[i]
    }
    return out
  }
}

/** The parser's Buffer encoding for a file encoding. */
export const parserEncoding = (encoding: CsvEncoding): "utf8" | "latin1" => (encoding === "utf-8" ? "utf8" : "latin1")

/** Encodes text to bytes in `encoding` (for fixtures and tests); characters outside it become "?". */
export const encodeText = (text: string, encoding: CsvEncoding): Uint8Array => {
  if (encoding === "utf-8") return new TextEncoder().encode(text)
  const table = tableFor(encoding)
  const reverse = new Map<string, number>(table.map((ch, i) => [ch, 0x80 + i]))
  const bytes = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    bytes[i] = code < 0x80 ? code : (reverse.get(text[i] ?? "") ?? 0x3f)
  }
  return bytes
}
