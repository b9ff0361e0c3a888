// Two-factor sign-in over HTTP: enrolment (QR as a data: image, confirmation, recovery codes), sign-in that
// stops at the code prompt, codes accepted once, and recovery codes that work once.
import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import * as OTPAuth from "otpauth"
import { Browser, csrfIn } from "../server/support/Browser.ts"
import { signInByEmail, whoami } from "../server/support/SignInSteps.ts"
import { TestPortal, testPortal } from "../server/support/TestPortal.ts"

const email = "carla@globex.example"

const codeAt = (secret: string, timestamp: number) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" }).generate({
    timestamp
  })

layer(testPortal({ backend: "pglite", overrides: { rateLimits: { perIp: 1000, perEmail: 1000 } } }), {
  timeout: 60_000,
  excludeTestServices: true
})("two-factor sign-in", (it) => {
  it.effect("enrol, then sign in with a code, then with a recovery code that works once", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestPortal
      const browser = new Browser(baseUrl)
      yield* signInByEmail(browser, email)

      // Enrolment.
      const security = yield* browser.get("/account/security")
      assert.strictEqual(security.status, 200)
      const enrol = yield* browser.post("/account/security/totp", { _csrf: csrfIn(security.body) ?? "" })
      assert.strictEqual(enrol.status, 200)
      assert.match(enrol.body, /<img class="qr" src="data:image\/png;base64,[A-Za-z0-9+/=]+"/)
      const secret = /<span class="secret">([A-Z2-7]+)<\/span>/.exec(enrol.body)?.[1] ?? ""
      assert.isAbove(secret.length, 16)
      const wrong = yield* browser.post("/account/security/totp/confirm", {
        code: "000000",
        _csrf: csrfIn(enrol.body) ?? ""
      })
      assert.strictEqual(wrong.status, 400)
      const again = yield* browser.post("/account/security/totp", { _csrf: csrfIn(wrong.body) ?? "" })
      const secret2 = /<span class="secret">([A-Z2-7]+)<\/span>/.exec(again.body)?.[1] ?? ""
      const now = Date.now()
      const confirmed = yield* browser.post("/account/security/totp/confirm", {
        code: codeAt(secret2, now),
        _csrf: csrfIn(again.body) ?? ""
      })
      assert.strictEqual(confirmed.status, 200)
      const codes = [...confirmed.body.matchAll(/<li>([a-z0-9]{5}-[a-z0-9]{5})<\/li>/g)].map((m) => m[1] ?? "")
      assert.strictEqual(codes.length, 10)
      const shown = yield* browser.get("/account/security")
      assert.include(shown.body, "Two-factor sign-in is on")

      // Signing in now stops at the code prompt: no access until the code.
      const second = new Browser(baseUrl)
      const pending = yield* signInByEmail(second, email)
      assert.strictEqual(pending.location, "/sign-in/second-factor")
      assert.strictEqual((yield* whoami(second)).status, 401)
      const redirect = yield* second.get("/test/whoami")
      assert.strictEqual(redirect.location, "/sign-in/second-factor")
      const prompt = yield* second.get("/sign-in/second-factor")
      assert.strictEqual(prompt.status, 200)
      const bad = yield* second.post("/sign-in/second-factor", { code: "123456", _csrf: csrfIn(prompt.body) ?? "" })
      assert.strictEqual(bad.status, 400)
      // The step used for enrolment is spent: the next step's code is accepted (the window allows one step).
      const next = codeAt(secret2, now + 30_000)
      const ok = yield* second.post("/sign-in/second-factor", { code: next, _csrf: csrfIn(bad.body) ?? "" })
      assert.strictEqual(ok.status, 303)
      assert.strictEqual(ok.location, "/")
      assert.strictEqual((yield* whoami(second)).status, 200)

      // The same code again (a replay) is refused.
      const third = new Browser(baseUrl)
      yield* signInByEmail(third, email)
      const prompt3 = yield* third.get("/sign-in/second-factor")
      const replay = yield* third.post("/sign-in/second-factor", { code: next, _csrf: csrfIn(prompt3.body) ?? "" })
      assert.strictEqual(replay.status, 400)

      // A recovery code works once.
      const recovery = yield* third.get("/sign-in/recovery")
      const used = yield* third.post("/sign-in/recovery", { code: codes[0] ?? "", _csrf: csrfIn(recovery.body) ?? "" })
      assert.strictEqual(used.status, 303)
      assert.strictEqual((yield* whoami(third)).status, 200)
      const fourth = new Browser(baseUrl)
      yield* signInByEmail(fourth, email)
      const recovery4 = yield* fourth.get("/sign-in/recovery")
      const reused = yield* fourth.post("/sign-in/recovery", {
        code: codes[0] ?? "",
        _csrf: csrfIn(recovery4.body) ?? ""
      })
      assert.strictEqual(reused.status, 400)
      const other = yield* fourth.post("/sign-in/recovery", {
        code: (codes[1] ?? "").toUpperCase(),
        _csrf: csrfIn(reused.body) ?? ""
      })
      assert.strictEqual(other.status, 303)
    })
  )
})

layer(testPortal({ backend: "pglite", overrides: { rateLimits: { perIp: 1000, perEmail: 2 } } }), {
  timeout: 60_000,
  excludeTestServices: true
})("two-factor attempts", (it) => {
  it.effect("wrong codes count against the contact; after the limit even the right code waits", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestPortal
      const browser = new Browser(baseUrl)
      yield* signInByEmail(browser, email)
      const security = yield* browser.get("/account/security")
      const enrol = yield* browser.post("/account/security/totp", { _csrf: csrfIn(security.body) ?? "" })
      const secret = /<span class="secret">([A-Z2-7]+)<\/span>/.exec(enrol.body)?.[1] ?? ""
      const now = Date.now()
      yield* browser.post("/account/security/totp/confirm", {
        code: codeAt(secret, now),
        _csrf: csrfIn(enrol.body) ?? ""
      })

      const other = new Browser(baseUrl)
      yield* signInByEmail(other, email)
      const prompt = yield* other.get("/sign-in/second-factor")
      const token = csrfIn(prompt.body) ?? ""
      assert.strictEqual((yield* other.post("/sign-in/second-factor", { code: "111111", _csrf: token })).status, 400)
      assert.strictEqual((yield* other.post("/sign-in/second-factor", { code: "222222", _csrf: token })).status, 400)
      const right = yield* other.post("/sign-in/second-factor", { code: codeAt(secret, now + 30_000), _csrf: token })
      assert.strictEqual(right.status, 429)
      assert.strictEqual((yield* whoami(other)).status, 401)
    })
  )
})
