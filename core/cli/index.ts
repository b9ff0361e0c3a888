// The `portico` command-line tool: its commands, config file format and exit codes, for extension.
export * from "./AuditCommand.ts"
export * from "./CliFailure.ts"
export * from "./ConfigFile.ts"
export * from "./DatabaseOptions.ts"
export * from "./MigrateCommand.ts"
export * from "./Portico.ts"
