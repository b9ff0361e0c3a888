// Turns a SQL source record (a row, with its lines or allocations) into a canonical record through the
// configured field mappings and core/erp's shared builders. Pure.
import { Result, Schema } from "effect"
import {
  applyMapping,
  buildAccount,
  buildContact,
  buildCreditNote,
  buildDocument,
  buildInvoice,
  buildPayment,
  type CanonicalRecord,
  canonical,
  type FieldMapping,
  type MappedFields,
  RecordRejected,
  type SourceRecord
} from "../../../core/erp/index.ts"
import type { SqlAdapterConfig } from "../SqlAdapterConfig.ts"

/** What a SQL source record's `data` holds: the row, and its child rows when the entity has them. */
export const SqlRecordData = Schema.Struct({
  row: Schema.Record(Schema.String, Schema.Unknown),
  lines: Schema.optionalKey(Schema.Array(Schema.Record(Schema.String, Schema.Unknown))),
  allocations: Schema.optionalKey(Schema.Array(Schema.Record(Schema.String, Schema.Unknown)))
})
export type SqlRecordData = typeof SqlRecordData.Type

const decodeData = Schema.decodeUnknownResult(SqlRecordData)

const mapChildren = (
  kind: "lines" | "allocations",
  mapping: FieldMapping | undefined,
  rows: ReadonlyArray<unknown>
): Result.Result<ReadonlyArray<MappedFields>, RecordRejected> => {
  const out: Array<MappedFields> = []
  for (const [index, row] of rows.entries()) {
    const mapped = mapping === undefined ? Result.succeed({}) : applyMapping(mapping, row)
    if (Result.isFailure(mapped)) {
      const { path, reason, value } = mapped.failure
      return Result.fail(
        new RecordRejected({ path: `${kind}[${index}].${path}`, reason, ...(value === undefined ? {} : { value }) })
      )
    }
    out.push(mapped.success)
  }
  return Result.succeed(out)
}

/** Decodes one record read by the SQL adapter configured with `config` for source `sourceId`. */
export const decodeSqlRecord = (
  config: SqlAdapterConfig,
  sourceId: string,
  record: SourceRecord
): Result.Result<CanonicalRecord, RecordRejected> =>
  Result.gen(function* () {
    const query = config.entities[record.entity]
    if (query === undefined)
      return yield* Result.fail(new RecordRejected({ path: "", reason: `no query is configured for ${record.entity}` }))
    const data = yield* Result.mapError(
      decodeData(record.data),
      (error) => new RecordRejected({ path: "", reason: `not a SQL adapter record: ${error.message}` })
    )
    const header = yield* applyMapping(query.mapping, data.row)
    const context = { sourceId, externalId: record.externalId }
    switch (record.entity) {
      case "accounts":
        return canonical("accounts", yield* buildAccount(header, context))
      case "contacts":
        return canonical("contacts", yield* buildContact(header, context))
      case "documents":
        return canonical("documents", yield* buildDocument(header, context))
      case "invoices": {
        const lines = yield* mapChildren("lines", query.lines?.mapping, data.lines ?? [])
        return canonical("invoices", yield* buildInvoice(header, lines, context))
      }
      case "credit-notes": {
        const lines = yield* mapChildren("lines", query.lines?.mapping, data.lines ?? [])
        return canonical("credit-notes", yield* buildCreditNote(header, lines, context))
      }
      case "payments": {
        const allocations = yield* mapChildren("allocations", query.allocations?.mapping, data.allocations ?? [])
        return canonical("payments", yield* buildPayment(header, allocations, context))
      }
    }
  })
