// Sign-in's tables with time moved by TestClock (in-memory PGlite): e-mail tokens and sessions expire, and a
// rate-limit window opens again once it has passed.
import { assert, layer } from "@effect/vitest"
import { Duration, Effect, Layer, Option, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { TestClock } from "effect/testing"
import { CurrentPrincipal, system } from "../../../core/access/Principal.ts"
import { ContactId } from "../../../core/domain/Ids.ts"
import { Store } from "../../../core/store/Store.ts"
import * as StoreLayer from "../../../core/store/StoreLayer.ts"
import { AuthSettings, type AuthSettingsShape } from "../../../starter/auth/AuthSettings.ts"
import { LoginTokens } from "../../../starter/auth/LoginTokens.ts"
import { RateLimiter } from "../../../starter/auth/RateLimiter.ts"
import { Sessions } from "../../../starter/auth/Sessions.ts"
import { portalMigrations } from "../../../starter/migrations/index.ts"

const window = Duration.minutes(15)
const settings: AuthSettingsShape = {
  publicUrl: new URL("http://portal.test"),
  secret: Redacted.make("sign-in-tables-test-secret-0123456789"),
  linkKeys: [{ id: "k1", secret: Redacted.make("link-key-for-the-sign-in-tables-test-0123") }],
  apiKeys: [],
  sessionTtl: Duration.hours(1),
  emailLinkTtl: Duration.minutes(15),
  rateLimits: { perEmail: { limit: 2, window }, perIp: { limit: 2, window } },
  sso: undefined,
  trustProxy: false,
  demo: false
}

const seeded = Layer.effectDiscard(
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const store = yield* Store
    yield* store
      .withScope(
        Effect.gen(function* () {
          yield* sql`insert into portico.accounts (id, source, external_id, number, name, tier, currency, content_hash)
            values ('a1', 'test', 'a1', '1', 'Acme', 'standard', 'EUR', 'x')`
          yield* sql`insert into portico.contacts (id, source, external_id, email, name, content_hash)
            values ('c1', 'test', 'c1', 'c1@acme.example', 'C One', 'x')`
          yield* sql`insert into portico.contact_account_links (contact_id, account_id, role) values ('c1', 'a1', 'admin')`
        })
      )
      .pipe(Effect.provideService(CurrentPrincipal, system("test seed")))
  })
)

const services = Layer.mergeAll(LoginTokens.layer, Sessions.layer, RateLimiter.layer).pipe(
  Layer.provideMerge(seeded),
  Layer.provideMerge(AuthSettings.layer(settings)),
  Layer.provideMerge(StoreLayer.layer({}, portalMigrations))
)

const contact = ContactId.make("c1")
const client = { ip: "127.0.0.1", userAgent: "test" }

layer(services, { timeout: 60_000 })("sign-in tables over time", (it) => {
  it.effect("an e-mail token works until its lifetime is over", () =>
    Effect.gen(function* () {
      const tokens = yield* LoginTokens
      const early = yield* tokens.issue(contact, "/statements")
      yield* TestClock.adjust(Duration.minutes(14))
      const used = yield* tokens.consume(early)
      assert.deepStrictEqual(used, { contactId: contact, returnTo: "/statements" })
      const late = yield* tokens.issue(contact, undefined)
      yield* TestClock.adjust(Duration.minutes(15))
      const refused = yield* Effect.flip(tokens.consume(late))
      assert.strictEqual(refused._tag === "LoginTokenRejected" ? refused.reason : "", "expired")
      const again = yield* Effect.flip(tokens.consume(early))
      assert.strictEqual(again._tag === "LoginTokenRejected" ? again.reason : "", "used")
    })
  )

  it.effect("a session ends at its expiry", () =>
    Effect.gen(function* () {
      const sessions = yield* Sessions
      const { cookie, session } = yield* sessions.create(
        { kind: "contact", contactId: contact },
        { stage: "complete", client }
      )
      assert.strictEqual(session.principal._tag, "ContactPrincipal")
      yield* TestClock.adjust(Duration.minutes(59))
      assert.isTrue(Option.isSome(yield* sessions.resolve(cookie)))
      yield* TestClock.adjust(Duration.minutes(1))
      assert.isTrue(Option.isNone(yield* sessions.resolve(cookie)))
    })
  )

  it.effect("a full rate-limit bucket opens again when its window has passed", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter
      const limit = settings.rateLimits.perEmail
      yield* limiter.hit("test", "someone@example.com", limit)
      yield* limiter.hit("test", "someone@example.com", limit)
      const third = yield* Effect.flip(limiter.hit("test", "someone@example.com", limit))
      assert.strictEqual(third._tag, "RateLimited")
      yield* TestClock.adjust(window)
      yield* limiter.hit("test", "someone@example.com", limit)
      yield* limiter.peek("test", "other@example.com", limit)
    })
  )
})
