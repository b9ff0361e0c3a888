// The starter's migration lists: its own, and the whole list a portal database is migrated with.

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
