// The whole store as one layer: the database (connected and migrated) and every repository over it.
import { Layer } from "effect"
import { AuditLog } from "../audit/AuditLog.ts"
import { AccountSummaries } from "./AccountSummaries.ts"
import { Accounts } from "./Accounts.ts"
import * as Database from "./Database.ts"
import { Documents } from "./Documents.ts"
import { Invoices } from "./Invoices.ts"
import type { Migration } from "./Migration.ts"
import { coreMigrations } from "./migrations/coreMigrations.ts"
import { SignedLinkStore } from "./SignedLinkStore.ts"
import { Statements } from "./Statements.ts"
import { Store } from "./Store.ts"
import type { StoreConfig } from "./StoreConfig.ts"
import { SyncState } from "./SyncState.ts"
import { SyncStore } from "./SyncStore.ts"

/** Every repository and the audit log, over a `Database` client (SqlClient) provided from outside. */
export const repositories = Layer.mergeAll(
  Invoices.layer,
  Accounts.layer,
  AccountSummaries.layer,
  Statements.layer,
  Documents.layer,
  SignedLinkStore.layer,
  SignedLinkStore.revokedLinks,
  SyncStore.layer,
  SyncState.layer,
  AuditLog.layer
).pipe(Layer.provideMerge(Store.layer))

/**
 * The store for `config`: connects (embedded PGlite or a server), applies `migrations` (the core's by
 * default), and provides every repository, the audit log, `Store`, `RevokedLinks` and the SQL client.
 */
export const layer = (config: StoreConfig, migrations: ReadonlyArray<Migration> = coreMigrations) =>
  repositories.pipe(Layer.provideMerge(Database.layer(config, migrations)))
