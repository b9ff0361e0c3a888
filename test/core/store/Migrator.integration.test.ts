// Migrations against both backends: applied once, idempotent on restart, a changed migration is an error
// naming it, an unknown applied one too, and concurrent starts serialise on the advisory lock.
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { SqlClient } from "effect/sql"
import { checksum, migration } from "../../../core/store/Migration.ts"
import { migrate } from "../../../core/store/Migrator.ts"
import { coreMigrations } from "../../../core/store/migrations/coreMigrations.ts"
import { backends } from "../../support/Databases.ts"

const all = await backends()

for (const backend of all) {
  describe.skipIf(!backend.availability.available)(`Migrator (${backend.name})`, () => {
    layer(backend.layer())((it) => {
      it.effect("records every core migration with its checksum", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const rows = yield* sql<{ id: string; checksum: string }>`
            select id, checksum from portico.schema_migrations order by position`
          assert.deepStrictEqual(
            rows.map((row) => [row.id, row.checksum]),
            coreMigrations.map((m) => [m.id, checksum(m)])
          )
        })
      )

      it.effect("a second run applies nothing", () =>
        Effect.gen(function* () {
          const report = yield* migrate(coreMigrations)
          assert.deepStrictEqual(report, { applied: [], alreadyApplied: coreMigrations.length })
        })
      )

      it.effect("concurrent runs apply a new migration exactly once", () =>
        Effect.gen(function* () {
          const extra = migration("test/0001_extra", ["create table portico.extra (id int primary key)"])
          const reports = yield* Effect.all(
            [
              migrate([...coreMigrations, extra]),
              migrate([...coreMigrations, extra]),
              migrate([...coreMigrations, extra])
            ],
            { concurrency: "unbounded" }
          )
          assert.deepStrictEqual(reports.map((r) => r.applied.length).sort(), [0, 0, 1])
        })
      )

      it.effect("a changed applied migration is a typed error naming it, and nothing re-runs", () =>
        Effect.gen(function* () {
          const changed = coreMigrations.map((m, index) =>
            index === 1 ? { ...m, statements: [...m.statements, "select 1"] } : m
          )
          const exit = yield* Effect.exit(migrate(changed))
          assert.isTrue(Exit.isFailure(exit))
          const error = yield* Effect.flip(migrate(changed))
          assert.strictEqual(error._tag, "MigrationError")
          if (error._tag === "MigrationError") {
            assert.strictEqual(error.migrationId, "core/0002_row_level_security")
            assert.strictEqual(error.problem, "checksum-mismatch")
          }
        })
      )

      it.effect("an applied migration the code does not know is an error", () =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(migrate(coreMigrations))
          assert.strictEqual(error._tag, "MigrationError")
          if (error._tag === "MigrationError") {
            assert.strictEqual(error.migrationId, "test/0001_extra")
            assert.strictEqual(error.problem, "unknown-applied")
          }
        })
      )

      it.effect("duplicate ids are refused before touching the database", () =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(migrate([...coreMigrations, coreMigrations[0]!]))
          assert.strictEqual(error._tag, "MigrationError")
          if (error._tag === "MigrationError") assert.strictEqual(error.problem, "duplicate-id")
        })
      )
    })
  })
}
