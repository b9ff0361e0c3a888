// `portico sync --config FILE`: syncs each configured source into the store once (or, with --watch, on each
// source's schedule until stopped). Progress goes to stderr, the summary to stdout. Exit 0 when every run
// finished (quarantined records are counted, not failures), 1 when a run failed, 2 for a bad config, 3 when
// the store cannot be opened.
import { Clock, Console, Effect, Exit, FileSystem, Layer, Option, Schedule } from "effect"
import { Command, Flag } from "effect/cli"
import { DomainEvents } from "../../../events/DomainEvents.ts"
import * as StoreLayer from "../../../store/StoreLayer.ts"
import { storeWithSyncMigrations } from "../../../sync/migrations/index.ts"
import type { AdapterChoices, ResolvedSource } from "../../../sync/SourceConfig.ts"
import { SyncEngine } from "../../../sync/SyncEngine.ts"
import { type SyncProgress, type SyncRun, totalsOf } from "../../../sync/SyncRun.ts"
import { CommandFailed, UsageError, VerificationFailed } from "../../CliFailure.ts"
import { describeDatabase } from "../../DatabaseOptions.ts"
import { failureDetail } from "../../internal/failureDetail.ts"
import { builtInAdapters } from "./BuiltInAdapters.ts"
import { databaseUrlFlag, loadSources, sourceFlags, storeSettings } from "./internal/SyncSetup.ts"

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const lag = (ms: number) =>
  ms < 60_000 ? seconds(ms) : ms < 3_600_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`

/** The summary `portico sync` prints for a run (also for a failed one, with what it did before failing). */
export const summaryLines = (run: SyncRun): ReadonlyArray<string> => {
  const columns = ["read", "inserted", "updated", "unchanged", "quarantined", "events"] as const
  const row = (name: string, values: Record<(typeof columns)[number], number>) =>
    `  ${name.padEnd(13)}${columns.map((c) => String(values[c]).padStart(c.length + 2)).join("")}`
  const synced = run.entities.filter((e) => e.skipped === undefined)
  const totals = totalsOf({ entities: synced })
  const lines = [
    `sync of "${run.source}" ${run.status} in ${seconds(run.durationMs)}${run.lagMs === undefined ? "" : ` (newest source change ${lag(run.lagMs)} ago)`}`,
    `  ${"".padEnd(13)}${columns.map((c) => `  ${c}`).join("")}`,
    ...synced.map((e) => row(e.entity, e)),
    row("total", totals),
    ...run.entities.flatMap((e) => (e.skipped === undefined ? [] : [`  ${e.entity}: skipped, ${e.skipped}`]))
  ]
  if (totals.quarantined > 0) {
    lines.push(
      `  ${totals.quarantined} record(s) quarantined; see them with: portico quarantine list --source ${run.source}`,
      ...run.quarantined.slice(0, 10).map((q) => `    ${q.entity} ${q.externalId ?? "(no id)"}: ${q.reason}`)
    )
  }
  if (totals.warnings > 0) {
    lines.push(
      `  ${totals.warnings} warning(s) (written, but reported):`,
      ...run.warnings.slice(0, 10).map((w) => `    ${w.entity} ${w.externalId}: ${w.message}`)
    )
  }
  return lines
}

/** Prints progress at most every 2 seconds (and never for short runs). */
const progressPrinter = Effect.gen(function* () {
  let last = yield* Clock.currentTimeMillis
  return (progress: SyncProgress) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      if (now - last < 2000) return
      last = now
      const r = progress.report
      yield* Console.error(
        `${progress.source}: ${r.entity} ${r.read} read (${r.inserted} new, ${r.updated} changed, ${r.unchanged} unchanged, ${r.quarantined} quarantined); ${progress.committed} records so far`
      )
    })
})

const once = (engine: SyncEngine["Service"], source: ResolvedSource, batchSize: number | undefined) =>
  Effect.scoped(
    Effect.gen(function* () {
      const adapter = yield* source.adapter
      const onProgress = yield* progressPrinter
      return yield* engine.run(adapter, { onProgress, ...(batchSize === undefined ? {} : { batchSize }) })
    })
  )

/** Builds `portico sync` over a set of adapters (the built-in ones for the `portico` command). */
export const makeSyncCommand = (adapters: AdapterChoices) =>
  Command.make(
    "sync",
    {
      ...sourceFlags,
      databaseUrl: databaseUrlFlag,
      batchSize: Flag.Int("batch-size").pipe(
        Flag.withDescription("Records per transaction (default 500)"),
        Flag.filter(
          (n) => n >= 1,
          (n) => `--batch-size must be at least 1, got ${n}`
        ),
        Flag.optional
      ),
      watch: Flag.Boolean("watch").pipe(
        Flag.withDescription("Keep running: sync each source on its `schedule` until interrupted (Ctrl-C)"),
        Flag.withDefault(false)
      )
    },
    Effect.fn("portico.sync")(function* (flags) {
      const { sources, database } = yield* loadSources(flags, adapters)
      const settings = yield* storeSettings(database, flags.databaseUrl)
      const batchSize = Option.getOrUndefined(flags.batchSize)
      if (flags.watch) {
        const unscheduled = sources.filter((s) => s.schedule === undefined)
        if (unscheduled.length > 0) {
          return yield* new UsageError({
            detail: `--watch needs a "schedule" on every source; ${unscheduled.map((s) => `"${s.id}"`).join(", ")} has none`
          })
        }
      }
      if (settings.url === undefined && settings.dataDir !== undefined) {
        // the embedded store creates its folder but not the folders above it (".portico/data")
        const fs = yield* FileSystem.FileSystem
        yield* fs
          .makeDirectory(settings.dataDir, { recursive: true })
          .pipe(
            Effect.mapError(
              (error) => new CommandFailed({ detail: `cannot create ${settings.dataDir}: ${error.message}` })
            )
          )
      }
      yield* Console.error(`syncing into the ${describeDatabase(settings)}`)
      const layer = SyncEngine.layer.pipe(
        Layer.provideMerge(DomainEvents.layer),
        Layer.provideMerge(StoreLayer.layer(settings, storeWithSyncMigrations))
      )
      const program = Effect.gen(function* () {
        const engine = yield* SyncEngine
        if (flags.watch) {
          yield* Effect.forEach(
            sources,
            (source) =>
              Effect.scoped(
                Effect.gen(function* () {
                  const adapter = yield* source.adapter
                  const every = source.schedule
                  if (every === undefined) return
                  yield* engine.schedule(adapter, Schedule.spaced(every), {
                    ...(batchSize === undefined ? {} : { batchSize }),
                    onRun: (exit) =>
                      Exit.isSuccess(exit)
                        ? Effect.forEach(summaryLines(exit.value), (line) => Console.log(line), { discard: true })
                        : Console.error(`sync of "${source.id}" failed; the next run is on schedule`)
                  })
                })
              ).pipe(Effect.catchTag("ErpError", (error) => Console.error(`${source.id}: ${error.message}`))),
            { concurrency: "unbounded", discard: true }
          )
          return
        }
        let failures = 0
        for (const source of sources) {
          const exit = yield* Effect.exit(once(engine, source, batchSize))
          if (Exit.isSuccess(exit)) {
            for (const line of summaryLines(exit.value)) yield* Console.log(line)
            continue
          }
          failures += 1
          const failure = exit.cause.reasons.find((r) => r._tag === "Fail")?.error
          if (failure !== undefined && failure._tag === "SyncFailed") {
            for (const line of summaryLines(failure.run)) yield* Console.log(line)
            yield* Console.error(failure.message)
          } else if (failure !== undefined) {
            yield* Console.error(`sync of "${source.id}" failed: ${failure.message}`)
          } else return yield* Effect.failCause(exit.cause)
        }
        if (failures > 0) {
          return yield* new VerificationFailed({ detail: `${failures} of ${sources.length} sync run(s) failed` })
        }
      })
      yield* program.pipe(
        Effect.provide(layer),
        Effect.catchTags({
          SqlError: (error) => Effect.fail(new CommandFailed({ detail: `sync failed: ${failureDetail(error)}` })),
          MigrationError: (error) => Effect.fail(new CommandFailed({ detail: `sync failed: ${failureDetail(error)}` })),
          EmbeddedStartError: (error) =>
            Effect.fail(new CommandFailed({ detail: `sync failed: ${failureDetail(error)}` }))
        })
      )
    })
  ).pipe(
    Command.withDescription("Sync the configured ERP sources into the store (migrating it first)"),
    Command.withExamples([
      { command: "portico sync --config portico.json", description: "Sync every source once" },
      { command: "portico sync -c portico.json --source csv-demo", description: "Sync one source" },
      { command: "portico sync -c portico.json --watch", description: "Keep syncing on each source's schedule" }
    ])
  )

/** `portico sync --config FILE [--source ID]... [--batch-size N] [--watch] [--database-url URL]`. */
export const syncCommand = makeSyncCommand(builtInAdapters)
