// The `sources` section of the `portico` config file: which ERP sources to sync, each with its adapter (chosen
// by name from a fixed set of adapter definitions the caller passes in code), the adapter's settings
// (validated by that adapter's own config schema), an optional schedule and an optional webhook secret.
import { Duration, Effect, Path, type Redacted, Schema, type Scope } from "effect"
import { ConfigFileError, configFileFields } from "../cli/ConfigFile.ts"
import { type ErpAdapterDefinition, type ErpAdapterShape, makeAdapter, type SourceContext } from "../erp/ErpAdapter.ts"
import type { ErpError } from "../erp/ErpError.ts"
import { Secret } from "../erp/Secrets.ts"

/** A source id: lower-case letters, digits and dashes ("epicor-main", "csv-2026"). */
export const SourceId = Schema.String.check(
  Schema.isPattern(/^[a-z0-9][a-z0-9-]{0,62}$/, { expected: 'a source id such as "epicor-main"' })
)

/** One configured source, before its settings are checked against its adapter. */
export const SourceEntry = Schema.Struct({
  id: SourceId,
  /** The adapter's id: one of the adapters the program was built with ("csv", "rest", "epicor", "sql"). */
  adapter: Schema.String,
  /** The adapter's settings; see the adapter's documentation and docs/sync.md. */
  settings: Schema.Unknown,
  /** Run this source on a schedule (`portico sync --watch`): `{ "every": "15 minutes" }`. */
  schedule: Schema.optionalKey(Schema.Struct({ every: Schema.DurationFromString })),
  /** Accept signed pushes for this source; several secrets during a rotation. */
  webhook: Schema.optionalKey(
    Schema.Struct({
      secrets: Schema.NonEmptyArray(Secret),
      /** How far the signature's timestamp may be from now (default 300 s). */
      toleranceSeconds: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 3600 })))
    })
  )
})
export type SourceEntry = typeof SourceEntry.Type

/** The config file as `portico check` and `portico sync` read it: the core sections plus `sources`. */
export const SyncConfigFile = Schema.Struct({
  ...configFileFields,
  sources: Schema.Array(SourceEntry)
})
export type SyncConfigFile = typeof SyncConfigFile.Type

/** An adapter the program knows, with any settings fix-up it needs to be read from a config file. */
export interface AdapterChoice {
  readonly displayName: string
  /** Checks settings with the adapter's config schema; the error names the field. */
  readonly validate: (settings: unknown) => Effect.Effect<void, Schema.SchemaError>
  /** Builds the adapter for a source from its (raw) settings. */
  readonly build: (settings: unknown, source: SourceContext) => Effect.Effect<ErpAdapterShape, ErpError, Scope.Scope>
  /** Makes settings relative to the config file's folder where the adapter reads files (CSV paths). */
  readonly rebase?: (settings: unknown, folder: string, path: Path.Path) => unknown
}

/** The adapters a program offers, by id. A fixed map in code: adapters are never loaded from strings. */
export type AdapterChoices = Readonly<Record<string, AdapterChoice>>

/** Wraps an adapter definition for an `AdapterChoices` map. */
export const choice = <C>(definition: ErpAdapterDefinition<C>, rebase?: AdapterChoice["rebase"]): AdapterChoice => ({
  displayName: definition.manifest.displayName,
  validate: (settings) => Effect.asVoid(Schema.decodeUnknownEffect(definition.manifest.config)(settings)),
  build: (settings, source) => makeAdapter(definition, source, settings),
  ...(rebase === undefined ? {} : { rebase })
})

/** A source whose settings passed its adapter's schema. */
export interface ResolvedSource {
  readonly id: string
  readonly adapterId: string
  readonly displayName: string
  readonly schedule?: Duration.Duration
  readonly webhook?: { readonly secrets: ReadonlyArray<Redacted.Redacted<string>>; readonly toleranceSeconds?: number }
  /** Builds the adapter (connecting lazily); its resources live as long as the scope. */
  readonly adapter: Effect.Effect<ErpAdapterShape, ErpError, Scope.Scope>
}

/**
 * Checks every source of a decoded config file against the adapters offered: an unknown adapter, a duplicate
 * source id, or settings the adapter's schema refuses fail with a ConfigFileError naming the source and field.
 * `file` is the config file's path (relative file paths in settings are taken from its folder).
 */
export const resolveSources = Effect.fn("SourceConfig.resolve")(function* (
  file: string,
  config: SyncConfigFile,
  adapters: AdapterChoices
) {
  const path = yield* Path.Path
  const absolute = path.resolve(file)
  const folder = path.dirname(absolute)
  const fail = (detail: string) => new ConfigFileError({ path: absolute, detail })
  const seen = new Set<string>()
  const resolved: Array<ResolvedSource> = []
  for (const [index, entry] of config.sources.entries()) {
    const where = `sources[${index}] ("${entry.id}")`
    if (seen.has(entry.id)) return yield* fail(`${where}: the source id "${entry.id}" is used twice`)
    seen.add(entry.id)
    const chosen = Object.hasOwn(adapters, entry.adapter) ? adapters[entry.adapter] : undefined
    if (chosen === undefined) {
      return yield* fail(
        `${where}.adapter: "${entry.adapter}" is not one of ${Object.keys(adapters)
          .map((id) => `"${id}"`)
          .join(", ")}`
      )
    }
    const settings = chosen.rebase === undefined ? entry.settings : chosen.rebase(entry.settings, folder, path)
    yield* chosen.validate(settings).pipe(Effect.mapError((error) => fail(`${where}.settings: ${error.message}`)))
    resolved.push({
      id: entry.id,
      adapterId: entry.adapter,
      displayName: chosen.displayName,
      ...(entry.schedule === undefined ? {} : { schedule: entry.schedule.every }),
      ...(entry.webhook === undefined
        ? {}
        : {
            webhook: {
              secrets: entry.webhook.secrets,
              ...(entry.webhook.toleranceSeconds === undefined
                ? {}
                : { toleranceSeconds: entry.webhook.toleranceSeconds })
            }
          }),
      adapter: chosen.build(settings, { sourceId: entry.id })
    })
  }
  return resolved as ReadonlyArray<ResolvedSource>
})

/**
 * Rebases every relative `path` setting (at any depth) onto `folder`: the CSV adapter's file paths are then
 * relative to the config file, not to the working directory.
 */
export const rebasePaths = (settings: unknown, folder: string, path: Path.Path): unknown => {
  if (Array.isArray(settings)) return settings.map((item) => rebasePaths(item, folder, path))
  if (typeof settings !== "object" || settings === null) return settings
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [
      key,
      key === "path" && typeof value === "string" && value !== "" && !path.isAbsolute(value)
        ? path.resolve(folder, value)
        : rebasePaths(value, folder, path)
    ])
  )
}

/** A schedule interval in words, for reports ("15 minutes"). */
export const describeInterval = (duration: Duration.Duration): string => Duration.format(duration)
