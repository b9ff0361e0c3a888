// The entities an ERP adapter can read, and the canonical (core/domain) shape each one decodes into.
import { Result, Schema } from "effect"
import { Account, Contact, CreditNote, Invoice, Payment } from "../domain/index.ts"
import { DocumentMetadata } from "./DocumentContent.ts"
import { RecordRejected } from "./RecordRejected.ts"

/** The entity kinds Portico syncs. Invoices carry their lines; payments carry their allocations. */
export const EntityName = Schema.Literals(["accounts", "contacts", "invoices", "credit-notes", "payments", "documents"])
export type EntityName = typeof EntityName.Type

/** Every entity name, in dependency order (accounts before the invoices that reference them). */
export const entityNames: ReadonlyArray<EntityName> = [
  "accounts",
  "contacts",
  "invoices",
  "credit-notes",
  "payments",
  "documents"
]

/** The canonical schema of each entity (documents: their metadata; the bytes come from `content`). */
export const entitySchemas = {
  accounts: Account,
  contacts: Contact,
  invoices: Invoice,
  "credit-notes": CreditNote,
  payments: Payment,
  documents: DocumentMetadata
} as const

/** The canonical type of each entity. */
export interface EntityTypes {
  readonly accounts: Account
  readonly contacts: Contact
  readonly invoices: Invoice
  readonly "credit-notes": CreditNote
  readonly payments: Payment
  readonly documents: DocumentMetadata
}

/** A decoded record tagged with its entity, so one stream can carry several kinds. */
export type CanonicalRecord = {
  readonly [E in EntityName]: { readonly entity: E; readonly value: EntityTypes[E] }
}[EntityName]

/** The canonical record of one entity. */
export type CanonicalRecordOf<E extends EntityName> = Extract<CanonicalRecord, { readonly entity: E }>

/** Tags a decoded value with its entity. */
export const canonical = <E extends EntityName>(entity: E, value: EntityTypes[E]): CanonicalRecordOf<E> =>
  ({ entity, value }) as CanonicalRecordOf<E> // safe: the mapped union member for E is exactly this shape

const decodeAs =
  <E extends EntityName>(entity: E, schema: Schema.Codec<EntityTypes[E], unknown>) =>
  (data: unknown): Result.Result<CanonicalRecordOf<E>, RecordRejected> =>
    Result.mapBoth(Schema.decodeUnknownResult(schema)(data), {
      onFailure: (error) => new RecordRejected({ path: "", reason: error.message }),
      onSuccess: (value) => canonical(entity, value)
    })

/**
 * Decodes data that is already in canonical shape (a source that stores Portico's own JSON, a test
 * fixture) into a record of `entity`; the rejection carries the schema's message with the failing path.
 */
export const decodeCanonical = (entity: EntityName, data: unknown): Result.Result<CanonicalRecord, RecordRejected> => {
  switch (entity) {
    case "accounts":
      return decodeAs("accounts", Account)(data)
    case "contacts":
      return decodeAs("contacts", Contact)(data)
    case "invoices":
      return decodeAs("invoices", Invoice)(data)
    case "credit-notes":
      return decodeAs("credit-notes", CreditNote)(data)
    case "payments":
      return decodeAs("payments", Payment)(data)
    case "documents":
      return decodeAs("documents", DocumentMetadata)(data)
  }
}
