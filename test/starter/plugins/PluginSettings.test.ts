// The `plugins` config section: read from the file and from PORTICO_PLUGINS (which replaces the file's entries
// of the same ids), kept redacted in the portal's settings, and turned into the list of plugins to load; the
// settings that default to the portal's public URL; `pluginTiers`, validated against the plugins.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeServices } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Redacted, Result, Schema } from "effect"
import { Tier } from "../../../core/domain/Account.ts"
import { PaymentsConfig } from "../../../plugins/payments/PaymentsConfig.ts"
import { PortalConfigFile } from "../../../starter/config/PortalConfig.ts"
import { fileAndStore, type PortalFlagValues } from "../../../starter/config/PortalFlags.ts"
import { resolvePortalSettings } from "../../../starter/config/PortalSettings.ts"
import { selectTiers } from "../../../starter/plugins/PluginTiers.ts"
import {
  sectionOf,
  selectPlugins,
  starterPlugins,
  withPortalDefaults
} from "../../../starter/plugins/StarterPlugins.ts"

const secretUrl = "smtps://billing:hunter2-password@mail.example.com:465"

const flags = (plugins?: string, config?: string): PortalFlagValues => ({
  config: Option.fromUndefinedOr(config),
  databaseUrl: Option.none(),
  dataDir: Option.some("/tmp/portico-unused"),
  host: Option.none(),
  port: Option.none(),
  publicUrl: Option.none(),
  secret: Option.none(),
  demo: Option.none(),
  smtpUrl: Option.none(),
  mailFrom: Option.none(),
  ssoSignInUrl: Option.none(),
  frameAncestors: Option.none(),
  apiKeys: Option.none(),
  analyticsId: Option.none(),
  trustProxy: Option.none(),
  plugins: plugins === undefined ? Option.none() : Option.some(Redacted.make(plugins))
})

const resolve = (file: PortalConfigFile) =>
  resolvePortalSettings({
    file,
    overrides: { secret: "test-secret-0123456789abcdef0123456789abcdef" },
    store: {}
  })

describe("the plugins section", () => {
  it.effect("is kept redacted; plugins with an entry are loaded, in the starter's order", () =>
    Effect.gen(function* () {
      const file = Schema.decodeUnknownSync(PortalConfigFile)({
        plugins: { analytics: {}, notifications: { smtp: { url: secretUrl, from: "b@x.example" } } }
      })
      const settings = yield* resolve(file)
      assert.notInclude(String(settings.plugins), "hunter2")
      assert.notInclude(JSON.stringify(settings), "hunter2")
      const chosen = selectPlugins(starterPlugins, settings.plugins)
      assert.deepStrictEqual(
        Result.map(chosen, (plugins) => plugins.map((plugin) => plugin.manifest.id)),
        Result.succeed(["notifications", "analytics"])
      )
      // The deep links point at the portal unless the entry says otherwise.
      assert.deepStrictEqual(sectionOf(settings.plugins).notifications?.baseUrl, "http://127.0.0.1:3000")
      const none = yield* resolve({})
      assert.strictEqual(none.plugins, undefined)
      assert.deepStrictEqual(selectPlugins(starterPlugins, none.plugins), Result.succeed([]))
    })
  )

  it.effect("PORTICO_PLUGINS replaces the file's entries of the same ids and keeps the others", () =>
    Effect.gen(function* () {
      const dir = mkdtempSync(join(tmpdir(), "portico-plugin-settings-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
      const path = join(dir, "portico.json")
      writeFileSync(path, JSON.stringify({ plugins: { comments: {}, analytics: {} } }))
      const { file } = yield* fileAndStore(flags('{"comments":{"commentPermission":"pay"},"reminders":{}}', path))
      const settings = yield* resolve(file)
      assert.deepStrictEqual(sectionOf(settings.plugins), {
        comments: { commentPermission: "pay" },
        analytics: {},
        reminders: {}
      })
      const refused = yield* Effect.flip(fileAndStore(flags(`{"notifications":"${secretUrl}"}`)))
      assert.match(refused.message, /PORTICO_PLUGINS: expected a JSON object of settings by plugin id/)
      assert.notInclude(refused.message, "hunter2")
    }).pipe(Effect.provide(NodeServices.layer), Effect.scoped)
  )

  it("the payments plugin's portalUrl defaults to the portal's public URL, as notifications' baseUrl does", () => {
    const publicUrl = new URL("https://billing.example.com/")
    const provider = { kind: "stripe", secretKey: "sk_test_1", webhookSecret: "whsec_1" }
    const filled = withPortalDefaults({ payments: { provider }, notifications: {} }, publicUrl)
    assert.deepStrictEqual(filled, {
      payments: { portalUrl: "https://billing.example.com", provider },
      notifications: { baseUrl: "https://billing.example.com" }
    })
    // The default is a value the plugin's own Schema accepts.
    assert.strictEqual(
      Schema.decodeUnknownSync(PaymentsConfig)(filled.payments).portalUrl,
      "https://billing.example.com"
    )
    // An entry's own setting wins; a plugin without an entry gets none.
    const own = { provider, portalUrl: "https://pay.example.com" }
    assert.deepStrictEqual(withPortalDefaults({ payments: own }, publicUrl), { payments: own })
    assert.deepStrictEqual(withPortalDefaults({ comments: {} }, publicUrl), { comments: {} })
  })

  it.effect("pluginTiers is decoded from the file, kept in the settings, and checked against the plugins", () =>
    Effect.gen(function* () {
      const file = Schema.decodeUnknownSync(PortalConfigFile)({
        plugins: { notifications: {}, reminders: {} },
        pluginTiers: { reminders: ["premium"], analytics: [] }
      })
      const settings = yield* resolve(file)
      const premium = Tier.make("premium")
      assert.deepStrictEqual(settings.pluginTiers, { reminders: [premium], analytics: [] })
      assert.deepStrictEqual(
        selectTiers(starterPlugins, settings.pluginTiers),
        Result.succeed({ reminders: [premium], analytics: [] })
      )
      assert.deepStrictEqual(selectTiers(starterPlugins, undefined), Result.succeed({}))

      const badTier = Result.try(() =>
        Schema.decodeUnknownSync(PortalConfigFile)({ pluginTiers: { reminders: ["Premium"] } })
      )
      assert.isTrue(Result.isFailure(badTier))
      assert.match(Result.isFailure(badTier) ? String(badTier.failure) : "", /\["pluginTiers"\]\["reminders"\]\[0\]/)

      const unknown = selectTiers(starterPlugins, { reminder: [premium] })
      assert.strictEqual(
        Result.isFailure(unknown) ? unknown.failure.message : "",
        'pluginTiers.reminder: no plugin "reminder" in this portal (it has: notifications, reminders, comments, analytics, payments)'
      )
      const featured = selectTiers(starterPlugins, { payments: [premium] })
      assert.strictEqual(
        Result.isFailure(featured) ? featured.failure.message : "",
        'pluginTiers.payments: plugin "payments" is switched per tier by its tier feature "payments" (FeatureGates), not by pluginTiers'
      )
    })
  )
})
