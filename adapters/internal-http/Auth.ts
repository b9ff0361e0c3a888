// HTTP authentication for ERP APIs: bearer, basic, an API-key header, and OAuth2 client credentials
// (token fetched, cached until shortly before expiry, refreshed once when the API answers 401).
import { Clock, Duration, Effect, Redacted, Ref, Schema, Semaphore } from "effect"
import { type HttpClient, HttpClientRequest } from "effect/http"
import { type ErpError, ErpErrors, Secret } from "../../core/erp/index.ts"
import { at, executeJson, type JsonHttpOptions } from "./JsonHttp.ts"

/** `Authorization: Bearer <token>`. */
export const BearerAuth = Schema.Struct({ type: Schema.Literal("bearer"), token: Secret })
/** `Authorization: Basic base64(username:password)`. */
export const BasicAuth = Schema.Struct({ type: Schema.Literal("basic"), username: Schema.String, password: Secret })
/** A key in a header of your choice (`X-API-Key`, `apikey`). */
export const ApiKeyAuth = Schema.Struct({ type: Schema.Literal("api-key"), header: Schema.String, key: Secret })
/**
 * OAuth2 client credentials (RFC 6749 §4.4): POST `grant_type=client_credentials` to `tokenUrl`, the client
 * authenticated with HTTP Basic (default) or in the form body. `scope` and `audience` are sent when set.
 */
export const OAuth2ClientCredentials = Schema.Struct({
  type: Schema.Literal("oauth2-client-credentials"),
  tokenUrl: Schema.String,
  clientId: Schema.String,
  clientSecret: Secret,
  scope: Schema.optionalKey(Schema.String),
  audience: Schema.optionalKey(Schema.String),
  clientAuthentication: Schema.optionalKey(Schema.Literals(["basic", "body"]))
})
/** No authentication (a public or network-protected endpoint). */
export const NoAuth = Schema.Struct({ type: Schema.Literal("none") })

/** Every supported authentication style. */
export const HttpAuth = Schema.Union([BearerAuth, BasicAuth, ApiKeyAuth, OAuth2ClientCredentials, NoAuth])
export type HttpAuth = typeof HttpAuth.Type

/** Signs requests; `invalidate` drops a cached token so the next `sign` fetches a fresh one. */
export interface Authenticator {
  readonly sign: (
    request: HttpClientRequest.HttpClientRequest
  ) => Effect.Effect<HttpClientRequest.HttpClientRequest, ErpError>
  /** Whether a 401 can be cured by fetching a new token (OAuth2 only). */
  readonly refreshable: boolean
  readonly invalidate: Effect.Effect<void>
  /** Tokens issued to us so far (OAuth2), to scrub from messages like the configured secrets. */
  readonly issued: () => ReadonlyArray<string>
}

interface CachedToken {
  readonly token: string
  readonly expiresAt: number
}

/** Tokens are renewed this long before the expiry the server stated, so none expires in flight. */
const expirySkew = Duration.seconds(30)

/** Builds the authenticator for `auth`; the OAuth2 token is fetched lazily on first use. */
export const makeAuthenticator = (
  auth: HttpAuth,
  client: HttpClient.HttpClient,
  http: JsonHttpOptions
): Effect.Effect<Authenticator> =>
  Effect.gen(function* () {
    switch (auth.type) {
      case "none":
        return { sign: Effect.succeed, refreshable: false, invalidate: Effect.void, issued: () => [] }
      case "bearer":
        return {
          sign: (request) => Effect.succeed(HttpClientRequest.bearerToken(request, Redacted.value(auth.token))),
          refreshable: false,
          invalidate: Effect.void,
          issued: () => []
        }
      case "basic":
        return {
          sign: (request) =>
            Effect.succeed(HttpClientRequest.basicAuth(request, auth.username, Redacted.value(auth.password))),
          refreshable: false,
          invalidate: Effect.void,
          issued: () => []
        }
      case "api-key":
        return {
          sign: (request) =>
            Effect.succeed(HttpClientRequest.setHeader(request, auth.header, Redacted.value(auth.key))),
          refreshable: false,
          invalidate: Effect.void,
          issued: () => []
        }
      case "oauth2-client-credentials":
        return yield* cachedTokenAuthenticator(
          Effect.gen(function* () {
            const form: Record<string, string> = { grant_type: "client_credentials" }
            if (auth.scope !== undefined) form.scope = auth.scope
            if (auth.audience !== undefined) form.audience = auth.audience
            const byBody = auth.clientAuthentication === "body"
            if (byBody) {
              form.client_id = auth.clientId
              form.client_secret = Redacted.value(auth.clientSecret)
            }
            const base = HttpClientRequest.post(auth.tokenUrl).pipe(
              HttpClientRequest.acceptJson,
              HttpClientRequest.bodyUrlParams(form)
            )
            const request = byBody
              ? base
              : HttpClientRequest.basicAuth(base, auth.clientId, Redacted.value(auth.clientSecret))
            const response = yield* executeJson(client, request, "fetch OAuth2 token", {
              ...http,
              // RFC 6749 §5.2: a refused client or grant is a 400 (invalid_client may also be 401).
              classify: (status, _body, message, operation) =>
                status === 400 ? ErpErrors.authentication({ message: `HTTP 400: ${message}`, operation }) : undefined
            })
            return yield* issuedToken(response.body, ["access_token"], ["expires_in"], "fetch OAuth2 token")
          })
        )
    }
  })

/** A token an authorization server issued, and for how many seconds it is valid. */
export interface IssuedToken {
  readonly token: string
  readonly expiresInSeconds: number
}

/** Reads a token and its lifetime (default one hour) out of a token endpoint's JSON body. */
export const issuedToken = (
  body: unknown,
  tokenPath: ReadonlyArray<string>,
  expiresPath: ReadonlyArray<string>,
  operation: string
): Effect.Effect<IssuedToken, ErpError> => {
  const token = at(body, tokenPath)
  const expiresIn = Number(at(body, expiresPath) ?? 3600)
  return typeof token === "string" && token !== "" && Number.isFinite(expiresIn) && expiresIn > 0
    ? Effect.succeed({ token, expiresInSeconds: expiresIn })
    : Effect.fail(
        ErpErrors.authentication({ message: `the token endpoint answered without ${tokenPath.join(".")}`, operation })
      )
}

/**
 * A bearer authenticator over a token endpoint: the token is fetched on first use, shared by concurrent
 * requests, reused until shortly before it expires, and dropped by `invalidate` (after a 401).
 */
export const cachedTokenAuthenticator = (
  fetchToken: Effect.Effect<IssuedToken, ErpError>
): Effect.Effect<Authenticator> =>
  Effect.gen(function* () {
    const cache = yield* Ref.make<CachedToken | undefined>(undefined)
    const lock = yield* Semaphore.make(1)
    const issued: Array<string> = []
    const refresh = Effect.gen(function* () {
      const fresh = yield* fetchToken
      issued.push(fresh.token)
      const now = yield* Clock.currentTimeMillis
      const lifetime = Math.max(
        0,
        Duration.toMillis(Duration.seconds(fresh.expiresInSeconds)) - Duration.toMillis(expirySkew)
      )
      const cached = { token: fresh.token, expiresAt: now + lifetime }
      yield* Ref.set(cache, cached)
      return cached
    })
    const current = lock.withPermit(
      Effect.gen(function* () {
        const cached = yield* Ref.get(cache)
        const now = yield* Clock.currentTimeMillis
        return cached !== undefined && cached.expiresAt > now ? cached : yield* refresh
      })
    )
    return {
      sign: (request) => Effect.map(current, (cached) => HttpClientRequest.bearerToken(request, cached.token)),
      refreshable: true,
      invalidate: Ref.set(cache, undefined),
      issued: () => issued
    }
  })

/** The secret values inside an auth config, for scrubbing. */
export const authSecrets = (auth: HttpAuth): ReadonlyArray<string> => {
  switch (auth.type) {
    case "none":
      return []
    case "bearer":
      return [Redacted.value(auth.token)]
    case "basic":
      return [
        Redacted.value(auth.password),
        Buffer.from(`${auth.username}:${Redacted.value(auth.password)}`).toString("base64")
      ]
    case "api-key":
      return [Redacted.value(auth.key)]
    case "oauth2-client-credentials":
      return [
        Redacted.value(auth.clientSecret),
        Buffer.from(`${auth.clientId}:${Redacted.value(auth.clientSecret)}`).toString("base64")
      ]
  }
}

/**
 * Runs `attempt` with a signed request; on a 401 from an OAuth2-protected API, drops the cached token and
 * tries exactly once more with a fresh one.
 */
export const withAuthentication = <A>(
  authenticator: Authenticator,
  request: HttpClientRequest.HttpClientRequest,
  attempt: (signed: HttpClientRequest.HttpClientRequest) => Effect.Effect<A, ErpError>
): Effect.Effect<A, ErpError> => {
  const once = Effect.flatMap(authenticator.sign(request), attempt)
  if (!authenticator.refreshable) return once
  return once.pipe(
    Effect.catchIf(
      (error) => error.reason._tag === "Authentication" && error.reason.message.startsWith("HTTP 401"),
      () => Effect.andThen(authenticator.invalidate, once)
    )
  )
}
