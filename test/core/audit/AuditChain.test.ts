// Properties of chain verification: an intact chain verifies; editing any field of any entry, deleting an
// entry, moving one, or cutting the tail is reported at exactly the first broken position.
import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { verifyChain } from "../../../core/audit/AuditChain.ts"
import { type AuditEntry, type AuditFacts, seal } from "../../../core/audit/AuditEntry.ts"

const arbText = fc.string({ unit: "grapheme", maxLength: 12 })

const arbFacts = (accountId: string | null): fc.Arbitrary<AuditFacts> =>
  fc.record({
    id: fc.uuid(),
    accountId: fc.constant(accountId),
    actor: fc.record({ kind: fc.constantFrom("contact" as const, "link" as const, "system" as const), id: arbText }),
    action: fc.constantFrom("sign-in", "view", "download", "export", "payment", "settings-change"),
    records: fc.array(fc.record({ kind: fc.constantFrom("invoice", "document"), id: arbText }), { maxLength: 3 }),
    outcome: fc.constantFrom("success" as const, "denied" as const, "error" as const),
    reason: fc.option(arbText, { nil: null }),
    ip: fc.option(fc.ipV4(), { nil: null }),
    userAgent: fc.option(arbText, { nil: null }),
    occurredAt: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }).map((ms) => new Date(ms).toISOString())
  })

/** A well-formed chain of 1..12 entries. */
const arbChain: fc.Arbitrary<ReadonlyArray<AuditEntry>> = fc
  .option(fc.string({ minLength: 1, maxLength: 8 }), { nil: null })
  .chain((accountId) => fc.array(arbFacts(accountId), { minLength: 1, maxLength: 12 }))
  .map((facts) => {
    const chain: Array<AuditEntry> = []
    for (const fact of facts) chain.push(seal(fact, chain.at(-1)))
    return chain
  })

/** A fast-check property as one test. */
const property = <A>(name: string, arbitrary: fc.Arbitrary<A>, check: (value: A) => void) =>
  it(name, () => fc.assert(fc.property(arbitrary, check), { numRuns: 200 }))

const headOf = (chain: ReadonlyArray<AuditEntry>) => ({ seq: chain.at(-1)!.seq, hash: chain.at(-1)!.hash })

/** Changes one field of an entry to a different value. */
const tamperings: ReadonlyArray<(entry: AuditEntry) => AuditEntry> = [
  (e) => ({ ...e, action: e.action === "view" ? "download" : "view" }),
  (e) => ({ ...e, outcome: e.outcome === "success" ? "denied" : "success" }),
  (e) => ({ ...e, actor: { ...e.actor, id: `${e.actor.id}x` } }),
  (e) => ({ ...e, records: [...e.records, { kind: "invoice", id: "extra" }] }),
  (e) => ({ ...e, reason: e.reason === null ? "x" : null }),
  (e) => ({ ...e, ip: e.ip === "10.0.0.1" ? "10.0.0.2" : "10.0.0.1" }),
  (e) => ({ ...e, userAgent: `${e.userAgent ?? ""}!` }),
  (e) => ({ ...e, occurredAt: new Date(Date.parse(e.occurredAt) + 1).toISOString() }),
  (e) => ({ ...e, accountId: `${e.accountId ?? ""}y` }),
  (e) => ({ ...e, hash: e.hash.replace(/^./, (c) => (c === "0" ? "1" : "0")) }),
  (e) => ({ ...e, prevHash: e.prevHash.replace(/^./, (c) => (c === "0" ? "1" : "0")) }),
  (e) => ({ ...e, seq: e.seq + 1 }),
  (e) => ({ ...e, id: `${e.id}-forged` })
]

describe("verifyChain", () => {
  it("an intact chain verifies, with and without its head", () =>
    fc.assert(
      fc.property(arbChain, (chain) => {
        assert.isUndefined(verifyChain(chain))
        assert.isUndefined(verifyChain(chain, headOf(chain)))
      })
    ))

  property(
    "editing any field of any entry is reported at that entry",
    arbChain.chain((chain) => fc.tuple(fc.constant(chain), fc.nat(chain.length - 1), fc.nat(tamperings.length - 1))),
    ([chain, index, which]) => {
      const tampered = chain.map((entry, i) => (i === index ? tamperings[which]!(entry) : entry))
      const found = verifyChain(tampered, headOf(chain))
      assert.isDefined(found)
      assert.strictEqual(found?.index, index)
      assert.strictEqual(found?.entryId, tampered[index]!.id)
    }
  )

  property(
    "deleting an entry is a sequence gap at its successor, or a truncation when it was the last",
    arbChain.chain((chain) => fc.tuple(fc.constant(chain), fc.nat(chain.length - 1))),
    ([chain, index]) => {
      const shortened = chain.filter((_, i) => i !== index)
      const found = verifyChain(shortened, headOf(chain))
      if (index === chain.length - 1) {
        assert.deepStrictEqual(found, { index: shortened.length, entryId: null, reason: "truncated" })
      } else {
        assert.deepStrictEqual(found, { index, entryId: chain[index + 1]!.id, reason: "sequence-gap" })
      }
    }
  )

  property(
    "moving an entry is reported as reordered at the first position that changed",
    arbChain
      .filter((chain) => chain.length >= 2)
      .chain((chain) =>
        fc.tuple(fc.constant(chain), fc.nat(chain.length - 1), fc.nat(chain.length - 1)).filter(([, a, b]) => a !== b)
      ),
    ([chain, from, to]) => {
      const moved = [...chain]
      const [entry] = moved.splice(from, 1)
      moved.splice(to, 0, entry!)
      const first = Math.min(from, to)
      const found = verifyChain(moved, headOf(chain))
      assert.deepStrictEqual(found, { index: first, entryId: moved[first]!.id, reason: "reordered" })
    }
  )

  it("a re-hashed forgery still breaks at the next entry's back-pointer", () => {
    const facts = fc.sample(arbFacts("acc-1"), 3)
    const chain: Array<AuditEntry> = []
    for (const fact of facts) chain.push(seal(fact, chain.at(-1)))
    const forged = seal({ ...facts[1]!, action: facts[1]!.action === "view" ? "download" : "view" }, chain[0])
    const found = verifyChain([chain[0]!, forged, chain[2]!])
    assert.deepStrictEqual(found, { index: 2, entryId: chain[2]!.id, reason: "prev-mismatch" })
  })
})
