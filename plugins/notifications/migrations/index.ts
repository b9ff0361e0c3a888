// The notifications plugin's migrations, run after the core's, the jobs' and the portal's.
import type { Migration } from "../../../core/store/Migration.ts"
import { notificationsTables } from "./0001_notifications.ts"

export { notificationsTables } from "./0001_notifications.ts"

/** The plugin's migrations, oldest first. Never edit a released entry: add a new one. */
export const notificationsMigrations: ReadonlyArray<Migration> = [notificationsTables]
