// Which records the billing rules reject and which they only report.
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import * as fc from "fast-check"
import { defaultRoundingPolicy } from "../../../core/billing/Totals.ts"
import { Payment } from "../../../core/domain/index.ts"
import { checkDocument, checkPayment } from "../../../core/sync/RecordRules.ts"
import { invoice } from "./support/Dataset.ts"

const paymentOf = (amount: number, allocations: ReadonlyArray<readonly [string, string, number]>) =>
  Schema.decodeUnknownSync(Payment)({
    id: "erp:P-1",
    accountId: "erp:C1",
    source: { source: "erp", externalId: "P-1" },
    reference: "r",
    receivedDate: "2026-03-01",
    amount: { currency: "EUR", minor: amount },
    allocations: allocations.map(([id, currency, minor]) => ({ invoiceId: id, amount: { currency, minor } }))
  })

describe("RecordRules", () => {
  it("consistent stated totals are accepted without warnings", () => {
    assert.deepStrictEqual(checkDocument(invoice("erp", 1, 1).value, defaultRoundingPolicy), {
      _tag: "Accepted",
      warnings: []
    })
  })

  it("stated totals that contradict themselves are rejected; drift from the lines is only reported", () => {
    const doc = invoice("erp", 1, 1).value
    const broken = {
      ...doc,
      totals: { ...doc.totals, total: { ...doc.totals.total, minor: doc.totals.total.minor + 1 } }
    }
    const rejected = checkDocument(broken, defaultRoundingPolicy)
    assert.strictEqual(rejected._tag, "Rejected")
    const drift = {
      ...doc,
      totals: {
        net: { ...doc.totals.net, minor: doc.totals.net.minor + 100 },
        tax: doc.totals.tax,
        total: { ...doc.totals.total, minor: doc.totals.total.minor + 100 }
      }
    }
    const reported = checkDocument(drift, defaultRoundingPolicy)
    assert.strictEqual(reported._tag, "Accepted")
    if (reported._tag === "Accepted") {
      assert.deepStrictEqual(reported.warnings, [
        "stated net is 21.00, the lines give 20.00",
        "stated total is 24.80, the lines give 23.80"
      ])
    }
  })

  it("property: a payment is rejected exactly when an allocation is not positive, in another currency, repeated, or they exceed it", () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(
          fc.tuple(
            fc.constantFrom("erp:A", "erp:B", "erp:C"),
            fc.constantFrom("EUR", "EUR", "USD"),
            fc.integer({ min: -10, max: 6000 })
          ),
          { maxLength: 3 }
        ),
        (amount, allocations) => {
          const outcome = checkPayment(paymentOf(amount, allocations))
          const invalid =
            allocations.some(([, currency, minor]) => currency !== "EUR" || minor <= 0) ||
            new Set(allocations.map(([id]) => id)).size !== allocations.length ||
            allocations.reduce((sum, [, , minor]) => sum + minor, 0) > amount
          assert.strictEqual(outcome._tag, invalid ? "Rejected" : "Accepted")
        }
      )
    ))
})
