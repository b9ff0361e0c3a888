// Test steps that drive the sign-in pages like a person would: ask for an e-mail link, read it from the
// demo mailbox, confirm it; follow a magic link; create links through the host-app API.
import { assert } from "@effect/vitest"
import { Effect, Fiber, Schema } from "effect"
import { Principal } from "../../../../core/access/Principal.ts"
import { type Browser, csrfIn, linkIn, type Reply } from "./Browser.ts"
import { TestPortal, testApiKey } from "./TestPortal.ts"

/** Asks for a sign-in link for `email` and gives the mail's link (waits for the mail, never sleeps). */
export const requestEmailLink = (browser: Browser, email: string) =>
  Effect.gen(function* () {
    const { mailbox, baseUrl } = yield* TestPortal
    const form = yield* browser.get("/sign-in")
    const waiting = yield* Effect.forkChild(mailbox.next(email))
    const sent = yield* browser.post("/sign-in", { email, _csrf: csrfIn(form.body) ?? "" })
    assert.strictEqual(sent.status, 303)
    assert.strictEqual(sent.location, "/sign-in/sent")
    const mail = yield* Fiber.join(waiting)
    const link = linkIn(mail.text, `${baseUrl}/auth/email?token=`)
    assert.isDefined(link)
    return link ?? ""
  })

/** Opens an e-mail link and presses its button; gives the final answer (a 303 with the session cookie). */
export const useEmailLink = (browser: Browser, link: string) =>
  Effect.gen(function* () {
    const page = yield* browser.get(link)
    assert.strictEqual(page.status, 200)
    const token = new URL(link).searchParams.get("token") ?? ""
    return yield* browser.post("/auth/email", { token, _csrf: csrfIn(page.body) ?? "" })
  })

/** Signs `email` in through the e-mail link; fails the test unless it ends in a redirect. */
export const signInByEmail = (browser: Browser, email: string) =>
  Effect.gen(function* () {
    const done = yield* useEmailLink(browser, yield* requestEmailLink(browser, email))
    assert.strictEqual(done.status, 303)
    return done
  })

const decodeWhoAmI = Schema.decodeUnknownSync(
  Schema.fromJsonString(Schema.Struct({ principal: Principal, stage: Schema.String }))
)

/** Who the portal thinks is signed in (the test route behind AuthMiddleware). */
export const whoami = (browser: Browser) =>
  Effect.map(browser.get("/test/whoami", { accept: "application/json" }), (reply: Reply) => ({
    status: reply.status,
    json: reply.status === 200 ? decodeWhoAmI(reply.body) : undefined
  }))

/** Calls the link API with a key (the test key by default). */
export const linkApi = (
  browser: Browser,
  method: "GET" | "POST" | "DELETE",
  path: string,
  body?: unknown,
  key: string = testApiKey
) =>
  browser.request(path, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
