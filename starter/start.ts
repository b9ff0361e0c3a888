// `npm start`: the starter portal with demo data. Embedded PGlite in .portico/data unless a PostgreSQL URL is
// given; migrations; the bundled demo data loaded through the CSV adapter and the sync engine; the URL and a
// sign-in link per demo contact printed; notifications and reminders on, mailing into the demo mailbox. `npm start -- --help` lists every setting (flags and environment).
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Effect, Option, Path } from "effect"
import { Command } from "effect/cli"
import { teardown } from "../core/cli/CliFailure.ts"
import { version } from "../core/cli/Portico.ts"
import { withDemoPlugins } from "./config/DemoPlugins.ts"
import { demoSecret } from "./config/DemoSecret.ts"
import { fileAndStore, portalFlags, sectionOverrides } from "./config/PortalFlags.ts"
import { resolvePortalSettings } from "./config/PortalSettings.ts"
import { runPortal } from "./server/RunPortal.ts"

const start = Command.make(
  "start",
  portalFlags,
  Effect.fn("starter.start")(function* (flags) {
    const path = yield* Path.Path
    const { file, store } = yield* fileAndStore(flags)
    // `npm start` is the demo unless told otherwise (PORTICO_DEMO=false, or a config file without `demo`).
    const overrides = sectionOverrides(flags)
    const demo = overrides.demo ?? file.portal?.demo ?? Option.isNone(flags.config)
    const folder = path.resolve(".portico")
    const settings = yield* resolvePortalSettings({
      file: demo ? withDemoPlugins(file) : file,
      store,
      overrides: { ...overrides, demo },
      demoSecret: yield* demoSecret(folder)
    })
    return yield* runPortal(settings, demo ? { demoData: { workDir: path.join(folder, "demo") } } : {})
  })
).pipe(Command.withDescription("Run the Portico starter portal (demo data by default)"))

Command.run(start, { version }).pipe(Effect.provide(NodeServices.layer), (program) =>
  NodeRuntime.runMain(program, { teardown })
)
