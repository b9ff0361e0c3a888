import { describe, expect, it } from "@effect/vitest"
import { Redacted, Result } from "effect"
import fc from "fast-check"
import { sign, verify } from "../../../core/sync/WebhookSignature.ts"

const secret = Redacted.make("whsec_test_0123456789")
const body = new TextEncoder().encode('{"invoice":"INV-1","total":"100.00"}')
const now = 1_790_000_000

const reason = (result: ReturnType<typeof verify>) => (Result.isFailure(result) ? result.failure.reason : "accepted")

describe("WebhookSignature", () => {
  it("accepts a body signed with the secret", () => {
    expect(reason(verify({ header: sign(secret, body, now), body, secrets: [secret], nowSeconds: now }))).toBe(
      "accepted"
    )
  })

  it("accepts during key rotation with any configured secret", () => {
    const old = Redacted.make("old-secret")
    const header = sign(old, body, now)
    expect(reason(verify({ header, body, secrets: [secret, old], nowSeconds: now + 10 }))).toBe("accepted")
  })

  it("refuses a missing, malformed, stale or forged signature with the reason", () => {
    expect(reason(verify({ header: undefined, body, secrets: [secret], nowSeconds: now }))).toBe("missing-signature")
    expect(reason(verify({ header: "v1=zz", body, secrets: [secret], nowSeconds: now }))).toBe("malformed-signature")
    const header = sign(secret, body, now)
    expect(reason(verify({ header, body, secrets: [secret], nowSeconds: now + 301 }))).toBe("stale-timestamp")
    expect(reason(verify({ header, body, secrets: [secret], nowSeconds: now - 301 }))).toBe("stale-timestamp")
    expect(reason(verify({ header, body, secrets: [Redacted.make("other")], nowSeconds: now }))).toBe("bad-signature")
  })

  it("refuses any change to the body or the timestamp", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (raw, at, flip) => {
          const header = sign(secret, raw, now)
          const tampered = Uint8Array.from(raw)
          const index = at % tampered.length
          tampered[index] = (tampered[index] ?? 0) ^ flip
          expect(reason(verify({ header, body: tampered, secrets: [secret], nowSeconds: now }))).toBe("bad-signature")
          const shifted = header.replace(`t=${now}`, `t=${now + 1}`)
          expect(reason(verify({ header: shifted, body: raw, secrets: [secret], nowSeconds: now }))).toBe(
            "bad-signature"
          )
        }
      ),
      { numRuns: 500 }
    )
  })
})
