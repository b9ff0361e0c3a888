// `portico migrate`: brings the database's schema up to date and says what it applied.
import { Console, Effect } from "effect"
import { Command } from "effect/cli"
import { connect } from "../store/Database.ts"
import type { Migration } from "../store/Migration.ts"
import { migrate } from "../store/Migrator.ts"
import { coreMigrations } from "../store/migrations/coreMigrations.ts"
import { CommandFailed } from "./CliFailure.ts"
import { databaseFlags, describeDatabase, storeConfigFrom } from "./DatabaseOptions.ts"
import { failureDetail } from "./internal/failureDetail.ts"

/**
 * `portico migrate [--database-url URL | --config FILE]` for an application's full migration list (the core's,
 * then the sync engine's, the portal's and its plugins'): a database is migrated by the list of the app that uses
 * it, or the migrations another part applied look unknown.
 */
export const makeMigrateCommand = (migrations: ReadonlyArray<Migration>) =>
  Command.make(
    "migrate",
    databaseFlags,
    Effect.fn("portico.migrate")(function* (flags) {
      const config = yield* storeConfigFrom(flags)
      yield* Console.log(`migrating the ${describeDatabase(config)}`)
      const report = yield* migrate(migrations).pipe(
        Effect.provide(connect(config)),
        Effect.mapError((error) => new CommandFailed({ detail: `migrate failed: ${failureDetail(error)}` }))
      )
      for (const id of report.applied) yield* Console.log(`applied ${id}`)
      yield* Console.log(
        report.applied.length === 0
          ? `up to date: ${report.alreadyApplied} migrations applied before, none pending`
          : `done: ${report.applied.length} applied now, ${report.alreadyApplied} before`
      )
    })
  ).pipe(
    Command.withDescription("Apply the store's pending migrations (forward only; refuses changed applied migrations)"),
    Command.withExamples([
      { command: "portico migrate", description: "Migrate the embedded store in ./.portico/data" },
      {
        command: "portico migrate --database-url postgres://portico@db:5432/portico",
        description: "Migrate a PostgreSQL server"
      },
      { command: "portico migrate --config portico.json", description: "Use the database named in a config file" }
    ])
  )

/** `portico migrate` for the core's own migrations. */
export const migrateCommand = makeMigrateCommand(coreMigrations)
