// The entities an ERP adapter can read, and the canonical (core/domain) shape each one decodes into.
import { Schema } from "effect"
import { Account, Contact, CreditNote, Document, Invoice, Payment } from "../domain/index.ts"

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

/** The canonical schema of each entity. */
export const entitySchemas = {
  accounts: Account,
  contacts: Contact,
  invoices: Invoice,
  "credit-notes": CreditNote,
  payments: Payment,
  documents: Document
} as const

/** The canonical type of each entity. */
export interface EntityTypes {
  readonly accounts: Account
  readonly contacts: Contact
  readonly invoices: Invoice
  readonly "credit-notes": CreditNote
  readonly payments: Payment
  readonly documents: Document
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
