// Magic links over HTTP: the host-app API (key check, create, list, revoke), following links, refusals of
// expired, tampered and revoked links, one-invoice scope, and single-use contact links.
import { assert, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { sign } from "../../../core/access/SignedLink.ts"
import { AccountId, InvoiceId } from "../../../core/domain/Ids.ts"
import { Browser } from "../server/support/Browser.ts"
import { linkApi, whoami } from "../server/support/SignInSteps.ts"
import { TestPortal, testPortal } from "../server/support/TestPortal.ts"

const Created = Schema.Struct({
  id: Schema.String,
  url: Schema.String,
  kind: Schema.String,
  accountId: Schema.String,
  invoiceId: Schema.NullOr(Schema.String),
  expiresAt: Schema.String
})
const decodeCreated = Schema.decodeUnknownSync(Schema.fromJsonString(Created))
const Listed = Schema.Struct({
  links: Schema.Array(Schema.Struct({ id: Schema.String, revokedAt: Schema.NullOr(Schema.String) }))
})
const decodeListed = Schema.decodeUnknownSync(Schema.fromJsonString(Listed))

const create = (body: unknown) =>
  Effect.gen(function* () {
    const { baseUrl } = yield* TestPortal
    const reply = yield* linkApi(new Browser(baseUrl), "POST", "/api/links", body)
    assert.strictEqual(reply.status, 201, reply.body)
    return decodeCreated(reply.body)
  })

layer(testPortal({ backend: "pglite", overrides: { rateLimits: { perIp: 1000 } } }), {
  timeout: 60_000,
  excludeTestServices: true
})("magic links", (it) => {
  it.effect("the API refuses a missing or wrong key with 401", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestPortal
      const browser = new Browser(baseUrl)
      const none = yield* browser.request("/api/links", {
        method: "POST",
        body: JSON.stringify({ accountId: "demo:C1001" }),
        headers: { "content-type": "application/json" }
      })
      assert.strictEqual(none.status, 401)
      const wrong = yield* linkApi(browser, "POST", "/api/links", { accountId: "demo:C1001" }, "not-the-key")
      assert.strictEqual(wrong.status, 401)
      const list = yield* linkApi(browser, "GET", "/api/links?accountId=demo:C1001", undefined, "not-the-key")
      assert.strictEqual(list.status, 401)
    })
  )

  it.effect("creates, lists and revokes links; a revoked link is refused and its session ends", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestPortal
      const api = new Browser(baseUrl)
      const link = yield* create({ accountId: "demo:C1001", expiresInSeconds: 3600 })
      assert.strictEqual(link.kind, "account")
      const listed = decodeListed((yield* linkApi(api, "GET", "/api/links?accountId=demo:C1001")).body)
      assert.isTrue(listed.links.some((l) => l.id === link.id && l.revokedAt === null))

      const visitor = new Browser(baseUrl)
      const followed = yield* visitor.get(link.url)
      assert.strictEqual(followed.status, 303)
      const me = yield* whoami(visitor)
      assert.strictEqual(me.json?.principal._tag, "LinkPrincipal")

      const revoked = yield* linkApi(api, "DELETE", `/api/links/${link.id}`)
      assert.strictEqual(revoked.status, 200)
      const after = decodeListed((yield* linkApi(api, "GET", "/api/links?accountId=demo:C1001")).body)
      assert.isTrue(after.links.some((l) => l.id === link.id && l.revokedAt !== null))
      assert.strictEqual((yield* whoami(visitor)).status, 401)
      const again = yield* new Browser(baseUrl).get(link.url)
      assert.strictEqual(again.status, 403)
      assert.strictEqual((yield* linkApi(api, "DELETE", "/api/links/no-such-link")).status, 404)
    })
  )

  it.effect("a link to one invoice opens that invoice and no other", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestPortal
      const link = yield* create({ invoiceId: "demo:INV-1004" })
      assert.strictEqual(link.kind, "invoice")
      assert.strictEqual(link.accountId, "demo:C1001")
      const visitor = new Browser(baseUrl)
      const followed = yield* visitor.get(link.url)
      assert.strictEqual(followed.status, 303)
      assert.strictEqual(followed.location, "/invoices/demo%3AINV-1004")
      const own = yield* visitor.get("/invoices/demo:INV-1004")
      assert.strictEqual(own.status, 200)
      assert.include(own.body, "INV-1004")
      const other = yield* visitor.get("/invoices/demo:INV-1001")
      assert.strictEqual(other.status, 404)
    })
  )

  it.effect("expired and tampered links are refused", () =>
    Effect.gen(function* () {
      const { baseUrl, settings } = yield* TestPortal
      const expired = sign(settings.auth.linkKeys, {
        id: "expired-link",
        accountId: AccountId.make("demo:C1001"),
        invoiceId: InvoiceId.make("demo:INV-1004"),
        permissions: ["view-invoices"],
        expiresAt: Date.now() - 1000
      })
      const refused = yield* new Browser(baseUrl).get(`/auth/link?token=${expired}`)
      assert.strictEqual(refused.status, 403)
      assert.isUndefined(refused.headers.getSetCookie().find((c) => c.startsWith("portico_session=")))

      const good = yield* create({ accountId: "demo:C1001" })
      const token = new URL(good.url).searchParams.get("token") ?? ""
      const [keyId, payload, mac] = token.split(".")
      // Another account in the payload, the original signature.
      const forgedPayload = Buffer.from(
        Buffer.from(payload ?? "", "base64url")
          .toString("utf8")
          .replace("demo:C1001", "demo:C1002")
      ).toString("base64url")
      const tampered = yield* new Browser(baseUrl).get(`/auth/link?token=${keyId}.${forgedPayload}.${mac}`)
      assert.strictEqual(tampered.status, 403)
      const garbage = yield* new Browser(baseUrl).get("/auth/link?token=not-a-token")
      assert.strictEqual(garbage.status, 403)
    })
  )

  it.effect("a contact link signs the contact in once, into the account it names", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestPortal
      const link = yield* create({ contactId: "demo:K1", accountId: "demo:C1003", returnTo: "/statements" })
      assert.strictEqual(link.kind, "contact")
      const visitor = new Browser(baseUrl)
      const followed = yield* visitor.get(link.url)
      assert.strictEqual(followed.status, 303)
      assert.strictEqual(followed.location, "/statements")
      const me = yield* whoami(visitor)
      const principal = me.json?.principal
      assert.strictEqual(principal?._tag, "ContactPrincipal")
      assert.strictEqual(principal?._tag === "ContactPrincipal" ? principal.activeAccountId : "", "demo:C1003")
      const second = yield* new Browser(baseUrl).get(link.url)
      assert.strictEqual(second.status, 403)
    })
  )

  it.effect("refuses links to things that do not go together, and foreign return-to paths", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestPortal
      const api = new Browser(baseUrl)
      const notLinked = yield* linkApi(api, "POST", "/api/links", { contactId: "demo:K3", accountId: "demo:C1001" })
      assert.strictEqual(notLinked.status, 422)
      const wrongAccount = yield* linkApi(api, "POST", "/api/links", {
        invoiceId: "demo:INV-1004",
        accountId: "demo:C1002"
      })
      assert.strictEqual(wrongAccount.status, 422)
      const noAccount = yield* linkApi(api, "POST", "/api/links", { accountId: "demo:C9999" })
      assert.strictEqual(noAccount.status, 422)
      assert.include(noAccount.body, "no such account")
      const nothing = yield* linkApi(api, "POST", "/api/links", {})
      assert.strictEqual(nothing.status, 422)
      const openRedirect = yield* linkApi(api, "POST", "/api/links", {
        accountId: "demo:C1001",
        returnTo: "https://evil.example/"
      })
      assert.strictEqual(openRedirect.status, 400)
      // A return-to smuggled into a valid link's URL is ignored.
      const link = yield* create({ accountId: "demo:C1001" })
      const token = new URL(link.url).searchParams.get("token") ?? ""
      const followed = yield* new Browser(baseUrl).get(
        `/auth/link?token=${token}&return_to=${encodeURIComponent("//evil.example/x")}`
      )
      assert.strictEqual(followed.status, 303)
      assert.strictEqual(followed.location, "/")
    })
  )
})

layer(testPortal({ backend: "pglite", overrides: { rateLimits: { perIp: 2 } } }), {
  timeout: 60_000,
  excludeTestServices: true
})("magic link attempts per IP address", (it) => {
  it.effect("only refused links count; once the address has too many, even a good link waits", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestPortal
      const link = yield* create({ accountId: "demo:C1001" })
      for (let i = 0; i < 3; i++) {
        assert.strictEqual((yield* new Browser(baseUrl).get(link.url)).status, 303)
      }
      assert.strictEqual((yield* new Browser(baseUrl).get("/auth/link?token=bad")).status, 403)
      assert.strictEqual((yield* new Browser(baseUrl).get("/auth/link?token=bad")).status, 403)
      const blocked = yield* new Browser(baseUrl).get(link.url)
      assert.strictEqual(blocked.status, 429)
    })
  )
})
