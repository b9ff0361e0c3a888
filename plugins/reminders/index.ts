// The reminders plugin: dunning sequences, the daily run, the preview.
export * from "./DunningPlan.ts"
export * from "./migrations/index.ts"
export * from "./Reminders.ts"
export * from "./RemindersConfig.ts"
export * from "./RemindersPlugin.ts"
