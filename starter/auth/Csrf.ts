// CSRF protection for every form and every non-GET request: a double-submit token bound by HMAC to the
// visitor's CSRF cookie and to their session cookie, so a token from another visitor, from before sign-in,
// or from a signed-out session is refused.
//
// How route layers use it:
// - Routes behind `AuthMiddleware.layer` are already protected: every POST/PUT/PATCH/DELETE is checked before
//   the handler runs (a refusal is a 403 page, or JSON for `/api/` and `Accept: application/json`).
// - Public routes with forms (sign-in) provide `Csrf.middleware` instead.
// - In a handler that renders a form: `const token = yield* Csrf.token` and write
//   `<input type="hidden" name="_csrf" value="${token}">` (the token is URL-safe base64, no escaping needed).
//   Scripts send it as the `x-csrf-token` header instead.
import { Context, Effect, Layer, Option, Schema } from "effect"
import { Headers, HttpRouter, HttpServerRequest, HttpServerResponse, UrlParams } from "effect/http"
import { AuthAudit } from "./AuthAudit.ts"
import { AuthSettings, deriveKey, secureCookies } from "./AuthSettings.ts"
import { mac, randomToken, sameString } from "./internal/crypto.ts"
import { sessionCookieName } from "./SessionCookie.ts"

/** The cookie holding the visitor's random CSRF secret (HttpOnly: pages get the token, never the secret). */
export const csrfCookieName = "portico_csrf"
/** The form field a token is submitted in. */
export const csrfFieldName = "_csrf"
/** The header a script submits the token in. */
export const csrfHeaderName = "x-csrf-token"

/** A state-changing request came without a valid CSRF token. */
export class CsrfRejected extends Schema.TaggedError<CsrfRejected>()("CsrfRejected", {
  reason: Schema.Literals(["missing", "mismatch", "no-cookie"])
}) {
  override get message(): string {
    return `CSRF token ${this.reason}`
  }
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"])

/** Issuing and checking CSRF tokens. */
export class Csrf extends Context.Service<
  Csrf,
  {
    /** The token to put in the current page's forms (bound to this visitor's cookies). */
    readonly token: Effect.Effect<string, never, HttpServerRequest.HttpServerRequest>
    /** Checks a submitted token (from a field or a header) against the current request's cookies. */
    readonly check: (
      submitted: string | undefined
    ) => Effect.Effect<void, CsrfRejected, HttpServerRequest.HttpServerRequest>
    /**
     * Wraps a handler: makes sure the visitor has a CSRF cookie (set on the response when new) and, for
     * any method but GET/HEAD/OPTIONS, checks the token from the `x-csrf-token` header or the `_csrf` field
     * of a urlencoded form before running it. The form body is read once, from the request the handler then
     * receives, so `request.urlParamsBody` still works in the handler.
     */
    readonly protect: <E, R>(
      handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
    ) => Effect.Effect<HttpServerResponse.HttpServerResponse, E | CsrfRejected, R | HttpServerRequest.HttpServerRequest>
  }
>()("portico/starter/Csrf") {
  static readonly layer = Layer.effect(
    Csrf,
    Effect.gen(function* () {
      const settings = yield* AuthSettings
      const key = deriveKey(settings.secret, "csrf")
      const secure = secureCookies(settings)

      const expected = (request: HttpServerRequest.HttpServerRequest): string | undefined => {
        const secret = request.cookies[csrfCookieName]
        if (secret === undefined || secret === "") return undefined
        return mac(key, `${secret}|${request.cookies[sessionCookieName] ?? ""}`)
      }

      const token = Effect.map(
        Effect.service(HttpServerRequest.HttpServerRequest),
        (request) => expected(request) ?? ""
      )

      const check = Effect.fn("Csrf.check")(function* (submitted: string | undefined) {
        const request = yield* HttpServerRequest.HttpServerRequest
        const wanted = expected(request)
        if (wanted === undefined) return yield* new CsrfRejected({ reason: "no-cookie" })
        if (submitted === undefined || submitted === "") return yield* new CsrfRejected({ reason: "missing" })
        if (!sameString(wanted, submitted)) return yield* new CsrfRejected({ reason: "mismatch" })
      })

      const submittedToken = (request: HttpServerRequest.HttpServerRequest) => {
        const header = request.headers[csrfHeaderName]
        if (header !== undefined) return Effect.succeed<string | undefined>(header)
        const type = request.headers["content-type"] ?? ""
        if (!type.startsWith("application/x-www-form-urlencoded")) return Effect.succeed<string | undefined>(undefined)
        return request.urlParamsBody.pipe(
          Effect.map((params) => Option.getOrUndefined(UrlParams.getFirst(params, csrfFieldName))),
          Effect.orElseSucceed((): string | undefined => undefined)
        )
      }

      const protect = <E, R>(handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
        Effect.gen(function* () {
          const original = yield* HttpServerRequest.HttpServerRequest
          const fresh = original.cookies[csrfCookieName] === undefined ? randomToken() : undefined
          // A first visit gets its secret now: the request is rewritten to carry it, so the page rendered in
          // this response already has a token that matches the cookie set with it.
          const request =
            fresh === undefined
              ? original
              : original.modify({
                  headers: Headers.set(
                    original.headers,
                    "cookie",
                    [original.headers.cookie, `${csrfCookieName}=${fresh}`]
                      .filter((part) => part !== undefined)
                      .join("; ")
                  )
                })
          const run = Effect.gen(function* () {
            if (!safeMethods.has(request.method)) yield* check(yield* submittedToken(request))
            return yield* handler
          }).pipe(Effect.provideService(HttpServerRequest.HttpServerRequest, request))
          const response = yield* run
          if (fresh === undefined) return response
          return HttpServerResponse.setCookieUnsafe(response, csrfCookieName, fresh, {
            httpOnly: true,
            sameSite: "lax",
            secure,
            path: "/"
          })
        })

      return Csrf.of({ token, check, protect })
    })
  )

  /** The current page's form token (needs `Csrf` in context). */
  static readonly token: Effect.Effect<string, never, Csrf | HttpServerRequest.HttpServerRequest> = Effect.flatMap(
    Effect.service(Csrf),
    (csrf) => csrf.token
  )

  /**
   * Route middleware for public routes with forms: `MyRoutes.pipe(Layer.provide(Csrf.middleware))`. A refused
   * token is a 403. (Routes behind `AuthMiddleware.layer` need not add it: that middleware includes it.)
   */
  static readonly middleware = HttpRouter.middleware(
    Effect.gen(function* () {
      const csrf = yield* Csrf
      const audit = yield* AuthAudit
      const settings = yield* AuthSettings
      return (handler) =>
        csrf
          .protect(handler)
          .pipe(
            Effect.catchTag("CsrfRejected", (error) =>
              audit
                .record({ action: "csrf-refused", outcome: "denied", reason: error.reason })
                .pipe(Effect.orDie, Effect.provideService(AuthSettings, settings), Effect.andThen(csrfRefusal(error)))
            )
          )
    })
  ).layer
}

/** The 403 response for a refused token: JSON for API clients, a short page otherwise. */
export const csrfRefusal = (error: CsrfRejected) =>
  Effect.map(Effect.service(HttpServerRequest.HttpServerRequest), (request) =>
    wantsJson(request)
      ? HttpServerResponse.jsonUnsafe({ error: "csrf", reason: error.reason }, { status: 403 })
      : HttpServerResponse.text(
          "This form has expired or did not come from this site. Go back, reload the page and try again.",
          { status: 403 }
        )
  )

/** Whether the client asked for JSON (API routes, or `Accept: application/json` without HTML). */
export const wantsJson = (request: HttpServerRequest.HttpServerRequest): boolean => {
  const accept = request.headers.accept ?? ""
  return request.url.startsWith("/api/") || (accept.includes("application/json") && !accept.includes("text/html"))
}
