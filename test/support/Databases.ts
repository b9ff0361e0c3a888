// Fresh, migrated store databases for tests: an in-memory PGlite, or a new database on the PostgreSQL
// server (`portico_test_<random>`, dropped when the layer is released). One suite runs against both.
import { randomBytes } from "node:crypto"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import * as Database from "../../core/store/Database.ts"
import type { Migration } from "../../core/store/Migration.ts"
import { coreMigrations } from "../../core/store/migrations/coreMigrations.ts"
import { type Availability, postgresAvailability, postgresUrl } from "./Requirements.ts"

/** A store database layer for tests: the client, migrated. Its errors are test failures. */
export type TestDatabaseLayer = Layer.Layer<Database.DatabaseClient, unknown>

/** A fresh in-memory PGlite store, migrated with `migrations`. */
export const pglite = (migrations: ReadonlyArray<Migration> = coreMigrations): TestDatabaseLayer =>
  Database.layer({}, migrations)

const admin = <A, E>(run: (sql: SqlClient.SqlClient) => Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return yield* run(sql)
  }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(postgresUrl), maxConnections: 1 })))

/** The URL of a database `name` on the test server. */
export const databaseUrl = (name: string): string => {
  const url = new URL(postgresUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/**
 * A fresh database on the test server (`portico_test_<random>`), migrated with `migrations`, dropped (with
 * FORCE) when the layer is released. Pass `migrate: false` for a database left empty.
 */
export const postgres = (
  migrations: ReadonlyArray<Migration> = coreMigrations,
  options: { readonly migrate?: boolean } = {}
): TestDatabaseLayer =>
  Layer.unwrap(
    Effect.gen(function* () {
      const name = `portico_test_${randomBytes(6).toString("hex")}`
      yield* Effect.acquireRelease(
        admin((sql) => sql.unsafe(`create database ${name}`)),
        () => Effect.orDie(admin((sql) => sql.unsafe(`drop database if exists ${name} with (force)`)))
      )
      const config = { url: Redacted.make(databaseUrl(name)), maxConnections: 4 }
      return options.migrate === false ? Database.connect(config) : Database.layer(config, migrations)
    })
  )

/** A backend the store suite runs against. */
export interface Backend {
  readonly name: "pglite" | "postgres"
  readonly availability: Availability
  /** A fresh database per call. */
  readonly layer: (migrations?: ReadonlyArray<Migration>) => TestDatabaseLayer
}

/**
 * Both backends, PostgreSQL with its availability (checked once; skipped with a printed reason when the
 * server is missing, a failure under CI). Call with a top-level await.
 */
export const backends = async (): Promise<ReadonlyArray<Backend>> => [
  { name: "pglite", availability: { available: true }, layer: pglite },
  { name: "postgres", availability: await postgresAvailability(), layer: (m) => postgres(m) }
]
