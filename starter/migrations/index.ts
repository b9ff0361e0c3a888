// The starter's migrations (sign-in tables), appended after the core's and the sync engine's.
export { authTables } from "./0001_auth.ts"
export { portalMigrations, portalMigrationsWith, starterMigrations } from "./starterMigrations.ts"
