// The sync commands for the \`portico\` root: check, sync, quarantine.
export * from "./BuiltInAdapters.ts"
export * from "./CheckCommand.ts"
export * from "./QuarantineCommand.ts"
export * from "./SyncCommand.ts"
export * from "./SyncSubcommands.ts"
