// Applies migrations on start: in one transaction, under an advisory lock (several processes may start at
// once), checking the recorded sha256 of every applied migration. A changed or unknown applied migration is
// a typed error naming it; nothing is ever re-run.
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { sqlErrorDetail } from "./internal/sqlErrorDetail.ts"
import { checksum, type Migration, MigrationError } from "./Migration.ts"

/** What a run did: the migrations it applied now, and how many had been applied before. */
export interface MigrationReport {
  readonly applied: ReadonlyArray<string>
  readonly alreadyApplied: number
}

const AppliedRow = Schema.Struct({ id: Schema.String, checksum: Schema.String })
const decodeApplied = Schema.decodeUnknownEffect(Schema.Array(AppliedRow))

/** Fails when two migrations share an id. */
const checkUnique = (migrations: ReadonlyArray<Migration>): Effect.Effect<void, MigrationError> => {
  const seen = new Set<string>()
  for (const { id } of migrations) {
    if (seen.has(id)) {
      return Effect.fail(new MigrationError({ migrationId: id, problem: "duplicate-id", detail: "listed twice" }))
    }
    seen.add(id)
  }
  return Effect.void
}

/**
 * Brings the database up to `migrations` (in list order). Runs everything in one transaction holding
 * `pg_advisory_xact_lock`, so a concurrent start waits and then finds the work done.
 */
export const migrate = Effect.fn("Migrator.migrate")(function* (
  migrations: ReadonlyArray<Migration>
): Effect.fn.Return<MigrationReport, MigrationError | SqlError, SqlClient.SqlClient> {
  yield* checkUnique(migrations)
  const sql = yield* SqlClient.SqlClient
  return yield* sql.withTransaction(
    Effect.gen(function* () {
      yield* sql`select pg_advisory_xact_lock(hashtext('portico/migrations'))`
      yield* sql`create schema if not exists portico`
      yield* sql`create table if not exists portico.schema_migrations (
        id text primary key,
        checksum text not null,
        position int not null,
        applied_at timestamptz not null default now()
      )`
      const rows = yield* sql`select id, checksum from portico.schema_migrations order by position`.pipe(
        Effect.flatMap(decodeApplied),
        Effect.orDie
      )
      const known = new Map(migrations.map((m) => [m.id as string, m]))
      for (const row of rows) {
        const migration = known.get(row.id)
        if (migration === undefined) {
          return yield* new MigrationError({
            migrationId: row.id,
            problem: "unknown-applied",
            detail: "the database was migrated by a newer version of this code"
          })
        }
        const actual = checksum(migration)
        if (actual !== row.checksum) {
          return yield* new MigrationError({
            migrationId: row.id,
            problem: "checksum-mismatch",
            detail: `applied with sha256 ${row.checksum}, the code now has ${actual}; add a new migration instead`
          })
        }
      }
      const done = new Set(rows.map((row) => row.id))
      const pending = migrations.filter((m) => !done.has(m.id))
      let position = rows.length
      for (const migration of pending) {
        for (const statement of migration.statements) {
          yield* sql
            .unsafe(statement)
            .pipe(
              Effect.mapError(
                (error) =>
                  new MigrationError({ migrationId: migration.id, problem: "failed", detail: sqlErrorDetail(error) })
              )
            )
        }
        position += 1
        yield* sql`insert into portico.schema_migrations (id, checksum, position)
          values (${migration.id}, ${checksum(migration)}, ${position})`
      }
      return { applied: pending.map((m) => m.id), alreadyApplied: rows.length }
    })
  )
})

/** The migrations recorded as applied, in order, with their checksums (for `portico migrate --status`). */
export const applied = Effect.fn("Migrator.applied")(function* () {
  const sql = yield* SqlClient.SqlClient
  const exists = yield* sql`select to_regclass('portico.schema_migrations') is not null as present`
  if (exists[0]?.present !== true) return []
  return yield* sql`select id, checksum from portico.schema_migrations order by position`.pipe(
    Effect.flatMap(decodeApplied),
    Effect.orDie
  )
})
