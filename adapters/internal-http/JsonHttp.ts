// One JSON request to an ERP, with the failure rules both HTTP adapters share: a time-out, transport
// failures as Connection, statuses mapped to ErpError reasons (429/408/5xx retryable, other 4xx not),
// Retry-After honoured, bodies parsed with exact numbers, and secrets scrubbed from every message.
import { Clock, Duration, Effect, Predicate } from "effect"
import type { HttpClient, HttpClientRequest } from "effect/http"
import { type ErpError, ErpErrors, parseExact, scrub } from "../../core/erp/index.ts"
import { parseRetryAfter } from "./RetryAfter.ts"

/** A parsed JSON response. */
export interface JsonResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** The body as `parseExact` reads it (numbers as exact decimal strings); `undefined` when empty. */
  readonly body: unknown
}

/** How one source talks: its time-out, its secrets, how to read its error bodies. */
export interface JsonHttpOptions {
  readonly timeout: Duration.Input
  /** Secret values (tokens, passwords, keys, issued tokens) to scrub from anything the server sends back. */
  readonly secrets: () => ReadonlyArray<string>
  /** The human message inside a source's error body, if it has one. */
  readonly errorMessage: (body: unknown) => string | undefined
  /** Source-specific overrides of the status mapping (Epicor's ErrorType, Odoo's 200-with-error). */
  readonly classify?: (status: number, body: unknown, message: string, operation: string) => ErpError | undefined
}

const record = (value: unknown): Readonly<Record<string, unknown>> | undefined =>
  Predicate.isObject(value) ? value : undefined

/** Reads `a.b.0.c` from a parsed JSON value (numeric keys index arrays). */
export const at = (value: unknown, path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>(
    (current, key) => (Array.isArray(current) && /^\d+$/.test(key) ? current[Number(key)] : record(current)?.[key]),
    value
  )

/**
 * Throttling that some APIs signal in the body rather than with 429 (NetSuite's
 * `"o:errorCode": "CONCURRENCY_LIMIT_EXCEEDED"`): RateLimited, whatever the status.
 */
export const classifyThrottling = (
  status: number,
  body: unknown,
  message: string,
  operation: string
): ErpError | undefined =>
  at(body, ["o:errorDetails", "0", "o:errorCode"]) === "CONCURRENCY_LIMIT_EXCEEDED"
    ? ErpErrors.rateLimited({ message: `HTTP ${status}: ${message}`, operation })
    : undefined

/**
 * The common error-body spellings: `{"error":{"message"}}` (Business Central, Exact's `message.value`),
 * `{"message"}`, `{"title","detail"}` (RFC 9457 problem JSON), `{"error_description"}` (OAuth2),
 * `{"ErrorMessage"}` (Epicor), `{"error":{"data":{"message"}}}` (Odoo JSON-RPC), NetSuite's `o:errorDetails`.
 */
export const commonErrorMessage = (body: unknown): string | undefined => {
  const candidates = [
    at(body, ["ErrorMessage"]),
    at(body, ["o:errorDetails", "0", "detail"]),
    at(body, ["error", "message", "value"]),
    at(body, ["error", "data", "message"]),
    at(body, ["error", "message"]),
    at(body, ["error_description"]),
    at(body, ["detail"]),
    at(body, ["message"]),
    at(body, ["title"]),
    at(body, ["error"])
  ]
  return candidates.find((candidate): candidate is string => typeof candidate === "string" && candidate !== "")
}

/** The ErpError for an HTTP status that is not a success. */
export const statusError = (
  status: number,
  message: string,
  operation: string,
  retryAfter: Duration.Duration | undefined
): ErpError => {
  const input = { message: `HTTP ${status}: ${message}`, operation }
  if (status === 401 || status === 403) return ErpErrors.authentication(input)
  if (status === 429) return ErpErrors.rateLimited(retryAfter === undefined ? input : { ...input, retryAfter })
  if (status === 408 || status === 504) return ErpErrors.timeout(input)
  if (status === 404 || status === 410) return ErpErrors.notFound(input)
  if (status === 503 && retryAfter !== undefined) return ErpErrors.rateLimited({ ...input, retryAfter })
  if (status >= 500) return ErpErrors.unknown({ ...input, transient: true })
  if (status === 400 || status === 422) return ErpErrors.schemaMismatch(input)
  return ErpErrors.unknown({ ...input, transient: false })
}

/** Where a request went, without its query string (which may carry an api-key). */
const describe = (request: HttpClientRequest.HttpClientRequest): string => {
  const url = URL.canParse(request.url) ? new URL(request.url) : undefined
  return `${request.method} ${url === undefined ? "request" : `${url.host}${url.pathname}`}`
}

/**
 * Executes `request` and parses the JSON body. Fails with an ErpError for a transport failure
 * (Connection), a time-out (Timeout), a non-2xx status (by `statusError` or `classify`), or a body that
 * is not JSON (SchemaMismatch). Never retries: callers wrap whole operations in the retry policy.
 */
export const executeJson = (
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  operation: string,
  options: JsonHttpOptions
): Effect.Effect<JsonResponse, ErpError> => {
  const where = describe(request)
  const clean = (text: string) => scrub(text, options.secrets())
  return Effect.gen(function* () {
    const response = yield* client.execute(request)
    const text = yield* response.text
    const headers: Record<string, string> = { ...response.headers }
    const parsed = text.trim() === "" ? { _tag: "empty" as const } : parseExact(text)
    const ok = response.status >= 200 && response.status < 300
    if (parsed._tag === "Failure") {
      if (ok) {
        return yield* ErpErrors.schemaMismatch({
          message: clean(`${where} answered ${response.status} with a body that is not JSON: ${parsed.failure}`),
          operation
        })
      }
    }
    const body = parsed._tag === "Success" ? parsed.success : undefined
    const message = clean(
      options.errorMessage(body) ?? (parsed._tag === "Failure" ? text.slice(0, 200) : `${where} failed`)
    )
    const special = options.classify?.(response.status, body, message, operation)
    if (special !== undefined) return yield* Effect.fail(special)
    if (ok) return { status: response.status, headers, body }
    const now = yield* Clock.currentTimeMillis
    return yield* statusError(response.status, message, operation, parseRetryAfter(headers["retry-after"], now))
  }).pipe(
    Effect.catchTag("HttpClientError", (error) =>
      Effect.fail(
        ErpErrors.connection({
          message: clean(
            `could not reach ${where}: ${error.reason._tag}${error.reason.description === undefined ? "" : ` (${error.reason.description})`}`
          ),
          operation
        })
      )
    ),
    Effect.timeoutOrElse({
      duration: options.timeout,
      orElse: () =>
        Effect.fail(
          ErpErrors.timeout({
            message: `${where} did not answer within ${Duration.format(Duration.fromInputUnsafe(options.timeout))}`,
            operation
          })
        )
    })
  )
}
