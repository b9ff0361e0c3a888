// Sessions over HTTP on both backends (PGlite and the PostgreSQL server): CSRF tokens on every form, server-
// side revocation, the account switcher, sign-out, and the single sign-on redirect with its return-to.
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { postgresAvailability } from "../../support/Requirements.ts"
import { Browser, csrfIn } from "../server/support/Browser.ts"
import { requestEmailLink, signInByEmail, useEmailLink, whoami } from "../server/support/SignInSteps.ts"
import { TestPortal, testPortal } from "../server/support/TestPortal.ts"

const postgres = await postgresAvailability()
const backends = [
  { name: "pglite", available: true },
  { name: "postgres", available: postgres.available }
] as const

for (const backend of backends) {
  describe.skipIf(!backend.available)(`sessions on ${backend.name}`, () => {
    layer(testPortal({ backend: backend.name, overrides: { rateLimits: { perIp: 1000, perEmail: 1000 } } }), {
      timeout: 90_000,
      excludeTestServices: true
    })((it) => {
      it.effect("a form without the CSRF token, or with another visitor's, is refused with 403", () =>
        Effect.gen(function* () {
          const { baseUrl } = yield* TestPortal
          const browser = new Browser(baseUrl)
          yield* signInByEmail(browser, "ben@northwind.example")
          const page = yield* browser.get("/account/security")
          const token = csrfIn(page.body) ?? ""
          assert.strictEqual((yield* browser.post("/test/form", {})).status, 403)
          assert.strictEqual((yield* browser.post("/test/form", { _csrf: "wrong" })).status, 403)
          const other = new Browser(baseUrl)
          yield* signInByEmail(other, "ben@northwind.example")
          const otherToken = csrfIn((yield* other.get("/account/security")).body) ?? ""
          assert.notStrictEqual(otherToken, token)
          assert.strictEqual((yield* browser.post("/test/form", { _csrf: otherToken })).status, 403)
          const json = yield* browser.request("/test/form", { method: "POST", headers: { accept: "application/json" } })
          assert.strictEqual(json.status, 403)
          assert.include(json.body, '"error":"csrf"')
          const ok = yield* browser.post("/test/form", { _csrf: token })
          assert.strictEqual(ok.status, 200)
          assert.strictEqual(ok.body, "accepted")
          const byHeader = yield* browser.request("/test/form", { method: "POST", headers: { "x-csrf-token": token } })
          assert.strictEqual(byHeader.status, 200)
          // The sign-in form is protected too, before anyone is signed in.
          const anonymous = new Browser(baseUrl)
          yield* anonymous.get("/sign-in")
          const forged = yield* anonymous.post("/sign-in", { email: "ben@northwind.example" })
          assert.strictEqual(forged.status, 403)
        })
      )

      it.effect("a session revoked on the server is refused, even with its cookie", () =>
        Effect.gen(function* () {
          const { baseUrl } = yield* TestPortal
          const browser = new Browser(baseUrl)
          yield* signInByEmail(browser, "dev@initech.example")
          const copy = new Browser(baseUrl)
          for (const [name, value] of browser.cookies) copy.cookies.set(name, value)
          assert.strictEqual((yield* whoami(copy)).status, 200)
          const page = yield* browser.get("/account/security")
          const out = yield* browser.post("/sign-out", { _csrf: csrfIn(page.body) ?? "" })
          assert.strictEqual(out.status, 303)
          assert.strictEqual(out.location, "/sign-in")
          assert.isFalse(browser.cookies.has("portico_session"))
          // The copied cookie is still well-formed and signed, but the server has revoked its session.
          assert.strictEqual((yield* whoami(copy)).status, 401)
          const forged = new Browser(baseUrl)
          forged.cookies.set("portico_session", `${"A".repeat(43)}.${"B".repeat(43)}`)
          assert.strictEqual((yield* whoami(forged)).status, 401)
        })
      )

      it.effect("signing out everywhere ends the contact's sessions on every device", () =>
        Effect.gen(function* () {
          const { baseUrl } = yield* TestPortal
          const laptop = new Browser(baseUrl)
          const phone = new Browser(baseUrl)
          yield* signInByEmail(laptop, "carla@globex.example")
          yield* signInByEmail(phone, "carla@globex.example")
          assert.strictEqual((yield* whoami(phone)).status, 200)
          const page = yield* laptop.get("/account/security")
          const out = yield* laptop.post("/account/security/sign-out-everywhere", { _csrf: csrfIn(page.body) ?? "" })
          assert.strictEqual(out.status, 303)
          assert.strictEqual((yield* whoami(laptop)).status, 401)
          assert.strictEqual((yield* whoami(phone)).status, 401)
        })
      )

      it.effect("housekeeping removes used e-mail tokens; a used link stays refused", () =>
        Effect.gen(function* () {
          const { baseUrl, sweep } = yield* TestPortal
          const browser = new Browser(baseUrl)
          const link = yield* requestEmailLink(browser, "emi@kaiju.example")
          assert.strictEqual((yield* useEmailLink(browser, link)).status, 303)
          const swept = yield* sweep
          assert.isAtLeast(swept.tokens, 1)
          assert.strictEqual((yield* useEmailLink(new Browser(baseUrl), link)).status, 400)
        })
      )

      it.effect("a contact of two accounts switches between them; a foreign account is refused", () =>
        Effect.gen(function* () {
          const { baseUrl } = yield* TestPortal
          const browser = new Browser(baseUrl)
          yield* signInByEmail(browser, "anna@northwind.example")
          const before = (yield* whoami(browser)).json?.principal
          assert.strictEqual(before?._tag === "ContactPrincipal" ? before.activeAccountId : "", "demo:C1001")
          const token = csrfIn((yield* browser.get("/account/security")).body) ?? ""
          const switched = yield* browser.post("/account/switch", {
            accountId: "demo:C1003",
            return_to: "/statements",
            _csrf: token
          })
          assert.strictEqual(switched.status, 303)
          assert.strictEqual(switched.location, "/statements")
          const after = (yield* whoami(browser)).json?.principal
          assert.strictEqual(after?._tag === "ContactPrincipal" ? after.activeAccountId : "", "demo:C1003")
          const foreign = yield* browser.post("/account/switch", { accountId: "demo:C1002", _csrf: token })
          assert.strictEqual(foreign.status, 403)
          const still = (yield* whoami(browser)).json?.principal
          assert.strictEqual(still?._tag === "ContactPrincipal" ? still.activeAccountId : "", "demo:C1003")
        })
      )

      it.effect("a visitor who is not signed in goes to sign in with the page as return-to; JSON gets 401", () =>
        Effect.gen(function* () {
          const { baseUrl } = yield* TestPortal
          const browser = new Browser(baseUrl)
          const page = yield* browser.get("/invoices/demo:INV-1001?tab=lines")
          assert.strictEqual(page.status, 303)
          assert.strictEqual(page.location, "/sign-in?return_to=%2Finvoices%2Fdemo%3AINV-1001%3Ftab%3Dlines")
          const json = yield* whoami(browser)
          assert.strictEqual(json.status, 401)
        })
      )
    })
  })
}

layer(
  testPortal({
    backend: "pglite",
    overrides: { sso: { signInUrl: "https://app.example.com/portal/sign-in", returnToParam: "next" } }
  }),
  { timeout: 60_000, excludeTestServices: true }
)("host-app single sign-on", (it) => {
  it.effect("sends a visitor who is not signed in to the host app with the page to come back to", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestPortal
      const reply = yield* new Browser(baseUrl).get("/invoices/demo:INV-1004")
      assert.strictEqual(reply.status, 303)
      const target = new URL(reply.location ?? "")
      assert.strictEqual(target.origin, "https://app.example.com")
      assert.strictEqual(target.pathname, "/portal/sign-in")
      assert.strictEqual(target.searchParams.get("next"), "/invoices/demo:INV-1004")
    })
  )
})
