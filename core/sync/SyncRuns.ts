// The run log (`portico.sync_runs`): a row when a run starts, completed when it ends (succeeded, failed or
// interrupted) with its per-entity counts, so operators can see what ran, when, and with what result.
import { Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { CurrentPrincipal } from "../access/Principal.ts"
import { Store } from "../store/Store.ts"
import { EntityReport, type SyncRun, type SyncTrigger } from "./SyncRun.ts"

/** One recorded run. */
export interface RecordedRun {
  readonly runId: string
  readonly source: string
  readonly trigger: SyncTrigger
  readonly status: "running" | "succeeded" | "failed" | "interrupted"
  readonly startedAt: Date
  readonly finishedAt: Date | null
  readonly entities: ReadonlyArray<EntityReport>
  readonly error: string | null
  readonly lagMs: number | null
}

type Scoped<A> = Effect.Effect<A, SqlError, CurrentPrincipal>

const decodeEntities = Schema.decodeUnknownSync(Schema.Array(EntityReport))

/** Records runs. Needs the `sync/0001_sync_runs` migration (see `syncMigrations`). */
export class SyncRuns extends Context.Service<
  SyncRuns,
  {
    readonly started: (run: {
      readonly runId: string
      readonly source: string
      readonly trigger: SyncTrigger
      readonly startedAt: number
    }) => Scoped<void>
    readonly finished: (run: SyncRun, error?: string) => Scoped<void>
    /** The latest runs, newest first (of one source when given). */
    readonly recent: (options?: {
      readonly source?: string
      readonly limit?: number
    }) => Scoped<ReadonlyArray<RecordedRun>>
  }
>()("portico/core/sync/SyncRuns") {
  static readonly layer = Layer.effect(
    SyncRuns,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store
      const started = Effect.fn("SyncRuns.started")(function* (run: {
        readonly runId: string
        readonly source: string
        readonly trigger: SyncTrigger
        readonly startedAt: number
      }) {
        yield* store.withScope(
          sql`insert into portico.sync_runs (id, source, trigger, status, started_at)
            values (${run.runId}, ${run.source}, ${run.trigger}, 'running', ${new Date(run.startedAt)})`
        )
      })
      const finished = Effect.fn("SyncRuns.finished")(function* (run: SyncRun, error?: string) {
        yield* store.withScope(
          sql`update portico.sync_runs set status = ${run.status}, finished_at = ${new Date(run.finishedAt)},
            counts = ${JSON.stringify(run.entities)}::jsonb, error = ${error ?? null}, lag_ms = ${run.lagMs ?? null}
            where id = ${run.runId}`
        )
      })
      const recent = Effect.fn("SyncRuns.recent")(function* (
        options: { readonly source?: string; readonly limit?: number } = {}
      ) {
        const rows = yield* store.withScope(
          sql<{
            id: string
            source: string
            trigger: SyncTrigger
            status: RecordedRun["status"]
            started_at: Date
            finished_at: Date | null
            counts: unknown
            error: string | null
            lag_ms: unknown
          }>`select id, source, trigger, status, started_at, finished_at, counts, error, lag_ms
            from portico.sync_runs
            ${options.source === undefined ? sql`` : sql`where source = ${options.source}`}
            order by started_at desc, id limit ${options.limit ?? 20}`
        )
        return rows.map(
          (row): RecordedRun => ({
            runId: row.id,
            source: row.source,
            trigger: row.trigger,
            status: row.status,
            startedAt: new Date(row.started_at),
            finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
            entities: decodeEntities(typeof row.counts === "string" ? JSON.parse(row.counts) : row.counts),
            error: row.error,
            lagMs: row.lag_ms === null ? null : Number(row.lag_ms)
          })
        )
      })
      return SyncRuns.of({ started, finished, recent })
    })
  )
}
