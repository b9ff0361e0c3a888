#!/usr/bin/env node
// The `portico` executable (the package's `bin`), and the composition root of the command line: the core's
// commands, the sync commands (with the built-in adapters), and the portal's `serve` and `link`.
import { Command } from "effect/cli"
import { auditCommand } from "../core/cli/AuditCommand.ts"
import { linkCommand } from "../core/cli/commands/link/index.ts"
import { serveCommand } from "../core/cli/commands/serve/index.ts"
import { syncSubcommands } from "../core/cli/commands/sync/index.ts"
import { makeMigrateCommand } from "../core/cli/MigrateCommand.ts"
import { description, main } from "../core/cli/Portico.ts"
import { starterPortalMigrations } from "../starter/plugins/StarterPlugins.ts"

main(
  Command.make("portico").pipe(
    Command.withDescription(description),
    Command.withSubcommands([
      // The starter portal's migration list, with its plugins': the same list `serve` migrates with.
      makeMigrateCommand(starterPortalMigrations),
      auditCommand,
      ...syncSubcommands,
      serveCommand,
      linkCommand
    ])
  )
)
