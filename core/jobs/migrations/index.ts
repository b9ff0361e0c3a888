// The job queue's migrations, run after the core's: `Database.layer(config, [...coreMigrations, ...jobsMigrations])`.
import type { Migration } from "../../store/Migration.ts"
import { jobsTable } from "./0001_jobs.ts"

export { jobsTable } from "./0001_jobs.ts"

/** The job queue's migrations, oldest first. */
export const jobsMigrations: ReadonlyArray<Migration> = [jobsTable]
