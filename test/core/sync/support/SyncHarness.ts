// Wiring for the sync tests: a fresh store (PGlite or a PostgreSQL database) migrated with the sync
// migrations, the store's repositories, the domain event bus and the engine; and a snapshot of what the
// store holds, to compare with the source.
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { DomainEvents } from "../../../../core/events/index.ts"
import { StoreLayer } from "../../../../core/store/index.ts"
import { storeWithSyncMigrations } from "../../../../core/sync/migrations/index.ts"
import { SyncEngine } from "../../../../core/sync/SyncEngine.ts"
import type { Backend } from "../../../support/Databases.ts"

/** The engine and everything it needs over a fresh database of `backend`. */
export const syncLayer = (backend: Backend) =>
  SyncEngine.layer.pipe(
    Layer.provideMerge(DomainEvents.layer),
    Layer.provideMerge(StoreLayer.repositories),
    Layer.provideMerge(backend.layer(storeWithSyncMigrations))
  )

/** What the store holds, as sorted plain rows (read as the table owner, past RLS). */
export const snapshot = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = <A extends object>(query: Effect.Effect<ReadonlyArray<A>, unknown>) =>
    Effect.map(query, (list) => list.map((row) => JSON.stringify(row)).sort())
  return {
    accounts: yield* rows(sql`select source, external_id, name from portico.accounts`),
    invoices: yield* rows(
      sql`select external_id, total_minor::text as total, paid_minor::text as paid, credited_minor::text as credited,
        open_minor::text as open, status from portico.invoices`
    ),
    lines: yield* rows(
      sql`select i.id as invoice_id, (l->>'lineNumber')::int as line_number, l->>'quantity' as quantity
        from portico.invoices i, json_array_elements(i.lines) l`
    ),
    creditNotes: yield* rows(sql`select external_id, total_minor::text as total from portico.credit_notes`),
    payments: yield* rows(sql`select external_id, amount_minor::text as amount from portico.payments`),
    allocations: yield* rows(
      sql`select payment_id, invoice_id, amount_minor::text as amount from portico.payment_allocations`
    ),
    events: yield* rows(sql`select event_id, invoice_id, type from portico.invoice_events`)
  }
})

/** Counts rows of a table (as the owner). */
export const countOf = (table: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ n: string }>`select count(*)::text as n from ${sql.literal(`portico.${table}`)}`
    return Number(rows[0]?.n ?? 0)
  })

/** Counts the invoice lines stored (inside their invoices' rows), as the owner. */
export const invoiceLineCount = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ n: string }>`select coalesce(sum(json_array_length(lines)), 0)::text as n
    from portico.invoices`
  return Number(rows[0]?.n ?? 0)
})
