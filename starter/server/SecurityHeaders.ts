// Security headers on every response, as the server's middleware: the CSP, no sniffing, a strict
// referrer policy (sign-in tokens live in URLs), no-store on documents (pages, JSON, downloads: anything
// but the portal's static assets), HSTS over https, and X-Frame-Options when nobody may frame the portal.
import { Effect } from "effect"
import { HttpEffect, type HttpServerRequest, HttpServerResponse } from "effect/http"
import { type CspOptions, contentSecurityPolicy } from "./ContentSecurityPolicy.ts"

/** What the headers depend on. */
export interface SecurityHeaderOptions extends CspOptions {
  /** Served over https (adds Strict-Transport-Security). */
  readonly https: boolean
}

/** The headers for a response to `path`. */
export const securityHeaders = (options: SecurityHeaderOptions, path: string): Record<string, string> => ({
  "content-security-policy": contentSecurityPolicy(options),
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(self)",
  ...(path.startsWith("/assets/") ? {} : { "cache-control": "no-store" }),
  ...(options.https ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
  ...(options.frameAncestors.length === 0 ? { "x-frame-options": "DENY" } : {})
})

/**
 * The server middleware (for `HttpRouter.serve(app, { middleware })`): registers a pre-response handler
 * that adds the headers to whatever response is sent, errors and 404s included (a server middleware runs
 * after the response is chosen, so the headers are added where it is written).
 */
export const withSecurityHeaders =
  (options: SecurityHeaderOptions) =>
  <A, E, R>(handler: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | HttpServerRequest.HttpServerRequest> =>
    Effect.andThen(
      HttpEffect.appendPreResponseHandler((request, response) =>
        Effect.succeed(
          HttpServerResponse.setHeaders(
            response,
            securityHeaders(options, new URL(request.originalUrl, "http://portal.invalid").pathname)
          )
        )
      ),
      handler
    )
