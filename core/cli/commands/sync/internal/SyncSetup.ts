// What `portico check` and `portico sync` share: reading the config file with its `sources`, picking the
// sources asked for, and the store settings (the file's `database`, overridable with --database-url).
import { Effect, Option, Path, Redacted } from "effect"
import { Flag } from "effect/cli"
import type { StoreConfig } from "../../../../store/StoreConfig.ts"
import { DatabaseUrl } from "../../../../store/StoreConfig.ts"
import { type AdapterChoices, resolveSources, SyncConfigFile } from "../../../../sync/SourceConfig.ts"
import { UsageError } from "../../../CliFailure.ts"
import { readConfigFile } from "../../../ConfigFile.ts"
import { defaultDataDir } from "../../../DatabaseOptions.ts"

/** `--config FILE` (required) and `--source ID` (repeatable; default every source in the file). */
export const sourceFlags = {
  config: Flag.String("config").pipe(
    Flag.withAlias("c"),
    Flag.withDescription("JSON config file with a `sources` section (see docs/sync.md)")
  ),
  source: Flag.String("source").pipe(
    Flag.withAlias("s"),
    Flag.withDescription("Only this source (by its id in the config file); repeat for several"),
    Flag.atLeast(0)
  )
}

/** The config file's sources (those asked for) and its store settings. */
export const loadSources = Effect.fn("portico.sync.loadSources")(function* (
  flags: { readonly config: string; readonly source: ReadonlyArray<string> },
  adapters: AdapterChoices
) {
  const file = yield* readConfigFile(flags.config, SyncConfigFile)
  const sources = yield* resolveSources(flags.config, file, adapters)
  const unknown = flags.source.filter((id) => !sources.some((s) => s.id === id))
  if (unknown.length > 0) {
    return yield* new UsageError({
      detail: `no source ${unknown.map((id) => `"${id}"`).join(", ")} in ${flags.config} (it has ${sources.map((s) => `"${s.id}"`).join(", ") || "none"})`
    })
  }
  const chosen = flags.source.length === 0 ? sources : sources.filter((s) => flags.source.includes(s.id))
  if (chosen.length === 0) return yield* new UsageError({ detail: `${flags.config} lists no sources` })
  return { sources: chosen, database: file.database }
})

/** `--database-url URL`: a PostgreSQL server instead of the config file's `database`. */
export const databaseUrlFlag = Flag.String("database-url").pipe(
  Flag.withSchema(DatabaseUrl),
  Flag.withDescription("PostgreSQL server to use instead of the config file's `database` section"),
  Flag.optional
)

/** The store settings: --database-url, else the file's `database`, else the embedded store in ./.portico/data. */
export const storeSettings = Effect.fn("portico.sync.storeSettings")(function* (
  database: StoreConfig | undefined,
  databaseUrl: Option.Option<string>
) {
  const path = yield* Path.Path
  const fromFile = database ?? {}
  if (Option.isSome(databaseUrl)) return { ...fromFile, url: Redacted.make(databaseUrl.value) } satisfies StoreConfig
  if (fromFile.url !== undefined || fromFile.dataDir !== undefined) return fromFile
  return { ...fromFile, dataDir: path.resolve(defaultDataDir) } satisfies StoreConfig
})
