// The reminders plugin's migrations, run after the notifications plugin's.
import type { Migration } from "../../../core/store/Migration.ts"
import { remindersTables } from "./0001_reminders.ts"

export { remindersTables } from "./0001_reminders.ts"

/** The plugin's migrations, oldest first. Never edit a released entry: add a new one. */
export const remindersMigrations: ReadonlyArray<Migration> = [remindersTables]
