// Where a request comes from, for the audit log and rate limits: the client's IP address and user agent.
import { Effect, Option } from "effect"
import { HttpServerRequest } from "effect/http"
import { AuthSettings } from "./AuthSettings.ts"

/** The client's address and user agent, when known. */
export interface ClientInfo {
  readonly ip: string | undefined
  readonly userAgent: string | undefined
}

const maxUserAgent = 512

/**
 * The current request's client. The address is the socket's peer unless `trustProxy` is set, in which case
 * the first `X-Forwarded-For` entry (the client as your proxy saw it) is used.
 */
export const clientInfo: Effect.Effect<ClientInfo, never, HttpServerRequest.HttpServerRequest | AuthSettings> =
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const settings = yield* AuthSettings
    const forwarded = request.headers["x-forwarded-for"]?.split(",")[0]?.trim()
    const ip =
      settings.trustProxy && forwarded !== undefined && forwarded !== ""
        ? forwarded
        : Option.getOrUndefined(request.remoteAddress)
    const userAgent = request.headers["user-agent"]?.slice(0, maxUserAgent)
    return { ip, userAgent }
  })
