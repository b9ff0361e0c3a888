// Batched, idempotent writes for the sync engine: each call writes a whole batch of one entity in a few
// statements (rows travel as one JSON parameter, so a batch is not bound by the 65,535-parameter limit),
// skipping records whose content hash did not change. The reads that prepare a batch are in SyncReads.ts.
import { Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { CurrentPrincipal } from "../access/Principal.ts"
import { baseStatus, InvoiceEvent, type IssuedInvoice } from "../billing/InvoiceStateMachine.ts"
import { Account } from "../domain/Account.ts"
import { Contact } from "../domain/Contact.ts"
import { CreditNote, Invoice } from "../domain/Invoice.ts"
import { Payment } from "../domain/Payment.ts"
import { schemaContentHash } from "./internal/contentHash.ts"
import { Store } from "./Store.ts"
import type { UpsertOutcome } from "./SyncStore.ts"

type Scoped<A> = Effect.Effect<A, SqlError, CurrentPrincipal>

const needsEscape = /[\\"]/
const escaped = /[\\"]/g

/**
 * A PostgreSQL array literal of `values`: null and undefined as NULL, numbers and bigints as written,
 * strings quoted (backslash and double quote escaped), objects as their JSON text (for json and jsonb columns).
 */
export const arrayLiteral = (values: ReadonlyArray<unknown>): string => {
  const parts: Array<string> = []
  for (const value of values) {
    if (value === null || value === undefined) parts.push("NULL")
    else if (typeof value === "number" || typeof value === "bigint") parts.push(String(value))
    else {
      const text = typeof value === "string" ? value : JSON.stringify(value)
      parts.push(needsEscape.test(text) ? `"${text.replace(escaped, "\\$&")}"` : `"${text}"`)
    }
  }
  return `{${parts.join(",")}}`
}

/** A JSON array of `values`: strings are taken as JSON text already, anything else is serialised. */
export const jsonArray = (values: ReadonlyArray<unknown>): string => {
  let out = "["
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    out += `${i === 0 ? "" : ","}${typeof value === "string" ? value : JSON.stringify(value)}`
  }
  return `${out}]`
}

/** An invoice and the state its events replay to (balances and status are written from it). */
export interface InvoiceWrite {
  readonly invoice: Invoice
  readonly state: IssuedInvoice
  /** `invoiceContentHash(invoice)` when the caller worked it out already (off the transaction); else computed here. */
  readonly contentHash?: string | undefined
}

/** The hash an invoice's stored row carries: the same content gives the same hash, so it is not rewritten. */
export const invoiceContentHash: (invoice: Invoice) => string = schemaContentHash(Invoice)
const accountContentHash = schemaContentHash(Account)
const contactContentHash = schemaContentHash(Contact)
const creditNoteContentHash = schemaContentHash(CreditNote)
const paymentContentHash = schemaContentHash(Payment)

/** New balances and events for a stored invoice (after payments or credits were applied to it). */
export interface InvoiceStateWrite {
  readonly invoiceId: string
  readonly accountId: string
  readonly state: IssuedInvoice
}

/** A record to quarantine. */
export interface QuarantineWrite {
  readonly source: string
  readonly entity: string
  readonly externalId?: string | undefined
  readonly reason: string
  readonly raw: string
}

/** Batched sync writes and the reads that prepare them; every call runs in the caller's scoped transaction. */
export class SyncBatches extends Context.Service<
  SyncBatches,
  {
    /** Outcomes align with the input; external ids within one call must be distinct. */
    readonly upsertAccounts: (accounts: ReadonlyArray<Account>) => Scoped<ReadonlyArray<UpsertOutcome>>
    /** Upserts contacts and replaces the account links of those inserted or changed. */
    readonly upsertContacts: (contacts: ReadonlyArray<Contact>) => Scoped<ReadonlyArray<UpsertOutcome>>
    /**
     * Upserts invoices with lines and tax lines; a changed invoice gets its balances and status from `state`
     * and the events of `state.history` not recorded yet. Unchanged means the ERP's content is the same.
     */
    readonly upsertInvoices: (writes: ReadonlyArray<InvoiceWrite>) => Scoped<ReadonlyArray<UpsertOutcome>>
    readonly upsertCreditNotes: (notes: ReadonlyArray<CreditNote>) => Scoped<ReadonlyArray<UpsertOutcome>>
    /** Upserts payments and replaces the allocations of those inserted or changed. */
    readonly upsertPayments: (payments: ReadonlyArray<Payment>) => Scoped<ReadonlyArray<UpsertOutcome>>
    /** Writes balances, status and the not-yet-recorded events of stored invoices. */
    readonly updateInvoiceStates: (writes: ReadonlyArray<InvoiceStateWrite>) => Scoped<void>
    /**
     * Quarantines records; a record already quarantined unresolved with the same reason and raw text is not
     * added twice (a source re-read from the start does not fill the quarantine with copies). Gives the count added.
     */
    readonly quarantine: (records: ReadonlyArray<QuarantineWrite>) => Scoped<number>
  }
>()("portico/core/store/SyncBatches") {
  static readonly layer = Layer.effect(
    SyncBatches,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store
      const encodeEvent = Schema.encodeSync(InvoiceEvent)
      /**
       * Rows as `rows from (unnest(<array>), ...) as x(<columns>)` for `insert ... select`: each column travels
       * as one text parameter holding a PostgreSQL array literal, cast to its type. Unlike a JSON recordset,
       * the server parses no JSON and looks up no keys (a third of a batch's lines insert went to that), and
       * a batch is still a handful of parameters, far from the 65,535 limit. A `json` column (document lines,
       * event payloads) travels instead as one JSON array of the rows' values, split by `json_array_elements`:
       * its text goes as written, where inside an array literal every quote of it would be escaped (that
       * escaping was the sync's largest cost in building a batch). `columns` reads "name type, name type, ...";
       * each row must have every named key (null for none; a json column's value is JSON text or a value to
       * serialise, never null). The rows also carry `x.ordinal`, their place in `rows` from 1.
       */
      const unnest = (rows: ReadonlyArray<Record<string, unknown>>, columns: string) => {
        const named = columns.split(",").map((column) => {
          const [name = "", type = ""] = column.trim().split(/\s+/)
          return { name, type }
        })
        const sources = named.map(({ name, type }) =>
          type === "json"
            ? sql`json_array_elements(${jsonArray(rows.map((row) => row[name]))}::json)`
            : sql`unnest(${arrayLiteral(rows.map((row) => row[name]))}::text::${sql.literal(type)}[])`
        )
        // `ordinal` numbers the rows in input order: events are inserted in it, as their position is their order.
        return sql`rows from (${sql.csv(sources)}) with ordinality as x(${sql.literal(named.map((c) => c.name).join(", "))}, ordinal)`
      }

      type Returned = { external_id: string; id: string; inserted: boolean }
      /** Outcomes in input order from the rows an upsert returned (absent = content hash matched). */
      const outcomes = (keys: ReadonlyArray<string>, rows: ReadonlyArray<Returned>) => {
        const byKey = new Map(rows.map((row) => [row.external_id, row]))
        return keys.map((key): UpsertOutcome => {
          const row = byKey.get(key)
          return row === undefined ? "unchanged" : row.inserted ? "inserted" : "updated"
        })
      }
      const written = (rows: ReadonlyArray<Returned>) => rows.map((row) => row.id)

      const eventRows = (invoiceId: string, accountId: string, state: IssuedInvoice) =>
        state.history.map((event) => ({
          event_id: event.eventId,
          invoice_id: invoiceId,
          account_id: accountId,
          type: event._tag,
          payload: encodeEvent(event),
          occurred_on: event.occurredOn
        }))
      const eventsInsert = (rows: ReadonlyArray<Record<string, unknown>>) =>
        sql`insert into portico.invoice_events (event_id, invoice_id, account_id, type, payload, occurred_on)
          select x.event_id, x.invoice_id, x.account_id, x.type, x.payload, x.occurred_on
          from ${unnest(rows, `event_id text, invoice_id text, account_id text, type text, payload json, occurred_on date`)}
          order by x.ordinal
          on conflict (event_id) do nothing`
      const insertEvents = (rows: ReadonlyArray<Record<string, unknown>>) =>
        rows.length === 0 ? Effect.void : Effect.asVoid(eventsInsert(rows))
      const upsertAccounts = (accounts: ReadonlyArray<Account>) =>
        accounts.length === 0
          ? Effect.succeed([])
          : store.withScope(
              Effect.gen(function* () {
                const rows = accounts.map((a) => ({
                  id: a.id,
                  source: a.source.source,
                  external_id: a.source.externalId,
                  number: a.number,
                  name: a.name,
                  tier: a.tier,
                  currency: a.currency,
                  email: a.email ?? null,
                  tax_id: a.taxId ?? null,
                  billing_address: a.billingAddress ?? null,
                  content_hash: accountContentHash(a)
                }))
                const returned = yield* sql<Returned>`
                  insert into portico.accounts (id, source, external_id, number, name, tier, currency, email, tax_id,
                    billing_address, content_hash)
                  select x.id, x.source, x.external_id, x.number, x.name, x.tier, x.currency, x.email, x.tax_id,
                    x.billing_address, x.content_hash
                  from ${unnest(
                    rows,
                    `id text, source text, external_id text, number text, name text, tier text,
                    currency text, email text, tax_id text, billing_address jsonb, content_hash text`
                  )}
                  on conflict (source, external_id) do update set number = excluded.number, name = excluded.name,
                    tier = excluded.tier, currency = excluded.currency, email = excluded.email,
                    tax_id = excluded.tax_id, billing_address = excluded.billing_address,
                    content_hash = excluded.content_hash, revision = accounts.revision + 1, updated_at = now()
                  where accounts.content_hash <> excluded.content_hash
                  returning external_id, id, (xmax = 0) as inserted`
                return outcomes(
                  accounts.map((a) => a.source.externalId),
                  returned
                )
              })
            )

      const upsertContacts = (contacts: ReadonlyArray<Contact>) =>
        contacts.length === 0
          ? Effect.succeed([])
          : store.withScope(
              Effect.gen(function* () {
                const rows = contacts.map((c) => ({
                  id: c.id,
                  source: c.source.source,
                  external_id: c.source.externalId,
                  email: c.email.toLowerCase(),
                  name: c.name,
                  phone: c.phone ?? null,
                  content_hash: contactContentHash(c)
                }))
                const returned = yield* sql<Returned>`
                  insert into portico.contacts (id, source, external_id, email, name, phone, content_hash)
                  select x.id, x.source, x.external_id, x.email, x.name, x.phone, x.content_hash
                  from ${unnest(
                    rows,
                    `id text, source text, external_id text, email text, name text, phone text,
                    content_hash text`
                  )}
                  on conflict (source, external_id) do update set email = excluded.email, name = excluded.name,
                    phone = excluded.phone, content_hash = excluded.content_hash,
                    revision = contacts.revision + 1, updated_at = now()
                  where contacts.content_hash <> excluded.content_hash
                  returning external_id, id, (xmax = 0) as inserted`
                const ids = new Map(returned.map((row) => [row.external_id, row.id]))
                if (ids.size > 0) {
                  yield* sql`delete from portico.contact_account_links where contact_id = any(${[...ids.values()]})`
                  const links = contacts.flatMap((c) => {
                    const id = ids.get(c.source.externalId)
                    return id === undefined
                      ? []
                      : c.links.map((link) => ({ contact_id: id, account_id: link.accountId, role: link.role }))
                  })
                  if (links.length > 0) {
                    yield* sql`insert into portico.contact_account_links (contact_id, account_id, role)
                      select x.contact_id, x.account_id, x.role
                      from ${unnest(links, "contact_id text, account_id text, role text")}
                      on conflict do nothing`
                  }
                }
                return outcomes(
                  contacts.map((c) => c.source.externalId),
                  returned
                )
              })
            )

      const upsertInvoices = (writes: ReadonlyArray<InvoiceWrite>) =>
        writes.length === 0
          ? Effect.succeed([])
          : store.withScope(
              Effect.gen(function* () {
                const rows = writes.map(({ invoice, state, contentHash: hash }) => ({
                  id: invoice.id,
                  account_id: invoice.accountId,
                  source: invoice.source.source,
                  external_id: invoice.source.externalId,
                  number: invoice.number,
                  po_number: invoice.poNumber ?? null,
                  terms: invoice.terms ?? null,
                  issue_date: invoice.issueDate,
                  due_date: state.dueDate,
                  currency: invoice.currency,
                  net_minor: invoice.totals.net.minor,
                  tax_minor: invoice.totals.tax.minor,
                  total_minor: invoice.totals.total.minor,
                  paid_minor: state.paid.minor,
                  credited_minor: state.credited.minor,
                  written_off_minor: state.writtenOff.minor,
                  open_minor: state.open.minor,
                  excess_minor: state.excess.minor,
                  status: baseStatus(state),
                  content_hash: hash ?? invoiceContentHash(invoice),
                  lines: JSON.stringify(invoice.lines),
                  tax_lines: JSON.stringify(invoice.taxLines)
                }))
                const events = writes.flatMap(({ invoice, state }) =>
                  eventRows(invoice.source.externalId, invoice.accountId, state)
                )
                // One statement, one round trip: the headers' upsert (lines and tax lines are part of the row) and,
                // for every invoice it wrote, the events not recorded yet. The events' foreign key is checked at
                // the end of the statement, the headers written.
                const eventsPart =
                  events.length === 0
                    ? sql``
                    : sql`, w0 as (insert into portico.invoice_events (event_id, invoice_id, account_id, type, payload,
                      occurred_on)
                    select x.event_id, w.id, x.account_id, x.type, x.payload, x.occurred_on
                    from ${unnest(
                      events,
                      `event_id text, invoice_id text, account_id text, type text, payload json, occurred_on date`
                    )}
                    join written w on w.external_id = x.invoice_id
                    order by x.ordinal
                    on conflict (event_id) do nothing)`
                const returned = yield* sql<Returned>`
                  with written as (
                  insert into portico.invoices (id, account_id, source, external_id, number, po_number, terms,
                    issue_date, due_date, currency, net_minor, tax_minor, total_minor, paid_minor, credited_minor,
                    written_off_minor, open_minor, excess_minor, status, content_hash, lines, tax_lines)
                  select x.id, x.account_id, x.source, x.external_id, x.number, x.po_number, x.terms, x.issue_date,
                    x.due_date, x.currency, x.net_minor, x.tax_minor, x.total_minor, x.paid_minor, x.credited_minor,
                    x.written_off_minor, x.open_minor, x.excess_minor, x.status, x.content_hash, x.lines, x.tax_lines
                  from ${unnest(
                    rows,
                    `id text, account_id text, source text, external_id text, number text,
                    po_number text, terms text, issue_date date, due_date date, currency text, net_minor bigint,
                    tax_minor bigint, total_minor bigint, paid_minor bigint, credited_minor bigint,
                    written_off_minor bigint, open_minor bigint, excess_minor bigint, status text, content_hash text,
                    lines json, tax_lines json`
                  )}
                  on conflict (source, external_id) do update set account_id = excluded.account_id,
                    number = excluded.number, po_number = excluded.po_number, terms = excluded.terms,
                    issue_date = excluded.issue_date, due_date = excluded.due_date, currency = excluded.currency,
                    net_minor = excluded.net_minor, tax_minor = excluded.tax_minor,
                    total_minor = excluded.total_minor, paid_minor = excluded.paid_minor,
                    credited_minor = excluded.credited_minor, written_off_minor = excluded.written_off_minor,
                    open_minor = excluded.open_minor, excess_minor = excluded.excess_minor, status = excluded.status,
                    content_hash = excluded.content_hash, lines = excluded.lines, tax_lines = excluded.tax_lines,
                    revision = invoices.revision + 1, updated_at = now()
                  where invoices.content_hash <> excluded.content_hash
                  returning external_id, id, (xmax = 0) as inserted
                  )${eventsPart}
                  select external_id, id, inserted from written`
                return outcomes(
                  writes.map((w) => w.invoice.source.externalId),
                  returned
                )
              })
            )

      const upsertCreditNotes = (notes: ReadonlyArray<CreditNote>) =>
        notes.length === 0
          ? Effect.succeed([])
          : store.withScope(
              Effect.gen(function* () {
                const rows = notes.map((n) => ({
                  id: n.id,
                  account_id: n.accountId,
                  source: n.source.source,
                  external_id: n.source.externalId,
                  number: n.number,
                  issue_date: n.issueDate,
                  currency: n.currency,
                  invoice_id: n.invoiceId ?? null,
                  reason: n.reason ?? null,
                  net_minor: n.totals.net.minor,
                  tax_minor: n.totals.tax.minor,
                  total_minor: n.totals.total.minor,
                  content_hash: creditNoteContentHash(n),
                  lines: JSON.stringify(n.lines),
                  tax_lines: JSON.stringify(n.taxLines)
                }))
                const returned = yield* sql<Returned>`
                  insert into portico.credit_notes (id, account_id, source, external_id, number, issue_date,
                    currency, invoice_id, reason, net_minor, tax_minor, total_minor, content_hash, lines, tax_lines)
                  select x.id, x.account_id, x.source, x.external_id, x.number, x.issue_date, x.currency,
                    x.invoice_id, x.reason, x.net_minor, x.tax_minor, x.total_minor, x.content_hash, x.lines,
                    x.tax_lines
                  from ${unnest(
                    rows,
                    `id text, account_id text, source text, external_id text, number text,
                    issue_date date, currency text, invoice_id text, reason text, net_minor bigint,
                    tax_minor bigint, total_minor bigint, content_hash text, lines json, tax_lines json`
                  )}
                  on conflict (source, external_id) do update set account_id = excluded.account_id,
                    number = excluded.number, issue_date = excluded.issue_date, currency = excluded.currency,
                    invoice_id = excluded.invoice_id, reason = excluded.reason, net_minor = excluded.net_minor,
                    tax_minor = excluded.tax_minor, total_minor = excluded.total_minor,
                    content_hash = excluded.content_hash, lines = excluded.lines, tax_lines = excluded.tax_lines,
                    revision = credit_notes.revision + 1, updated_at = now()
                  where credit_notes.content_hash <> excluded.content_hash
                  returning external_id, id, (xmax = 0) as inserted`
                return outcomes(
                  notes.map((n) => n.source.externalId),
                  returned
                )
              })
            )

      const upsertPayments = (payments: ReadonlyArray<Payment>) =>
        payments.length === 0
          ? Effect.succeed([])
          : store.withScope(
              Effect.gen(function* () {
                const rows = payments.map((p) => ({
                  id: p.id,
                  account_id: p.accountId,
                  source: p.source.source,
                  external_id: p.source.externalId,
                  reference: p.reference,
                  received_date: p.receivedDate,
                  currency: p.amount.currency,
                  amount_minor: p.amount.minor,
                  method: p.method ?? null,
                  content_hash: paymentContentHash(p)
                }))
                const returned = yield* sql<Returned>`
                  insert into portico.payments (id, account_id, source, external_id, reference, received_date,
                    currency, amount_minor, method, content_hash)
                  select x.id, x.account_id, x.source, x.external_id, x.reference, x.received_date, x.currency,
                    x.amount_minor, x.method, x.content_hash
                  from ${unnest(
                    rows,
                    `id text, account_id text, source text, external_id text, reference text,
                    received_date date, currency text, amount_minor bigint, method text, content_hash text`
                  )}
                  on conflict (source, external_id) do update set account_id = excluded.account_id,
                    reference = excluded.reference, received_date = excluded.received_date,
                    currency = excluded.currency, amount_minor = excluded.amount_minor, method = excluded.method,
                    content_hash = excluded.content_hash, revision = payments.revision + 1, updated_at = now()
                  where payments.content_hash <> excluded.content_hash
                  returning external_id, id, (xmax = 0) as inserted`
                const ids = written(returned)
                if (ids.length > 0) {
                  yield* sql`delete from portico.payment_allocations where payment_id = any(${ids})`
                }
                const idOf = new Map(returned.map((row) => [row.external_id, row.id]))
                const allocations = payments.flatMap((p) => {
                  const id = idOf.get(p.source.externalId)
                  return id === undefined
                    ? []
                    : p.allocations.map((a) => ({
                        payment_id: id,
                        account_id: p.accountId,
                        invoice_id: a.invoiceId,
                        currency: a.amount.currency,
                        amount_minor: a.amount.minor
                      }))
                })
                if (allocations.length > 0) {
                  yield* sql`insert into portico.payment_allocations (payment_id, account_id, invoice_id, currency,
                      amount_minor)
                    select x.payment_id, x.account_id, x.invoice_id, x.currency, x.amount_minor
                    from ${unnest(
                      allocations,
                      `payment_id text, account_id text, invoice_id text, currency text,
                      amount_minor bigint`
                    )}`
                }
                return outcomes(
                  payments.map((p) => p.source.externalId),
                  returned
                )
              })
            )

      const updateInvoiceStates = (writes: ReadonlyArray<InvoiceStateWrite>) =>
        writes.length === 0
          ? Effect.void
          : store.withScope(
              Effect.gen(function* () {
                const rows = writes.map(({ invoiceId, state }) => ({
                  id: invoiceId,
                  paid_minor: state.paid.minor,
                  credited_minor: state.credited.minor,
                  written_off_minor: state.writtenOff.minor,
                  open_minor: state.open.minor,
                  excess_minor: state.excess.minor,
                  status: baseStatus(state)
                }))
                yield* sql`update portico.invoices i set paid_minor = x.paid_minor, credited_minor = x.credited_minor,
                    written_off_minor = x.written_off_minor, open_minor = x.open_minor,
                    excess_minor = x.excess_minor, status = x.status, updated_at = now()
                  from ${unnest(
                    rows,
                    `id text, paid_minor bigint, credited_minor bigint, written_off_minor bigint,
                    open_minor bigint, excess_minor bigint, status text`
                  )}
                  where i.id = x.id`
                yield* insertEvents(writes.flatMap((w) => eventRows(w.invoiceId, w.accountId, w.state)))
              })
            )

      const quarantine = (records: ReadonlyArray<QuarantineWrite>) =>
        records.length === 0
          ? Effect.succeed(0)
          : store.withScope(
              Effect.map(
                sql<{ id: unknown }>`
                  insert into portico.quarantine (source, entity, external_id, reason, raw)
                  select x.source, x.entity, x.external_id, x.reason, x.raw
                  from ${unnest(
                    records.map((r) => ({
                      source: r.source,
                      entity: r.entity,
                      external_id: r.externalId ?? null,
                      reason: r.reason,
                      raw: r.raw
                    })),
                    "source text, entity text, external_id text, reason text, raw text"
                  )}
                  where not exists (select 1 from portico.quarantine q where not q.resolved and q.source = x.source
                    and q.entity = x.entity and q.external_id is not distinct from x.external_id
                    and q.reason = x.reason and q.raw = x.raw)
                  returning id`,
                (rows) => rows.length
              )
            )

      return SyncBatches.of({
        upsertAccounts,
        upsertContacts,
        upsertInvoices,
        upsertCreditNotes,
        upsertPayments,
        updateInvoiceStates,
        quarantine
      })
    })
  )
}
