// Runs a portal until interrupted: builds it (connecting and migrating the store), loads the demo data
// through the CSV adapter and the sync engine when asked, prints where it listens and, for the demo, a
// sign-in link per demo contact. Shared by `npm start` and `portico serve`.
import { Console, Duration, Effect, Result } from "effect"
import { describeDatabase } from "../../core/cli/DatabaseOptions.ts"
import { ContactId } from "../../core/domain/Ids.ts"
import { today } from "../../core/portal/PortalSettings.ts"
import type { ResolvedSource } from "../../core/sync/SourceConfig.ts"
import { MagicLinks } from "../auth/MagicLinks.ts"
import { paths } from "../auth/Paths.ts"
import type { PortalSettings } from "../config/PortalSettings.ts"
import { loadDemoData } from "../demo/DemoData.ts"
import { starterPortal } from "../main.ts"
import { selectPlugins, starterPlugins } from "../plugins/StarterPlugins.ts"

/** What to do besides serving. */
export interface RunOptions {
  /** Load the bundled demo data into the store before serving (written to `workDir` first). */
  readonly demoData?: { readonly workDir: string }
  readonly sources?: ReadonlyArray<ResolvedSource>
}

/** Serves the starter portal for `settings` until interrupted. */
export const runPortal = (settings: PortalSettings, options: RunOptions = {}) =>
  Effect.gen(function* () {
    const url = settings.auth.publicUrl.origin
    yield* Console.log(`Portico portal on ${url} (database: ${describeDatabase(settings.store)})`)
    const plugins = Result.getOrElse(selectPlugins(starterPlugins, settings.plugins), () => [])
    yield* Console.log(
      plugins.length === 0
        ? "Plugins: none (add a `plugins` section to the config file, see docs/getting-started.md)."
        : `Plugins: ${plugins.map((plugin) => `${plugin.manifest.id} ${plugin.manifest.version}`).join(", ")}`
    )
    if (options.demoData !== undefined) {
      const loaded = yield* loadDemoData({ workDir: options.demoData.workDir, today: yield* today })
      yield* Console.log(`Demo data loaded through the CSV adapter and the sync engine (run ${loaded.run.runId}).`)
      const links = yield* MagicLinks
      yield* Console.log("\nSign in as a demo contact (each link works once, for a day):")
      for (const contact of loaded.contacts) {
        const issued = yield* links.create({ contactId: ContactId.make(contact.contactId), ttl: Duration.days(1) })
        yield* Console.log(`  ${contact.name} <${contact.email}>: ${contact.description}\n    ${issued.url}`)
      }
      yield* Console.log(
        `\nOr sign in at ${url}${paths.signIn} with a demo address; the mail shows at ${url}${paths.devMail}.`
      )
    } else if (settings.demo) {
      yield* Console.log("Demo mode without demo data.")
    }
    if (settings.smtp === undefined && !settings.demo) {
      yield* Console.log("No SMTP server configured: e-mail sign-in is off (magic links and single sign-on work).")
    }
    return yield* Effect.never
  }).pipe(Effect.provide(starterPortal(settings, options.sources ?? [])), Effect.scoped)
