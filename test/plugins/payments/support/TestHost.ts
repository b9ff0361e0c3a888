// A PortalHost for the payments plugin's tests without the starter's sign-in: customer requests run as the
// principal the host is made with (without one: 401), business requests as a system principal, pages in a
// bare frame. It does not check CSRF tokens; the starter's host does, and the starter's tests cover that.
import { Effect, Layer } from "effect"
import { HttpServerRequest, HttpServerResponse } from "effect/http"
import { CurrentPrincipal, type Principal, system } from "../../../../core/access/Principal.ts"
import { type PageOptions, PortalHost } from "../../../../core/plugin/PortalHost.ts"
import { escapeHtml } from "../../../../starter/server/Html.ts"

/** The form token the test host hands out. */
export const testCsrfToken = "test-csrf-token"

const page = (options: PageOptions) =>
  HttpServerResponse.text(`<!DOCTYPE html><title>${escapeHtml(options.title)}</title><main>${options.body}</main>`, {
    contentType: "text/html; charset=utf-8",
    status: options.status ?? 200
  })

/** The host, with `signedIn` as every customer request's principal (absent: nobody is signed in). */
export const testHost = (signedIn?: Principal): Layer.Layer<PortalHost> =>
  Layer.succeed(
    PortalHost,
    PortalHost.of({
      customer: (handler) =>
        signedIn === undefined
          ? Effect.succeed(HttpServerResponse.text("not signed in", { status: 401 }))
          : Effect.provideService(handler, CurrentPrincipal, signedIn),
      business: (purpose, handler) => Effect.provideService(handler, CurrentPrincipal, system(`test: ${purpose}`)),
      csrfToken: Effect.as(Effect.service(HttpServerRequest.HttpServerRequest), testCsrfToken),
      page,
      customerPage: (options) => Effect.succeed(page(options))
    })
  )
