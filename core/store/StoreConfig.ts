// How the store reaches its database: no URL means embedded PGlite (a data directory, or memory), a
// `postgres://` URL means a PostgreSQL server. Decoding fails at start-up with a message naming the field.
import { Config, Duration, Option, Redacted, Schema } from "effect"

const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
const Millis = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/** A `postgres://` or `postgresql://` connection URL. */
export const DatabaseUrl = Schema.String.check(
  Schema.makeFilter(
    (value: string) =>
      /^postgres(ql)?:\/\/[^\s]+$/.test(value) || "expected a URL such as postgres://user@host:5432/database"
  )
)

/**
 * The store's settings.
 *
 * - `url`: a PostgreSQL server; absent means the embedded PGlite store.
 * - `dataDir`: where embedded PGlite keeps its files; absent means in memory (tests).
 * - `maxConnections`: the server pool's size (PGlite always uses one connection: it is single-threaded).
 * - `connectTimeoutMs`, `statementTimeoutMs`: 0 turns a timeout off.
 */
export const StoreConfig = Schema.Struct({
  url: Schema.optionalKey(Schema.RedactedFromValue(DatabaseUrl)),
  dataDir: Schema.optionalKey(Schema.String.check(Schema.isNonEmpty())),
  maxConnections: Schema.optionalKey(PositiveInt),
  connectTimeoutMs: Schema.optionalKey(Millis),
  statementTimeoutMs: Schema.optionalKey(Millis)
})
export type StoreConfig = typeof StoreConfig.Type

/** The settings with defaults filled in. */
export interface ResolvedStoreConfig {
  readonly maxConnections: number
  readonly connectTimeout: Duration.Duration
  /** 0 means no statement timeout. */
  readonly statementTimeoutMs: number
}

/** Fills in defaults: a pool of 10, a 10 s connect timeout, a 30 s statement timeout. */
export const resolve = (config: StoreConfig): ResolvedStoreConfig => ({
  maxConnections: config.maxConnections ?? 10,
  connectTimeout: Duration.millis(config.connectTimeoutMs ?? 10_000),
  statementTimeoutMs: config.statementTimeoutMs ?? 30_000
})

/** Decodes store settings from unknown input (a config file, the command line). */
export const decodeStoreConfig = Schema.decodeUnknownEffect(StoreConfig)

/**
 * Store settings from the environment: `DATABASE_URL` (absent: embedded PGlite), `PORTICO_DATA_DIR`,
 * `PORTICO_DB_MAX_CONNECTIONS`, `PORTICO_DB_CONNECT_TIMEOUT_MS`, `PORTICO_DB_STATEMENT_TIMEOUT_MS`.
 * A bad value fails with a message that names the variable.
 */
export const storeConfigFromEnv: Config.Config<StoreConfig> = Config.all({
  url: Config.option(Config.schema(DatabaseUrl, "DATABASE_URL")),
  dataDir: Config.option(Config.NonEmptyString("PORTICO_DATA_DIR")),
  maxConnections: Config.option(Config.schema(PositiveInt, "PORTICO_DB_MAX_CONNECTIONS")),
  connectTimeoutMs: Config.option(Config.schema(Millis, "PORTICO_DB_CONNECT_TIMEOUT_MS")),
  statementTimeoutMs: Config.option(Config.schema(Millis, "PORTICO_DB_STATEMENT_TIMEOUT_MS"))
}).pipe(
  Config.map(
    (values): StoreConfig => ({
      ...Option.match(values.url, { onNone: () => ({}), onSome: (url) => ({ url: Redacted.make(url) }) }),
      ...Option.match(values.dataDir, { onNone: () => ({}), onSome: (dataDir) => ({ dataDir }) }),
      ...Option.match(values.maxConnections, { onNone: () => ({}), onSome: (maxConnections) => ({ maxConnections }) }),
      ...Option.match(values.connectTimeoutMs, {
        onNone: () => ({}),
        onSome: (connectTimeoutMs) => ({ connectTimeoutMs })
      }),
      ...Option.match(values.statementTimeoutMs, {
        onNone: () => ({}),
        onSome: (statementTimeoutMs) => ({ statementTimeoutMs })
      })
    })
  )
)
