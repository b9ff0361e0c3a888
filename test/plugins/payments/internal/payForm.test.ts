// The payer's forms read into payment selections: every amount the pages show reads back to the same minor
// units (no floats), wrong amounts and foreign invoices are refused with a sentence or as unknown, and a
// whole-balance amount is a full payment (no partial minimum applies to it).
import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import { CurrencyCode } from "../../../../core/domain/Currency.ts"
import { InvoiceId } from "../../../../core/domain/Ids.ts"
import { localDate } from "../../../../core/domain/LocalDate.ts"
import { toDecimal } from "../../../../core/domain/Money.ts"
import {
  amountField,
  attemptKey,
  parseAmount,
  readCreditForm,
  readPayForm,
  validAttempt
} from "../../../../plugins/payments/internal/payForm.ts"
import type { PayableInvoice } from "../../../../plugins/payments/PaymentLedger.ts"
import type { Payable } from "../../../../plugins/payments/Payments.ts"

const EUR = CurrencyCode.make("EUR")
const USD = CurrencyCode.make("USD")
const JPY = CurrencyCode.make("JPY")

const invoice = (n: number, minor: number, currency = EUR, status = "open"): PayableInvoice => ({
  id: InvoiceId.make(`erp:INV-${n}`),
  number: `INV-${n}`,
  issueDate: localDate("2026-01-01"),
  dueDate: localDate(`2026-02-${String(n).padStart(2, "0")}`),
  open: { currency, minor },
  status
})

const payable: Payable = {
  currency: EUR,
  invoices: [invoice(1, 11_900), invoice(2, 5_000), invoice(3, 2_000, USD), invoice(4, 700, EUR, "disputed")],
  credit: [{ currency: EUR, minor: 2_500 }]
}

const form = (entries: ReadonlyArray<readonly [string, string]>) =>
  new URLSearchParams(entries.map(([name, value]): [string, string] => [name, value]))

const problem = (result: Result.Result<unknown, { readonly _tag: string; readonly message?: string }>) =>
  Result.isFailure(result) ? (result.failure.message ?? result.failure._tag) : "accepted"

describe("the payer's forms", () => {
  it("reads every amount the pages write back to the same minor units", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(EUR, JPY),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (currency, minor) => {
          const parsed = parseAmount(currency, toDecimal({ currency, minor }), "the amount")
          assert.deepStrictEqual(parsed, Result.succeed({ currency, minor }))
        }
      )
    )
  })

  it("refuses amounts that are not plain positive decimals in the currency", () => {
    const refused = (input: string) => problem(parseAmount(EUR, input, "the amount"))
    assert.strictEqual(refused(""), "Enter the amount.")
    assert.strictEqual(refused("12,50"), 'Write the amount as digits with a "." before the cents, such as 12.50.')
    assert.strictEqual(refused("-5"), 'Write the amount as digits with a "." before the cents, such as 12.50.')
    assert.strictEqual(refused("1e3"), 'Write the amount as digits with a "." before the cents, such as 12.50.')
    assert.strictEqual(refused("0.00"), "The amount must be more than zero.")
    assert.strictEqual(refused("10.005"), "The amount has too many decimals: EUR has 2 decimal places.")
    assert.deepStrictEqual(parseAmount(EUR, " 10.5 ", "the amount"), Result.succeed({ currency: EUR, minor: 1_050 }))
  })

  it("pays chosen invoices in full or in part; the whole open balance typed is a full payment", () => {
    const read = readPayForm(
      form([
        ["action", "selected"],
        ["invoice", "erp:INV-1"],
        ["invoice", "erp:INV-2"],
        [amountField("erp:INV-1"), "20.00"],
        [amountField("erp:INV-2"), "50.00"]
      ]),
      payable
    )
    assert.deepStrictEqual(
      read,
      Result.succeed({
        _tag: "Invoices" as const,
        invoices: [
          { invoiceId: InvoiceId.make("erp:INV-1"), amount: { currency: EUR, minor: 2_000 } },
          { invoiceId: InvoiceId.make("erp:INV-2") }
        ]
      })
    )
  })

  it("refuses amounts above what is open, no choice, mixed currencies, and knows no foreign invoice", () => {
    const pay = (entries: ReadonlyArray<readonly [string, string]>) =>
      problem(readPayForm(form([["action", "selected"], ...entries]), payable))
    assert.strictEqual(
      pay([
        ["invoice", "erp:INV-2"],
        [amountField("erp:INV-2"), "50.01"]
      ]),
      "The amount for INV-2 is more than the EUR 50.00 open on it."
    )
    assert.strictEqual(pay([]), "Choose at least one invoice to pay.")
    assert.strictEqual(
      pay([
        ["invoice", "erp:INV-1"],
        ["invoice", "erp:INV-3"]
      ]),
      "Choose invoices in one currency for each payment."
    )
    assert.strictEqual(pay([["invoice", "other:INV-9"]]), "Unknown")
  })

  it("pays everything open in a currency that has something payable, or an amount in the account's currency", () => {
    assert.deepStrictEqual(
      readPayForm(form([["action", "all:USD"]]), payable),
      Result.succeed({ _tag: "AllOpen" as const, currency: USD })
    )
    assert.notStrictEqual(problem(readPayForm(form([["action", "all:JPY"]]), payable)), "accepted")
    assert.deepStrictEqual(
      readPayForm(
        form([
          ["action", "amount"],
          ["advance", "300"]
        ]),
        payable
      ),
      Result.succeed({ _tag: "Amount" as const, amount: { currency: EUR, minor: 30_000 } })
    )
  })

  it("applies credit in its currency to chosen invoices of that currency, or oldest first when none is chosen", () => {
    assert.deepStrictEqual(
      readCreditForm(
        form([
          ["currency", "EUR"],
          ["invoice", "erp:INV-2"]
        ]),
        payable
      ),
      Result.succeed({ currency: EUR, invoiceIds: [InvoiceId.make("erp:INV-2")] })
    )
    assert.deepStrictEqual(
      readCreditForm(form([["currency", "EUR"]]), payable),
      Result.succeed({ currency: EUR, invoiceIds: undefined })
    )
    assert.strictEqual(
      problem(
        readCreditForm(
          form([
            ["currency", "EUR"],
            ["invoice", "erp:INV-3"]
          ]),
          payable
        )
      ),
      "Credit in EUR applies to invoices in EUR only."
    )
    assert.strictEqual(
      problem(readCreditForm(form([["currency", "USD"]]), payable)),
      "There is no credit in that currency to apply."
    )
    assert.strictEqual(
      problem(
        readCreditForm(
          form([
            ["currency", "EUR"],
            ["invoice", "other:INV-9"]
          ]),
          payable
        )
      ),
      "Unknown"
    )
  })

  it("keys an attempt by the rendered id and the choice", () => {
    assert.isUndefined(validAttempt("short"))
    assert.isUndefined(validAttempt(null))
    const attempt = "0f9c1e4a-5b1d-4c1e-9a55-0b6d2f3e4a5b"
    assert.strictEqual(validAttempt(attempt), attempt)
    const all = { _tag: "AllOpen" as const, currency: EUR }
    assert.strictEqual(attemptKey(attempt, all), attemptKey(attempt, all))
    assert.notStrictEqual(attemptKey(attempt, all), attemptKey(attempt, { _tag: "AllOpen", currency: USD }))
  })
})
