import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import {
  applyMapping,
  applyMappingToEach,
  applyRule,
  FieldMapping,
  type RecordRejected,
  sourcePaths,
  valueAt,
  withDefaultFormats
} from "../../../core/erp/index.ts"

const ok = <A>(result: Result.Result<A, RecordRejected>): A => {
  if (Result.isFailure(result)) assert.fail(`expected success, got ${result.failure.message}`)
  return result.success
}
const rejected = <A>(result: Result.Result<A, RecordRejected>): RecordRejected => {
  if (Result.isSuccess(result)) assert.fail(`expected a rejection, got ${JSON.stringify(result.success)}`)
  return result.failure
}

describe("FieldMapping", () => {
  const source = {
    InvoiceNum: 1042,
    Customer: { CustID: "C-7", "Name.Legal": "Müller GmbH" },
    InvcDtls: [{ SellingShipQty: "2", DocUnitPrice: 12.5 }],
    "Betrag inkl. MwSt.": "1.234,56",
    Posted: true,
    Empty: "  "
  }

  it("reads dot and bracket paths, and keys that contain dots", () => {
    const fields = ok(
      applyMapping(
        {
          number: "InvoiceNum",
          accountNumber: "Customer.CustID",
          name: "Customer['Name.Legal']",
          quantity: "InvcDtls[0].SellingShipQty",
          unitPrice: "InvcDtls[0].DocUnitPrice",
          total: "Betrag inkl. MwSt.",
          posted: "Posted",
          absent: "Nope.Not[3].Here"
        },
        source
      )
    )
    assert.deepStrictEqual(fields, {
      number: "1042",
      accountNumber: "C-7",
      name: "Müller GmbH",
      quantity: "2",
      unitPrice: "12.5",
      total: "1.234,56",
      posted: "true",
      absent: undefined
    })
  })

  it("applies constants, defaults and transforms in order", () => {
    assert.strictEqual(ok(applyRule("currency", { constant: "EUR" }, source)), "EUR")
    assert.strictEqual(ok(applyRule("tier", { from: "Empty", default: "standard" }, source)), "standard")
    assert.strictEqual(
      ok(
        applyRule(
          "total",
          {
            from: "Betrag inkl. MwSt.",
            transforms: [{ _tag: "decimal", decimalSeparator: ",", thousandsSeparator: "." }, { _tag: "negate" }]
          },
          source
        )
      ),
      "-1234.56"
    )
    assert.strictEqual(
      ok(
        applyRule(
          "kind",
          { constant: "g2", transforms: [{ _tag: "uppercase" }, { _tag: "map", values: { G2: "credit-note" } }] },
          source
        )
      ),
      "credit-note"
    )
  })

  it("rejects with the canonical field, the source path, the reason and the value", () => {
    const failure = rejected(
      applyRule(
        "issueDate",
        { from: "Datum", transforms: [{ _tag: "date", format: "dd.mm.yyyy" }] },
        { Datum: "31.02.2026" }
      )
    )
    assert.strictEqual(failure.path, 'issueDate (from "Datum")')
    assert.strictEqual(failure.value, "31.02.2026")
    assert.include(failure.reason, "dd.mm.yyyy")
    const notScalar = rejected(applyRule("name", "Customer", source))
    assert.include(notScalar.reason, "an object")
    const unmapped = rejected(
      applyRule("kind", { constant: "X", transforms: [{ _tag: "map", values: { A: "a" } }] }, {})
    )
    assert.include(unmapped.reason, '"X" is not one of "A"')
  })

  it("maps each element of a nested list, naming the element at fault", () => {
    const invoice = {
      InvcDtls: [
        { Qty: "2", Price: "1.5" },
        { Qty: "x", Price: "3" }
      ]
    }
    const mapping = {
      quantity: { from: "Qty", transforms: [{ _tag: "decimal", decimalSeparator: "." }] },
      unitPrice: "Price"
    } as const
    const failure = rejected(applyMappingToEach(mapping, invoice, "InvcDtls"))
    assert.strictEqual(failure.path, 'InvcDtls[1].quantity (from "Qty")')
    assert.deepStrictEqual(ok(applyMappingToEach(mapping, { InvcDtls: [invoice.InvcDtls[0]] }, "InvcDtls")), [
      { quantity: "2", unitPrice: "1.5" }
    ])
    assert.deepStrictEqual(ok(applyMappingToEach(mapping, {}, "InvcDtls")), [])
    assert.strictEqual(valueAt(invoice, "InvcDtls[1].Price"), "3")
  })

  it("is data: a mapping decodes from JSON and bad transforms are refused", () => {
    const decoded = Schema.decodeUnknownSync(FieldMapping)({
      number: "Nr",
      issueDate: { from: "Datum", transforms: [{ _tag: "date", format: "d.m.yy" }] }
    })
    assert.deepStrictEqual(sourcePaths(decoded), ["Nr", "Datum"])
    assert.throws(() =>
      Schema.decodeUnknownSync(FieldMapping)({
        issueDate: { from: "Datum", transforms: [{ _tag: "date", format: "banana" }] }
      })
    )
  })

  it("adds locale formats only to date and number fields without their own transforms", () => {
    const mapping = withDefaultFormats(
      { issueDate: "Datum", total: "Brutto", name: "Name", net: { from: "Netto", transforms: [{ _tag: "trim" }] } },
      { dateFormat: "dd.mm.yyyy", decimalSeparator: ",", thousandsSeparator: "." },
      { dates: ["issueDate"], numbers: ["total", "net"] }
    )
    assert.deepStrictEqual(mapping, {
      issueDate: { from: "Datum", transforms: [{ _tag: "date", format: "dd.mm.yyyy" }] },
      total: { from: "Brutto", transforms: [{ _tag: "decimal", decimalSeparator: ",", thousandsSeparator: "." }] },
      name: "Name",
      net: { from: "Netto", transforms: [{ _tag: "trim" }] }
    })
  })
})
