// Completing a sign-in: replaces any session the browser had (no session fixation), opens the new one
// (waiting for a second factor when the contact has TOTP on), records it, sets the cookie and redirects.
import { Context, Effect, Layer } from "effect"
import { HttpServerRequest, HttpServerResponse } from "effect/http"
import type { SqlError } from "effect/sql/SqlError"
import { Branding } from "../server/Branding.ts"
import { AuthAudit } from "./AuthAudit.ts"
import { AuthSettings, secureCookies } from "./AuthSettings.ts"
import { clientInfo } from "./ClientInfo.ts"
import { paths } from "./Paths.ts"
import { sessionCookieName, sessionCookieOptions } from "./SessionCookie.ts"
import { type SessionSubject, Sessions } from "./Sessions.ts"
import { refusedLinkPage } from "./SignInPages.ts"
import { Totp } from "./Totp.ts"

/** Opens sessions for verified visitors and answers with the cookie and the next page. */
export class SignIn extends Context.Service<
  SignIn,
  {
    /**
     * Signs `subject` in and redirects to `returnTo` (or home), or to the second-factor prompt first unless
     * `secondFactorVerified` says the code was just checked.
     */
    readonly start: (
      subject: SessionSubject,
      returnTo: string | undefined,
      via: string,
      secondFactorVerified?: boolean
    ) => Effect.Effect<HttpServerResponse.HttpServerResponse, SqlError, HttpServerRequest.HttpServerRequest>
    /** Ends the request's session (if any) and clears the cookie; the response redirects to `location`. */
    readonly end: (
      location: string
    ) => Effect.Effect<HttpServerResponse.HttpServerResponse, SqlError, HttpServerRequest.HttpServerRequest>
  }
>()("portico/starter/SignIn") {
  static readonly layer = Layer.effect(
    SignIn,
    Effect.gen(function* () {
      const sessions = yield* Sessions
      const totp = yield* Totp
      const audit = yield* AuthAudit
      const settings = yield* AuthSettings
      const branding = yield* Branding
      const secure = secureCookies(settings)

      const dropCurrent = Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        const cookie = request.cookies[sessionCookieName]
        if (cookie === undefined) return undefined
        const current = yield* sessions.resolve(cookie)
        if (current._tag === "None") return undefined
        yield* sessions.revoke(current.value.idHash)
        return current.value
      })

      const start = Effect.fn("SignIn.start")(function* (
        subject: SessionSubject,
        returnTo: string | undefined,
        via: string,
        secondFactorVerified = false
      ) {
        yield* dropCurrent
        const client = yield* clientInfo.pipe(Effect.provideService(AuthSettings, settings))
        const needsSecondFactor =
          !secondFactorVerified && subject.kind === "contact" && (yield* totp.enabled(subject.contactId))
        const stage = needsSecondFactor ? "second-factor" : "complete"
        const created = yield* sessions.create(subject, { stage, returnTo, client }).pipe(Effect.result)
        if (created._tag === "Failure") {
          if (created.failure._tag === "SqlError") return yield* created.failure
          // A contact without any account (unlinked by a sync since the link was issued) would see nothing.
          yield* audit
            .record({ action: "sign-in", outcome: "denied", reason: `${via}: the contact has no account` })
            .pipe(Effect.provideService(AuthSettings, settings))
          return refusedLinkPage(branding, 403)
        }
        const { cookie, session } = created.success
        yield* audit
          .record({
            action: "sign-in",
            outcome: "success",
            reason: needsSecondFactor ? `${via}; awaiting second factor` : via,
            principal: session.principal
          })
          .pipe(Effect.provideService(AuthSettings, settings))
        const location = needsSecondFactor ? paths.secondFactor : (returnTo ?? paths.home)
        return HttpServerResponse.redirect(location, { status: 303 }).pipe(
          HttpServerResponse.setCookieUnsafe(sessionCookieName, cookie, sessionCookieOptions(secure, session.expiresAt))
        )
      })

      const end = Effect.fn("SignIn.end")(function* (location: string) {
        const ended = yield* dropCurrent
        if (ended !== undefined) {
          yield* audit
            .record({ action: "sign-out", outcome: "success", principal: ended.principal })
            .pipe(Effect.provideService(AuthSettings, settings))
        }
        return HttpServerResponse.redirect(location, { status: 303 }).pipe(
          HttpServerResponse.expireCookieUnsafe(sessionCookieName, { path: "/" })
        )
      })

      return SignIn.of({ start, end })
    })
  )
}
