// API keys for the host-app link API: `authorization: Bearer <key>`, checked against configured sha256
// hashes (the keys themselves are never configured or stored), in time that does not depend on the key.
import { Effect, Schema } from "effect"
import { HttpServerRequest } from "effect/http"
import { AuthSettings } from "./AuthSettings.ts"
import { sameString, sha256Hex } from "./internal/crypto.ts"

/** The request has no API key, or one that is not configured. */
export class ApiKeyRejected extends Schema.TaggedError<ApiKeyRejected>()("ApiKeyRejected", {
  reason: Schema.Literals(["missing", "unknown"])
}) {}

/** The id of the configured key the request carries, or ApiKeyRejected. */
export const requireApiKey: Effect.Effect<string, ApiKeyRejected, HttpServerRequest.HttpServerRequest | AuthSettings> =
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const settings = yield* AuthSettings
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "")
    const key = match?.[1]
    if (key === undefined) return yield* new ApiKeyRejected({ reason: "missing" })
    const hash = sha256Hex(key)
    // Compare with every configured hash, without stopping at the first match.
    let found: string | undefined
    for (const candidate of settings.apiKeys) {
      if (sameString(candidate.sha256.toLowerCase(), hash) && found === undefined) found = candidate.id
    }
    if (found === undefined) return yield* new ApiKeyRejected({ reason: "unknown" })
    return found
  })

/** The sha256 (hex) to configure for a key: `node -e` friendly, and used by `portico` docs. */
export const apiKeyHash = (key: string): string => sha256Hex(key)
