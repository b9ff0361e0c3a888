// What `read` streams: raw source records and rejected ones, each with the cursor position just after it,
// so a consumer can checkpoint exactly after committing a batch.
import { Schema } from "effect"
import { Cursor } from "./Cursor.ts"
import { EntityName } from "./Entity.ts"
import { RecordRejected } from "./RecordRejected.ts"

/**
 * One record as the source holds it. `data` is raw (a JSON object, CSV rows, a SQL row) and is what the
 * quarantine keeps; `ErpAdapter.decode` turns it into the canonical model.
 */
export const SourceRecord = Schema.TaggedStruct("SourceRecord", {
  entity: EntityName,
  /** The record's id in the source (an invoice number, a customer number, a GUID). */
  externalId: Schema.String.check(Schema.isNonEmpty()),
  /** The source's version of the record (ETag, row version, modified-at); absent when it has none. */
  revision: Schema.optionalKey(Schema.String),
  data: Schema.Unknown,
  /** Reading again from this cursor continues with the record after this one. */
  cursor: Cursor
})
export type SourceRecord = typeof SourceRecord.Type

/**
 * A record the adapter could not even shape (a CSV row with the wrong number of columns, rows of one
 * invoice that disagree on its header). Carries the raw input and the reason.
 */
export const RejectedRecord = Schema.TaggedStruct("RejectedRecord", {
  entity: EntityName,
  /** The record's id when it could be told. */
  externalId: Schema.optionalKey(Schema.String),
  raw: Schema.Unknown,
  rejection: RecordRejected,
  cursor: Cursor
})
export type RejectedRecord = typeof RejectedRecord.Type

/** One element of a read stream. */
export const ReadItem = Schema.Union([SourceRecord, RejectedRecord])
export type ReadItem = typeof ReadItem.Type

/** Builds a SourceRecord. */
export const sourceRecord = (fields: Omit<SourceRecord, "_tag">): SourceRecord => ({ _tag: "SourceRecord", ...fields })

/** Builds a RejectedRecord. */
/**
 * A source record whose cursor is built only when read. The sync engine reads the cursor of the last record
 * of each batch alone, so an adapter whose cursor costs something to build (the CSV adapter hashes a row and
 * encodes JSON) saves that work for every other record. `cursor` is called at most once.
 */
export const lazySourceRecord = (fields: Omit<SourceRecord, "_tag" | "cursor">, cursor: () => Cursor): SourceRecord => {
  let built: Cursor | undefined
  return {
    _tag: "SourceRecord",
    ...fields,
    get cursor() {
      built ??= cursor()
      return built
    }
  }
}

export const rejectedRecord = (fields: Omit<RejectedRecord, "_tag">): RejectedRecord => ({
  _tag: "RejectedRecord",
  ...fields
})
