// The store's typed failures that callers handle: a record the principal cannot see, a malformed cursor.
import { Schema } from "effect"

/** What kind of record was asked for. */
export const RecordKind = Schema.Literals([
  "account",
  "contact",
  "invoice",
  "credit-note",
  "payment",
  "document",
  "signed-link",
  "quarantine"
])
export type RecordKind = typeof RecordKind.Type

/**
 * The record does not exist or is outside the principal's scope. The two are deliberately
 * indistinguishable: a guessed or foreign id learns nothing.
 */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  kind: RecordKind,
  id: Schema.String
}) {
  override get message(): string {
    return `${this.kind} ${this.id} not found`
  }
}

/** A pagination cursor that was not produced by this query's sort order, or was tampered with. */
export class InvalidCursor extends Schema.TaggedError<InvalidCursor>()("InvalidCursor", {
  cursor: Schema.String
}) {
  override get message(): string {
    return "the page cursor is not valid for this list"
  }
}
