// A `portico` root with the core commands and the sync commands (check, sync, quarantine), run as a
// subprocess by the sync CLI tests the way bin/portico.ts runs the released root.
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Effect } from "effect"
import { Command } from "effect/cli"
import { auditCommand } from "../../../../core/cli/AuditCommand.ts"
import { teardown } from "../../../../core/cli/CliFailure.ts"
import { syncSubcommands } from "../../../../core/cli/commands/sync/index.ts"
import { migrateCommand } from "../../../../core/cli/MigrateCommand.ts"

const root = Command.make("portico").pipe(
  Command.withDescription("Portico with the sync commands"),
  Command.withSubcommands([migrateCommand, auditCommand, ...syncSubcommands])
)

Command.run(root, { version: "test" }).pipe(Effect.provide(NodeServices.layer), (program) =>
  NodeRuntime.runMain(program, { teardown })
)
