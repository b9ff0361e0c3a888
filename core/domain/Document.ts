// An attachment a customer can download: a signed delivery note, a timesheet, the ERP's own PDF.
import { Schema } from "effect"
import { AccountId, DocumentId, InvoiceId, SourceRef } from "./Ids.ts"

/** Metadata of a stored attachment; the bytes live in the store. */
export const Document = Schema.Struct({
  id: DocumentId,
  accountId: AccountId,
  source: SourceRef,
  /** The invoice the document belongs to, if any. */
  invoiceId: Schema.optionalKey(InvoiceId),
  fileName: Schema.String.check(Schema.isNonEmpty()),
  contentType: Schema.String,
  size: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  /** Hex SHA-256 of the bytes. */
  sha256: Schema.String.check(Schema.isPattern(/^[0-9a-f]{64}$/))
})
export type Document = typeof Document.Type
