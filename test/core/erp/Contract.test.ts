import { assert, describe, it } from "@effect/vitest"
import { Effect, Result, Schema } from "effect"
import {
  buildCreditNote,
  buildInvoice,
  buildPayment,
  type Cursor,
  canonicalId,
  cursorCodec,
  defineManifest
} from "../../../core/erp/index.ts"

const capabilities = {
  entities: { invoices: { syncModes: ["full"] as const, primaryKey: ["number"] as const } },
  writeBack: []
}

describe("defineManifest", () => {
  it("accepts a well-formed declaration", () => {
    const manifest = defineManifest({
      id: "epicor-kinetic",
      version: "1.2.0-beta.1",
      displayName: "Epicor",
      config: Schema.Struct({}),
      capabilities
    })
    assert.strictEqual(manifest.id, "epicor-kinetic")
  })

  it("refuses ids that are not kebab-case and versions that are not semver", () => {
    for (const id of ["Epicor", "epicor_kinetic", "-csv", "csv-", "ep--icor", ""]) {
      assert.throws(
        () => defineManifest({ id, version: "1.0.0", displayName: "X", config: Schema.Struct({}), capabilities }),
        /kebab-case/
      )
    }
    assert.throws(
      () => defineManifest({ id: "csv", version: "1.0", displayName: "X", config: Schema.Struct({}), capabilities }),
      /semantic version/
    )
  })
})

describe("cursorCodec", () => {
  const codec = cursorCodec(Schema.Struct({ v: Schema.Literal(1), page: Schema.Int, token: Schema.String }))

  it.effect("round-trips adapter state through an opaque cursor", () =>
    Effect.gen(function* () {
      const cursor = codec.encode({ v: 1, page: 3, token: "abc" })
      assert.deepStrictEqual(yield* codec.decode(cursor), { v: 1, page: 3, token: "abc" })
    })
  )

  it.effect("rejects a cursor from another adapter or version as a SchemaMismatch", () =>
    Effect.gen(function* () {
      const foreign = Schema.decodeUnknownSync(Schema.String.pipe(Schema.brand("Cursor")))('{"v":2,"page":1}') as Cursor
      const error = yield* Effect.flip(codec.decode(foreign))
      assert.strictEqual(error.reason._tag, "SchemaMismatch")
      assert.isFalse(error.retryable)
      assert.include(error.message, "reset the source's cursor")
    })
  )
})

describe("canonical builders", () => {
  const context = { sourceId: "erp", externalId: "R-1" }
  const header = {
    number: "R-1",
    accountNumber: "K1",
    issueDate: "2026-02-01",
    dueDate: "2026-03-03",
    currency: "EUR",
    netTotal: "100.00",
    taxTotal: "19.00",
    total: "119.00"
  }
  const line = { description: "Beratung", quantity: "2", unitPrice: "50", taxRate: "19", lineNet: "100.00" }

  it("builds an invoice with ids derived from the source", () => {
    const invoice = Result.getOrThrow(buildInvoice(header, [line], context))
    assert.strictEqual(invoice.id, canonicalId("erp", "R-1"))
    assert.strictEqual(invoice.accountId, "erp:K1")
    assert.deepStrictEqual(invoice.totals.total, { currency: "EUR", minor: 11900 })
    assert.deepStrictEqual(invoice.lines[0]?.statedNet, { currency: "EUR", minor: 10000 })
    assert.strictEqual(invoice.lines[0]?.lineNumber, 1)
  })

  it("names the field at fault", () => {
    const cases: ReadonlyArray<
      [Record<string, string | undefined>, Record<string, string | undefined>, string, string]
    > = [
      [{ ...header, currency: "EUX" }, line, "currency", "ISO 4217"],
      [{ ...header, total: "119.001" }, line, "total", "2 decimal places"],
      [{ ...header, dueDate: undefined }, line, "dueDate", "required"],
      [header, { ...line, quantity: "2,5" }, "lines[0].quantity", "plain decimal"],
      [{ ...header, issueDate: "01.02.2026" }, line, "", "YYYY-MM-DD"]
    ]
    for (const [h, l, path, reason] of cases) {
      const result = buildInvoice(h, [l], context)
      assert.isTrue(Result.isFailure(result), path)
      if (Result.isFailure(result)) {
        assert.strictEqual(result.failure.path, path)
        assert.include(result.failure.message, reason)
      }
    }
  })

  it("links a credit note to the invoice it credits, and a payment to its invoices", () => {
    const credit = Result.getOrThrow(
      buildCreditNote({ ...header, number: "G-1", invoiceNumber: "R-1" }, [line], {
        sourceId: "erp",
        externalId: "G-1"
      })
    )
    assert.strictEqual<string | undefined>(credit.invoiceId, "erp:R-1")
    const payment = Result.getOrThrow(
      buildPayment(
        { accountNumber: "K1", receivedDate: "2026-03-01", currency: "JPY", amount: "1200", reference: "TX 1" },
        [{ invoiceNumber: "R-1", amount: "1000" }],
        { sourceId: "erp", externalId: "PAY-1" }
      )
    )
    assert.deepStrictEqual<unknown>(payment.allocations, [
      { invoiceId: "erp:R-1", amount: { currency: "JPY", minor: 1000 } }
    ])
  })
})
