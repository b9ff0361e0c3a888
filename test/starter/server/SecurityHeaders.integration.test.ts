// Security headers on real responses: the CSP without inline script, frame-ancestors from configuration,
// the business's trusted sites and analytics in the CSP, no-store on documents, cached assets.
import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { Browser } from "./support/Browser.ts"
import { TestPortal, testPortal } from "./support/TestPortal.ts"

const directives = (csp: string): Map<string, ReadonlyArray<string>> =>
  new Map(
    csp.split(";").map((part) => {
      const [name = "", ...sources] = part.trim().split(/\s+/)
      return [name, sources] as const
    })
  )

layer(testPortal({ backend: "pglite" }), { timeout: 60_000, excludeTestServices: true })("default headers", (it) => {
  it.effect("pages, redirects and 404s carry the policy; scripts are same-origin only", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestPortal
      const browser = new Browser(baseUrl)
      for (const path of ["/sign-in", "/test/whoami", "/no-such-page"]) {
        const reply = yield* browser.get(path)
        const csp = directives(reply.headers.get("content-security-policy") ?? "")
        assert.deepStrictEqual(csp.get("script-src"), ["'self'"], path)
        assert.notInclude(csp.get("script-src") ?? [], "'unsafe-inline'")
        assert.deepStrictEqual(csp.get("frame-ancestors"), ["'none'"])
        assert.include(csp.get("img-src") ?? [], "data:")
        assert.strictEqual(reply.headers.get("x-content-type-options"), "nosniff")
        assert.strictEqual(reply.headers.get("referrer-policy"), "no-referrer")
        assert.strictEqual(reply.headers.get("cache-control"), "no-store")
        assert.strictEqual(reply.headers.get("x-frame-options"), "DENY")
        assert.isNull(reply.headers.get("strict-transport-security"))
      }
      const page = yield* browser.get("/sign-in")
      assert.notMatch(page.body, /<script(?![^>]*\ssrc=)[^>]*>/)
      const css = yield* browser.get("/assets/theme.css")
      assert.strictEqual(css.status, 200)
      assert.include(css.body, "--portico-accent: #1d4ed8")
      assert.strictEqual(css.headers.get("cache-control"), "public, max-age=300")
    })
  )
})

layer(
  testPortal({
    backend: "pglite",
    overrides: {
      embedding: { frameAncestors: ["https://app.example.com"] },
      branding: {
        stylesheets: ["https://cdn.example.com/brand.css"],
        scripts: ["https://cdn.example.com/brand.js"],
        trustedSources: { font: ["https://fonts.example.com"] },
        analyticsId: "G-TEST1234"
      }
    }
  }),
  { timeout: 60_000, excludeTestServices: true }
)("configured headers", (it) => {
  it.effect("frame-ancestors, the business's sites and analytics are in the policy and the pages", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestPortal
      const browser = new Browser(baseUrl)
      const reply = yield* browser.get("/sign-in")
      const csp = directives(reply.headers.get("content-security-policy") ?? "")
      assert.deepStrictEqual(csp.get("frame-ancestors"), ["https://app.example.com"])
      assert.isNull(reply.headers.get("x-frame-options"))
      assert.deepStrictEqual(csp.get("script-src"), [
        "'self'",
        "https://cdn.example.com",
        "https://www.googletagmanager.com"
      ])
      assert.include(csp.get("style-src") ?? [], "https://cdn.example.com")
      assert.include(csp.get("font-src") ?? [], "https://fonts.example.com")
      assert.include(csp.get("connect-src") ?? [], "https://www.google-analytics.com")
      assert.include(reply.body, '<link rel="stylesheet" href="https://cdn.example.com/brand.css">')
      assert.include(reply.body, '<script src="https://cdn.example.com/brand.js" defer></script>')
      assert.include(reply.body, '<script src="/assets/analytics.js" defer></script>')
      const analytics = yield* browser.get("/assets/analytics.js")
      assert.include(analytics.body, '"G-TEST1234"')
    })
  )
})
