// Sealed TOTP secrets: they open with their key only, and any change to the box is noticed.
import { randomBytes } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { open, seal } from "../../../../starter/auth/internal/seal.ts"

describe("seal", () => {
  const key = randomBytes(32)

  it("opens what it sealed, for any text", () => {
    fc.assert(fc.property(fc.string(), (text) => open(key, seal(key, text)) === text))
  })

  it("does not open with another key, altered, or truncated", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat(), (text, at) => {
        const box = Buffer.from(seal(key, text), "base64url")
        const position = at % box.length
        const altered = Buffer.from(box)
        altered[position] = (altered[position] ?? 0) ^ 0x01
        return (
          open(randomBytes(32), seal(key, text)) === undefined &&
          open(key, altered.toString("base64url")) === undefined &&
          open(key, box.subarray(0, 20).toString("base64url")) === undefined
        )
      })
    )
  })

  it("seals the same text differently each time (fresh IV)", () => {
    assert.notStrictEqual(seal(key, "JBSWY3DPEHPK3PXP"), seal(key, "JBSWY3DPEHPK3PXP"))
  })
})
