// The sync engine's migrations, run after the core's: `Database.layer(config, [...coreMigrations, ...syncMigrations])`.
import type { Migration } from "../../store/Migration.ts"
import { coreMigrations } from "../../store/migrations/coreMigrations.ts"
import { syncRuns } from "./0001_sync_runs.ts"

export { syncRuns } from "./0001_sync_runs.ts"

/** The sync engine's migrations, oldest first. */
export const syncMigrations: ReadonlyArray<Migration> = [syncRuns]

/** The core's migrations followed by the sync engine's: what a store that syncs is migrated with. */
export const storeWithSyncMigrations: ReadonlyArray<Migration> = [...coreMigrations, ...syncMigrations]
