// The starter's migration lists: its own, and the whole list a portal database is migrated with (with or
// without plugins).
import { jobsMigrations } from "../../core/jobs/migrations/index.ts"
import type { AnyPlugin } from "../../core/plugin/Plugin.ts"
import { composePlugins } from "../../core/plugin/PluginRegistry.ts"
import { portalUseCaseMigrations } from "../../core/portal/migrations/index.ts"
import type { Migration } from "../../core/store/Migration.ts"
import { storeWithSyncMigrations } from "../../core/sync/migrations/index.ts"
import { authTables } from "./0001_auth.ts"

/** The starter's own migrations, oldest first. Never edit a released entry: add a new one. */
export const starterMigrations: ReadonlyArray<Migration> = [authTables]

/**
 * Everything the starter portal's database needs, in order: the core's, the sync engine's, the portal use
 * cases', then sign-in's.
 */
export const portalMigrations: ReadonlyArray<Migration> = [
  ...storeWithSyncMigrations,
  ...portalUseCaseMigrations,
  ...starterMigrations
]

/**
 * The migrations of a portal that may load `plugins`: the portal's, the job queue's, then every listed
 * plugin's in start order (each after those it requires). Both the running portal and `portico migrate` use
 * this list with the same plugins, configured or not: switching a plugin on or off in the config never leaves
 * the database with migrations the portal does not know (the migrator refuses those). Without plugins it is
 * `portalMigrations`: a portal with no plugins runs no jobs.
 */
export const portalMigrationsWith = (plugins: ReadonlyArray<AnyPlugin>): ReadonlyArray<Migration> =>
  plugins.length === 0
    ? portalMigrations
    : [...portalMigrations, ...jobsMigrations, ...composePlugins(plugins).migrations]
