// Reading urlencoded form fields from the current request.
import { Effect, Option } from "effect"
import { HttpServerRequest, UrlParams } from "effect/http"

/** The form's fields (first value of each); an unreadable body gives no fields. */
export const formFields: Effect.Effect<
  (name: string) => string | undefined,
  never,
  HttpServerRequest.HttpServerRequest
> = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  const params = yield* request.urlParamsBody.pipe(Effect.orElseSucceed(() => UrlParams.empty))
  return (name: string) => Option.getOrUndefined(UrlParams.getFirst(params, name))
})

/** A query parameter of the current request. */
export const queryParam = (
  name: string
): Effect.Effect<string | undefined, never, HttpServerRequest.HttpServerRequest> =>
  Effect.map(Effect.service(HttpServerRequest.HttpServerRequest), (request) => {
    const url = new URL(request.originalUrl, "http://portal.invalid")
    return url.searchParams.get(name) ?? undefined
  })
