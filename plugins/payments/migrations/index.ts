// The payments plugin's migrations, run after the core's and the job queue's.
import type { Migration } from "../../../core/store/Migration.ts"
import { paymentsTables } from "./0001_payments.ts"

export { paymentsTables } from "./0001_payments.ts"

/** The plugin's migrations, oldest first. */
export const paymentsMigrations: ReadonlyArray<Migration> = [paymentsTables]
