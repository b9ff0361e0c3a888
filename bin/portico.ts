#!/usr/bin/env node
// The `portico` executable (the package's `bin`): runs the command-line tool on Node 24.
import { Command } from "effect/cli"
import { linkCommand } from "../core/cli/commands/link/index.ts"
import { serveCommand } from "../core/cli/commands/serve/index.ts"
import { coreSubcommands, description, main } from "../core/cli/Portico.ts"

main(
  Command.make("portico").pipe(
    Command.withDescription(description),
    Command.withSubcommands([...coreSubcommands, serveCommand, linkCommand])
  )
)
