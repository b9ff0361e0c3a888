// The durable job queue in PostgreSQL (`portico.jobs`, migration jobs/0001_jobs): enqueue (idempotent with a
// dedupe key), claim with FOR UPDATE SKIP LOCKED under a lease, complete, fail with back-off or into the
// dead-letter state, and the operator's view (list, dead letters, re-queue). Times come from the Clock, so
// tests drive leases and back-off with the TestClock.
import { randomUUID } from "node:crypto"
import { Clock, Context, Deferred, Effect, Layer, Option, Ref, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { CurrentPrincipal, system } from "../access/Principal.ts"
import { Store } from "../store/Store.ts"
import {
  backoffMillis,
  handlerOf,
  type JobDefinition,
  type JobHandler,
  JobNotDead,
  JobNotFound,
  type JobPayloadInvalid,
  type JobRecord,
  JobStatus,
  type RetryPolicy
} from "./Job.ts"

/** How to enqueue: when to run (default now), a dedupe key (a second enqueue with it is a no-op). */
export interface EnqueueOptions {
  readonly runAt?: Date
  readonly dedupeKey?: string
  /** Overrides the kind's retry policy's `maxAttempts` for this job. */
  readonly maxAttempts?: number
}

/** The outcome of an enqueue: the job's id, and whether this call created it (false: the dedupe key held). */
export interface Enqueued {
  readonly id: string
  readonly created: boolean
}

/** A job a worker holds: the record and the lease token that fences its later writes. */
export interface ClaimedJob {
  readonly job: JobRecord
  readonly token: string
}

/** What failing a job did: scheduled again (with the time), or moved to the dead letters. */
export type FailOutcome = { readonly _tag: "Retrying"; readonly runAt: Date } | { readonly _tag: "Dead" }

const Row = Schema.Struct({
  id: Schema.String,
  kind: Schema.String,
  payload: Schema.Unknown,
  status: JobStatus,
  run_at: Schema.Date,
  attempts: Schema.Number,
  max_attempts: Schema.Number,
  locked_by: Schema.NullOr(Schema.String),
  locked_until: Schema.NullOr(Schema.Date),
  last_error: Schema.NullOr(Schema.String),
  dedupe_key: Schema.NullOr(Schema.String),
  created_at: Schema.Date,
  finished_at: Schema.NullOr(Schema.Date)
})
const decodeRows = Schema.decodeUnknownSync(Schema.Array(Row))

const toRecord = (row: typeof Row.Type): JobRecord => ({
  id: row.id,
  kind: row.kind,
  payload: row.payload,
  status: row.status,
  runAt: row.run_at,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  lockedBy: row.locked_by,
  lockedUntil: row.locked_until,
  lastError: row.last_error,
  dedupeKey: row.dedupe_key,
  createdAt: row.created_at,
  finishedAt: row.finished_at
})

const iso = (millis: number) => new Date(millis).toISOString()

/** The queue. Every call runs as the system (`SystemPrincipal` "jobs") in its own short transaction. */
export class JobQueue extends Context.Service<
  JobQueue,
  {
    /** Enqueues a job of a defined kind; the payload is encoded with the kind's Schema. */
    readonly enqueue: <P, E, R>(
      definition: JobDefinition<P, E, R>,
      payload: P,
      options?: EnqueueOptions
    ) => Effect.Effect<Enqueued, SqlError | JobPayloadInvalid>
    /** Enqueues through an erased handler (what schedules and plugins holding handler lists use). */
    readonly enqueueWith: <R>(
      handler: JobHandler<R>,
      payload: unknown,
      options?: EnqueueOptions
    ) => Effect.Effect<Enqueued, SqlError | JobPayloadInvalid>
    /**
     * Claims the next due job of `kinds` for `workerId`: a queued job whose `runAt` has come, or a running
     * job whose lease expired (its worker died). The row is locked FOR UPDATE SKIP LOCKED, so concurrent
     * claimers never take the same job; the attempt count rises and the lease runs `leaseMillis` from now.
     */
    readonly claim: (
      workerId: string,
      kinds: ReadonlyArray<string>,
      leaseMillisOf: (kind: string) => number
    ) => Effect.Effect<Option.Option<ClaimedJob>, SqlError>
    /** Extends the lease; false when the claim was lost (the lease expired and another worker took it). */
    readonly heartbeat: (claim: ClaimedJob, leaseMillis: number) => Effect.Effect<boolean, SqlError>
    /** Marks the job succeeded; false when the claim was lost. */
    readonly complete: (claim: ClaimedJob) => Effect.Effect<boolean, SqlError>
    /** Records a failed attempt: queued again after the back-off, or dead after the last attempt. */
    readonly fail: (claim: ClaimedJob, error: string, policy: RetryPolicy) => Effect.Effect<FailOutcome, SqlError>
    readonly get: (id: string) => Effect.Effect<JobRecord, SqlError | JobNotFound>
    /** Jobs, newest first, filtered by status and kind. */
    readonly list: (filter?: {
      readonly status?: JobStatus
      readonly kind?: string
      readonly limit?: number
    }) => Effect.Effect<ReadonlyArray<JobRecord>, SqlError>
    /** The dead letters: jobs that failed every attempt, with their last error, newest first. */
    readonly deadLetters: (kind?: string) => Effect.Effect<ReadonlyArray<JobRecord>, SqlError>
    /** Puts a dead job back in the queue with a fresh set of attempts, due now (or at `runAt`). */
    readonly requeue: (id: string, runAt?: Date) => Effect.Effect<JobRecord, SqlError | JobNotFound | JobNotDead>
    /**
     * Takes a signal that completes when a job due now is enqueued (or re-queued) in this process after this
     * call: workers take it before claiming and race it against their poll interval, so none is missed.
     */
    readonly nextEnqueue: Effect.Effect<Effect.Effect<void>>
  }
>()("portico/core/jobs/JobQueue") {
  /** The queue over the store's SqlClient and Store (needs the jobs/0001_jobs migration). */
  static readonly layer = Layer.effect(
    JobQueue,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store
      const signal = yield* Ref.make(yield* Deferred.make<void>())
      const asSystem = <A, E>(effect: Effect.Effect<A, E>) =>
        store.withScope(effect).pipe(Effect.provideService(CurrentPrincipal, system("jobs")))
      const wake = Effect.gen(function* () {
        const next = yield* Deferred.make<void>()
        const current = yield* Ref.getAndSet(signal, next)
        yield* Deferred.succeed(current, undefined)
      })
      const select = (rows: ReadonlyArray<unknown>) => decodeRows(rows).map(toRecord)

      const enqueueWith = Effect.fn("JobQueue.enqueue")(function* <R>(
        handler: JobHandler<R>,
        payload: unknown,
        options: EnqueueOptions = {}
      ) {
        const encoded = yield* handler.encode(payload)
        const now = yield* Clock.currentTimeMillis
        const runAt = options.runAt?.getTime() ?? now
        const id = randomUUID()
        const result = yield* asSystem(
          Effect.gen(function* () {
            const inserted = yield* sql<{ id: string }>`insert into portico.jobs
                (id, kind, payload, run_at, max_attempts, dedupe_key, created_at)
              values (${id}, ${handler.kind}, ${JSON.stringify(encoded)}::jsonb, ${iso(runAt)}::timestamptz,
                ${options.maxAttempts ?? handler.retry.maxAttempts}, ${options.dedupeKey ?? null}, ${iso(now)}::timestamptz)
              on conflict (dedupe_key) do nothing
              returning id`
            const created = inserted[0]
            if (created !== undefined) return { id: created.id, created: true }
            const existing = yield* sql<{ id: string }>`select id from portico.jobs
              where dedupe_key = ${options.dedupeKey ?? null}`
            return { id: existing[0]?.id ?? id, created: false }
          })
        )
        if (result.created && runAt <= now) yield* wake
        return result
      })

      const enqueue = <P, E, R>(definition: JobDefinition<P, E, R>, payload: P, options?: EnqueueOptions) =>
        enqueueWith(handlerOf(definition), payload, options)

      const claim = Effect.fn("JobQueue.claim")(function* (
        workerId: string,
        kinds: ReadonlyArray<string>,
        leaseMillisOf: (kind: string) => number
      ) {
        if (kinds.length === 0) return Option.none<ClaimedJob>()
        const now = yield* Clock.currentTimeMillis
        return yield* asSystem(
          Effect.gen(function* () {
            // A worker that died on the last attempt leaves no attempt to retry with: dead, saying why.
            yield* sql`update portico.jobs set status = 'dead', locked_by = null, locked_until = null,
                finished_at = ${iso(now)}::timestamptz,
                last_error = coalesce(last_error || '; ', '') || 'the worker''s lease expired on the last attempt'
              where kind = any(${kinds}::text[]) and status = 'running' and locked_until < ${iso(now)}::timestamptz
                and attempts >= max_attempts`
            const candidates = yield* sql<{ id: string; kind: string; attempts: number }>`
              select id, kind, attempts from portico.jobs
              where kind = any(${kinds}::text[]) and (
                (status = 'queued' and run_at <= ${iso(now)}::timestamptz)
                or (status = 'running' and locked_until < ${iso(now)}::timestamptz))
              order by run_at, id
              limit 1
              for update skip locked`
            const candidate = candidates[0]
            if (candidate === undefined) return Option.none<ClaimedJob>()
            const token = `${workerId}/${candidate.attempts + 1}`
            const lockedUntil = iso(now + leaseMillisOf(candidate.kind))
            const rows = yield* sql`update portico.jobs set status = 'running', attempts = attempts + 1,
                locked_by = ${token}, locked_until = ${lockedUntil}::timestamptz
              where id = ${candidate.id}
              returning *`
            const job = select(rows)[0]
            return job === undefined ? Option.none<ClaimedJob>() : Option.some({ job, token })
          })
        )
      })

      const heartbeat = Effect.fn("JobQueue.heartbeat")(function* (claimed: ClaimedJob, leaseMillis: number) {
        const now = yield* Clock.currentTimeMillis
        const rows = yield* asSystem(
          sql`update portico.jobs set locked_until = ${iso(now + leaseMillis)}::timestamptz
            where id = ${claimed.job.id} and status = 'running' and locked_by = ${claimed.token}
            returning id`
        )
        return rows.length > 0
      })

      const complete = Effect.fn("JobQueue.complete")(function* (claimed: ClaimedJob) {
        const now = yield* Clock.currentTimeMillis
        const rows = yield* asSystem(
          sql`update portico.jobs set status = 'succeeded', locked_by = null, locked_until = null,
              finished_at = ${iso(now)}::timestamptz, last_error = null
            where id = ${claimed.job.id} and status = 'running' and locked_by = ${claimed.token}
            returning id`
        )
        return rows.length > 0
      })

      const fail = Effect.fn("JobQueue.fail")(function* (claimed: ClaimedJob, error: string, policy: RetryPolicy) {
        const now = yield* Clock.currentTimeMillis
        const { attempts, maxAttempts } = claimed.job
        if (attempts >= maxAttempts) {
          yield* asSystem(
            sql`update portico.jobs set status = 'dead', locked_by = null, locked_until = null,
                last_error = ${error}, finished_at = ${iso(now)}::timestamptz
              where id = ${claimed.job.id} and locked_by = ${claimed.token}`
          )
          return { _tag: "Dead" } as const
        }
        const runAt = now + backoffMillis(policy, attempts)
        yield* asSystem(
          sql`update portico.jobs set status = 'queued', locked_by = null, locked_until = null,
              last_error = ${error}, run_at = ${iso(runAt)}::timestamptz
            where id = ${claimed.job.id} and locked_by = ${claimed.token}`
        )
        return { _tag: "Retrying", runAt: new Date(runAt) } as const
      })

      const get = Effect.fn("JobQueue.get")(function* (id: string) {
        const rows = yield* asSystem(sql`select * from portico.jobs where id = ${id}`)
        const job = select(rows)[0]
        if (job === undefined) return yield* new JobNotFound({ jobId: id })
        return job
      })

      const list = Effect.fn("JobQueue.list")(function* (
        filter: { readonly status?: JobStatus; readonly kind?: string; readonly limit?: number } = {}
      ) {
        const rows = yield* asSystem(
          sql`select * from portico.jobs
            where (${filter.status ?? null}::text is null or status = ${filter.status ?? null})
              and (${filter.kind ?? null}::text is null or kind = ${filter.kind ?? null})
            order by created_at desc, id desc
            limit ${filter.limit ?? 100}`
        )
        return select(rows)
      })

      const deadLetters = (kind?: string) => list({ status: "dead", ...(kind === undefined ? {} : { kind }) })

      const requeue = Effect.fn("JobQueue.requeue")(function* (id: string, runAt?: Date) {
        const job = yield* get(id)
        if (job.status !== "dead") return yield* new JobNotDead({ jobId: id, status: job.status })
        const now = yield* Clock.currentTimeMillis
        const rows = yield* asSystem(
          sql`update portico.jobs set status = 'queued', attempts = 0, finished_at = null,
              run_at = ${iso(runAt?.getTime() ?? now)}::timestamptz
            where id = ${id} and status = 'dead'
            returning *`
        )
        yield* wake
        const requeued = select(rows)[0]
        if (requeued === undefined) return yield* new JobNotDead({ jobId: id, status: "changed meanwhile" })
        return requeued
      })

      const nextEnqueue = Effect.map(Ref.get(signal), Deferred.await)

      return JobQueue.of({
        enqueue,
        enqueueWith,
        claim,
        heartbeat,
        complete,
        fail,
        get,
        list,
        deadLetters,
        requeue,
        nextEnqueue
      })
    })
  )
}
