// Who is asking: turns the request's session cookie into the `CurrentPrincipal` route handlers need, and
// sends everyone else to sign in.
//
// How route layers use it (customer pages, JSON reads):
//
//   const InvoiceRoutes = HttpRouter.add("GET", "/invoices/:id", handler).pipe(Layer.provide(AuthMiddleware.layer))
//
// In `handler`, `yield* CurrentPrincipal` (for the store's repositories) and `yield* CurrentSession` (the
// session: its id hash, principal, expiry) are available. Every POST/PUT/PATCH/DELETE behind the middleware
// has its CSRF token checked first (see Csrf.ts), so handlers never see a forged form.
//
// Not signed in: `/api/...` and JSON clients get 401 `{"error":"unauthorized"}`; browsers are redirected
// (303) to the host app's sign-in URL when single sign-on is configured, else to `/sign-in`, with the page
// they asked for as `return_to`. A session waiting for its second factor is sent to the TOTP prompt.
import { Context, Effect, Layer, Option } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import type { SqlError } from "effect/sql/SqlError"
import { CurrentPrincipal } from "../../core/access/Principal.ts"
import { AuthAudit } from "./AuthAudit.ts"
import { AuthSettings } from "./AuthSettings.ts"
import { Csrf, csrfRefusal, wantsJson } from "./Csrf.ts"
import { paths, safeReturnTo } from "./Paths.ts"
import { sessionCookieName } from "./SessionCookie.ts"
import { type Session, Sessions } from "./Sessions.ts"

/** The signed-in session of the current request (provided by `AuthMiddleware.layer`). */
export class CurrentSession extends Context.Service<CurrentSession, Session>()("portico/starter/CurrentSession") {}

/** The path and query the visitor asked for, as a return-to value. */
export const requestedPath = (request: HttpServerRequest.HttpServerRequest): string | undefined => {
  const url = new URL(request.originalUrl, "http://portal.invalid")
  return safeReturnTo(`${url.pathname}${url.search}`)
}

/** Finding the session of a request, and answering a visitor who has none. */
export class Authentication extends Context.Service<
  Authentication,
  {
    /** The request's session, complete or waiting for a second factor; none without a live one. */
    readonly session: Effect.Effect<Option.Option<Session>, SqlError, HttpServerRequest.HttpServerRequest>
    /** The response for a visitor who must sign in first (401 for JSON, else a redirect). */
    readonly challenge: (
      pending: Option.Option<Session>
    ) => Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest>
  }
>()("portico/starter/Authentication") {
  static readonly layer = Layer.effect(
    Authentication,
    Effect.gen(function* () {
      const sessions = yield* Sessions
      const settings = yield* AuthSettings
      const audit = yield* AuthAudit

      const session = Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        const cookie = request.cookies[sessionCookieName]
        if (cookie === undefined || cookie === "") return Option.none<Session>()
        const found = yield* sessions.resolve(cookie)
        if (Option.isNone(found) && sessions.authentic(cookie)) {
          // A genuine cookie whose session is over: revoked, expired, or from a revoked link. (Forged
          // cookies are refused without a database read and not recorded, so they cannot flood the log.)
          yield* audit
            .record({ action: "session-refused", outcome: "denied", reason: "no live session for the cookie" })
            .pipe(Effect.provideService(AuthSettings, settings))
        }
        return found
      })

      const challenge = (pending: Option.Option<Session>) =>
        Effect.gen(function* () {
          const request = yield* HttpServerRequest.HttpServerRequest
          const response = yield* answer(pending)
          // A cookie that names no live session is cleared, so the browser stops sending it.
          return Option.isNone(pending) && request.cookies[sessionCookieName] !== undefined
            ? HttpServerResponse.expireCookieUnsafe(response, sessionCookieName, { path: "/" })
            : response
        })

      const answer = (pending: Option.Option<Session>) =>
        Effect.gen(function* () {
          const request = yield* HttpServerRequest.HttpServerRequest
          if (wantsJson(request)) {
            return HttpServerResponse.jsonUnsafe({ error: "unauthorized" }, { status: 401 })
          }
          if (Option.isSome(pending) && pending.value.stage === "second-factor") {
            return HttpServerResponse.redirect(paths.secondFactor, { status: 303 })
          }
          const returnTo = requestedPath(request)
          if (settings.sso !== undefined) {
            const target = new URL(settings.sso.signInUrl)
            if (returnTo !== undefined) target.searchParams.set(settings.sso.returnToParam, returnTo)
            return HttpServerResponse.redirect(target.toString(), { status: 303 })
          }
          const query = returnTo === undefined ? "" : `?return_to=${encodeURIComponent(returnTo)}`
          return HttpServerResponse.redirect(`${paths.signIn}${query}`, { status: 303 })
        })

      return Authentication.of({ session, challenge })
    })
  )
}

/**
 * Route middleware requiring a complete session: provides `CurrentSession` and `CurrentPrincipal` to the
 * routes it is given to, checks CSRF tokens on state-changing requests, and answers everyone else with the
 * sign-in challenge. Needs `Authentication` and `Csrf` (both in `AuthLayer`).
 */
export const AuthMiddleware = HttpRouter.middleware<{ provides: CurrentSession | CurrentPrincipal }>()(
  Effect.gen(function* () {
    const auth = yield* Authentication
    const csrf = yield* Csrf
    const audit = yield* AuthAudit
    const settings = yield* AuthSettings
    return (handler) =>
      Effect.gen(function* () {
        const session = yield* Effect.orDie(auth.session)
        if (Option.isNone(session) || session.value.stage !== "complete") return yield* auth.challenge(session)
        return yield* csrf.protect(handler).pipe(
          Effect.provideService(CurrentSession, session.value),
          Effect.provideService(CurrentPrincipal, session.value.principal),
          Effect.catchTag("CsrfRejected", (error) =>
            audit
              .record({
                action: "csrf-refused",
                outcome: "denied",
                reason: error.reason,
                principal: session.value.principal
              })
              .pipe(Effect.orDie, Effect.provideService(AuthSettings, settings), Effect.andThen(csrfRefusal(error)))
          )
        )
      })
  })
)

/**
 * The session of the current request without requiring one (for pages that look different when signed
 * in, such as the sign-in page itself). Only complete sessions count.
 */
export const optionalSession: Effect.Effect<
  Option.Option<Session>,
  never,
  Authentication | HttpServerRequest.HttpServerRequest
> = Effect.flatMap(Effect.service(Authentication), (auth) =>
  auth.session.pipe(Effect.orDie, Effect.map(Option.filter((session) => session.stage === "complete")))
)
