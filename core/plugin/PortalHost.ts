// What a plugin's HTTP routes need from the portal that hosts them, per request: the signed-in customer (with
// CSRF checked on forms), the business behind an API key, a form token, and the portal's page frame. Plugin
// routes are mounted without the host's middleware, so they ask for it through this port: part of the plugin
// contract, declared in a plugin's `requires.services` when its routes use it.
import { Context, Effect } from "effect"
import { HttpServerRequest, type HttpServerResponse, UrlParams } from "effect/http"
import type { CurrentPrincipal } from "../access/Principal.ts"

type Response = HttpServerResponse.HttpServerResponse

/** A page: its title, its body's markup (already escaped) and its status (200 unless given). */
export interface PageOptions {
  readonly title: string
  readonly body: string
  readonly status?: number
}

/** The host's request guards and page frame; the starter's implementation is `StarterHost.layer`. */
export class PortalHost extends Context.Service<
  PortalHost,
  {
    /**
     * Runs a customer handler as the request's signed-in principal (`CurrentPrincipal`). A POST, PUT, PATCH or
     * DELETE has its CSRF token checked first; a visitor without a session gets the host's sign-in answer.
     */
    readonly customer: <E, R>(
      handler: Effect.Effect<Response, E, R>
    ) => Effect.Effect<Response, E, Exclude<R, CurrentPrincipal> | HttpServerRequest.HttpServerRequest>
    /**
     * Runs a business handler as a `SystemPrincipal` (the reason names the API key and `purpose`), after the
     * request's API key checked out; otherwise answers 401 and records the refusal.
     */
    readonly business: <E, R>(
      purpose: string,
      handler: Effect.Effect<Response, E, R>
    ) => Effect.Effect<Response, E, Exclude<R, CurrentPrincipal> | HttpServerRequest.HttpServerRequest>
    /** The token the current page's forms submit as the `_csrf` field. */
    readonly csrfToken: Effect.Effect<string, never, HttpServerRequest.HttpServerRequest>
    /** A complete page in the portal's plain frame (business pages); `body` is markup the plugin escaped. */
    readonly page: (options: PageOptions) => Response
    /**
     * A complete page in the customer pages' frame (navigation, account switcher, sign-out) for the current
     * principal; `body` is markup the plugin escaped itself.
     */
    readonly customerPage: (
      options: PageOptions
    ) => Effect.Effect<Response, never, CurrentPrincipal | HttpServerRequest.HttpServerRequest>
  }
>()("portico/core/plugin/PortalHost") {}

/** The form field the CSRF token travels in (the starter's name). */
export const csrfField = "_csrf"

/** The request's urlencoded form fields (file fields left out); an unreadable body gives none. */
export const formBody: Effect.Effect<URLSearchParams, never, HttpServerRequest.HttpServerRequest> = Effect.gen(
  function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const params = yield* request.urlParamsBody.pipe(Effect.orElseSucceed(() => UrlParams.empty))
    return new URLSearchParams(
      params.params.flatMap(
        ([key, value]): Array<[string, string]> => (typeof value === "string" ? [[key, value]] : [])
      )
    )
  }
)
