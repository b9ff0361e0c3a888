// The sync engine: reads a source entity by entity in dependency order from the stored cursors, processes
// records in batches (one transaction each, as the system principal, the cursor saved in the same
// transaction), publishes domain events after each commit, retries retryable source errors from the last
// committed cursor, and records every run. Triggers: on demand (`run`), a Schedule (`schedule`), and pushed
// records (`push`, used by the webhook route). Documents take their own path (internal/DocumentBatch.ts): their
// bytes are fetched through the adapter's `content` between decoding and the batch's transaction.
import { randomUUID } from "node:crypto"
import { Cause, Clock, Context, Effect, Exit, Layer, Option, Ref, type Schedule, Stream } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import { CurrentPrincipal, system } from "../access/Principal.ts"
import { defaultRoundingPolicy, type RoundingPolicy } from "../billing/Totals.ts"
import type { Cursor } from "../erp/Cursor.ts"
import { defaultMaxDocumentBytes } from "../erp/DocumentContent.ts"
import { type EntityName, entityNames } from "../erp/Entity.ts"
import { ErpAdapter, type ErpAdapterShape } from "../erp/ErpAdapter.ts"
import type { ErpError } from "../erp/ErpError.ts"
import { type RetryOptions, retryPolicy } from "../erp/Retry.ts"
import type { SourceRecord } from "../erp/SourceRecord.ts"
import { DomainEvents } from "../events/DomainEvents.ts"
import { Documents } from "../store/Documents.ts"
import { CustomPlans, Store } from "../store/Store.ts"
import { SyncBatches } from "../store/SyncBatches.ts"
import { SyncReads } from "../store/SyncReads.ts"
import { SyncState } from "../store/SyncState.ts"
import { SyncStore } from "../store/SyncStore.ts"
import { type BatchResult, type DecodedBatch, decodeBatch, processBatch } from "./internal/BatchProcessor.ts"
import { fetchDocuments, writeDocuments } from "./internal/DocumentBatch.ts"
import { RunTally } from "./internal/RunTally.ts"
import { SyncFailed, type SyncProgress, type SyncRun, type SyncTrigger } from "./SyncRun.ts"
import { SyncRuns } from "./SyncRuns.ts"

/** How a run behaves. Every field has a default. */
export interface SyncOptions {
  /** Records per batch and transaction (default 500). */
  readonly batchSize?: number
  /** The entities to sync (default: every entity the source says it offers, in dependency order). */
  readonly entities?: ReadonlyArray<EntityName>
  /** Backoff for retryable source errors (see core/erp/Retry.ts; default 200 ms doubling, 5 retries). */
  readonly retry?: RetryOptions
  /** How stated totals are recomputed to report discrepancies (default per-line, half-up). */
  readonly rounding?: RoundingPolicy
  /** The largest document accepted, in bytes (default 25 MiB); a larger one is quarantined. */
  readonly maxDocumentBytes?: number
  /** Documents per batch (default 20, at most `batchSize`): their bytes are held in memory until committed. */
  readonly documentBatchSize?: number
  /** Called after each committed batch. */
  readonly onProgress?: (progress: SyncProgress) => Effect.Effect<void>
  /** Recorded with the run (default "on-demand"). */
  readonly trigger?: SyncTrigger
}

/** The sync engine. */
export class SyncEngine extends Context.Service<
  SyncEngine,
  {
    /**
     * Syncs `source` once: every entity from its stored cursor to the end. Succeeds with the run's report
     * (quarantined records included); fails with SyncFailed when the source fails for good or the store
     * refuses a write, keeping everything committed before.
     */
    readonly run: (source: ErpAdapterShape, options?: SyncOptions) => Effect.Effect<SyncRun, SyncFailed>
    /**
     * Runs `source` now and then again after each `schedule` step, until interrupted. A failed run is recorded
     * and reported to `onRun`, and does not stop the schedule.
     */
    readonly schedule: <Out>(
      source: ErpAdapterShape,
      schedule: Schedule.Schedule<Out, unknown>,
      options?: SyncOptions & { readonly onRun?: (exit: Exit.Exit<SyncRun, SyncFailed>) => Effect.Effect<void> }
    ) => Effect.Effect<void>
    /**
     * Processes records pushed by the source (a webhook) as one batch: decoded, checked, written or
     * quarantined exactly as a run would, recorded as a "webhook" run. Cursors are not moved: the next run
     * reads the same records again and finds them unchanged.
     */
    readonly push: (
      source: ErpAdapterShape,
      records: ReadonlyArray<SourceRecord>,
      options?: Pick<SyncOptions, "rounding" | "maxDocumentBytes" | "retry">
    ) => Effect.Effect<SyncRun, SyncFailed>
  }
>()("portico/core/sync/SyncEngine") {
  /** The engine over the store's `Store`, `SyncState` and SQL client, and a `DomainEvents` bus. */
  static readonly layer = Layer.effect(
    SyncEngine,
    Effect.gen(function* () {
      const store = yield* Store
      const state = yield* SyncState
      const runs = yield* SyncRuns
      const events = yield* DomainEvents
      const batches = yield* SyncBatches
      const reads = yield* SyncReads
      const syncStore = yield* SyncStore
      const documents = yield* Documents

      const principalFor = (source: ErpAdapterShape) => system(`sync of source ${source.sourceId}`)

      /**
       * Runs `effect` as the source's sync, with the batch services it writes through. Its transactions let
       * PostgreSQL keep generic plans (see `CustomPlans`): a batch inserts thousands of rows, each with
       * foreign keys to check, and the batch statements name no single account.
       */
      const asSync =
        (source: ErpAdapterShape) =>
        <A, E>(effect: Effect.Effect<A, E, SyncBatches | SyncReads | SyncStore | CurrentPrincipal>) =>
          effect.pipe(
            Effect.provideService(SyncBatches, batches),
            Effect.provideService(SyncReads, reads),
            Effect.provideService(SyncStore, syncStore),
            Effect.provideService(CurrentPrincipal, principalFor(source)),
            Effect.provideService(CustomPlans, false)
          )

      /** A batch's writes and the cursor after it (when there is one), in one transaction. */
      const withCursor = <R>(
        source: ErpAdapterShape,
        decoded: DecodedBatch,
        cursor: Cursor | undefined,
        write: Effect.Effect<BatchResult, SqlError, R>
      ) =>
        store.withScope(
          Effect.gen(function* () {
            const result = yield* write
            if (cursor !== undefined) yield* state.setCursor(source.sourceId, decoded.entity, cursor)
            return result
          })
        )

      /** Processes and commits one batch, with the cursor after it; publishes its domain events after the commit. */
      const commitBatch = (
        source: ErpAdapterShape,
        decoded: DecodedBatch,
        policy: RoundingPolicy,
        cursor: Cursor | undefined
      ): Effect.Effect<BatchResult, SqlError> =>
        withCursor(source, decoded, cursor, processBatch(source.sourceId, decoded, policy)).pipe(
          Effect.tap((result) => events.publishAll(result.domainEvents)),
          asSync(source)
        )

      /**
       * A batch of documents: the stored versions are read, the bytes fetched with no transaction open, then
       * the documents written (or quarantined) with the cursor after them in one transaction.
       */
      const commitDocuments = (
        source: ErpAdapterShape,
        decoded: DecodedBatch,
        cursor: Cursor | undefined,
        options: Pick<SyncOptions, "maxDocumentBytes" | "retry">
      ): Effect.Effect<BatchResult, SqlError> =>
        Effect.gen(function* () {
          const stored = yield* documents.versions(
            source.sourceId,
            decoded.records.map((r) => r.externalId)
          )
          const fetched = yield* fetchDocuments(source, decoded, stored, {
            maxBytes: options.maxDocumentBytes ?? defaultMaxDocumentBytes,
            retry: options.retry
          })
          return yield* withCursor(source, decoded, cursor, writeDocuments(source.sourceId, fetched, decoded))
        }).pipe(asSync(source))

      /** Commits a decoded batch of any entity. */
      const commit = (
        source: ErpAdapterShape,
        decoded: DecodedBatch,
        cursor: Cursor | undefined,
        options: SyncOptions
      ): Effect.Effect<BatchResult, SqlError> =>
        decoded.entity === "documents"
          ? commitDocuments(source, decoded, cursor, options)
          : commitBatch(source, decoded, options.rounding ?? defaultRoundingPolicy, cursor)

      /**
       * Which entities to read: those asked for, else those the source offers. Documents need the adapter's
       * `content` operation: without it they are skipped with the reason, never read and dropped.
       */
      const plan = (source: ErpAdapterShape, options: SyncOptions) =>
        Effect.gen(function* () {
          const noContent =
            source.content === undefined
              ? `the ${source.adapterId} adapter does not deliver document content`
              : undefined
          if (options.entities !== undefined) {
            return entityNames.map((entity) =>
              options.entities?.includes(entity) === true
                ? { entity, skipped: entity === "documents" ? noContent : undefined }
                : { entity, skipped: "not requested" }
            )
          }
          const discovered = yield* source.discover().pipe(retryWith(options))
          return entityNames.map((entity) => {
            const found = discovered.entities.find((e) => e.entity === entity)
            if (found === undefined || !found.available) {
              return {
                entity,
                skipped: `the source does not offer it${found?.note === undefined ? "" : ` (${found.note})`}`
              }
            }
            return { entity, skipped: entity === "documents" ? noContent : undefined }
          })
        })

      const syncEntity = (
        source: ErpAdapterShape,
        entity: EntityName,
        tally: RunTally,
        options: SyncOptions
      ): Effect.Effect<void, ErpError | SyncFailed> =>
        Effect.gen(function* () {
          const policy = options.rounding ?? defaultRoundingPolicy
          const records = Math.max(1, options.batchSize ?? 500)
          // Documents carry their bytes until the batch commits: fewer per batch.
          const batchSize =
            entity === "documents" ? Math.max(1, Math.min(records, options.documentBatchSize ?? 20)) : records
          const stored = yield* state.getCursor(source.sourceId, entity).pipe(
            Effect.provideService(CurrentPrincipal, principalFor(source)),
            Effect.mapError((error) => tally.failed("store", String(error.message), entity))
          )
          const committed = yield* Ref.make<Option.Option<Cursor>>(
            stored === undefined ? Option.none() : Option.some(stored as Cursor) // safe: saved from a Cursor
          )
          // A store failure is not retried: it is carried out of the retried read as a value.
          const attempt = Effect.gen(function* () {
            const from = yield* Ref.get(committed)
            return yield* source.read(entity, from).pipe(
              Stream.grouped(batchSize),
              // decode the next batch while the previous one is being written
              Stream.map((items) => ({ last: items.at(-1), decoded: decodeBatch(source, entity, items, policy) })),
              Stream.buffer({ capacity: 1 }),
              Stream.runForEach(({ last, decoded }) => {
                return commit(source, decoded, last?.cursor, options).pipe(
                  Effect.mapError((error) => tally.failed("store", String(error.message), entity)),
                  Effect.flatMap((result) => {
                    tally.add(entity, decoded.size, result)
                    return Effect.andThen(
                      last === undefined ? Effect.void : Ref.set(committed, Option.some(last.cursor)),
                      options.onProgress === undefined ? Effect.void : options.onProgress(tally.progress(entity))
                    )
                  })
                )
              }),
              Effect.map(() => Option.none<SyncFailed>()),
              Effect.catchTag("SyncFailed", (failed) => Effect.succeed(Option.some(failed)))
            )
          })
          const outcome = yield* attempt.pipe(retryWith(options))
          if (Option.isSome(outcome)) return yield* outcome.value
        })

      const run = Effect.fn("SyncEngine.run")(function* (source: ErpAdapterShape, options: SyncOptions = {}) {
        const startedAt = yield* Clock.currentTimeMillis
        const runId = randomUUID()
        const trigger = options.trigger ?? "on-demand"
        const tally = new RunTally(runId, source.sourceId, trigger, startedAt)
        const record = <A, E>(effect: Effect.Effect<A, E | SqlError, CurrentPrincipal>) =>
          effect.pipe(
            Effect.provideService(CurrentPrincipal, principalFor(source)),
            Effect.mapError((error) =>
              error instanceof SyncFailed ? error : tally.failed("store", `cannot record the run: ${String(error)}`)
            )
          )
        yield* record(runs.started({ runId, source: source.sourceId, trigger, startedAt }))
        const body = Effect.gen(function* () {
          const entities = yield* plan(source, options)
          for (const { entity, skipped } of entities) {
            if (skipped !== undefined) {
              tally.skip(entity, skipped)
              continue
            }
            tally.begin(entity)
            yield* syncEntity(source, entity, tally, options).pipe(
              Effect.catchTag("ErpError", (error) => Effect.fail(tally.failed("source", error.message, entity)))
            )
          }
        }).pipe(Effect.catchTag("ErpError", (error) => Effect.fail(tally.failed("source", error.message))))
        // An interrupted run (killed, or its schedule stopped) is recorded as such by a finalizer.
        const recordInterrupted = Effect.gen(function* () {
          const report = tally.report("interrupted", yield* Clock.currentTimeMillis)
          yield* record(runs.finished(report, "interrupted"))
        }).pipe(Effect.catchCause((cause) => Effect.logWarning("could not record the interrupted run", cause)))
        const exit = yield* Effect.exit(Effect.onInterrupt(body, () => recordInterrupted))
        const finishedAt = yield* Clock.currentTimeMillis
        if (Exit.isSuccess(exit)) {
          const report = tally.report("succeeded", finishedAt)
          yield* record(runs.finished(report))
          return report
        }
        const interrupted = Cause.hasInterruptsOnly(exit.cause)
        const failure = Cause.findErrorOption(exit.cause)
        const report = tally.report(interrupted ? "interrupted" : "failed", finishedAt)
        const detail = Option.isSome(failure) ? failure.value.detail : Cause.pretty(exit.cause)
        yield* Effect.uninterruptible(record(runs.finished(report, interrupted ? "interrupted" : detail)))
        if (Option.isSome(failure)) {
          const { source: failedSource, entity, cause, detail: why } = failure.value
          return yield* new SyncFailed({
            source: failedSource,
            ...(entity === undefined ? {} : { entity }),
            cause,
            detail: why,
            run: report
          })
        }
        return yield* Effect.failCause(exit.cause as Cause.Cause<never>)
      })

      const schedule = <Out>(
        source: ErpAdapterShape,
        every: Schedule.Schedule<Out, unknown>,
        options: SyncOptions & { readonly onRun?: (exit: Exit.Exit<SyncRun, SyncFailed>) => Effect.Effect<void> } = {}
      ): Effect.Effect<void> =>
        Effect.exit(run(source, { ...options, trigger: options.trigger ?? "schedule" })).pipe(
          Effect.tap((exit) => {
            if (Exit.isFailure(exit)) {
              const failure = Cause.findErrorOption(exit.cause)
              if (Option.isSome(failure)) return Effect.logWarning(failure.value.message)
            }
            return Effect.void
          }),
          Effect.tap((exit) => (options.onRun === undefined ? Effect.void : options.onRun(exit))),
          Effect.repeat(every),
          Effect.asVoid
        )

      const push = Effect.fn("SyncEngine.push")(function* (
        source: ErpAdapterShape,
        records: ReadonlyArray<SourceRecord>,
        options: Pick<SyncOptions, "rounding" | "maxDocumentBytes" | "retry"> = {}
      ) {
        const startedAt = yield* Clock.currentTimeMillis
        const runId = randomUUID()
        const tally = new RunTally(runId, source.sourceId, "webhook", startedAt)
        const provide = <A, E>(effect: Effect.Effect<A, E, CurrentPrincipal>) =>
          Effect.provideService(effect, CurrentPrincipal, principalFor(source))
        const body = Effect.gen(function* () {
          for (const entity of entityNames) {
            const items = records.filter((r) => r.entity === entity)
            if (items.length === 0) continue
            tally.begin(entity)
            const policy = options.rounding ?? defaultRoundingPolicy
            const result = yield* commit(source, decodeBatch(source, entity, items, policy), undefined, options)
            tally.add(entity, items.length, result)
          }
        })
        yield* provide(runs.started({ runId, source: source.sourceId, trigger: "webhook", startedAt })).pipe(
          Effect.mapError((error) => tally.failed("store", String(error.message)))
        )
        const exit = yield* Effect.exit(body)
        const finishedAt = yield* Clock.currentTimeMillis
        const report = tally.report(Exit.isSuccess(exit) ? "succeeded" : "failed", finishedAt)
        const detail = Exit.isSuccess(exit) ? undefined : Cause.pretty(exit.cause)
        yield* provide(runs.finished(report, detail)).pipe(
          Effect.mapError((error) => tally.failed("store", String(error.message)))
        )
        if (Exit.isFailure(exit)) {
          return yield* new SyncFailed({ source: source.sourceId, cause: "store", detail: detail ?? "", run: report })
        }
        return report
      })

      return SyncEngine.of({ run, schedule, push })
    })
  ).pipe(
    Layer.provideMerge(
      Layer.mergeAll(SyncBatches.layer, SyncReads.layer, SyncRuns.layer, SyncStore.layer, Documents.layer)
    )
  )
}

const retryWith =
  (options: SyncOptions) =>
  <A, R>(effect: Effect.Effect<A, ErpError, R>): Effect.Effect<A, ErpError, R> =>
    Effect.retry(effect, retryPolicy(options.retry))

/**
 * Runs the sync for the `ErpAdapter` in the context, for composing with an adapter layer:
 * `syncAdapter().pipe(Effect.provide(layerAdapter(CsvAdapter, { sourceId }, settings)))`.
 */
export const syncAdapter = (options?: SyncOptions): Effect.Effect<SyncRun, SyncFailed, SyncEngine | ErpAdapter> =>
  Effect.gen(function* () {
    const adapter = yield* ErpAdapter
    const engine = yield* SyncEngine
    return yield* engine.run(adapter, options)
  })
