// The portal's migrations, appended after the core's and the sync engine's.
import type { Migration } from "../../store/Migration.ts"
import { portalProfile } from "./0001_portal_profile.ts"

export { portalProfile } from "./0001_portal_profile.ts"

/** The portal's own migrations, oldest first. Never edit a released entry: add a new one. */
export const portalUseCaseMigrations: ReadonlyArray<Migration> = [portalProfile]
