// The `portico` configuration file (JSON): one section per concern. The store reads `database`; later
// sections (ERP sources, renderers, plugins) extend `configFileFields` in their own modules.
import { Effect, FileSystem, Path, Runtime, Schema } from "effect"
import { CliError } from "effect/cli"
import { StoreConfig } from "../store/StoreConfig.ts"

/**
 * The sections this module knows. Extend the file format by spreading them into a bigger struct:
 * `Schema.Struct({ ...configFileFields, sources: Schema.optionalKey(Sources) })`, and read it with
 * `readConfigFile(path, ThatSchema)`. Unknown top-level sections are ignored, so one file serves every
 * command, each decoding only what it needs.
 */
export const configFileFields = {
  /** Where the store lives: `url` for a PostgreSQL server, else embedded PGlite in `dataDir`. */
  database: Schema.optionalKey(StoreConfig)
}

/** The configuration file as the core commands read it. */
export const ConfigFile = Schema.Struct(configFileFields)
export type ConfigFile = typeof ConfigFile.Type

/** The configuration file could not be read, is not JSON, or does not match the schema. */
export class ConfigFileError extends Schema.TaggedError<ConfigFileError>()("ConfigFileError", {
  path: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `config file ${this.path}: ${this.detail}`
  }
  override get [CliError.userMessage](): string {
    return this.message
  }
  /** A bad config file is a usage error: exit code 2. */
  override get [Runtime.errorExitCode](): number {
    return 2
  }
}

/**
 * Reads and decodes a JSON configuration file with `schema`. A relative `database.dataDir` is taken
 * relative to the file's folder, so a config file means the same thing from any working directory.
 */
export const readConfigFile = Effect.fn("ConfigFile.read")(function* <S extends Schema.Decoder<unknown>>(
  file: string,
  schema: S
) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const absolute = path.resolve(file)
  const text = yield* fs
    .readFileString(absolute)
    .pipe(
      Effect.mapError((error) => new ConfigFileError({ path: absolute, detail: `cannot read it (${error.message})` }))
    )
  const json = yield* Effect.try({
    try: (): unknown => JSON.parse(text),
    catch: (error) =>
      new ConfigFileError({
        path: absolute,
        detail: `not valid JSON (${error instanceof Error ? error.message : String(error)})`
      })
  })
  const rebased = rebaseDataDir(json, path.dirname(absolute), path)
  return yield* Schema.decodeUnknownEffect(schema)(rebased).pipe(
    Effect.mapError((error) => new ConfigFileError({ path: absolute, detail: error.message }))
  )
})

const rebaseDataDir = (json: unknown, folder: string, path: Path.Path): unknown => {
  if (!isRecord(json) || !isRecord(json.database) || typeof json.database.dataDir !== "string") return json
  if (json.database.dataDir === "" || path.isAbsolute(json.database.dataDir)) return json
  return { ...json, database: { ...json.database, dataDir: path.resolve(folder, json.database.dataDir) } }
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)
