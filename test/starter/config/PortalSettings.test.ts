// Resolving the portal's settings: defaults, flags over the file, failures that name the field, secrets
// that never print, and the CSP sources branding adds.
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Redacted } from "effect"
import { defaultTheme } from "../../../core/render/Theme.ts"
import { resolvePortalSettings } from "../../../starter/config/PortalSettings.ts"

const secret = "0123456789abcdef0123456789abcdef-secret"

describe("resolvePortalSettings", () => {
  it.effect("fills defaults and derives the public URL", () =>
    Effect.gen(function* () {
      const settings = yield* resolvePortalSettings({ file: {}, store: {}, overrides: { secret } })
      assert.strictEqual(settings.host, "127.0.0.1")
      assert.strictEqual(settings.port, 3000)
      assert.strictEqual(settings.auth.publicUrl.toString(), "http://127.0.0.1:3000/")
      assert.strictEqual(Duration.toMinutes(settings.auth.sessionTtl), 720)
      assert.strictEqual(settings.auth.rateLimits.perEmail.limit, 5)
      assert.isFalse(settings.security.https)
      assert.deepStrictEqual(settings.security.frameAncestors, [])
      assert.strictEqual(settings.auth.linkKeys.length, 1)
    })
  )

  it.effect("flags and environment win over the file; https turns on HSTS", () =>
    Effect.gen(function* () {
      const settings = yield* resolvePortalSettings({
        file: { portal: { port: 4000, publicUrl: "http://portal.local:4000", secret: Redacted.make(secret) } },
        store: {},
        overrides: { publicUrl: "https://billing.example.com" }
      })
      assert.strictEqual(settings.port, 4000)
      assert.strictEqual(settings.auth.publicUrl.origin, "https://billing.example.com")
      assert.isTrue(settings.security.https)
    })
  )

  it.effect("a portal that is not a demo needs a secret; a demo gets the one it is given", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(resolvePortalSettings({ file: {}, store: {}, overrides: {} }))
      assert.include(missing.message, "PORTICO_SECRET")
      const demo = yield* resolvePortalSettings({
        file: {},
        store: {},
        overrides: { demo: true },
        demoSecret: Redacted.make(secret)
      })
      assert.strictEqual(Redacted.value(demo.auth.secret), secret)
      assert.notInclude(String(demo.auth.secret), secret)
      assert.notInclude(JSON.stringify(demo.auth.linkKeys), "0123456789abcdef")
    })
  )

  it.effect("bad values fail with the field named", () =>
    Effect.gen(function* () {
      const port = yield* Effect.flip(
        resolvePortalSettings({ file: {}, store: {}, overrides: { secret, port: 70000 } })
      )
      assert.include(port.message, "port")
      const short = yield* Effect.flip(resolvePortalSettings({ file: {}, store: {}, overrides: { secret: "short" } }))
      assert.include(short.message, "secret")
      const source = yield* Effect.flip(
        resolvePortalSettings({
          file: {},
          store: {},
          overrides: { secret, branding: { trustedSources: { script: ["'unsafe-inline'"] } } }
        })
      )
      assert.include(source.message, "https origin")
      const ancestors = yield* Effect.flip(
        resolvePortalSettings({ file: {}, store: {}, overrides: { secret, embedding: { frameAncestors: ["*"] } } })
      )
      assert.include(ancestors.message, "frameAncestors")
    })
  )

  it.effect("a theme below WCAG AA contrast is refused", () =>
    Effect.gen(function* () {
      const pale = { ...defaultTheme, colors: { ...defaultTheme.colors, text: "#eeeeee" } }
      const error = yield* Effect.flip(
        resolvePortalSettings({ file: { portal: { branding: { theme: pale } } }, store: {}, overrides: { secret } })
      )
      assert.include(error.message, "contrast")
    })
  )

  it.effect("branding's script and stylesheet origins join the CSP", () =>
    Effect.gen(function* () {
      const settings = yield* resolvePortalSettings({
        file: {},
        store: {},
        overrides: {
          secret,
          branding: {
            scripts: ["https://cdn.example.com/a.js", "/local.js"],
            stylesheets: ["https://styles.example.com/b.css"]
          }
        }
      })
      assert.deepStrictEqual(settings.security.trusted.script, ["https://cdn.example.com"])
      assert.deepStrictEqual(settings.security.trusted.style, ["https://styles.example.com"])
      assert.deepStrictEqual(settings.branding.scripts, ["https://cdn.example.com/a.js", "/local.js"])
    })
  )
})
