// The writes the sync engine makes: idempotent upserts keyed by (source, external id) that skip records
// whose content hash did not change, replacing child rows and inserting new invoice events when it did.
// They run in a scoped transaction like every store call, normally as a SystemPrincipal.
import { Array as Arr, Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { CurrentPrincipal } from "../access/Principal.ts"
import { baseStatus, InvoiceEvent, type IssuedInvoice } from "../billing/InvoiceStateMachine.ts"
import type { Account } from "../domain/Account.ts"
import type { Contact } from "../domain/Contact.ts"
import type { Document } from "../domain/Document.ts"
import type { CreditNote, Invoice } from "../domain/Invoice.ts"
import type { Payment } from "../domain/Payment.ts"
import { contentHash } from "./internal/contentHash.ts"
import { Store } from "./Store.ts"

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
      const encodeEvent = Schema.encodeSync(InvoiceEvent)

      /** Inserts rows into a store table (a constant name), or nothing for an empty list. */
      const insertAll = (table: string, rows: ReadonlyArray<Record<string, unknown>>, suffix = "") =>
        Arr.isReadonlyArrayNonEmpty(rows)
          ? Effect.asVoid(
              sql`insert into ${sql.literal(`portico.${table}`)} ${sql.insert(rows)} ${sql.literal(suffix)}`
            )
          : Effect.void

      /** The upserted row's id, and whether it was inserted; none when the content hash matched. */
      const outcomeOf = (rows: ReadonlyArray<{ id: string; inserted: boolean }>) => {
        const row = rows[0]
        if (row === undefined) return { outcome: "unchanged" as const, id: undefined }
        return { outcome: row.inserted ? ("inserted" as const) : ("updated" as const), id: row.id }
      }

      const upsertAccount = (account: Account) =>
        store.withScope(
          Effect.gen(function* () {
            const hash = contentHash(account)
            const rows = yield* sql<{ id: string; inserted: boolean }>`
              insert into portico.accounts (id, source, external_id, number, name, tier, currency, email, tax_id,
                billing_address, content_hash)
              values (${account.id}, ${account.source.source}, ${account.source.externalId}, ${account.number},
                ${account.name}, ${account.tier}, ${account.currency}, ${account.email ?? null},
                ${account.taxId ?? null}, ${account.billingAddress === undefined ? null : JSON.stringify(account.billingAddress)}::jsonb,
                ${hash})
              on conflict (source, external_id) do update set number = excluded.number, name = excluded.name,
                tier = excluded.tier, currency = excluded.currency, email = excluded.email, tax_id = excluded.tax_id,
                billing_address = excluded.billing_address, content_hash = excluded.content_hash,
                revision = accounts.revision + 1, updated_at = now()
              where accounts.content_hash <> excluded.content_hash
              returning id, (xmax = 0) as inserted`
            return outcomeOf(rows).outcome
          })
        )

      const upsertContact = (contact: Contact) =>
        store.withScope(
          Effect.gen(function* () {
            const rows = yield* sql<{ id: string; inserted: boolean }>`
              insert into portico.contacts (id, source, external_id, email, name, phone, content_hash)
              values (${contact.id}, ${contact.source.source}, ${contact.source.externalId},
                ${contact.email.toLowerCase()}, ${contact.name}, ${contact.phone ?? null}, ${contentHash(contact)})
              on conflict (source, external_id) do update set email = excluded.email, name = excluded.name,
                phone = excluded.phone, content_hash = excluded.content_hash, revision = contacts.revision + 1,
                updated_at = now()
              where contacts.content_hash <> excluded.content_hash
              returning id, (xmax = 0) as inserted`
            const { outcome, id } = outcomeOf(rows)
            if (id === undefined) return outcome
            yield* sql`delete from portico.contact_account_links where contact_id = ${id}`
            yield* insertAll(
              "contact_account_links",
              contact.links.map((link) => ({ contact_id: id, account_id: link.accountId, role: link.role }))
            )
            return outcome
          })
        )

      const upsertInvoice = (invoice: Invoice, state: IssuedInvoice) =>
        store.withScope(
          Effect.gen(function* () {
            const status = baseStatus(state)
            const hash = contentHash({
              invoice,
              balances: [state.paid.minor, state.credited.minor, state.writtenOff.minor, state.open.minor],
              excess: state.excess.minor,
              status,
              events: state.history.map((event) => event.eventId)
            })
            const rows = yield* sql<{ id: string; inserted: boolean }>`
              insert into portico.invoices (id, account_id, source, external_id, number, po_number, terms,
                issue_date, due_date, currency, net_minor, tax_minor, total_minor, paid_minor, credited_minor,
                written_off_minor, open_minor, excess_minor, status, content_hash, lines, tax_lines)
              values (${invoice.id}, ${invoice.accountId}, ${invoice.source.source}, ${invoice.source.externalId},
                ${invoice.number}, ${invoice.poNumber ?? null}, ${invoice.terms ?? null}, ${invoice.issueDate}::date,
                ${state.dueDate}::date, ${invoice.currency}, ${invoice.totals.net.minor}, ${invoice.totals.tax.minor},
                ${invoice.totals.total.minor}, ${state.paid.minor}, ${state.credited.minor}, ${state.writtenOff.minor},
                ${state.open.minor}, ${state.excess.minor}, ${status}, ${hash}, ${JSON.stringify(invoice.lines)}::jsonb,
                ${JSON.stringify(invoice.taxLines)}::jsonb)
              on conflict (source, external_id) do update set account_id = excluded.account_id,
                number = excluded.number, po_number = excluded.po_number, terms = excluded.terms,
                issue_date = excluded.issue_date, due_date = excluded.due_date, currency = excluded.currency,
                net_minor = excluded.net_minor, tax_minor = excluded.tax_minor, total_minor = excluded.total_minor,
                paid_minor = excluded.paid_minor, credited_minor = excluded.credited_minor,
                written_off_minor = excluded.written_off_minor, open_minor = excluded.open_minor,
                excess_minor = excluded.excess_minor, status = excluded.status, lines = excluded.lines,
                tax_lines = excluded.tax_lines, content_hash = excluded.content_hash, revision = invoices.revision + 1, updated_at = now()
              where invoices.content_hash <> excluded.content_hash
              returning id, (xmax = 0) as inserted`
            const { outcome, id } = outcomeOf(rows)
            if (id === undefined) return outcome
            yield* insertAll(
              "invoice_events",
              state.history.map((event) => ({
                event_id: event.eventId,
                invoice_id: id,
                account_id: invoice.accountId,
                type: event._tag,
                payload: JSON.stringify(encodeEvent(event)),
                occurred_on: event.occurredOn
              })),
              "on conflict (event_id) do nothing"
            )
            return outcome
          })
        )

      const upsertCreditNote = (note: CreditNote) =>
        store.withScope(
          Effect.gen(function* () {
            const rows = yield* sql<{ id: string; inserted: boolean }>`
              insert into portico.credit_notes (id, account_id, source, external_id, number, issue_date, currency,
                invoice_id, reason, net_minor, tax_minor, total_minor, content_hash, lines, tax_lines)
              values (${note.id}, ${note.accountId}, ${note.source.source}, ${note.source.externalId}, ${note.number},
                ${note.issueDate}::date, ${note.currency}, ${note.invoiceId ?? null}, ${note.reason ?? null},
                ${note.totals.net.minor}, ${note.totals.tax.minor}, ${note.totals.total.minor}, ${contentHash(note)},
                ${JSON.stringify(note.lines)}::jsonb, ${JSON.stringify(note.taxLines)}::jsonb)
              on conflict (source, external_id) do update set account_id = excluded.account_id,
                number = excluded.number, issue_date = excluded.issue_date, currency = excluded.currency,
                invoice_id = excluded.invoice_id, reason = excluded.reason, net_minor = excluded.net_minor,
                tax_minor = excluded.tax_minor, total_minor = excluded.total_minor,
                lines = excluded.lines, tax_lines = excluded.tax_lines, content_hash = excluded.content_hash,
                revision = credit_notes.revision + 1, updated_at = now()
              where credit_notes.content_hash <> excluded.content_hash
              returning id, (xmax = 0) as inserted`
            return outcomeOf(rows).outcome
          })
        )

      const upsertPayment = (payment: Payment) =>
        store.withScope(
          Effect.gen(function* () {
            const rows = yield* sql<{ id: string; inserted: boolean }>`
              insert into portico.payments (id, account_id, source, external_id, reference, received_date, currency,
                amount_minor, method, content_hash)
              values (${payment.id}, ${payment.accountId}, ${payment.source.source}, ${payment.source.externalId},
                ${payment.reference}, ${payment.receivedDate}::date, ${payment.amount.currency},
                ${payment.amount.minor}, ${payment.method ?? null}, ${contentHash(payment)})
              on conflict (source, external_id) do update set account_id = excluded.account_id,
                reference = excluded.reference, received_date = excluded.received_date,
                currency = excluded.currency, amount_minor = excluded.amount_minor, method = excluded.method,
                content_hash = excluded.content_hash, revision = payments.revision + 1, updated_at = now()
              where payments.content_hash <> excluded.content_hash
              returning id, (xmax = 0) as inserted`
            const { outcome, id } = outcomeOf(rows)
            if (id === undefined) return outcome
            yield* sql`delete from portico.payment_allocations where payment_id = ${id}`
            yield* insertAll(
              "payment_allocations",
              payment.allocations.map((allocation) => ({
                payment_id: id,
                account_id: payment.accountId,
                invoice_id: allocation.invoiceId,
                currency: allocation.amount.currency,
                amount_minor: allocation.amount.minor
              }))
            )
            return outcome
          })
        )

      const upsertDocument = (document: Document, content: Uint8Array) =>
        store.withScope(
          Effect.gen(function* () {
            const rows = yield* sql<{ id: string; inserted: boolean }>`
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
              returning id, (xmax = 0) as inserted`
            return outcomeOf(rows).outcome
          })
        )

      return SyncStore.of({
        upsertAccount,
        upsertContact,
        upsertInvoice,
        upsertCreditNote,
        upsertPayment,
        upsertDocument
      })
    })
  )
}
