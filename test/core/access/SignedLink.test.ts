// Signed links: a token round-trips its scope, any changed character or bit is refused, expiry is exact,
// keys rotate, and revocation is checked after the signature.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import fc from "fast-check"
import { allPermissions } from "../../../core/access/Permission.ts"
import { scopeOf } from "../../../core/access/Principal.ts"
import {
  decode,
  type LinkGrant,
  principalOf,
  RevokedLinks,
  SignedLinks,
  SigningKeys,
  sign
} from "../../../core/access/SignedLink.ts"
import { AccountId, ContactId, InvoiceId } from "../../../core/domain/Ids.ts"

const newKey = { id: "k2", secret: "second-secret-0123456789abcdefghijklmnop" }
const oldKey = { id: "k1", secret: "first-secret-0123456789abcdefghijklmnopq" }
const keys = Schema.decodeUnknownSync(SigningKeys)([newKey, oldKey])
const newKeyOnly = Schema.decodeUnknownSync(SigningKeys)([newKey])
const oldKeyOnly = Schema.decodeUnknownSync(SigningKeys)([oldKey])

const idText = fc.string({ unit: "binary", minLength: 1, maxLength: 40 })
const grant: fc.Arbitrary<LinkGrant> = fc.record(
  {
    id: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
    accountId: idText.map((s) => AccountId.make(s)),
    invoiceId: idText.map((s) => InvoiceId.make(s)),
    contactId: idText.map((s) => ContactId.make(s)),
    permissions: fc.subarray([...allPermissions]),
    expiresAt: fc.integer({ min: 1, max: 4_102_444_800_000 })
  },
  { requiredKeys: ["id", "accountId", "permissions", "expiresAt"] }
)

describe("sign and decode", () => {
  it("a valid token round-trips its grant and scope before expiry", () => {
    fc.assert(
      fc.property(grant, fc.nat(), (g, before) => {
        const now = Math.max(0, g.expiresAt - 1 - before)
        const decoded = decode(keys, sign(keys, g), now)
        expect(Result.getOrThrow(decoded)).toEqual(g)
        const scope = scopeOf(principalOf(g))
        expect(scope).toEqual(
          g.invoiceId === undefined
            ? { accountIds: [g.accountId] }
            : { accountIds: [g.accountId], invoiceId: g.invoiceId }
        )
      })
    )
  })

  it("has the shape <key id>.<payload>.<mac> and is signed with the first key", () => {
    const token = sign(keys, {
      id: "abc",
      accountId: AccountId.make("acc-1"),
      permissions: ["view-invoices"],
      expiresAt: 10
    })
    expect(token).toMatch(/^k2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/)
  })

  it("any single changed character is refused", () => {
    const replacement = fc.oneof(
      fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ".split("")),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 })
    )
    fc.assert(
      fc.property(grant, fc.nat(), replacement, (g, at, char) => {
        const token = sign(keys, g)
        const index = at % token.length
        fc.pre(token[index] !== char)
        const changed = token.slice(0, index) + char + token.slice(index + 1)
        const result = decode(keys, changed, 0)
        expect(Result.isFailure(result)).toBe(true)
        if (Result.isFailure(result)) expect(["LinkMalformed", "LinkTampered"]).toContain(result.failure._tag)
      }),
      { numRuns: 2000 }
    )
  })

  it("any single flipped bit is refused", () => {
    fc.assert(
      fc.property(grant, fc.nat(), fc.integer({ min: 0, max: 15 }), (g, at, bit) => {
        const token = sign(keys, g)
        const index = at % token.length
        const flipped = String.fromCharCode(token.charCodeAt(index) ^ (1 << bit))
        const changed = token.slice(0, index) + flipped + token.slice(index + 1)
        expect(Result.isFailure(decode(keys, changed, 0))).toBe(true)
      }),
      { numRuns: 2000 }
    )
  })

  it("the last MAC character's unused bits cannot be changed (canonical base64url only)", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    fc.assert(
      fc.property(grant, (g) => {
        const token = sign(keys, g)
        const last = token.at(-1) ?? ""
        const sameBits = [...alphabet].filter(
          (c) => c !== last && alphabet.indexOf(c) >> 2 === alphabet.indexOf(last) >> 2
        )
        for (const c of sameBits) {
          expect(Result.isFailure(decode(keys, token.slice(0, -1) + c, 0))).toBe(true)
        }
      })
    )
  })

  it("is refused at exactly its expiry and accepted one millisecond before", () => {
    fc.assert(
      fc.property(grant, (g) => {
        const token = sign(keys, g)
        const at = decode(keys, token, g.expiresAt)
        expect(Result.isFailure(at) && at.failure._tag).toBe("LinkExpired")
        expect(Result.isSuccess(decode(keys, token, g.expiresAt - 1))).toBe(true)
      })
    )
  })

  it("rotation: verifies with any listed key, refuses a key no longer listed", () => {
    const g: LinkGrant = { id: "rot", accountId: AccountId.make("acc-1"), permissions: ["download"], expiresAt: 1000 }
    const fromOld = sign(oldKeyOnly, g)
    expect(fromOld.startsWith("k1.")).toBe(true)
    expect(Result.getOrThrow(decode(keys, fromOld, 0))).toEqual(g)
    const dropped = decode(newKeyOnly, fromOld, 0)
    expect(Result.isFailure(dropped) && dropped.failure._tag).toBe("LinkTampered")
  })

  it("refuses malformed tokens as malformed", () => {
    for (const token of [
      "",
      "a.b",
      "a.b.c.d",
      "k2..x",
      `k2.e30.${"A".repeat(42)}`,
      `k2.e30.${"!".repeat(43)}`,
      "x".repeat(5000)
    ]) {
      const result = decode(keys, token, 0)
      expect(Result.isFailure(result) && result.failure._tag).toBe("LinkMalformed")
    }
  })

  it("refuses keys shorter than 32 characters", () => {
    expect(() => Schema.decodeUnknownSync(SigningKeys)([{ id: "k", secret: "short" }])).toThrow()
    expect(() => Schema.decodeUnknownSync(SigningKeys)([])).toThrow()
  })
})

describe("SignedLinks", () => {
  const layer = SignedLinks.layer(keys).pipe(Layer.provide(RevokedLinks.layerMemory(["revoked-id"])))

  it.effect("issues with the Clock and verifies into a LinkPrincipal until the ttl runs out", () =>
    Effect.gen(function* () {
      const links = yield* SignedLinks
      yield* TestClock.setTime(1_000_000)
      const { token, grant } = yield* links.issue(
        {
          accountId: AccountId.make("acc-1"),
          invoiceId: InvoiceId.make("inv-9"),
          permissions: ["view-invoices", "pay"]
        },
        "1 hour"
      )
      expect(grant.expiresAt).toBe(1_000_000 + 3_600_000)
      const principal = yield* links.verify(token)
      expect(principal).toEqual({
        _tag: "LinkPrincipal",
        linkId: grant.id,
        accountId: "acc-1",
        invoiceId: "inv-9",
        permissions: ["view-invoices", "pay"]
      })
      yield* TestClock.adjust("1 hour")
      const expired = yield* Effect.flip(links.verify(token))
      expect(expired._tag).toBe("LinkExpired")
    }).pipe(Effect.provide(layer))
  )

  it.effect("refuses a revoked link, and only after checking its signature", () =>
    Effect.gen(function* () {
      const links = yield* SignedLinks
      const token = sign(keys, { id: "revoked-id", accountId: AccountId.make("a"), permissions: [], expiresAt: 10_000 })
      const revoked = yield* Effect.flip(links.verify(token))
      expect(revoked._tag).toBe("LinkRevoked")
      const tampered = yield* Effect.flip(links.verify(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`))
      expect(tampered._tag).toBe("LinkTampered")
    }).pipe(Effect.provide(layer))
  )

  it.effect("issues distinct link ids", () =>
    Effect.gen(function* () {
      const links = yield* SignedLinks
      const ids = new Set<string>()
      for (let i = 0; i < 50; i++) {
        ids.add((yield* links.issue({ accountId: AccountId.make("a"), permissions: [] }, "1 minute")).grant.id)
      }
      expect(ids.size).toBe(50)
    }).pipe(Effect.provide(layer))
  )
})
