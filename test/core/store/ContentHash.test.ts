// The content hash must not change across versions (a changed hash rewrites every stored record once): the
// one-pass canonical JSON gives exactly the text of the original definition, JSON.stringify of a key-sorted
// copy without undefined-valued keys.
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import * as fc from "fast-check"
import { Account } from "../../../core/domain/Account.ts"
import { Contact } from "../../../core/domain/Contact.ts"
import { AccountId, ContactId } from "../../../core/domain/Ids.ts"
import { CreditNote, Invoice } from "../../../core/domain/Invoice.ts"
import { Payment } from "../../../core/domain/Payment.ts"
import { canonicalJson, contentHash, schemaContentHash } from "../../../core/store/internal/contentHash.ts"
import { arbCreditNote, arbInvoice, arbInvoices, arbPayment } from "../../arbitraries/Documents.ts"
import { arbCurrency } from "../../arbitraries/Money.ts"

/** The original definition, kept as the oracle. */
const sortedCopy = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortedCopy)
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortedCopy(v)])
    )
  }
  return value
}

const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string({ unit: "binary" }),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: "binary", maxLength: 6 }), tie("value"), { maxKeys: 6 })
  )
})).value

describe("contentHash", () => {
  it("writes the same text as JSON.stringify of a key-sorted copy", () => {
    fc.assert(
      fc.property(values, (value) => {
        assert.strictEqual(canonicalJson(value), JSON.stringify(sortedCopy(value)))
      }),
      { numRuns: 5000 }
    )
  })

  it("does not depend on key order, and tells different content apart", () => {
    assert.strictEqual(contentHash({ b: 1, a: [{ y: "2", x: null }] }), contentHash({ a: [{ x: null, y: "2" }], b: 1 }))
    assert.strictEqual(contentHash({ a: 1, b: undefined }), contentHash({ a: 1 }))
    assert.notStrictEqual(contentHash({ a: "1" }), contentHash({ a: 1 }))
    // a known value, worked out by sha256sum: hashes stored by earlier versions stay valid
    assert.strictEqual(
      contentHash({ number: "INV-1", lines: [{ quantity: "2", lineNumber: 1 }] }),
      "c8c509b8787b401e8bedd67005ce8cce31b717c5ce46493a0ec8f882e14e8673"
    )
  })
})

// Invoices with every optional key of a line sometimes set, so each declared field is hashed.
const arbFullInvoice = fc
  .tuple(
    arbInvoice(),
    fc.option(fc.string(), { nil: undefined }),
    fc.option(fc.constantFrom("h", "pcs", "kg"), { nil: undefined })
  )
  .map(([invoice, productCode, unit]) => ({
    ...invoice,
    lines: invoice.lines.map((line) => ({
      ...line,
      ...(productCode === undefined ? {} : { productCode }),
      ...(unit === undefined ? {} : { unit })
    }))
  }))

const arbAccount = fc.record(
  {
    id: fc.constantFrom(AccountId.make("acct-1"), AccountId.make("acct-2")),
    source: fc.record({ source: fc.constant("erp"), externalId: fc.string({ minLength: 1 }) }),
    number: fc.string({ minLength: 1 }),
    name: fc.string({ minLength: 1 }),
    tier: fc.constant(Schema.decodeSync(Account.fields.tier)("standard")),
    currency: arbCurrency,
    email: fc.string(),
    taxId: fc.string(),
    billingAddress: fc.record(
      {
        lines: fc.array(fc.string(), { maxLength: 3 }),
        city: fc.string(),
        region: fc.string(),
        postalCode: fc.string(),
        country: fc.constantFrom("DE", "CH")
      },
      { requiredKeys: ["lines"] }
    )
  },
  { requiredKeys: ["id", "source", "number", "name", "tier", "currency"] }
)

const arbContact = fc.record(
  {
    id: fc.constant(ContactId.make("contact-1")),
    source: fc.record({ source: fc.constant("erp"), externalId: fc.string({ minLength: 1 }) }),
    email: fc.constant(Schema.decodeSync(Contact.fields.email)("ap@example.com")),
    name: fc.string(),
    phone: fc.string(),
    links: fc.array(
      fc.record({
        accountId: fc.constant(AccountId.make("acct-1")),
        role: fc.constantFrom(...(["admin", "viewer"] as const))
      }),
      { maxLength: 3 }
    )
  },
  { requiredKeys: ["id", "source", "email", "name", "links"] }
)

/** Rebuilds every object of `value` with its keys in reverse order: the hash must not notice. */
const reversed = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(reversed)
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)])
    )
  }
  return value
}

describe("schemaContentHash", () => {
  const agrees = <S extends Schema.Top>(schema: S, arbitrary: fc.Arbitrary<S["Type"]>) =>
    fc.assert(
      fc.property(arbitrary, (value) => {
        const hashOf = schemaContentHash(schema)
        assert.strictEqual(hashOf(value), contentHash(value))
        // safe: the same value with its keys reordered
        assert.strictEqual(hashOf(reversed(value) as S["Type"]), contentHash(value))
      }),
      { numRuns: 300 }
    )

  it("gives contentHash's hash for every invoice, credit note, payment, account and contact", () => {
    agrees(Invoice, arbFullInvoice)
    agrees(CreditNote, arbCreditNote())
    agrees(
      Payment,
      arbCurrency.chain((currency) =>
        arbInvoices({ currency, maxLength: 3 }).chain((invoices) => arbPayment({ currency, invoices }))
      )
    )
    agrees(Account, arbAccount)
    agrees(Contact, arbContact)
  })

  it("hashes unions, records and unknown values through the generic canonical copy", () => {
    const Odd = Schema.Struct({
      tag: Schema.Union([Schema.Struct({ b: Schema.Number, a: Schema.String }), Schema.String]),
      bag: Schema.Record(Schema.String, Schema.Unknown),
      anything: Schema.Unknown,
      list: Schema.Array(Schema.Struct({ z: Schema.optionalKey(Schema.Number), y: Schema.Unknown }))
    })
    const hashOf = schemaContentHash(Odd)
    fc.assert(
      fc.property(
        fc.oneof(fc.record({ b: fc.integer(), a: fc.string() }), fc.string()),
        fc.dictionary(fc.string({ maxLength: 4 }), values, { maxKeys: 4 }),
        values,
        fc.array(fc.record({ z: fc.integer(), y: values }, { requiredKeys: ["y"] }), { maxLength: 3 }),
        (tag, bag, anything, list) => {
          const value = { tag, bag, anything, list }
          assert.strictEqual(hashOf(value), contentHash(value))
        }
      ),
      { numRuns: 1000 }
    )
  })

  it("leaves out keys the schema does not declare, and tells declared ones apart", () => {
    const Pair = Schema.Struct({ a: Schema.String, b: Schema.optionalKey(Schema.Number) })
    const hashOf = schemaContentHash(Pair)
    const extra = { a: "x", b: 1, note: "not content" }
    assert.strictEqual(hashOf(extra), contentHash({ a: "x", b: 1 }))
    assert.notStrictEqual(hashOf({ a: "x", b: 2 }), hashOf({ a: "x", b: 1 }))
    assert.strictEqual(hashOf({ a: "x" }), contentHash({ a: "x", b: undefined }))
  })

  it("writes a value that does not match its declared type canonically too", () => {
    const Pair = Schema.Struct({ a: Schema.String, b: Schema.Array(Schema.Number) })
    const hashOf = schemaContentHash(Pair)
    fc.assert(
      fc.property(values, values, (a, b) => {
        // safe: deliberately mistyped data, as a caller that skipped decoding might pass
        assert.strictEqual(hashOf({ a, b } as unknown as typeof Pair.Type), contentHash({ a, b }))
      }),
      { numRuns: 1000 }
    )
  })

  it("writes index-like keys (enumerated first by JavaScript) in sorted place, as contentHash does", () => {
    const Bag = Schema.Struct({ bag: Schema.Record(Schema.String, Schema.Unknown), a: Schema.String })
    const value = { bag: { "": [], "10": 1, "9": { "1": null, b: 2 } }, a: "x", undeclared: 1 }
    assert.strictEqual(schemaContentHash(Bag)(value), contentHash({ bag: value.bag, a: "x" }))
  })
})
