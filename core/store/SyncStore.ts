// Idempotent writes of single source records, keyed by (source, external id), skipping records whose content
// hash did not change: the sync's batch writes (SyncBatches) with a batch of one, and documents with their
// bytes. They run in a scoped transaction like every store call, normally as a SystemPrincipal.
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { CurrentPrincipal } from "../access/Principal.ts"
import { baseStatus, type IssuedInvoice } from "../billing/InvoiceStateMachine.ts"
import type { Account } from "../domain/Account.ts"
import type { Contact } from "../domain/Contact.ts"
import type { Document } from "../domain/Document.ts"
import type { CreditNote, Invoice } from "../domain/Invoice.ts"
import type { Payment } from "../domain/Payment.ts"
import { contentHash } from "./internal/contentHash.ts"
import { Store } from "./Store.ts"
import { SyncBatches } from "./SyncBatches.ts"

/** What an upsert did. "unchanged" means the stored content hash matched and nothing was written. */
export type UpsertOutcome = "inserted" | "updated" | "unchanged"

type Scoped<A> = Effect.Effect<A, SqlError, CurrentPrincipal>

/** Idempotent writes of source records. */
export class SyncStore extends Context.Service<
  SyncStore,
  {
    readonly upsertAccount: (account: Account) => Scoped<UpsertOutcome>
    /** Upserts the contact and replaces its account links. */
    readonly upsertContact: (contact: Contact) => Scoped<UpsertOutcome>
    /**
     * Upserts an invoice with its lines, tax lines and the balances and base status of `state` (the billing
     * state machine's replay of its events); inserts events of `state.history` not seen before (by event id).
     * A record keeps the store id it was first inserted with, whatever id a later version carries.
     */
    readonly upsertInvoice: (invoice: Invoice, state: IssuedInvoice) => Scoped<UpsertOutcome>
    readonly upsertCreditNote: (note: CreditNote) => Scoped<UpsertOutcome>
    /** Upserts a payment and replaces its allocations. */
    readonly upsertPayment: (payment: Payment) => Scoped<UpsertOutcome>
    /** Upserts a document's metadata and bytes (kept in the database). */
    readonly upsertDocument: (document: Document, content: Uint8Array) => Scoped<UpsertOutcome>
  }
>()("portico/core/store/SyncStore") {
  static readonly layer = Layer.effect(
    SyncStore,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store
      const batches = yield* SyncBatches

      /** One record through the sync's batch write (a batch of one), so both paths write the same way. */
      const one =
        <A>(write: (records: ReadonlyArray<A>) => Scoped<ReadonlyArray<UpsertOutcome>>) =>
        (record: A) =>
          Effect.map(write([record]), (outcomes): UpsertOutcome => outcomes[0] ?? "unchanged")

      // The invoice's state is part of what is compared: a record whose payments changed but whose ERP content
      // did not is still rewritten with its new balances and events (the engine writes those separately).
      const upsertInvoice = (invoice: Invoice, state: IssuedInvoice) =>
        one(batches.upsertInvoices)({
          invoice,
          state,
          contentHash: contentHash({
            invoice,
            balances: [state.paid.minor, state.credited.minor, state.writtenOff.minor, state.open.minor],
            excess: state.excess.minor,
            status: baseStatus(state),
            events: state.history.map((event) => event.eventId)
          })
        })

      const upsertDocument = (document: Document, content: Uint8Array) =>
        store.withScope(
          Effect.map(
            sql<{ id: string; inserted: boolean }>`
              insert into portico.documents (id, account_id, source, external_id, invoice_id, file_name,
                content_type, size, sha256, content, content_hash)
              values (${document.id}, ${document.accountId}, ${document.source.source},
                ${document.source.externalId}, ${document.invoiceId ?? null}, ${document.fileName},
                ${document.contentType}, ${document.size}, ${document.sha256}, ${content}, ${contentHash(document)})
              on conflict (source, external_id) do update set account_id = excluded.account_id,
                invoice_id = excluded.invoice_id, file_name = excluded.file_name,
                content_type = excluded.content_type, size = excluded.size, sha256 = excluded.sha256,
                content = excluded.content, content_hash = excluded.content_hash,
                revision = documents.revision + 1, updated_at = now()
              where documents.content_hash <> excluded.content_hash
              returning id, (xmax = 0) as inserted`,
            (rows): UpsertOutcome => {
              const row = rows[0]
              return row === undefined ? "unchanged" : row.inserted ? "inserted" : "updated"
            }
          )
        )

      return SyncStore.of({
        upsertAccount: one(batches.upsertAccounts),
        upsertContact: one(batches.upsertContacts),
        upsertInvoice,
        upsertCreditNote: one(batches.upsertCreditNotes),
        upsertPayment: one(batches.upsertPayments),
        upsertDocument
      })
    })
  ).pipe(Layer.provide(SyncBatches.layer))
}
