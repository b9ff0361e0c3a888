// Branded identifiers, so an invoice id can never be passed where an account id is expected.
import { Schema } from "effect"

const IdString = Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(200))

/** The customer company. */
export const AccountId = IdString.pipe(Schema.brand("AccountId"))
export type AccountId = typeof AccountId.Type
/** A person at a customer. */
export const ContactId = IdString.pipe(Schema.brand("ContactId"))
export type ContactId = typeof ContactId.Type
export const InvoiceId = IdString.pipe(Schema.brand("InvoiceId"))
export type InvoiceId = typeof InvoiceId.Type
export const CreditNoteId = IdString.pipe(Schema.brand("CreditNoteId"))
export type CreditNoteId = typeof CreditNoteId.Type
export const PaymentId = IdString.pipe(Schema.brand("PaymentId"))
export type PaymentId = typeof PaymentId.Type
export const DocumentId = IdString.pipe(Schema.brand("DocumentId"))
export type DocumentId = typeof DocumentId.Type
/** Identifies one domain event; applying the same event id twice changes nothing. */
export const EventId = IdString.pipe(Schema.brand("EventId"))
export type EventId = typeof EventId.Type

/** Where a record came from: which ERP source and its id there. */
export const SourceRef = Schema.Struct({
  /** The configured source's id, such as "epicor-main" or "csv-demo". */
  source: Schema.String.check(Schema.isNonEmpty()),
  /** The record's id in that source. */
  externalId: Schema.String.check(Schema.isNonEmpty())
})
export type SourceRef = typeof SourceRef.Type
