// E-mail sign-in over real HTTP: through the demo mailbox, and through a real SMTP server on 127.0.0.1; the
// same answer for an unknown address; links are single-use; attempts are rate limited per address and IP.
import { assert, describe, layer } from "@effect/vitest"
import { Context, Deferred, Effect, Fiber, Layer } from "effect"
import { SMTPServer } from "smtp-server"
import { Browser, csrfIn, linkIn } from "../server/support/Browser.ts"
import { requestEmailLink, useEmailLink, whoami } from "../server/support/SignInSteps.ts"
import { TestPortal, testPortal } from "../server/support/TestPortal.ts"

const anna = "anna@northwind.example"

layer(testPortal({ backend: "pglite", overrides: { rateLimits: { perIp: 1000, perEmail: 3 } } }), {
  timeout: 60_000,
  excludeTestServices: true
})("e-mail sign-in (demo mailbox)", (it) => {
  it.effect("a link from the mailbox signs the contact in, and the mail page lists it", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestPortal
      const browser = new Browser(baseUrl)
      const link = yield* requestEmailLink(browser, anna)
      const mailPage = yield* browser.get("/dev/mail")
      assert.strictEqual(mailPage.status, 200)
      assert.include(mailPage.body, new URL(link).searchParams.get("token") ?? "missing")
      const done = yield* useEmailLink(browser, link)
      assert.strictEqual(done.status, 303)
      assert.strictEqual(done.location, "/")
      const cookie = done.headers.getSetCookie().find((line) => line.startsWith("portico_session="))
      assert.isDefined(cookie)
      assert.match(cookie ?? "", /HttpOnly/)
      assert.match(cookie ?? "", /SameSite=Lax/)
      const me = yield* whoami(browser)
      assert.strictEqual(me.status, 200)
      assert.strictEqual(me.json?.principal._tag, "ContactPrincipal")
      assert.deepStrictEqual(
        me.json?.principal._tag === "ContactPrincipal" ? me.json.principal.contactId : "",
        "demo:K1"
      )
    })
  )

  it.effect("sign-in, a refused link and sign-out are in the audit log with IP address and user agent", () =>
    Effect.gen(function* () {
      const { baseUrl, audit } = yield* TestPortal
      const browser = new Browser(baseUrl, "audit-test-agent/1.0")
      const link = yield* requestEmailLink(browser, "emi@kaiju.example")
      yield* useEmailLink(browser, link)
      yield* useEmailLink(new Browser(baseUrl, "audit-test-agent/1.0"), link)
      const page = yield* browser.get("/account/security")
      yield* browser.post("/sign-out", { _csrf: csrfIn(page.body) ?? "" })
      const account = yield* audit("demo:C1004")
      const mine = account.filter((entry) => entry.userAgent === "audit-test-agent/1.0")
      const actions = mine.map((entry) => `${entry.action}:${entry.outcome}`)
      assert.includeMembers(actions, ["sign-in-requested:success", "sign-in:success", "sign-out:success"])
      for (const entry of mine) {
        assert.strictEqual(entry.ip?.replace("::ffff:", ""), "127.0.0.1")
        // Asking for a link is the system acting for an anonymous visitor; signing in and out is the contact.
        const actor = entry.action === "sign-in-requested" ? "system" : "contact"
        assert.strictEqual(entry.actor.kind, actor)
        if (actor === "contact") assert.strictEqual(entry.actor.id, "demo:K5")
      }
      const refused = (yield* audit(null)).filter(
        (entry) => entry.userAgent === "audit-test-agent/1.0" && entry.action === "sign-in"
      )
      assert.strictEqual(refused.length, 1)
      assert.strictEqual(refused[0]?.outcome, "denied")
      assert.strictEqual(refused[0]?.reason, "e-mail link used")
    })
  )

  it.effect("an unknown address gets the identical answer and no mail", () =>
    Effect.gen(function* () {
      const { baseUrl, mailbox } = yield* TestPortal
      const known = new Browser(baseUrl)
      const unknown = new Browser(baseUrl)
      const answer = (browser: Browser, email: string) =>
        Effect.gen(function* () {
          const form = yield* browser.get("/sign-in")
          const reply = yield* browser.post("/sign-in", { email, _csrf: csrfIn(form.body) ?? "" })
          const next = yield* browser.get(reply.location ?? "/")
          return { status: reply.status, location: reply.location, page: next.body }
        })
      const b = yield* answer(unknown, "nobody@nowhere.example")
      const waiting = yield* Effect.forkChild(mailbox.next("ben@northwind.example"))
      const a = yield* answer(known, "ben@northwind.example")
      assert.deepStrictEqual(a, b)
      // The known address gets its mail; the unknown one, asked for first, got none.
      const mail = yield* Fiber.join(waiting)
      assert.strictEqual(mail.to, "ben@northwind.example")
      const all = yield* mailbox.messages
      assert.isFalse(all.some((message) => message.to === "nobody@nowhere.example"))
    })
  )

  it.effect("a link works once; a second use and a made-up token are refused", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestPortal
      const browser = new Browser(baseUrl)
      const link = yield* requestEmailLink(browser, "carla@globex.example")
      const first = yield* useEmailLink(browser, link)
      assert.strictEqual(first.status, 303)
      const again = yield* useEmailLink(new Browser(baseUrl), link)
      assert.strictEqual(again.status, 400)
      assert.include(again.body, "cannot be used")
      const forged = yield* useEmailLink(new Browser(baseUrl), `${baseUrl}/auth/email?token=${"A".repeat(43)}`)
      assert.strictEqual(forged.status, 400)
    })
  )

  it.effect("asking too often for one address is refused with 429, for known and unknown addresses alike", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestPortal
      const statuses = (email: string) =>
        Effect.gen(function* () {
          const browser = new Browser(baseUrl)
          const form = yield* browser.get("/sign-in")
          const out: Array<number> = []
          for (let i = 0; i < 4; i++) {
            out.push((yield* browser.post("/sign-in", { email, _csrf: csrfIn(form.body) ?? "" })).status)
          }
          return out
        })
      assert.deepStrictEqual(yield* statuses("dev@initech.example"), [303, 303, 303, 429])
      assert.deepStrictEqual(yield* statuses("ghost@initech.example"), [303, 303, 303, 429])
    })
  )

  it.effect("the return-to path survives the e-mail round trip; a foreign one is dropped", () =>
    Effect.gen(function* () {
      const { baseUrl, mailbox } = yield* TestPortal
      const browser = new Browser(baseUrl)
      const form = yield* browser.get("/sign-in?return_to=%2Finvoices%2Fdemo%3AINV-1001")
      assert.include(form.body, 'name="return_to" value="/invoices/demo:INV-1001"')
      const waiting = yield* Effect.forkChild(mailbox.next("emi@kaiju.example"))
      yield* browser.post("/sign-in", {
        email: "emi@kaiju.example",
        return_to: "/invoices/demo:INV-1001",
        _csrf: csrfIn(form.body) ?? ""
      })
      const mail = yield* Fiber.join(waiting)
      const link = linkIn(mail.text, `${baseUrl}/auth/email?token=`)
      const done = yield* useEmailLink(browser, link ?? "")
      assert.strictEqual(done.location, "/invoices/demo:INV-1001")
      const foreign = yield* new Browser(baseUrl).get("/sign-in?return_to=%2F%2Fevil.example%2F")
      assert.notInclude(foreign.body, "evil.example")
    })
  )
})

layer(testPortal({ backend: "pglite", overrides: { rateLimits: { perIp: 3, perEmail: 100 } } }), {
  timeout: 60_000,
  excludeTestServices: true
})("e-mail sign-in rate limit per IP address", (it) => {
  it.effect("the fourth request from one address within the window is refused, whatever the e-mail", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestPortal
      const browser = new Browser(baseUrl)
      const form = yield* browser.get("/sign-in")
      const out: Array<number> = []
      for (const email of ["a@x.example", "b@x.example", "c@x.example", "d@x.example"]) {
        out.push((yield* browser.post("/sign-in", { email, _csrf: csrfIn(form.body) ?? "" })).status)
      }
      assert.deepStrictEqual(out, [303, 303, 303, 429])
    })
  )
})

class SmtpInbox extends Context.Service<
  SmtpInbox,
  { readonly port: number; readonly received: Deferred.Deferred<string> }
>()("test/SmtpInbox") {}

// A real SMTP server on 127.0.0.1 that hands each message it receives to the test.
const smtpServer = Layer.effect(
  SmtpInbox,
  Effect.gen(function* () {
    const received = yield* Deferred.make<string>()
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, _session, callback) {
        const chunks: Array<Buffer> = []
        stream.on("data", (chunk: Buffer) => chunks.push(chunk))
        stream.on("end", () => {
          Deferred.doneUnsafe(received, Effect.succeed(Buffer.concat(chunks).toString("utf8")))
          callback()
        })
      }
    })
    const port = yield* Effect.acquireRelease(
      Effect.callback<number>((resume) => {
        server.listen(0, "127.0.0.1", () => {
          const address = server.server.address()
          resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
        })
      }),
      () => Effect.callback<void>((resume) => server.close(() => resume(Effect.void)))
    )
    return { port, received }
  })
)

describe("e-mail sign-in through SMTP", () => {
  layer(smtpServer, { excludeTestServices: true })((it) => {
    it.effect(
      "the link arrives at the SMTP server and signs the contact in",
      () =>
        Effect.gen(function* () {
          const inbox = yield* SmtpInbox
          const portal = testPortal({
            backend: "pglite",
            overrides: { smtp: { url: `smtp://127.0.0.1:${inbox.port}`, from: "billing@portal.example" } }
          })
          yield* Effect.gen(function* () {
            const { baseUrl } = yield* TestPortal
            const browser = new Browser(baseUrl)
            const form = yield* browser.get("/sign-in")
            const sent = yield* browser.post("/sign-in", { email: anna, _csrf: csrfIn(form.body) ?? "" })
            assert.strictEqual(sent.status, 303)
            const raw = yield* Deferred.await(inbox.received)
            assert.include(raw, "To: anna@northwind.example")
            // Quoted-printable mail bodies break long lines with "=\r\n" and encode "=" as "=3D".
            const text = raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=")
            const link = linkIn(text, `${baseUrl}/auth/email?token=`)
            assert.isDefined(link)
            const done = yield* useEmailLink(browser, link ?? "")
            assert.strictEqual(done.status, 303)
            const me = yield* whoami(browser)
            assert.strictEqual(me.status, 200)
            const mailPage = yield* browser.get("/dev/mail")
            assert.strictEqual(mailPage.status, 200)
            assert.notInclude(mailPage.body, "anna@northwind.example")
          }).pipe(Effect.provide(portal))
        }),
      { timeout: 60_000 }
    )
  })
})
