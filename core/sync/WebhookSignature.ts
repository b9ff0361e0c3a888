// Verifies pushes from an ERP: an HMAC-SHA256 over the timestamp and the raw body, within a time tolerance,
// so a captured request cannot be replayed later and a forged one is refused before anything is parsed.
import { createHmac, timingSafeEqual } from "node:crypto"
import { Redacted, Result, Schema } from "effect"

/** A push whose signature is missing, malformed, wrong, or outside the time tolerance. */
export class WebhookRejected extends Schema.TaggedError<WebhookRejected>()("WebhookRejected", {
  reason: Schema.Literals(["missing-signature", "malformed-signature", "bad-signature", "stale-timestamp"])
}) {
  override get message(): string {
    return `webhook refused: ${this.reason}`
  }
}

/** The header carrying the signature: `t=<unix seconds>,v1=<hex hmac>` (several v1 entries during rotation). */
export const signatureHeader = "portico-signature"

const mac = (secret: Redacted.Redacted<string>, timestamp: number, body: Uint8Array): Buffer =>
  createHmac("sha256", Redacted.value(secret)).update(`${timestamp}.`).update(body).digest()

/** Signs a body at a time, giving the header value a sender puts in `portico-signature`. */
export const sign = (secret: Redacted.Redacted<string>, body: Uint8Array, nowSeconds: number): string =>
  `t=${nowSeconds},v1=${mac(secret, nowSeconds, body).toString("hex")}`

/**
 * Verifies a header against the raw body at `nowSeconds`, accepting any of `secrets` (rotation) and a
 * timestamp at most `toleranceSeconds` away from now in either direction.
 */
export const verify = (options: {
  readonly header: string | undefined
  readonly body: Uint8Array
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
  readonly nowSeconds: number
  readonly toleranceSeconds?: number
}): Result.Result<{ readonly timestamp: number }, WebhookRejected> => {
  if (options.header === undefined || options.header.trim() === "") {
    return Result.fail(new WebhookRejected({ reason: "missing-signature" }))
  }
  let timestamp: number | undefined
  const candidates: Array<Buffer> = []
  for (const part of options.header.split(",")) {
    const [key, value] = part.trim().split("=", 2)
    if (key === "t" && value !== undefined && /^\d{1,12}$/.test(value)) timestamp = Number(value)
    else if (key === "v1" && value !== undefined && /^[0-9a-f]{64}$/.test(value)) {
      candidates.push(Buffer.from(value, "hex"))
    }
  }
  if (timestamp === undefined || candidates.length === 0) {
    return Result.fail(new WebhookRejected({ reason: "malformed-signature" }))
  }
  const tolerance = options.toleranceSeconds ?? 300
  if (Math.abs(options.nowSeconds - timestamp) > tolerance) {
    return Result.fail(new WebhookRejected({ reason: "stale-timestamp" }))
  }
  const stamp = timestamp
  const matches = options.secrets.some((secret) => {
    const expected = mac(secret, stamp, options.body)
    return candidates.some((candidate) => timingSafeEqual(candidate, expected))
  })
  return matches ? Result.succeed({ timestamp }) : Result.fail(new WebhookRejected({ reason: "bad-signature" }))
}
