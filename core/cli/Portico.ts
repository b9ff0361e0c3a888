// The `portico` command: the root with its subcommands, and how to run it with Node.
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Effect } from "effect"
import { Command } from "effect/cli"
import { auditCommand } from "./AuditCommand.ts"
import { teardown } from "./CliFailure.ts"
import { migrateCommand } from "./MigrateCommand.ts"

/** The package version the command reports with `--version`. */
export const version = "0.1.0"

/** The root command. Later features add theirs with `Command.withSubcommands` on a copy of this list. */
export const subcommands = [migrateCommand, auditCommand] as const

/** `portico`: invoice self-service portal tooling. */
export const portico = Command.make("portico").pipe(
  Command.withDescription("Portico: invoice self-service portal tooling (store migrations, audit verification)"),
  Command.withSubcommands(subcommands)
)

/** Runs `portico` with `process.argv` on Node and exits with the documented exit codes. */
export const main = (): void =>
  Command.run(portico, { version }).pipe(Effect.provide(NodeServices.layer), (program) =>
    NodeRuntime.runMain(program, { teardown })
  )
