// One HTTP exchange with a payment provider: JSON back, errors classified (429 and 5xx and network failures
// may be retried, other 4xx not), the provider's own error message kept, secrets never in the message.
import { Effect, type Redacted, Schema } from "effect"
import { type HttpClient, HttpClientRequest, HttpClientResponse } from "effect/http"
import { ProviderError } from "../PaymentProvider.ts"

/** Sends `request`, decodes a 2xx JSON body with `schema`; anything else is a ProviderError. */
export const exchange = <A, I>(
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  schema: Schema.Codec<A, I>,
  where: { readonly provider: string; readonly operation: string }
): Effect.Effect<A, ProviderError> =>
  Effect.gen(function* () {
    const response = yield* client
      .execute(request)
      .pipe(
        Effect.mapError(
          (error) => new ProviderError({ ...where, detail: `no response: ${error.reason._tag}`, retryable: true })
        )
      )
    const body = yield* response.json.pipe(Effect.orElseSucceed((): unknown => null))
    if (!HttpClientResponse.matchStatus(response, { "2xx": () => true, orElse: () => false })) {
      return yield* new ProviderError({
        ...where,
        status: response.status,
        detail: errorMessage(body) ?? `HTTP ${response.status}`,
        retryable: response.status === 429 || response.status >= 500
      })
    }
    return yield* Schema.decodeUnknownEffect(schema)(body).pipe(
      Effect.mapError(
        (error) => new ProviderError({ ...where, detail: `unexpected response: ${error.message}`, retryable: false })
      )
    )
  })

/**
 * A provider's API at `base` with a bearer key: `post` sends an idempotent request whose body `withBody`
 * sets (form fields for Stripe, JSON for Mollie), `get` a plain one; both through `exchange`.
 */
export const providerApi = (
  client: HttpClient.HttpClient,
  options: { readonly provider: string; readonly base: string; readonly key: Redacted.Redacted<string> }
) => {
  const authorized = (request: HttpClientRequest.HttpClientRequest) =>
    HttpClientRequest.bearerToken(request, options.key)
  const base = options.base.replace(/\/$/, "")
  const where = (operation: string) => ({ provider: options.provider, operation })
  return {
    post: <A, I>(
      path: string,
      withBody: (request: HttpClientRequest.HttpClientRequest) => HttpClientRequest.HttpClientRequest,
      idempotencyKey: string,
      schema: Schema.Codec<A, I>,
      operation: string
    ) =>
      exchange(
        client,
        HttpClientRequest.post(`${base}${path}`).pipe(
          authorized,
          HttpClientRequest.setHeader("idempotency-key", idempotencyKey),
          withBody
        ),
        schema,
        where(operation)
      ),
    get: <A, I>(path: string, schema: Schema.Codec<A, I>, operation: string) =>
      exchange(client, HttpClientRequest.get(`${base}${path}`).pipe(authorized), schema, where(operation))
  }
}

/** Stripe's `{ error: { message } }` or Mollie's `{ detail }`. */
const errorMessage = (body: unknown): string | undefined => {
  if (typeof body !== "object" || body === null) return undefined
  if ("error" in body && typeof body.error === "object" && body.error !== null && "message" in body.error) {
    return typeof body.error.message === "string" ? body.error.message : undefined
  }
  if ("detail" in body && typeof body.detail === "string") return body.detail
  return undefined
}
