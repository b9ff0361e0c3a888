// The CSV adapter's settings: one export file per entity kind, its dialect (encoding, delimiter, quote),
// number and date formats, and the FieldMapping from its columns to canonical fields.
import { Schema } from "effect"
import { DateFormat, DecimalSeparator, FieldMapping, ThousandsSeparator } from "../../core/erp/index.ts"

/** How the file is written. */
export const CsvDialect = Schema.Struct({
  /** Where the file is. The adapter reads it lazily; it may be far larger than memory. */
  path: Schema.String.check(Schema.isNonEmpty()),
  /** "utf-8" (a BOM is skipped), "windows-1252" or "iso-8859-15". Default "utf-8". */
  encoding: Schema.optionalKey(Schema.Literals(["utf-8", "windows-1252", "iso-8859-15"])),
  /** Field separator, one character. Default ",". */
  delimiter: Schema.optionalKey(Schema.String.check(Schema.isBetweenLength(1, 1))),
  /** Quote character. Default '"'. */
  quote: Schema.optionalKey(Schema.String.check(Schema.isBetweenLength(1, 1)))
})

/**
 * Formats applied to the date and amount fields of the mapping whose rules have no transforms of their
 * own, so a German export needs `{ dateFormat: "dd.mm.yyyy", decimalSeparator: ",", thousandsSeparator: "." }`
 * once instead of on every field.
 */
export const CsvFormats = Schema.Struct({
  dateFormat: Schema.optionalKey(DateFormat),
  decimalSeparator: Schema.optionalKey(DecimalSeparator),
  thousandsSeparator: Schema.optionalKey(ThousandsSeparator)
})
export type CsvFormats = typeof CsvFormats.Type

/** Which groups of rows are credit notes rather than invoices. */
export const CreditNoteRule = Schema.Union([
  /** A document whose stated total is negative is a credit note (the default). */
  Schema.TaggedStruct("negative-total", {}),
  /** A column names the document type; these values mean credit note ("G2", "CM", "Gutschrift"). */
  Schema.TaggedStruct("type-column", { column: Schema.String, values: Schema.NonEmptyArray(Schema.String) }),
  /** The file holds invoices only. */
  Schema.TaggedStruct("none", {})
])
export type CreditNoteRule = typeof CreditNoteRule.Type

/**
 * An invoice-lines export: one row per line; the rows of one document are contiguous and share its
 * number. `header` maps document fields (read from the document's first row, and checked equal on the
 * others); `lines` maps line fields.
 */
export const InvoiceLinesFile = Schema.Struct({
  ...CsvDialect.fields,
  header: FieldMapping,
  lines: FieldMapping,
  /** The column whose value groups rows into one document. Default: the column `header.number` reads. */
  groupBy: Schema.optionalKey(Schema.String),
  creditNotes: Schema.optionalKey(CreditNoteRule)
})
export type InvoiceLinesFile = typeof InvoiceLinesFile.Type

/** A one-row-per-record export (accounts, contacts). `key` is the column that identifies the record. */
export const RecordFile = Schema.Struct({
  ...CsvDialect.fields,
  mapping: FieldMapping,
  key: Schema.String
})
export type RecordFile = typeof RecordFile.Type

/** A payments export: one row per allocation, rows of one payment contiguous and sharing `groupBy`. */
export const PaymentsFile = Schema.Struct({
  ...CsvDialect.fields,
  header: FieldMapping,
  allocations: FieldMapping,
  groupBy: Schema.String
})
export type PaymentsFile = typeof PaymentsFile.Type

/**
 * A documents index: one row per document (its key, account, file name...), and `fileColumn` naming the
 * column that holds the document's file path, relative to `folder`. Paths that lead outside it are refused.
 */
export const DocumentsFile = Schema.Struct({
  ...CsvDialect.fields,
  mapping: FieldMapping,
  key: Schema.String,
  fileColumn: Schema.String.check(Schema.isNonEmpty()),
  folder: Schema.String.check(Schema.isNonEmpty())
})
export type DocumentsFile = typeof DocumentsFile.Type

/** The CSV adapter's settings. Give the files you have; entities without a file are not offered. */
export const CsvConfig = Schema.Struct({
  formats: Schema.optionalKey(CsvFormats),
  invoices: Schema.optionalKey(InvoiceLinesFile),
  accounts: Schema.optionalKey(RecordFile),
  contacts: Schema.optionalKey(RecordFile),
  payments: Schema.optionalKey(PaymentsFile),
  documents: Schema.optionalKey(DocumentsFile)
})
export type CsvConfig = typeof CsvConfig.Type
