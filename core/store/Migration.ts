// A migration: a namespaced id ("core/0001_initial") and the SQL statements it runs, once, forward only.
// Plugins append their own lists after the core's; the runner records a sha256 of each migration's SQL.
import { createHash } from "node:crypto"
import { Schema } from "effect"

/** `<namespace>/<4 digits>_<name>`: "core/0001_initial", "plugin-payments/0001_checkout". */
export const MigrationId = Schema.String.check(
  Schema.isPattern(/^[a-z][a-z0-9-]*\/\d{4}_[a-z0-9_]+$/, { expected: "an id such as core/0001_initial" })
).pipe(Schema.brand("MigrationId"))
export type MigrationId = typeof MigrationId.Type

/**
 * One migration. `statements` run in order, each as one SQL command (the client speaks the extended
 * protocol, which takes one command per statement), inside the runner's transaction.
 */
export interface Migration {
  readonly id: MigrationId
  readonly statements: ReadonlyArray<string>
}

/** Builds a migration, checking its id (throws on a malformed id: migrations are literals in code). */
export const migration = (id: string, statements: ReadonlyArray<string>): Migration => ({
  id: Schema.decodeUnknownSync(MigrationId)(id),
  statements
})

/** The hex sha256 of a migration's SQL: what the runner records and compares on every start. */
export const checksum = (migration: Migration): string =>
  createHash("sha256").update(migration.statements.join("\n;\n"), "utf8").digest("hex")

/** Why migrating failed. */
export const MigrationProblem = Schema.Literals([
  /** An applied migration's SQL changed since it ran. */
  "checksum-mismatch",
  /** The database has a migration this code does not know (it was migrated by a newer version). */
  "unknown-applied",
  /** Two migrations in the list share an id. */
  "duplicate-id",
  /** A statement failed. */
  "failed"
])
export type MigrationProblem = typeof MigrationProblem.Type

/** Migrating stopped: names the migration and what is wrong with it. Nothing of the run was applied. */
export class MigrationError extends Schema.TaggedError<MigrationError>()("MigrationError", {
  migrationId: Schema.String,
  problem: MigrationProblem,
  detail: Schema.String
}) {
  override get message(): string {
    return `migration ${this.migrationId}: ${this.problem}: ${this.detail}`
  }
}
