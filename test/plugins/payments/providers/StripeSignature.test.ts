// The Stripe-Signature check, as Stripe specifies it: HMAC-SHA256 of `${t}.${rawBody}` with the endpoint
// secret, any of several v1 signatures (secret rotation), other schemes ignored, too old refused.
import { createHmac } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { stripeSignatureHeader, verifyStripeSignature } from "../../../../plugins/payments/providers/StripeProvider.ts"

const secret = "whsec_test"
const body = new TextEncoder().encode('{"id":"evt_1","type":"checkout.session.completed"}')
const hmac = (key: string, t: number, payload: Uint8Array) =>
  createHmac("sha256", key).update(`${t}.`).update(payload).digest("hex")
const check = (header: string | undefined, nowSeconds = 1_000, payload = body) =>
  verifyStripeSignature({ header, body: payload, secret, nowSeconds, toleranceSeconds: 300 })

describe("verifyStripeSignature", () => {
  it("accepts Stripe's header and the header made by stripeSignatureHeader", () => {
    assert.strictEqual(check(`t=1000,v1=${hmac(secret, 1000, body)}`), undefined)
    assert.strictEqual(check(stripeSignatureHeader(new TextDecoder().decode(body), secret, 990)), undefined)
  })

  it("accepts any matching v1 among several and ignores other schemes", () => {
    const header = `t=1000,v1=${hmac("whsec_old", 1000, body)},v1=${hmac(secret, 1000, body)},v0=${"ab".repeat(32)}`
    assert.strictEqual(check(header), undefined)
  })

  it("refuses a missing header, no timestamp, no v1, a wrong secret, and a stale timestamp", () => {
    assert.strictEqual(check(undefined), "missing Stripe-Signature header")
    assert.strictEqual(check(`v1=${hmac(secret, 1000, body)}`), "no timestamp in the signature header")
    assert.strictEqual(check(`t=1000,v0=${hmac(secret, 1000, body)}`), "no v1 signature in the signature header")
    assert.strictEqual(check(`t=1000,v1=${hmac("whsec_other", 1000, body)}`), "no signature matches the payload")
    assert.strictEqual(check(`t=699,v1=${hmac(secret, 699, body)}`), "timestamp outside the tolerance zone")
    assert.strictEqual(check(`t=700,v1=${hmac(secret, 700, body)}`), undefined, "exactly at the tolerance")
  })

  it("refuses any change to the body", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), (extra, at) => {
        const changed = new Uint8Array(body)
        const index = at % changed.length
        changed[index] = (changed[index] ?? 0) ^ (extra[0] === 0 ? 1 : (extra[0] ?? 1))
        return check(`t=1000,v1=${hmac(secret, 1000, body)}`, 1000, changed) === "no signature matches the payload"
      })
    )
  })
})
