// The sync commands as one list, for the root command to add to its own.
import { checkCommand } from "./CheckCommand.ts"
import { quarantineCommand } from "./QuarantineCommand.ts"
import { syncCommand } from "./SyncCommand.ts"

/** Add these to the root: \`Command.withSubcommands([...coreSubcommands, ...syncSubcommands])\`. */
export const syncSubcommands = [checkCommand, syncCommand, quarantineCommand] as const
