// The sync engine's bookkeeping: per-source, per-entity cursors (saved only after the records they cover are
// written) and the quarantine of source records that failed validation, kept raw for an operator.
import { Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { CurrentPrincipal } from "../access/Principal.ts"
import { DbInt, DbText, decodeRows } from "./internal/rows.ts"
import { Store } from "./Store.ts"
import { NotFound } from "./StoreErrors.ts"

/** A rejected source record. */
export interface QuarantinedRecord {
  readonly id: number
  readonly source: string
  readonly entity: string
  readonly externalId: string | null
  readonly reason: string
  /** The record exactly as received (JSON text, CSV line, XML...). */
  readonly raw: string
  readonly createdAt: Date
  readonly resolved: boolean
}

/** What to quarantine. */
export interface QuarantineInput {
  readonly source: string
  readonly entity: string
  readonly externalId?: string
  readonly reason: string
  readonly raw: string
}

const QuarantineRow = Schema.Struct({
  id: DbInt,
  source: Schema.String,
  entity: Schema.String,
  external_id: DbText,
  reason: Schema.String,
  raw: Schema.String,
  created_at: Schema.Date,
  resolved: Schema.Boolean
})
const decodeQuarantine = decodeRows(QuarantineRow)

type Scoped<A, E = never> = Effect.Effect<A, E | SqlError, CurrentPrincipal>

/** Cursors and quarantine; the database grants them to the system role only. */
export class SyncState extends Context.Service<
  SyncState,
  {
    /** The saved cursor of a source's entity, if any. */
    readonly getCursor: (source: string, entity: string) => Scoped<string | undefined>
    /** Saves a cursor (call it in the transaction that wrote the records it covers). */
    readonly setCursor: (source: string, entity: string, cursor: string) => Scoped<void>
    /** Quarantines a record; gives its quarantine id. */
    readonly quarantine: (input: QuarantineInput) => Scoped<number>
    /** Unresolved quarantined records of a source (all sources when omitted), oldest first. */
    readonly quarantined: (options?: {
      readonly source?: string
      readonly limit?: number
    }) => Scoped<ReadonlyArray<QuarantinedRecord>>
    /** Marks a quarantined record resolved; NotFound when there is no such record. */
    readonly resolve: (id: number) => Scoped<void, NotFound>
  }
>()("portico/core/store/SyncState") {
  static readonly layer = Layer.effect(
    SyncState,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store

      const getCursor = Effect.fn("SyncState.getCursor")(function* (source: string, entity: string) {
        const rows = yield* store.withScope(
          sql<{
            cursor: string
          }>`select cursor from portico.sync_cursors where source = ${source} and entity = ${entity}`
        )
        return rows[0]?.cursor
      })

      const setCursor = Effect.fn("SyncState.setCursor")(function* (source: string, entity: string, cursor: string) {
        yield* store.withScope(
          sql`insert into portico.sync_cursors (source, entity, cursor) values (${source}, ${entity}, ${cursor})
            on conflict (source, entity) do update set cursor = excluded.cursor, updated_at = now()`
        )
      })

      const quarantine = Effect.fn("SyncState.quarantine")(function* (input: QuarantineInput) {
        const rows = yield* store.withScope(
          sql<{
            id: bigint | number | string
          }>`insert into portico.quarantine (source, entity, external_id, reason, raw)
            values (${input.source}, ${input.entity}, ${input.externalId ?? null}, ${input.reason}, ${input.raw})
            returning id`
        )
        return Number(rows[0]?.id)
      })

      const quarantined = Effect.fn("SyncState.quarantined")(function* (
        options: { readonly source?: string; readonly limit?: number } = {}
      ) {
        const rows = yield* store.withScope(
          sql`select id, source, entity, external_id, reason, raw, created_at, resolved from portico.quarantine
            where not resolved ${options.source === undefined ? sql`` : sql`and source = ${options.source}`}
            order by id limit ${options.limit ?? 100}`
        )
        return decodeQuarantine(rows).map((row) => ({
          id: row.id,
          source: row.source,
          entity: row.entity,
          externalId: row.external_id,
          reason: row.reason,
          raw: row.raw,
          createdAt: row.created_at,
          resolved: row.resolved
        }))
      })

      const resolve = Effect.fn("SyncState.resolve")(function* (id: number) {
        const rows = yield* store.withScope(
          sql`update portico.quarantine set resolved = true, resolved_at = now() where id = ${id} returning id`
        )
        if (rows.length === 0) return yield* new NotFound({ kind: "quarantine", id: String(id) })
      })

      return SyncState.of({ getCursor, setCursor, quarantine, quarantined, resolve })
    })
  )
}
