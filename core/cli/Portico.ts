// The `portico` command: the root with its subcommands, and how to run it with Node.
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Effect } from "effect"
import { Command } from "effect/cli"
import { auditCommand } from "./AuditCommand.ts"
import { teardown } from "./CliFailure.ts"
import { migrateCommand } from "./MigrateCommand.ts"

/** The package version the command reports with `--version`. */
export const version = "0.1.0"

/** What the root command says about itself in `--help`. */
export const description = "Portico: invoice self-service portal tooling (store migrations, audit verification)"

/**
 * The core's subcommands. A later feature builds a bigger root the same way as `portico` below:
 * `Command.make("portico").pipe(Command.withDescription(description),
 * Command.withSubcommands([...coreSubcommands, itsCommand]))`, and runs it with `main(root)`.
 */
export const coreSubcommands = [migrateCommand, auditCommand] as const

/** `portico` with the core's subcommands. */
export const portico = Command.make("portico").pipe(
  Command.withDescription(description),
  Command.withSubcommands(coreSubcommands)
)

/**
 * Runs a root command (`portico`, or a bigger one) with `process.argv` on Node and exits with the documented exit
 * codes (see `ExitCode`).
 */
export const main = <Name extends string, Input, ContextInput, E>(
  command: Command.Command<Name, Input, ContextInput, E, Command.Environment>
): void =>
  Command.run(command, { version }).pipe(Effect.provide(NodeServices.layer), (program) =>
    NodeRuntime.runMain(program, { teardown })
  )
