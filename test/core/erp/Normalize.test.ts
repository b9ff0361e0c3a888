// Building canonical invoices and credit notes from mapped text fields: a document written out as the text an
// export would carry builds back to itself, and each kind of bad field is rejected with the field's path.
import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import {
  AccountId,
  CreditNote,
  CreditNoteId,
  type DocumentLine,
  Invoice,
  InvoiceId,
  Money
} from "../../../core/domain/index.ts"
import {
  buildCreditNote,
  buildInvoice,
  canonicalId,
  type MappedFields,
  type RecordRejected
} from "../../../core/erp/index.ts"
import { arbCreditNote, arbInvoice } from "../../arbitraries/index.ts"

const context = { sourceId: "erp", externalId: "INV-7" }

/** A line as an export states it: every value as text, optional ones left out. */
const lineFields = (line: DocumentLine): MappedFields => ({
  lineNumber: String(line.lineNumber),
  description: line.description,
  productCode: line.productCode,
  unit: line.unit,
  quantity: line.quantity,
  unitPrice: line.unitPrice,
  discountPercent: line.discountPercent,
  discountAmount: line.discountAmount,
  taxRate: line.taxRate,
  taxCode: line.taxCode,
  lineNet: line.statedNet === undefined ? undefined : Money.toDecimal(line.statedNet)
})

const totalsFields = (document: Invoice | CreditNote): MappedFields => ({
  currency: document.currency,
  netTotal: Money.toDecimal(document.totals.net),
  taxTotal: Money.toDecimal(document.totals.tax),
  total: Money.toDecimal(document.totals.total)
})

const rejection = <A>(built: Result.Result<A, RecordRejected>): { path: string; reason: string } => {
  assert.isTrue(Result.isFailure(built), "expected a rejection")
  if (Result.isSuccess(built)) throw new Error("unreachable")
  return { path: built.failure.path, reason: built.failure.reason }
}

describe("buildInvoice", () => {
  it("builds an invoice back from the text of its fields", () => {
    fc.assert(
      fc.property(arbInvoice(), fc.boolean(), (generated, coded) => {
        // the generator leaves product codes and units out: half the invoices get them
        const invoice: Invoice = coded
          ? { ...generated, lines: generated.lines.map((l) => ({ ...l, productCode: `P-${l.lineNumber}`, unit: "h" })) }
          : generated
        const header: MappedFields = {
          number: invoice.number,
          accountNumber: "C-1",
          issueDate: invoice.issueDate,
          dueDate: invoice.dueDate,
          terms: invoice.terms,
          poNumber: invoice.poNumber,
          ...totalsFields(invoice)
        }
        const built = buildInvoice(header, invoice.lines.map(lineFields), context)
        assert.isTrue(Result.isSuccess(built))
        if (Result.isFailure(built)) return
        assert.isTrue(Schema.is(Invoice)(built.success))
        assert.deepStrictEqual(built.success, {
          ...invoice,
          id: InvoiceId.make(canonicalId("erp", "INV-7")),
          accountId: AccountId.make(canonicalId("erp", "C-1")),
          source: { source: "erp", externalId: "INV-7" },
          taxLines: []
        })
      }),
      { numRuns: 300 }
    )
  })

  const header: MappedFields = {
    number: "INV-7",
    accountNumber: "C-1",
    issueDate: "2026-03-01",
    dueDate: "2026-03-31",
    currency: "EUR",
    netTotal: "20.00",
    taxTotal: "3.80",
    total: "23.80"
  }
  const line: MappedFields = { quantity: "2", unitPrice: "10", taxRate: "19", description: "Widgets" }

  it("numbers lines by position when the source does not, and defaults the tax rate to 0", () => {
    const built = buildInvoice(header, [line, { quantity: "1", unitPrice: "0" }], context)
    assert.isTrue(Result.isSuccess(built))
    if (Result.isFailure(built)) return
    assert.deepStrictEqual(
      built.success.lines.map((l) => [l.lineNumber, l.description, l.taxRate]),
      [
        [1, "Widgets", "19"],
        [2, "", "0"]
      ]
    )
  })

  it("names the field at fault", () => {
    const cases: ReadonlyArray<[MappedFields, ReadonlyArray<MappedFields>, string, string]> = [
      [{ ...header, currency: "EURO" }, [line], "currency", "is not an ISO 4217 currency code (such as EUR, USD, CHF)"],
      [{ ...header, accountNumber: "" }, [line], "accountNumber", "is required but missing or blank"],
      [{ ...header, total: undefined }, [line], "total", "is required but missing or blank"],
      [{ ...header, netTotal: "20.001" }, [line], "netTotal", "EUR has 2 decimal places"],
      [header, [line, { ...line, quantity: undefined }], "lines[1].quantity", "is required but missing or blank"],
      [
        header,
        [{ ...line, unitPrice: "1,50" }],
        "lines[0].unitPrice",
        `expected a plain decimal such as "12.50"; add a "decimal" transform for locale numbers`
      ],
      [
        header,
        [{ ...line, discountPercent: "10%" }],
        "lines[0].discountPercent",
        `expected a plain decimal such as "12.50"; add a "decimal" transform for locale numbers`
      ],
      [header, [{ ...line, lineNumber: "0" }], "lines[0].lineNumber", "expected a whole number from 1"],
      [header, [line, { ...line, lineNet: "1.005" }], "lines[1].lineNet", "EUR has 2 decimal places"]
    ]
    for (const [fields, lines, path, reason] of cases) {
      assert.deepStrictEqual(rejection(buildInvoice(fields, lines, context)), { path, reason })
    }
    const badDate = rejection(buildInvoice({ ...header, issueDate: "2026-02-30" }, [line], context))
    assert.include(badDate.reason, "issueDate")
  })
})

describe("buildCreditNote", () => {
  it("builds a credit note back from the text of its fields", () => {
    fc.assert(
      fc.property(arbCreditNote(), fc.option(fc.constant("INV-3"), { nil: undefined }), (note, invoiceNumber) => {
        const header: MappedFields = {
          number: note.number,
          accountNumber: "C-1",
          issueDate: note.issueDate,
          invoiceNumber,
          reason: note.reason,
          ...totalsFields(note)
        }
        const built = buildCreditNote(header, note.lines.map(lineFields), context)
        assert.isTrue(Result.isSuccess(built))
        if (Result.isFailure(built)) return
        assert.isTrue(Schema.is(CreditNote)(built.success))
        const { invoiceId: _, ...unlinked } = note
        assert.deepStrictEqual(built.success, {
          ...unlinked,
          id: CreditNoteId.make(canonicalId("erp", "INV-7")),
          accountId: AccountId.make(canonicalId("erp", "C-1")),
          source: { source: "erp", externalId: "INV-7" },
          ...(invoiceNumber === undefined ? {} : { invoiceId: InvoiceId.make(canonicalId("erp", invoiceNumber)) }),
          taxLines: []
        })
      }),
      { numRuns: 200 }
    )
  })
})
