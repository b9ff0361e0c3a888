// Talking to Epicor Kinetic REST v2: URLs with the company in the path, `x-api-key` plus the user's
// identity on every call, Epicor's error body mapped to ErpError reasons, and OData pages followed through
// `@odata.nextLink`.
import { Effect, Redacted } from "effect"
import { type HttpClient, HttpClientRequest } from "effect/http"
import { type ErpError, ErpErrors, retryErp, secretsOf } from "../../../core/erp/index.ts"
import {
  type Authenticator,
  cachedTokenAuthenticator,
  issuedToken,
  makeAuthenticator,
  withAuthentication
} from "../../internal-http/Auth.ts"
import { at, executeJson, type JsonHttpOptions } from "../../internal-http/JsonHttp.ts"
import type { EpicorConfig } from "../EpicorConfig.ts"

/** An OData entity set of Epicor's REST v2 API. */
export interface EntitySetRef {
  readonly service: string
  readonly entitySet: string
}

/** The rows of one OData request, after following every `@odata.nextLink`. */
export interface ODataRows {
  readonly rows: ReadonlyArray<unknown>
}

/** Epicor's `{"HttpStatus","ReasonPhrase","ErrorMessage","ErrorType","CorrelationId"}`, as one line. */
export const epicorErrorMessage = (body: unknown): string | undefined => {
  const message = at(body, ["ErrorMessage"])
  if (typeof message !== "string") return undefined
  const type = at(body, ["ErrorType"])
  const correlation = at(body, ["CorrelationId"])
  return [
    message,
    typeof type === "string" ? `[${type}]` : undefined,
    typeof correlation === "string" ? `(correlation ${correlation})` : undefined
  ]
    .filter((part) => part !== undefined)
    .join(" ")
}

/**
 * Epicor-specific status meanings: 410 is an expired session (authentication), a 400 from the OData layer
 * is a query the instance does not understand (schema mismatch: a field that is not there or not
 * filterable), a 400 from business logic is a refusal a retry will not change.
 */
export const classifyEpicor = (
  status: number,
  body: unknown,
  message: string,
  operation: string
): ErpError | undefined => {
  const type = at(body, ["ErrorType"])
  const input = { message: `HTTP ${status}: ${message}`, operation }
  if (status === 410) return ErpErrors.authentication(input)
  if (status === 400 && typeof type === "string" && /OData|Uri|Query/i.test(type))
    return ErpErrors.schemaMismatch(input)
  if (status === 400 && typeof type === "string") return ErpErrors.unknown({ ...input, transient: false })
  return undefined
}

/** The Epicor client of one configured source. */
export interface EpicorHttp {
  /** `{baseUrl}/api/v2/odata/{company}/{service}/{entitySet}?{query}` */
  readonly url: (set: EntitySetRef, query: ReadonlyArray<readonly [string, string]>) => string
  /** GETs `url` and every `@odata.nextLink` after it, with retries of retryable failures. */
  readonly rows: (url: string, operation: string) => Effect.Effect<ODataRows, ErpError>
}

/** Builds the client: the authenticator is ready, nothing is sent yet. */
export const makeEpicorHttp = (config: EpicorConfig, client: HttpClient.HttpClient): Effect.Effect<EpicorHttp> =>
  Effect.gen(function* () {
    const configured = secretsOf(config)
    let authenticator: Authenticator | undefined
    const http: JsonHttpOptions = {
      timeout: `${config.timeoutSeconds ?? 60} seconds`,
      secrets: () => [...configured, ...(authenticator?.issued() ?? [])],
      errorMessage: epicorErrorMessage,
      classify: classifyEpicor
    }
    const auth = config.auth
    authenticator =
      auth.type === "token-resource"
        ? yield* cachedTokenAuthenticator(
            Effect.gen(function* () {
              const request = HttpClientRequest.post(`${config.baseUrl}/TokenResource.svc/`).pipe(
                HttpClientRequest.acceptJson,
                HttpClientRequest.setHeaders({ username: auth.username, password: Redacted.value(auth.password) })
              )
              const response = yield* executeJson(client, request, "fetch Epicor token", http)
              return yield* issuedToken(response.body, ["AccessToken"], ["ExpiresIn"], "fetch Epicor token")
            })
          )
        : yield* makeAuthenticator(
            auth.type === "basic"
              ? { type: "basic", username: auth.username, password: auth.password }
              : { type: "bearer", token: auth.token },
            client,
            http
          )
    const signer = authenticator
    const retry = retryErp(config.maxRetries === undefined ? {} : { maxRetries: config.maxRetries })

    const page = (url: string, operation: string) =>
      withAuthentication(
        signer,
        HttpClientRequest.get(url).pipe(
          HttpClientRequest.acceptJson,
          HttpClientRequest.setHeader("x-api-key", Redacted.value(config.apiKey))
        ),
        (signed) => executeJson(client, signed, operation, http)
      ).pipe(
        Effect.tapError((error) =>
          error.retryable ? Effect.logWarning(`Epicor: ${error.message}; retrying if attempts remain`) : Effect.void
        ),
        retry
      )

    const rows = (url: string, operation: string): Effect.Effect<ODataRows, ErpError> =>
      Effect.gen(function* () {
        const collected: Array<unknown> = []
        let next: string | undefined = url
        const seen = new Set<string>()
        while (next !== undefined) {
          if (seen.has(next)) {
            return yield* ErpErrors.schemaMismatch({
              message: "Epicor repeated an @odata.nextLink (a paging loop)",
              operation
            })
          }
          seen.add(next)
          const response = yield* page(next, operation)
          const value = at(response.body, ["value"])
          if (!Array.isArray(value)) {
            return yield* ErpErrors.schemaMismatch({
              message: 'the response is not an OData collection (no "value" array)',
              operation
            })
          }
          collected.push(...value)
          const link = at(response.body, ["@odata.nextLink"])
          next = typeof link === "string" && link !== "" ? new URL(link, `${config.baseUrl}/`).toString() : undefined
          if (next !== undefined && new URL(next).origin !== new URL(config.baseUrl).origin) {
            // The key and the user's credentials go with every request: never to a host we were not given.
            return yield* ErpErrors.schemaMismatch({
              message: `refusing to follow an @odata.nextLink to another host (${new URL(next).host})`,
              operation
            })
          }
        }
        return { rows: collected }
      })

    return {
      url: (set, query) => {
        const root = `${config.baseUrl}/api/v2/odata/${encodeURIComponent(config.company)}/${set.service}/${set.entitySet}`
        const search = query.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("&")
        return search === "" ? root : `${root}?${search}`
      },
      rows
    }
  })
