// Writes CSV with csv-stringify: a table at once, or a stream of rows to a stream of bytes for exports too
// large to hold (each chunk of rows is written as it arrives; nothing accumulates).
import { stringify } from "csv-stringify/sync"
import * as Stream from "effect/Stream"
import type { Locale } from "../../core/render/Locale.ts"
import { type CsvColumn, type CsvDialect, type CsvOptions, csvCell, csvDialect } from "./CsvFormat.ts"

const bomBytes = new Uint8Array([0xef, 0xbb, 0xbf])
const encoder = new TextEncoder()

const encodeRecords = (dialect: CsvDialect, records: ReadonlyArray<ReadonlyArray<string>>): string =>
  stringify(
    records.map((record) => [...record]),
    { delimiter: dialect.delimiter, record_delimiter: "windows", quoted_match: /^\s|\s$/ }
  )

const cells = (columns: ReadonlyArray<CsvColumn>, dialect: CsvDialect, row: ReadonlyArray<string>) =>
  columns.map((column, index) => csvCell(column.kind, row[index] ?? "", dialect.decimalSeparator))

const head = (columns: ReadonlyArray<CsvColumn>, dialect: CsvDialect): Uint8Array => {
  const header = encoder.encode(
    encodeRecords(
      dialect,
      [columns.map((column) => column.header)].map((row) => row.map((cell) => csvCell("text", cell, ".")))
    )
  )
  if (!dialect.bom) return header
  const withBom = new Uint8Array(bomBytes.length + header.length)
  withBom.set(bomBytes)
  withBom.set(header, bomBytes.length)
  return withBom
}

/** Rows as CSV text without the header, each record ending in CRLF (to append to a `csvHeader`). */
export const csvRowsText = (
  columns: ReadonlyArray<CsvColumn>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  locale: Locale,
  options?: CsvOptions
): string => {
  const dialect = csvDialect(locale, options)
  return encodeRecords(
    dialect,
    rows.map((row) => cells(columns, dialect, row))
  )
}

/** The header row (after a BOM when asked for) as CSV bytes. */
export const csvHeader = (columns: ReadonlyArray<CsvColumn>, locale: Locale, options?: CsvOptions): Uint8Array =>
  head(columns, csvDialect(locale, options))

/** A whole table as CSV bytes: header row, then one record per row (cells in column order). */
export const csvBytes = (
  columns: ReadonlyArray<CsvColumn>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  locale: Locale,
  options?: CsvOptions
): Uint8Array => {
  const dialect = csvDialect(locale, options)
  const header = head(columns, dialect)
  const body = encoder.encode(
    encodeRecords(
      dialect,
      rows.map((row) => cells(columns, dialect, row))
    )
  )
  const out = new Uint8Array(header.length + body.length)
  out.set(header)
  out.set(body, header.length)
  return out
}

/**
 * A stream of rows as a stream of CSV bytes: the header first, then each chunk of rows as it arrives.
 * Memory stays at one chunk however many rows flow through; a failing source fails the byte stream.
 */
export const csvStream = <E, R>(
  columns: ReadonlyArray<CsvColumn>,
  rows: Stream.Stream<ReadonlyArray<string>, E, R>,
  locale: Locale,
  options?: CsvOptions
): Stream.Stream<Uint8Array, E, R> => {
  const dialect = csvDialect(locale, options)
  return Stream.concat(
    Stream.sync(() => head(columns, dialect)),
    Stream.mapArray(rows, (chunk) => [
      encoder.encode(
        encodeRecords(
          dialect,
          chunk.map((row) => cells(columns, dialect, row))
        )
      )
    ])
  )
}
