// A record the adapter read but could not turn into a canonical record. It is never dropped: the sync
// engine quarantines it with this reason and the raw record.
import { Schema } from "effect"

/** Why one record was rejected: which field (path in the source or canonical record) and what was wrong. */
export class RecordRejected extends Schema.TaggedError<RecordRejected>()("RecordRejected", {
  /**
   * Where the problem is: a source path ("Amount", "lines[2].qty", "row 17") or a canonical path
   * ("dueDate"); empty for whole-record problems.
   */
  path: Schema.String,
  /** What is wrong, for the integrator: `expected a date as dd.mm.yyyy, got "31.02.2026"`. */
  reason: Schema.String,
  /** The offending value as text, when there is one. */
  value: Schema.optionalKey(Schema.String)
}) {
  override get message(): string {
    const where = this.path === "" ? "" : `${this.path}: `
    return `${where}${this.reason}`
  }
}
