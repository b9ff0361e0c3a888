// One JSON request to an ERP, with the failure rules both HTTP adapters share: a time-out, transport
// failures as Connection, statuses mapped to ErpError reasons (429/408/5xx retryable, other 4xx not),
// Retry-After honoured, bodies parsed with exact numbers, and secrets scrubbed from every message; binary
// bodies (document content) streamed under the same rules.
import { Clock, Duration, Effect, Predicate, type Result, Stream } from "effect"
import type { HttpClient, HttpClientError, HttpClientRequest, HttpClientResponse } from "effect/http"
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

/** A transport failure as Connection and a slow answer as Timeout, with secrets scrubbed. */
const transport =
  (where: string, operation: string, options: JsonHttpOptions) =>
  <A>(effect: Effect.Effect<A, ErpError | HttpClientError.HttpClientError>): Effect.Effect<A, ErpError> =>
    effect.pipe(
      Effect.catchTag("HttpClientError", (error) =>
        Effect.fail(
          ErpErrors.connection({
            message: scrub(
              `could not reach ${where}: ${error.reason._tag}${error.reason.description === undefined ? "" : ` (${error.reason.description})`}`,
              options.secrets()
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

/** The ErpError for a response: the source's own classification first, then its status (none for a plain 2xx). */
const responseError = (
  response: HttpClientResponse.HttpClientResponse,
  text: string,
  parsed: Result.Result<unknown, string> | undefined,
  where: string,
  operation: string,
  options: JsonHttpOptions
): Effect.Effect<ErpError | undefined> =>
  Effect.gen(function* () {
    const body = parsed?._tag === "Success" ? parsed.success : undefined
    const message = scrub(
      options.errorMessage(body) ?? (parsed?._tag === "Failure" ? text.slice(0, 200) : `${where} failed`),
      options.secrets()
    )
    const special = options.classify?.(response.status, body, message, operation)
    if (special !== undefined) return special
    if (response.status >= 200 && response.status < 300) return undefined
    const now = yield* Clock.currentTimeMillis
    return statusError(response.status, message, operation, parseRetryAfter(response.headers["retry-after"], now))
  })

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
  return Effect.gen(function* () {
    const response = yield* client.execute(request)
    const text = yield* response.text
    const parsed = text.trim() === "" ? undefined : parseExact(text)
    const ok = response.status >= 200 && response.status < 300
    if (parsed?._tag === "Failure" && ok) {
      return yield* ErpErrors.schemaMismatch({
        message: scrub(
          `${where} answered ${response.status} with a body that is not JSON: ${parsed.failure}`,
          options.secrets()
        ),
        operation
      })
    }
    const error = yield* responseError(response, text, parsed, where, operation, options)
    if (error !== undefined) return yield* Effect.fail(error)
    const body = parsed?._tag === "Success" ? parsed.success : undefined
    return { status: response.status, headers: { ...response.headers }, body }
  }).pipe(transport(where, operation, options))
}

/**
 * Executes `request` for a binary body (a document's bytes): fails like `executeJson` on the status (the
 * error body read as JSON for its message), then gives the body as a stream that is only read as far as it
 * is pulled. Never retries.
 */
export const executeBytes = (
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  operation: string,
  options: JsonHttpOptions
): Effect.Effect<Stream.Stream<Uint8Array, ErpError>, ErpError> => {
  const where = describe(request)
  return Effect.gen(function* () {
    const response = yield* client.execute(request)
    if (response.status < 200 || response.status >= 300) {
      const text = yield* response.text
      const error = yield* responseError(
        response,
        text,
        text.trim() === "" ? undefined : parseExact(text),
        where,
        operation,
        options
      )
      if (error !== undefined) return yield* Effect.fail(error)
    }
    return response.stream.pipe(
      Stream.mapError((error) =>
        ErpErrors.connection({
          message: scrub(`${where} broke off while sending its body: ${error.reason._tag}`, options.secrets()),
          operation
        })
      )
    )
  }).pipe(transport(where, operation, options))
}
