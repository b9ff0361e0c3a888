// One database that two "processes" reach through their own clients: on PostgreSQL a fresh database and a
// pool per process (dropped at the end); on PGlite, which holds one connection, one client shared by both.
import { randomBytes } from "node:crypto"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted, type Scope } from "effect"
import { SqlClient } from "effect/sql"
import * as Database from "../../../../core/store/Database.ts"
import type { Backend, TestDatabaseLayer } from "../../../support/Databases.ts"
import { databaseUrl } from "../../../support/Databases.ts"
import { postgresUrl } from "../../../support/Requirements.ts"
import { pluginMigrations } from "./NotificationsHarness.ts"

const admin = <A, E>(run: (sql: SqlClient.SqlClient) => Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    return yield* run(yield* SqlClient.SqlClient)
  }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(postgresUrl), maxConnections: 1 })))

/** Gives `connect`, which opens a client per call over one migrated database that lives as long as the scope. */
export const sharedDatabase = (
  backend: Backend
): Effect.Effect<{ readonly connect: () => TestDatabaseLayer }, unknown, Scope.Scope> =>
  Effect.gen(function* () {
    if (backend.name === "pglite") {
      const client = yield* Layer.build(backend.layer(pluginMigrations))
      return { connect: () => Layer.succeedContext(client) }
    }
    const name = `portico_test_${randomBytes(6).toString("hex")}`
    yield* Effect.acquireRelease(
      admin((sql) => sql.unsafe(`create database ${name}`)),
      () => Effect.orDie(admin((sql) => sql.unsafe(`drop database if exists ${name} with (force)`)))
    )
    const url = Redacted.make(databaseUrl(name))
    // Migrate once, before any process connects, so the processes do not race to migrate.
    yield* Layer.build(Database.layer({ url, maxConnections: 1 }, pluginMigrations))
    return { connect: () => Database.connect({ url, maxConnections: 4 }) }
  })
