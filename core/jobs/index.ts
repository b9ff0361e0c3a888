// Durable jobs in PostgreSQL: definitions, the queue, workers, recurring schedules and their migration.
export * from "./Job.ts"
export * from "./JobHandlers.ts"
export * from "./JobQueue.ts"
export * as JobWorker from "./JobWorker.ts"
export * from "./migrations/index.ts"
export * as RecurringSchedule from "./RecurringSchedule.ts"
