// Source JSON records to canonical records through the configured field mappings (header, lines,
// allocations) and core/erp's shared builders, plus the id, revision and change marker of a record.
import { Result } from "effect"
import {
  applyMapping,
  applyMappingToEach,
  buildAccount,
  buildContact,
  buildCreditNote,
  buildDocument,
  buildInvoice,
  buildPayment,
  type CanonicalRecord,
  canonical,
  type EntityName,
  type MappedFields,
  type RecordContext,
  type RecordRejected,
  valueAt
} from "../../../core/erp/index.ts"
import type { NestedMapping, RestEntity } from "../RestConfig.ts"

type Built<A> = Result.Result<A, RecordRejected>

/** A scalar at `path` as text; undefined for absent, null, blank or non-scalar values. */
export const scalarAt = (record: unknown, path: string): string | undefined => {
  const value = valueAt(record, path)
  if (typeof value === "string") return value.trim() === "" ? undefined : value
  if (typeof value === "number" || typeof value === "bigint") return String(value)
  if (typeof value === "boolean") return String(value)
  return undefined
}

const nested = (record: unknown, rule: NestedMapping | undefined): Built<ReadonlyArray<MappedFields>> =>
  rule === undefined ? Result.succeed([]) : applyMappingToEach(rule.mapping, record, rule.from)

/** Decodes one source record of `entity` with its configured mappings. */
export const decodeRecord = (
  entity: EntityName,
  settings: RestEntity,
  data: unknown,
  context: RecordContext
): Built<CanonicalRecord> =>
  Result.gen(function* () {
    const header = yield* applyMapping(settings.mapping, data)
    switch (entity) {
      case "accounts":
        return canonical("accounts", yield* buildAccount(header, context))
      case "contacts":
        return canonical("contacts", yield* buildContact(header, context))
      case "invoices":
        return canonical("invoices", yield* buildInvoice(header, yield* nested(data, settings.lines), context))
      case "credit-notes":
        return canonical("credit-notes", yield* buildCreditNote(header, yield* nested(data, settings.lines), context))
      case "payments":
        return canonical("payments", yield* buildPayment(header, yield* nested(data, settings.allocations), context))
      case "documents":
        return canonical("documents", yield* buildDocument(header, context))
    }
  })

const integer = /^-?\d+$/

/**
 * Orders two modification markers: integers numerically, date-times by instant, anything else as text.
 * Negative when `a` is older.
 */
export const compareMarkers = (a: string, b: string): number => {
  if (integer.test(a) && integer.test(b)) {
    const difference = BigInt(a) - BigInt(b)
    return difference < 0n ? -1 : difference > 0n ? 1 : 0
  }
  const at = Date.parse(a)
  const bt = Date.parse(b)
  if (!Number.isNaN(at) && !Number.isNaN(bt) && at !== bt) return at - bt
  return a < b ? -1 : a > b ? 1 : 0
}
