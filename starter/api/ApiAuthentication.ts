// The JSON API's sign-in check: the same session cookie as the pages (`portico_session`), turned into the
// `CurrentPrincipal` the handlers run as. Declared as a cookie API key so the OpenAPI document says how to
// authenticate; reads only, so no CSRF token is needed.
import { Effect, Layer, Option } from "effect"
import { HttpApiMiddleware, HttpApiSecurity } from "effect/http-api"
import { CurrentPrincipal } from "../../core/access/Principal.ts"
import { Authentication } from "../auth/AuthMiddleware.ts"
import { sessionCookieName } from "../auth/SessionCookie.ts"
import { Unauthorized } from "./ApiErrors.ts"

/** The API's authentication middleware: provides `CurrentPrincipal`, fails with 401 `Unauthorized`. */
export class ApiAuthentication extends HttpApiMiddleware.Service<ApiAuthentication, { provides: CurrentPrincipal }>()(
  "portico/starter/api/ApiAuthentication",
  {
    security: { session: HttpApiSecurity.apiKey({ in: "cookie", key: sessionCookieName }) },
    error: Unauthorized
  }
) {
  /** The middleware over sign-in's `Authentication` (sessions are resolved and refusals audited there). */
  static readonly layer = Layer.effect(
    ApiAuthentication,
    Effect.gen(function* () {
      const auth = yield* Authentication
      return ApiAuthentication.of({
        session: (httpEffect) =>
          Effect.gen(function* () {
            const session = yield* Effect.orDie(auth.session)
            if (Option.isNone(session) || session.value.stage !== "complete") {
              return yield* new Unauthorized({ message: "sign in first: no live session" })
            }
            return yield* Effect.provideService(httpEffect, CurrentPrincipal, session.value.principal)
          })
      })
    })
  )
}
