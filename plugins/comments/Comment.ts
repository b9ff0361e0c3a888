// The comments plugin's model: one entry of an invoice's thread, the thread as a customer or the business sees
// it (with the invoice's history merged in), the invoices waiting for the business, and the typed refusals.
import { Schema } from "effect"
import { type InvoiceEvent, InvoiceStatus } from "../../core/billing/InvoiceStateMachine.ts"
import { AccountId, InvoiceId } from "../../core/domain/Ids.ts"
import { CommentAdded } from "../../core/events/DomainEvents.ts"

/** The most characters a comment (or a dispute reason, or a resolution note) may hold. */
export const maxCommentLength = 4000

/** A comment's text: trimmed, 1 to 4000 characters. */
export const CommentBody = Schema.Trim.check(Schema.isMinLength(1), Schema.isMaxLength(maxCommentLength))
export type CommentBody = typeof CommentBody.Type

/** "comment": a message; "resolved": the business marked the thread as handled (clears "needs attention"). */
export const EntryKind = CommentAdded.fields.kind
export type EntryKind = typeof EntryKind.Type

/** Which side wrote an entry: the customer (a contact or a signed link) or the business (the system). */
export const Side = CommentAdded.fields.side
export type Side = typeof Side.Type

/** One entry of an invoice's thread. `authorId` is the contact id, link id, or the business's stated reason. */
export const CommentEntry = Schema.Struct({
  id: Schema.String,
  invoiceId: InvoiceId,
  accountId: AccountId,
  kind: EntryKind,
  side: Side,
  authorKind: Schema.Literals(["contact", "link", "system"]),
  authorId: Schema.String,
  body: Schema.String,
  /** ISO-8601 UTC instant. */
  createdAt: Schema.String
})
export type CommentEntry = typeof CommentEntry.Type

/** One line of the invoice's history: a state machine event (with when it was recorded) or a thread entry. */
export type HistoryItem =
  | { readonly _tag: "Event"; readonly at: string; readonly event: InvoiceEvent }
  | { readonly _tag: "Entry"; readonly at: string; readonly entry: CommentEntry }

/** An invoice's thread: the entries, whether it waits for the business, and the invoice's merged history. */
export interface Thread {
  readonly invoiceId: InvoiceId
  readonly accountId: AccountId
  readonly number: string
  readonly status: InvoiceStatus
  readonly entries: ReadonlyArray<CommentEntry>
  /** A customer comment came after the last "resolved" entry. */
  readonly needsAttention: boolean
  /** Events and entries, oldest first. */
  readonly history: ReadonlyArray<HistoryItem>
}

/** An invoice the business should look at: an unresolved customer comment, an open dispute, or both. */
export const AttentionItem = Schema.Struct({
  invoiceId: InvoiceId,
  accountId: AccountId,
  number: Schema.String,
  status: InvoiceStatus,
  needsAttention: Schema.Boolean,
  disputed: Schema.Boolean,
  /** The newest customer comment's time, when there is one. */
  lastCustomerCommentAt: Schema.NullOr(Schema.String)
})
export type AttentionItem = typeof AttentionItem.Type

/** Only the business may do this (mark resolved, resolve a dispute, list what needs attention). */
export class BusinessOnly extends Schema.TaggedError<BusinessOnly>()("BusinessOnly", {
  action: Schema.String
}) {
  override get message(): string {
    return `only the business may ${this.action}`
  }
}

/** The text of a comment, reason or note is empty or too long. */
export class InvalidComment extends Schema.TaggedError<InvalidComment>()("InvalidComment", {
  detail: Schema.String
}) {
  override get message(): string {
    return `invalid comment: ${this.detail}`
  }
}
