// Decodes the raw data of one CSV document (the rows of an invoice, a credit note, a payment, or the one
// row of an account or contact) into the canonical model, rejecting with the line and column at fault.
import { Predicate, Result, Schema } from "effect"
import {
  applyMapping,
  buildAccount,
  buildContact,
  buildCreditNote,
  buildInvoice,
  buildPayment,
  type CanonicalRecord,
  canonical,
  type FieldMapping,
  type MappedFields,
  negateDecimal,
  RecordRejected,
  type SourceRecord,
  sourceOf,
  sourcePaths
} from "../../../core/erp/index.ts"

/** The raw data of a CSV record: its rows as column → text, each with its line. */
export const CsvRecordData = Schema.Struct({
  file: Schema.String,
  rows: Schema.Array(Schema.Struct({ line: Schema.Int, values: Schema.Record(Schema.String, Schema.String) }))
})
export type CsvRecordData = typeof CsvRecordData.Type

/** The mappings decode needs, with the file's formats already applied. */
export interface DocumentMappings {
  readonly sourceId: string
  readonly invoiceHeader?: FieldMapping
  readonly invoiceLines?: FieldMapping
  readonly accounts?: FieldMapping
  readonly contacts?: FieldMapping
  readonly paymentHeader?: FieldMapping
  readonly allocations?: FieldMapping
}

type Rows = CsvRecordData["rows"]

const isTextRecord = (values: unknown): values is Record<string, string> => {
  if (!Predicate.isObject(values)) return false
  // for-in with an own-key check visits what Object.values would, without building the array per row
  for (const key in values) {
    if (Object.hasOwn(values, key) && typeof values[key] !== "string") return false
  }
  return true
}

/**
 * Whether `data` has the shape of `CsvRecordData`, checked by hand: decode runs this on every record, and
 * Schema's parser took a sixth of the adapter's decode time on a large file. Data that fails it is decoded
 * with the Schema, for its message.
 */
export const isCsvRecordData = (data: unknown): data is CsvRecordData =>
  Predicate.isObject(data) &&
  typeof data.file === "string" &&
  Array.isArray(data.rows) &&
  data.rows.every(
    (row: unknown) => Predicate.isObject(row) && Number.isSafeInteger(row.line) && isTextRecord(row.values)
  )

const atLine = (line: number, rejection: RecordRejected): RecordRejected =>
  new RecordRejected({
    path: `line ${line}: ${rejection.path}`,
    reason: rejection.reason,
    ...(rejection.value === undefined ? {} : { value: rejection.value })
  })

const mapRow = (mapping: FieldMapping, row: Rows[number]): Result.Result<MappedFields, RecordRejected> =>
  Result.mapError(applyMapping(mapping, row.values), (rejection) => atLine(row.line, rejection))

/**
 * Maps the document fields from the first row, after checking that every row repeats the columns they
 * come from (comparing raw text is exact and spares mapping the same header once per line).
 */
const headerOf = (mapping: FieldMapping, rows: Rows): Result.Result<MappedFields, RecordRejected> => {
  const [first, ...rest] = rows
  if (first === undefined) return Result.fail(new RecordRejected({ path: "", reason: "the document has no rows" }))
  const columns = sourcePaths(mapping)
  for (const row of rest) {
    for (const column of columns) {
      const expected = first.values[column] ?? ""
      const actual = row.values[column] ?? ""
      if (actual.trim() !== expected.trim()) {
        return Result.fail(
          new RecordRejected({
            path: `line ${row.line}: column "${column}"`,
            reason: `differs from line ${first.line} ("${actual}" vs "${expected}"); every row of one document must repeat the same document fields`,
            value: actual
          })
        )
      }
    }
  }
  return mapRow(mapping, first)
}

const allRows = (mapping: FieldMapping, rows: Rows): Result.Result<Array<MappedFields>, RecordRejected> =>
  Result.all(rows.map((row) => mapRow(mapping, row)))

const negated = (value: string | undefined): string | undefined =>
  value === undefined ? undefined : negateDecimal(value)
const isNegative = (value: string | undefined): boolean => value?.startsWith("-") === true

/**
 * A credit note exported with negative amounts is stated positive, as the domain requires: totals and line
 * nets flip sign, and each line's quantity (or, if the quantity is positive, its unit price) flips too.
 */
const positiveCredit = (header: MappedFields, lines: ReadonlyArray<MappedFields>) => {
  if (!isNegative(header.total)) return { header, lines }
  return {
    header: {
      ...header,
      netTotal: negated(header.netTotal),
      taxTotal: negated(header.taxTotal),
      total: negated(header.total)
    },
    lines: lines.map((line) => ({
      ...line,
      lineNet: negated(line.lineNet),
      ...(isNegative(line.quantity)
        ? { quantity: negated(line.quantity) }
        : isNegative(line.unitPrice)
          ? { unitPrice: negated(line.unitPrice) }
          : {})
    }))
  }
}

/** Points a builder's rejection ("lines[1].quantity", "dueDate") at the CSV line and column it came from. */
const locate =
  (rows: Rows, lineMapping: FieldMapping | undefined, headerMapping: FieldMapping) =>
  (rejection: RecordRejected): RecordRejected => {
    const lineMatch = /^(?:lines|allocations)\[(\d+)\]\.(\w+)$/.exec(rejection.path)
    const field = lineMatch === null ? rejection.path : (lineMatch[2] ?? "")
    const row = lineMatch === null ? rows[0] : rows[Number(lineMatch[1])]
    if (row === undefined || field === "") return rejection
    const column = lineMatch === null ? sourceOf(headerMapping, field) : lineMapping && sourceOf(lineMapping, field)
    const path = column === undefined ? field : `${field} (from "${column}")`
    return atLine(row.line, new RecordRejected({ ...rejection, path }))
  }

const missing = (what: string) =>
  Result.fail(new RecordRejected({ path: "", reason: `the CSV adapter has no ${what} mapping configured` }))

/** The data of a record, checked by hand first (see `isCsvRecordData`), else decoded for the message. */
const recordData = (data: unknown): Result.Result<CsvRecordData, RecordRejected> =>
  isCsvRecordData(data)
    ? Result.succeed(data)
    : Result.mapError(
        Schema.decodeUnknownResult(CsvRecordData)(data),
        (error) => new RecordRejected({ path: "", reason: `not a CSV adapter record: ${error.message}` })
      )

/**
 * An invoice or credit note from its rows. Written with early returns rather than `Result.gen`: decode runs
 * once per record of a large file, and the generator was a measurable share of it.
 */
const decodeInvoiceOrCredit = (
  mappings: DocumentMappings,
  entity: "invoices" | "credit-notes",
  rows: Rows,
  context: { readonly sourceId: string; readonly externalId: string }
): Result.Result<CanonicalRecord, RecordRejected> => {
  if (mappings.invoiceHeader === undefined || mappings.invoiceLines === undefined) return missing("invoices")
  const header = headerOf(mappings.invoiceHeader, rows)
  if (Result.isFailure(header)) return Result.fail(header.failure)
  const lines = allRows(mappings.invoiceLines, rows)
  if (Result.isFailure(lines)) return Result.fail(lines.failure)
  const at = locate(rows, mappings.invoiceLines, mappings.invoiceHeader)
  if (entity === "invoices") {
    const invoice = buildInvoice(header.success, lines.success, context)
    return Result.isFailure(invoice)
      ? Result.fail(at(invoice.failure))
      : Result.succeed(canonical(entity, invoice.success))
  }
  const credit = positiveCredit(header.success, lines.success)
  const note = buildCreditNote(credit.header, credit.lines, context)
  return Result.isFailure(note) ? Result.fail(at(note.failure)) : Result.succeed(canonical(entity, note.success))
}

/** Decodes one source record of the CSV adapter. */
export const decodeDocument = (
  mappings: DocumentMappings,
  record: SourceRecord
): Result.Result<CanonicalRecord, RecordRejected> => {
  const data = recordData(record.data)
  if (Result.isFailure(data)) return Result.fail(data.failure)
  const rows = data.success.rows
  const context = { sourceId: mappings.sourceId, externalId: record.externalId }
  const entity = record.entity
  if (entity === "invoices" || entity === "credit-notes") return decodeInvoiceOrCredit(mappings, entity, rows, context)
  return Result.gen(function* () {
    switch (entity) {
      case "accounts": {
        if (mappings.accounts === undefined) return yield* missing("accounts")
        const fields = yield* headerOf(mappings.accounts, rows)
        const at = locate(rows, undefined, mappings.accounts)
        return canonical("accounts", yield* Result.mapError(buildAccount(fields, context), at))
      }
      case "contacts": {
        if (mappings.contacts === undefined) return yield* missing("contacts")
        const fields = yield* headerOf(mappings.contacts, rows)
        const at = locate(rows, undefined, mappings.contacts)
        return canonical("contacts", yield* Result.mapError(buildContact(fields, context), at))
      }
      case "payments": {
        if (mappings.paymentHeader === undefined || mappings.allocations === undefined)
          return yield* missing("payments")
        const header = yield* headerOf(mappings.paymentHeader, rows)
        const allocations = (yield* allRows(mappings.allocations, rows)).filter((fields) =>
          Object.values(fields).some((value) => value !== undefined && value !== "")
        )
        const at = locate(rows, mappings.allocations, mappings.paymentHeader)
        return canonical("payments", yield* Result.mapError(buildPayment(header, allocations, context), at))
      }
      case "documents":
        return yield* missing("documents")
    }
  })
}
