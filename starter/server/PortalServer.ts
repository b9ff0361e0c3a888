// Serving the portal: the router with every route layer, the security headers around every response, on
// Node's HTTP server at the configured address.
import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { Layer } from "effect"
import { HttpRouter } from "effect/http"
import { type SecurityHeaderOptions, withSecurityHeaders } from "./SecurityHeaders.ts"

/** Where to listen. Port 0 picks a free port (tests read it from `HttpServer.address`). */
export interface Listen {
  readonly host: string
  readonly port: number
}

/**
 * Serves `routes` (a merge of route layers whose services are already provided) on `listen`, with the
 * security headers. Provides `HttpServer` (its address) to whoever runs it.
 */
export const serve = <E, R>(routes: Layer.Layer<never, E, R>, listen: Listen, security: SecurityHeaderOptions) =>
  HttpRouter.serve(routes, { middleware: withSecurityHeaders(security), disableLogger: true }).pipe(
    Layer.provideMerge(NodeHttpServer.layer(createServer, { host: listen.host, port: listen.port }))
  )
