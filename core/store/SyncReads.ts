// The reads the sync engine makes to check a batch and drive the invoice state machine: which referenced
// accounts and invoices exist, stored invoices with their recorded events, a payment's stored allocations,
// and who holds an e-mail address. Each runs in the caller's scoped transaction (normally a batch's).
import { Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { CurrentPrincipal } from "../access/Principal.ts"
import { InvoiceEvent } from "../billing/InvoiceStateMachine.ts"
import type { CurrencyCode } from "../domain/Currency.ts"
import type { Money } from "../domain/Money.ts"
import { DbMinor } from "./internal/rows.ts"
import { Store } from "./Store.ts"

type Scoped<A> = Effect.Effect<A, SqlError, CurrentPrincipal>

/** A stored invoice as the state machine needs it. */
export interface StoredInvoice {
  readonly id: string
  readonly accountId: string
  readonly source: string
  readonly externalId: string
  readonly currency: CurrencyCode
  /** Its recorded events, in the order they were recorded. */
  readonly events: ReadonlyArray<InvoiceEvent>
}

/** Reads for the sync engine. */
export class SyncReads extends Context.Service<
  SyncReads,
  {
    /** The ids among `ids` that exist in `table`. */
    readonly existing: (table: "accounts" | "invoices", ids: ReadonlyArray<string>) => Scoped<ReadonlySet<string>>
    /** Stored invoices among `ids`, with their recorded events. */
    readonly invoices: (ids: ReadonlyArray<string>) => Scoped<ReadonlyMap<string, StoredInvoice>>
    /** The stored allocations of the payments among `paymentIds` (payment id → invoice id → amount). */
    readonly allocations: (paymentIds: ReadonlyArray<string>) => Scoped<ReadonlyMap<string, ReadonlyMap<string, Money>>>
    /** Which stored contact (source and external id) holds each of `emails` (lower-cased). */
    readonly emailOwners: (
      emails: ReadonlyArray<string>
    ) => Scoped<ReadonlyMap<string, { readonly source: string; readonly externalId: string }>>
  }
>()("portico/core/store/SyncReads") {
  static readonly layer = Layer.effect(
    SyncReads,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store
      const decodeEvent = Schema.decodeUnknownSync(InvoiceEvent)
      const decodeMinor = Schema.decodeUnknownSync(DbMinor)

      const existing = (table: "accounts" | "invoices", ids: ReadonlyArray<string>) =>
        ids.length === 0
          ? Effect.succeed(new Set<string>())
          : store.withScope(
              Effect.map(
                sql<{
                  id: string
                }>`select id from ${sql.literal(`portico.${table}`)} where id = any(${[...new Set(ids)]})`,
                (rows): ReadonlySet<string> => new Set(rows.map((row) => row.id))
              )
            )

      const invoices = (ids: ReadonlyArray<string>) =>
        ids.length === 0
          ? Effect.succeed(new Map<string, StoredInvoice>())
          : store.withScope(
              Effect.gen(function* () {
                // One round trip: each invoice with its events (none: one row with a null payload), in order.
                const rows = yield* sql<{
                  id: string
                  account_id: string
                  source: string
                  external_id: string
                  currency: string
                  payload: unknown
                }>`
                  select i.id, i.account_id, i.source, i.external_id, i.currency, e.payload
                  from portico.invoices i left join portico.invoice_events e on e.invoice_id = i.id
                  where i.id = any(${[...new Set(ids)]})
                  order by i.id, e.position`
                const result = new Map<string, StoredInvoice>()
                const eventsOf = new Map<string, Array<InvoiceEvent>>()
                for (const row of rows) {
                  let events = eventsOf.get(row.id)
                  if (events === undefined) {
                    events = []
                    eventsOf.set(row.id, events)
                    result.set(row.id, {
                      id: row.id,
                      accountId: row.account_id,
                      source: row.source,
                      externalId: row.external_id,
                      currency: row.currency as CurrencyCode, // safe: written from a decoded CurrencyCode
                      events
                    })
                  }
                  if (row.payload !== null) {
                    events.push(decodeEvent(typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload))
                  }
                }
                return result as ReadonlyMap<string, StoredInvoice>
              })
            )

      const allocations = (paymentIds: ReadonlyArray<string>) =>
        paymentIds.length === 0
          ? Effect.succeed(new Map<string, ReadonlyMap<string, Money>>())
          : store.withScope(
              Effect.gen(function* () {
                const rows = yield* sql<{
                  payment_id: string
                  invoice_id: string
                  currency: string
                  amount_minor: unknown
                }>`select payment_id, invoice_id, currency, amount_minor from portico.payment_allocations
                  where payment_id = any(${[...new Set(paymentIds)]})`
                const result = new Map<string, Map<string, Money>>()
                for (const row of rows) {
                  const map = result.get(row.payment_id) ?? new Map<string, Money>()
                  map.set(row.invoice_id, {
                    currency: row.currency as CurrencyCode, // safe: written from a decoded CurrencyCode
                    minor: decodeMinor(row.amount_minor)
                  })
                  result.set(row.payment_id, map)
                }
                return result as ReadonlyMap<string, ReadonlyMap<string, Money>>
              })
            )

      const emailOwners = (emails: ReadonlyArray<string>) =>
        emails.length === 0
          ? Effect.succeed(new Map<string, { source: string; externalId: string }>())
          : store.withScope(
              Effect.map(
                sql<{ email: string; source: string; external_id: string }>`
                  select lower(email) as email, source, external_id from portico.contacts
                  where lower(email) = any(${[...new Set(emails.map((e) => e.toLowerCase()))]})`,
                (rows) => new Map(rows.map((row) => [row.email, { source: row.source, externalId: row.external_id }]))
              )
            )

      return SyncReads.of({ existing, invoices, allocations, emailOwners })
    })
  )
}
