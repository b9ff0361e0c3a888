// The JSON API as route layers for main.ts: the customer reads (`PortalApi`, with the session middleware)
// and the OpenAPI document at /api/openapi.json, which also describes sign-in's magic link API.
import { Effect, Layer } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"
import { HttpApi, HttpApiBuilder, OpenApi } from "effect/http-api"
import { ApiAuthentication } from "./ApiAuthentication.ts"
import { LinksApiGroup } from "./LinksApiDoc.ts"
import { PortalApi, PortalApiGroup } from "./PortalApi.ts"
import { PortalApiHandlers } from "./PortalApiHandlers.ts"

/** Where the OpenAPI document is served. */
export const openApiPath = "/api/openapi.json"

/** Everything under /api, as documented: the customer reads and the host-app link API. */
export class DocumentedApi extends HttpApi.make("portico-portal")
  .add(PortalApiGroup)
  .add(LinksApiGroup)
  .prefix("/api")
  .annotateMerge(
    OpenApi.annotations({
      title: "Portico portal API",
      version: "0.1.0",
      description:
        "Customer reads, scoped to the signed-in session (cookie `portico_session`), and the host-app magic link API (bearer API key)."
    })
  ) {}

/** The OpenAPI document (built once). */
export const openApiDocument = OpenApi.fromApi(DocumentedApi)

const OpenApiRoute = HttpRouter.add(
  "GET",
  openApiPath,
  Effect.sync(() => HttpServerResponse.jsonUnsafe(openApiDocument, { headers: { "cache-control": "no-cache" } }))
)

/**
 * The JSON API's routes. Needs `Portal`, `AuthSettings` and sign-in's `Authentication`; the router's
 * platform services (`HttpRouter.serve` provides them).
 */
export const ApiRoutes = Layer.mergeAll(
  HttpApiBuilder.layer(PortalApi).pipe(Layer.provide(PortalApiHandlers), Layer.provide(ApiAuthentication.layer)),
  OpenApiRoute
)
