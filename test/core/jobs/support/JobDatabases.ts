// One database that several "processes" connect to, for the job tests: each `connect()` is a separate
// client (and pool) over the same data. PGlite keeps its data in a temporary directory, so a second connect
// after the first closed is a restart; PostgreSQL gets a fresh database, dropped at the end.
import { randomBytes } from "node:crypto"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted, type Scope } from "effect"
import { SqlClient } from "effect/sql"
import type { JobHandler } from "../../../../core/jobs/Job.ts"
import { JobHandlers } from "../../../../core/jobs/JobHandlers.ts"
import { JobQueue } from "../../../../core/jobs/JobQueue.ts"
import { jobsMigrations } from "../../../../core/jobs/migrations/index.ts"
import * as Database from "../../../../core/store/Database.ts"
import { coreMigrations } from "../../../../core/store/migrations/coreMigrations.ts"
import { Store } from "../../../../core/store/Store.ts"
import { databaseUrl } from "../../../support/Databases.ts"
import { postgresUrl } from "../../../support/Requirements.ts"

export const migrations = [...coreMigrations, ...jobsMigrations]

/** A database that connections ("processes") can be opened to. */
export interface SharedDatabase {
  /** A new client over the database, migrated (a second process, or the same one restarted). */
  readonly connect: () => Layer.Layer<Database.DatabaseClient, unknown>
}

/** PGlite on a temporary data directory (removed with the scope); one connection open at a time. */
export const sharedPglite: Effect.Effect<SharedDatabase, never, Scope.Scope> = Effect.map(
  Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), "portico-jobs-"))),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  ),
  (dataDir) => ({ connect: () => Database.layer({ dataDir }, migrations) })
)

const admin = <A, E>(run: (sql: SqlClient.SqlClient) => Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    return yield* run(yield* SqlClient.SqlClient)
  }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(postgresUrl), maxConnections: 1 })))

/** A fresh database on the test server, dropped with the scope; every connect is its own pool. */
export const sharedPostgres: Effect.Effect<SharedDatabase, unknown, Scope.Scope> = Effect.gen(function* () {
  const name = `portico_test_${randomBytes(6).toString("hex")}`
  yield* Effect.acquireRelease(
    admin((sql) => sql.unsafe(`create database ${name}`)),
    () => Effect.orDie(admin((sql) => sql.unsafe(`drop database if exists ${name} with (force)`)))
  )
  const url = Redacted.make(databaseUrl(name))
  return { connect: () => Database.layer({ url, maxConnections: 4 }, migrations) }
})

/** The queue and the handlers over one connection. */
export const queueLayer = (
  database: Layer.Layer<Database.DatabaseClient, unknown>,
  handlers: ReadonlyArray<JobHandler>
) =>
  Layer.mergeAll(JobQueue.layer, JobHandlers.layer(handlers)).pipe(
    Layer.provideMerge(Store.layer),
    Layer.provideMerge(database)
  )
