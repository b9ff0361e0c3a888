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
import { portalMigrations } from "../starter/migrations/index.ts"

main(
  Command.make("portico").pipe(
    Command.withDescription(description),
    Command.withSubcommands([
      // The portal's migration list: the same database `serve` and `sync` use.
      makeMigrateCommand(portalMigrations),
      auditCommand,
      ...syncSubcommands,
      serveCommand,
      linkCommand
    ])
  )
)
