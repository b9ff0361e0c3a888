// Streams the rows of a CSV file from a byte offset, each with its line number and the byte offset just
// after it, pulled lazily: the file is read only as fast as the consumer asks for rows.
import { createReadStream } from "node:fs"
import { open } from "node:fs/promises"
import { parse } from "csv-parse"
import { Effect, Predicate, Stream } from "effect"
import { type ErpError, ErpErrors } from "../../../core/erp/index.ts"
import { type CsvEncoding, decoderFor, parserEncoding } from "../Encoding.ts"

/** How to split the file into fields. */
export interface Dialect {
  readonly encoding: CsvEncoding
  readonly delimiter: string
  readonly quote: string
  /** The line break ending records, as found after the header; detected per chunk when absent. */
  readonly recordDelimiter?: string
}

/** One parsed row. */
export interface Row {
  /** The line where the row ends, counted as the parser does (for messages; a quoted CRLF counts twice). */
  readonly line: number
  readonly fields: ReadonlyArray<string>
  /** Byte offset in the file where this row starts (after the previous row's line break). */
  readonly start: number
  /** Byte offset in the file just after this row (and its line break). */
  readonly end: number
}

const utf8Bom = [0xef, 0xbb, 0xbf]

/**
 * The line break that ends the row finishing at `end` ("\r\n", "\n" or "\r"), so every later parse,
 * including one resumed mid-file, splits records the same way.
 */
export const lineBreakBefore = async (path: string, end: number): Promise<string | undefined> => {
  if (end < 1) return undefined
  const handle = await open(path, "r")
  const buffer = Buffer.alloc(2)
  const from = Math.max(0, end - 2)
  const { bytesRead } = await handle.read(buffer, 0, end - from, from).finally(() => handle.close())
  const tail = buffer.subarray(0, bytesRead).toString("latin1")
  if (tail.endsWith("\r\n")) return "\r\n"
  if (tail.endsWith("\n")) return "\n"
  if (tail.endsWith("\r")) return "\r"
  return undefined
}

/** The byte offset where content starts: 3 after a UTF-8 BOM, else 0. */
export const contentStart = async (path: string, encoding: CsvEncoding): Promise<number> => {
  if (encoding !== "utf-8") return 0
  const handle = await open(path, "r")
  const buffer = Buffer.alloc(3)
  const { bytesRead } = await handle.read(buffer, 0, 3, 0).finally(() => handle.close())
  return bytesRead === 3 && utf8Bom.every((b, i) => buffer[i] === b) ? 3 : 0
}

interface Parsed {
  readonly record: Array<string>
  readonly info: { readonly bytes: number; readonly lines: number }
}

const parserFor = (dialect: Dialect) =>
  parse({
    delimiter: dialect.delimiter,
    quote: dialect.quote,
    ...(dialect.recordDelimiter === undefined ? {} : { record_delimiter: dialect.recordDelimiter }),
    encoding: parserEncoding(dialect.encoding),
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    // A runaway quoted field fails the read instead of growing without bound.
    max_record_size: 1_048_576
  })

async function* batches(parser: AsyncIterable<Parsed>, dialect: Dialect, start: number, startLine: number) {
  const decode = decoderFor(dialect.encoding)
  let batch: Array<Row> = []
  let previous = start
  for await (const { record, info } of parser) {
    const end = start + info.bytes
    batch.push({ line: startLine + info.lines, fields: record.map(decode), start: previous, end })
    previous = end
    if (batch.length >= 256) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}

/** Maps a file-system or parser failure to the adapter error an integrator can act on. */
export const readFailure = (path: string, error: unknown): ErpError => {
  const code = Predicate.hasProperty(error, "code") ? String(error.code) : ""
  const detail = error instanceof Error ? error.message : String(error)
  const operation = `read ${path}`
  if (code === "ENOENT") return ErpErrors.notFound({ message: `the file ${path} does not exist`, operation })
  if (code === "EACCES" || code === "EPERM") {
    return ErpErrors.authentication({ message: `permission denied reading ${path}`, operation })
  }
  if (code.startsWith("CSV_")) {
    return ErpErrors.schemaMismatch({ message: `${path} is not valid CSV with these settings: ${detail}`, operation })
  }
  if (code === "EISDIR") return ErpErrors.notFound({ message: `${path} is a directory, not a file`, operation })
  return ErpErrors.connection({ message: `reading ${path} failed: ${detail}`, operation, cause: error })
}

/**
 * The rows of the file from byte `start` (line numbers continuing from `startLine`), read lazily in
 * batches. The file handle is closed when the stream ends or is interrupted.
 */
export const readRows = (
  path: string,
  dialect: Dialect,
  start: number,
  startLine: number
): Stream.Stream<Row, ErpError> =>
  Stream.unwrap(
    Effect.acquireRelease(
      Effect.sync(() => {
        const file = createReadStream(path, { start, highWaterMark: 64 * 1024 })
        const parser = parserFor(dialect)
        file.on("error", (error) => parser.destroy(error))
        file.pipe(parser)
        return { file, parser }
      }),
      ({ file, parser }) =>
        Effect.sync(() => {
          file.destroy()
          parser.destroy()
        })
    ).pipe(
      Effect.map(({ parser }) =>
        Stream.fromAsyncIterable(batches(parser, dialect, start, startLine), (error) => readFailure(path, error)).pipe(
          Stream.flattenIterable
        )
      )
    )
  )
