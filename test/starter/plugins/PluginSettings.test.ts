// The `plugins` config section: read from the file and from PORTICO_PLUGINS (which replaces the file's entries
// of the same ids), kept redacted in the portal's settings, and turned into the list of plugins to load.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeServices } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Redacted, Result, Schema } from "effect"
import { PortalConfigFile } from "../../../starter/config/PortalConfig.ts"
import { fileAndStore, type PortalFlagValues } from "../../../starter/config/PortalFlags.ts"
import { resolvePortalSettings } from "../../../starter/config/PortalSettings.ts"
import { sectionOf, selectPlugins, starterPlugins } from "../../../starter/plugins/StarterPlugins.ts"

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
})
