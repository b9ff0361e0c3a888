// The store's database connection: one `@effect/sql-pg` client whether the database is embedded PGlite or a
// PostgreSQL server, chosen from StoreConfig with `Layer.unwrap`, migrated on start.
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, type Redacted } from "effect"
import type { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { type EmbeddedStartError, start as startEmbedded } from "./internal/EmbeddedPglite.ts"
import type { Migration, MigrationError } from "./Migration.ts"
import { migrate } from "./Migrator.ts"
import { coreMigrations } from "./migrations/coreMigrations.ts"
import { resolve, type StoreConfig } from "./StoreConfig.ts"

/** What the database layers provide: the PostgreSQL client under both of its keys. */
export type DatabaseClient = PgClient.PgClient | SqlClient.SqlClient

/** The ways connecting can fail before any query runs. */
export type ConnectError = SqlError | EmbeddedStartError

const serverLayer = (url: Redacted.Redacted<string>, config: StoreConfig): Layer.Layer<DatabaseClient, SqlError> => {
  const resolved = resolve(config)
  return PgClient.layer({
    url,
    maxConnections: resolved.maxConnections,
    connectTimeout: resolved.connectTimeout,
    ...(resolved.statementTimeoutMs > 0
      ? { startupParameters: { statement_timeout: String(resolved.statementTimeoutMs) } }
      : {})
  })
}

const embeddedLayer = (config: StoreConfig): Layer.Layer<DatabaseClient, ConnectError> =>
  Layer.unwrap(
    Effect.map(startEmbedded(config.dataDir), ({ socketPath }) =>
      PgClient.layer({
        path: socketPath,
        database: "postgres",
        username: "postgres",
        // One backend, so one connection: a second would interleave its statements into an open transaction.
        maxConnections: 1,
        connectTimeout: resolve(config).connectTimeout,
        // Keep the one connection open rather than reconnecting after idle periods.
        minConnections: 1
        // No statement timeout: nothing can interrupt single-threaded PGlite in the middle of a statement.
      })
    )
  )

/**
 * Connects without migrating: a server when `config.url` is set, otherwise embedded PGlite (on
 * `config.dataDir`, or in memory). Use `layer` unless you run migrations yourself (`portico migrate`).
 */
export const connect = (config: StoreConfig): Layer.Layer<DatabaseClient, ConnectError> =>
  config.url === undefined ? embeddedLayer(config) : serverLayer(config.url, config)

/**
 * Chooses and builds the database from settings read by an effect (a Config such as
 * `storeConfigFromEnv`, a config file decoder): `Layer.unwrap` picks embedded PGlite or a server.
 */
export const layerFrom = <E, R>(
  settings: Effect.Effect<StoreConfig, E, R>,
  migrations: ReadonlyArray<Migration> = coreMigrations
): Layer.Layer<DatabaseClient, E | ConnectError | MigrationError, R> =>
  Layer.unwrap(Effect.map(settings, (config) => layer(config, migrations)))

/**
 * Connects and applies `migrations` (the core's by default; pass `[...coreMigrations, ...plugin]` to add
 * a plugin's) before anything else can use the client.
 */
export const layer = (
  config: StoreConfig,
  migrations: ReadonlyArray<Migration> = coreMigrations
): Layer.Layer<DatabaseClient, ConnectError | MigrationError> =>
  Layer.effectDiscard(migrate(migrations)).pipe(Layer.provideMerge(connect(config)))
