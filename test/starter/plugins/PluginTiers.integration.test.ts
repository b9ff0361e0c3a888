// The starter's `pluginTiers` setting, through the starter's own composition: the demo (notifications and
// reminders on) with `pluginTiers: { "reminders": ["premium"] }` in its config file: the registry has
// reminders on for premium accounts only, and the reminders preview holds the premium accounts' open invoices
// and none of the standard accounts' (which it would hold without the setting). An entry naming an unknown
// plugin stops start-up.
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Clock, Effect, Exit, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { Tier } from "../../../core/domain/Account.ts"
import { AccountId } from "../../../core/domain/Ids.ts"
import { addDays } from "../../../core/domain/LocalDate.ts"
import type { JobWorkerOptions } from "../../../core/jobs/JobWorker.ts"
import { PluginRegistry } from "../../../core/plugin/PluginRegistry.ts"
import { dayIn } from "../../../core/portal/PortalSettings.ts"
import { Reminders } from "../../../plugins/reminders/index.ts"
import { withDemoPlugins } from "../../../starter/config/DemoPlugins.ts"
import { PortalConfigFile } from "../../../starter/config/PortalConfig.ts"
import { resolvePortalSettings } from "../../../starter/config/PortalSettings.ts"
import { loadDemoData } from "../../../starter/demo/DemoData.ts"
import { starterPortal } from "../../../starter/main.ts"

/** A PGlite folder, removed with the scope. */
const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "portico-plugin-tiers-"))),
  (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
)

/** The demo's settings from a config file holding `pluginTiers` (decoded as `npm start` decodes it). */
const demoSettings = (pluginTiers: unknown, dir: string) =>
  Effect.gen(function* () {
    const file = yield* Schema.decodeUnknownEffect(PortalConfigFile)({ pluginTiers })
    const settings = yield* resolvePortalSettings({
      file: withDemoPlugins(file),
      overrides: { host: "127.0.0.1", port: 0, demo: true, secret: "test-secret-0123456789abcdef0123456789abcdef" },
      store: { dataDir: join(dir, "db") }
    })
    const jobs: JobWorkerOptions = { pollInterval: "100 millis" }
    return { ...settings, jobs }
  })

const days = 60

describe("pluginTiers in the starter", () => {
  it.live(
    "reminders switched on for the premium tier only: standard accounts get no reminders",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const settings = yield* demoSettings({ reminders: ["premium"] }, dir)
        yield* Effect.gen(function* () {
          const today = dayIn("UTC", yield* Clock.currentTimeMillis)
          yield* loadDemoData({ workDir: join(dir, "demo"), today })
          const registry = yield* PluginRegistry
          const premium = Tier.make("premium")
          const standard = Tier.make("standard")
          assert.deepStrictEqual(
            [registry.isEnabled("reminders", premium), registry.isEnabled("reminders", standard)],
            [true, false]
          )
          assert.deepStrictEqual(
            [registry.isEnabled("notifications", premium), registry.isEnabled("notifications", standard)],
            [true, true]
          )
          const gate = registry.gate("reminders")
          assert.deepStrictEqual(
            [yield* gate.allows(AccountId.make("demo:C1001")), yield* gate.allows(AccountId.make("demo:C1002"))],
            [true, false]
          )

          // What the preview would hold without the switch: every open invoice with a step in the window
          // (the default sequence starts 3 days before the due date; a missed step goes out on the first day).
          const sql = yield* SqlClient.SqlClient
          const open = yield* sql<{ id: string; tier: string }>`select i.id, a.tier from portico.invoices i
            join portico.accounts a on a.id = i.account_id
            where i.status in ('open', 'partially-paid') and i.open_minor > 0
              and i.due_date <= ${addDays(today, days - 1 + 3)}::date
            order by i.id`
          const ofTier = (tier: string) =>
            open
              .filter((row) => row.tier === tier)
              .map((row) => row.id)
              .sort()
          assert.isNotEmpty(ofTier("standard"), "the demo has standard accounts' invoices to remind")
          assert.isNotEmpty(ofTier("premium"))

          const planned = yield* (yield* Reminders).preview({ from: today, days })
          assert.deepStrictEqual([...new Set(planned.map((line) => line.invoiceId))].sort(), ofTier("premium"))
        }).pipe(Effect.provide(starterPortal(settings)))
      }).pipe(Effect.scoped),
    120_000
  )

  it.live(
    "an entry naming an unknown plugin stops start-up",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const settings = yield* demoSettings({ reminder: ["premium"] }, dir)
        const exit = yield* Effect.exit(Layer.build(starterPortal(settings)))
        assert.isTrue(Exit.isFailure(exit))
        assert.strictEqual(
          Exit.isFailure(exit) ? String(Cause.squash(exit.cause)) : "",
          'UnknownPlugin: pluginTiers.reminder: no plugin "reminder" in this portal (it has: notifications, reminders, comments, analytics, payments)'
        )
      }).pipe(Effect.scoped),
    120_000
  )
})
