// The options every database command shares: `--database-url`, `--config`, and how they (with the
// DATABASE_URL environment variable and the default embedded folder) decide which database to open.
import { Config, Effect, Option, Path, Redacted } from "effect"
import { Flag } from "effect/cli"
import { DatabaseUrl, type StoreConfig } from "../store/StoreConfig.ts"
import { ConfigFile, readConfigFile } from "./ConfigFile.ts"

/** Where the embedded store lives when nothing else is said: `.portico/data` under the working directory. */
export const defaultDataDir = ".portico/data"

/** The shared flags. */
export const databaseFlags = {
  databaseUrl: Flag.String("database-url").pipe(
    Flag.withSchema(DatabaseUrl),
    Flag.withDescription(
      "PostgreSQL server to use, e.g. postgres://user@host:5432/portico (default: $DATABASE_URL, else the embedded store in ./.portico/data)"
    ),
    Flag.optional
  ),
  config: Flag.String("config").pipe(
    Flag.withAlias("c"),
    Flag.withDescription("JSON config file; its `database` section says { url } or { dataDir }"),
    Flag.optional
  )
}

/** What the shared flags parsed to. */
export interface DatabaseFlags {
  readonly databaseUrl: Option.Option<string>
  readonly config: Option.Option<string>
}

/**
 * The store settings the flags ask for, most explicit first: `--database-url` (keeping the config file's
 * other settings, such as pool size); else the `--config` file's `database` section; else `DATABASE_URL`;
 * else the embedded store in `.portico/data`. A section without `url` or `dataDir` means that default folder
 * (a command-line tool never wants a throw-away in-memory database).
 */
export const storeConfigFrom = Effect.fn("DatabaseOptions.storeConfig")(function* (flags: DatabaseFlags) {
  const path = yield* Path.Path
  const fromFile: StoreConfig = Option.isSome(flags.config)
    ? ((yield* readConfigFile(flags.config.value, ConfigFile)).database ?? {})
    : {}
  if (Option.isSome(flags.databaseUrl)) return { ...fromFile, url: Redacted.make(flags.databaseUrl.value) }
  if (Option.isNone(flags.config)) {
    const env = yield* Config.option(Config.String("DATABASE_URL"))
    if (Option.isSome(env) && env.value !== "") return { url: Redacted.make(env.value) } satisfies StoreConfig
  }
  if (fromFile.url !== undefined || fromFile.dataDir !== undefined) return fromFile
  return { ...fromFile, dataDir: path.resolve(defaultDataDir) } satisfies StoreConfig
})

/** A one-line description of the database a config points at, with any password hidden. */
export const describeDatabase = (config: StoreConfig): string => {
  if (config.url === undefined) return `embedded store at ${config.dataDir ?? "memory"}`
  const raw = Redacted.value(config.url)
  try {
    const url = new URL(raw)
    if (url.password !== "") url.password = "***"
    return `PostgreSQL at ${url.toString()}`
  } catch {
    return "PostgreSQL server"
  }
}
