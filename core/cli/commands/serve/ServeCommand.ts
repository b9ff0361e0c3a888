// `portico serve --config FILE`: runs the starter portal against the database and ERP sources the config
// file names: the same composition as `npm start` (starter/main.ts), without demo data unless asked for.
// Sources with a `schedule` are synced while the portal runs; sources with a `webhook` accept pushes.
import { Effect, Option, Path, Schema } from "effect"
import { Command } from "effect/cli"
import { PortalSection } from "../../../../starter/config/PortalConfig.ts"
import { fileAndStore, portalFlags, sectionOverrides } from "../../../../starter/config/PortalFlags.ts"
import { resolvePortalSettings } from "../../../../starter/config/PortalSettings.ts"
import { resolveSources, SourceEntry } from "../../../sync/SourceConfig.ts"
import { UsageError } from "../../CliFailure.ts"
import { configFileFields, readConfigFile } from "../../ConfigFile.ts"
import { builtInAdapters } from "../sync/BuiltInAdapters.ts"

/** The config file as `serve` reads it: `database`, `portal`, and optionally `sources`. */
export const ServeConfigFile = Schema.Struct({
  ...configFileFields,
  portal: Schema.optionalKey(PortalSection),
  sources: Schema.optionalKey(Schema.Array(SourceEntry))
})

/** `portico serve`. */
export const serveCommand = Command.make(
  "serve",
  portalFlags,
  Effect.fn("portico.serve")(function* (flags) {
    const path = yield* Path.Path
    const { file, store } = yield* fileAndStore(flags)
    const configPath = Option.getOrUndefined(flags.config)
    const sources =
      configPath === undefined
        ? []
        : yield* Effect.flatMap(readConfigFile(configPath, ServeConfigFile), (config) =>
            resolveSources(configPath, { ...config, sources: config.sources ?? [] }, builtInAdapters)
          )
    const settings = yield* resolvePortalSettings({ file, store, overrides: sectionOverrides(flags) }).pipe(
      Effect.mapError((error) => new UsageError({ detail: error.message }))
    )
    // Loaded on use: the portal brings the renderers and the pages, which other commands do not need.
    const { runPortal } = yield* Effect.promise(() => import("../../../../starter/server/RunPortal.ts"))
    return yield* runPortal(settings, {
      sources,
      ...(settings.demo ? { demoData: { workDir: path.resolve(".portico", "demo") } } : {})
    })
  })
).pipe(
  Command.withDescription("Run the customer portal against the configured database and ERP sources"),
  Command.withExamples([
    {
      command: "portico serve --config portico.json",
      description: "Serve with the file's database, sources and portal settings"
    },
    {
      command:
        "PORTICO_SECRET=... portico serve --database-url postgres://portico@db/portico --public-url https://billing.example.com",
      description: "Serve a PostgreSQL store behind your TLS proxy"
    }
  ])
)
