// View models are built from domain records and the billing core's figures, and are valid Schemas.
import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import type { AgingReport } from "../../../core/billing/Aging.ts"
import type { BalanceForwardStatement, OpenItemStatement } from "../../../core/billing/Statement.ts"
import { Account } from "../../../core/domain/Account.ts"
import { CreditNote, Invoice } from "../../../core/domain/Invoice.ts"
import { Payment } from "../../../core/domain/Payment.ts"
import { sampleViewModels } from "../../../core/render/Samples.ts"
import {
  balanceForwardStatementViewModel,
  creditNoteViewModel,
  invoiceListViewModel,
  invoiceViewModel,
  openItemStatementViewModel,
  paymentReceiptViewModel,
  ViewModel
} from "../../../core/render/ViewModels.ts"

const eur = (minor: number) => ({ currency: "EUR", minor })
const source = { source: "erp", externalId: "x" }

const account = Schema.decodeUnknownSync(Account)({
  id: "acc-1",
  source,
  number: "C-1",
  name: "Acme",
  tier: "standard",
  currency: "EUR",
  taxId: "DE1",
  billingAddress: { lines: ["Street 1"], postalCode: "20457", city: "Hamburg", country: "DE" }
})

const invoice = Schema.decodeUnknownSync(Invoice)({
  id: "inv-1",
  accountId: "acc-1",
  source,
  number: "INV-1",
  issueDate: "2026-11-01",
  dueDate: "2026-12-01",
  currency: "EUR",
  terms: "Net 30",
  lines: [
    { lineNumber: 1, description: "Pump", quantity: "2", unitPrice: "10.00", taxRate: "19", statedNet: eur(2000) },
    { lineNumber: 2, description: "Oil", quantity: "1", unitPrice: "5.00", taxRate: "19" }
  ],
  taxLines: [{ code: "VAT19", rate: "19", taxable: eur(2500), tax: eur(475) }],
  totals: { net: eur(2500), tax: eur(475), total: eur(2975) }
})

const figures = {
  status: "partially-paid" as const,
  asOf: invoice.issueDate,
  paid: { currency: invoice.currency, minor: 1000 },
  credited: { currency: invoice.currency, minor: 0 },
  open: { currency: invoice.currency, minor: 1975 }
}

describe("view models", () => {
  it("the samples decode with their schemas", () => {
    for (const sample of sampleViewModels) assert.deepStrictEqual(Schema.decodeUnknownSync(ViewModel)(sample), sample)
  })

  it("an invoice view carries the ERP's figures and the billing core's balance", () => {
    const view = invoiceViewModel(invoice, account, figures)
    assert.strictEqual(view._tag, "Invoice")
    assert.deepStrictEqual(view.customer, {
      name: "Acme",
      number: "C-1",
      taxId: "DE1",
      addressLines: ["Street 1", "20457 Hamburg", "DE"]
    })
    assert.deepStrictEqual(view.lines[0]?.net, eur(2000))
    assert.isUndefined(view.lines[1]?.net)
    assert.deepStrictEqual(view.open, eur(1975))
    assert.strictEqual(view.terms, "Net 30")
    assert.isFalse("poNumber" in view)
    const computed = invoiceViewModel(invoice, account, {
      ...figures,
      lineNets: [figures.paid, { currency: invoice.currency, minor: 500 }]
    })
    assert.deepStrictEqual(computed.lines[1]?.net, eur(500))
    assert.deepStrictEqual(Schema.decodeUnknownSync(ViewModel)(view), view)
  })

  it("a credit note names the invoice it credits", () => {
    const note = Schema.decodeUnknownSync(CreditNote)({
      ...invoice,
      id: "cn-1",
      number: "CN-1",
      invoiceId: "inv-1",
      reason: "Damaged"
    })
    const view = creditNoteViewModel(note, account, { invoiceNumber: "INV-1" })
    assert.strictEqual(view.invoiceNumber, "INV-1")
    assert.strictEqual(view.reason, "Damaged")
  })

  it("a receipt's unallocated rest is the payment minus its allocations", () =>
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 8 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (allocations, extra) => {
          const total = allocations.reduce((sum, minor) => sum + minor, 0) + extra
          const payment = Schema.decodeUnknownSync(Payment)({
            id: "pay-1",
            accountId: "acc-1",
            source,
            reference: "REF",
            receivedDate: "2026-11-15",
            amount: eur(total),
            allocations: allocations.map((minor, index) => ({ invoiceId: `inv-${index}`, amount: eur(minor) }))
          })
          const view = Result.getOrThrow(
            paymentReceiptViewModel(payment, account, (id) => (id === "inv-0" ? "INV-0" : undefined))
          )
          assert.deepStrictEqual(view.unallocated, eur(extra))
          assert.deepStrictEqual(
            view.allocations.map((allocation) => allocation.invoiceNumber),
            allocations.map((_, index) => (index === 0 ? "INV-0" : `inv-${index}`))
          )
        }
      )
    ))

  it("a receipt with an allocation in another currency is refused", () => {
    const payment = Schema.decodeUnknownSync(Payment)({
      id: "pay-1",
      accountId: "acc-1",
      source,
      reference: "REF",
      receivedDate: "2026-11-15",
      amount: eur(100),
      allocations: [{ invoiceId: "inv-1", amount: { currency: "USD", minor: 100 } }]
    })
    const result = paymentReceiptViewModel(payment, account, () => undefined)
    assert.isTrue(Result.isFailure(result))
  })

  it("an invoice list sums the open amount per currency, in first-seen order", () => {
    const usdInvoice = Schema.decodeUnknownSync(Invoice)({ ...invoice, number: "INV-2", currency: "USD" })
    const list = Result.getOrThrow(
      invoiceListViewModel(
        account,
        [
          { invoice, figures: { status: "open", open: { currency: invoice.currency, minor: 100 } } },
          { invoice: usdInvoice, figures: { status: "overdue", open: { currency: usdInvoice.currency, minor: 7 } } },
          { invoice, figures: { status: "paid", open: { currency: invoice.currency, minor: 50 } } }
        ],
        invoice.issueDate
      )
    )
    assert.deepStrictEqual(
      list.openByCurrency.map((open) => [open.currency, open.minor]),
      [
        ["EUR", 150],
        ["USD", 7]
      ]
    )
    assert.deepStrictEqual(
      list.rows.map((row) => row.status),
      ["open", "overdue", "paid"]
    )
  })

  it("statement views take the billing core's statements and ageing as they are", () => {
    const money = (minor: number) => ({ currency: invoice.currency, minor })
    const summary = {
      currency: invoice.currency,
      from: invoice.issueDate,
      to: invoice.dueDate,
      opening: money(100),
      invoiced: money(2975),
      paid: money(1000),
      credited: money(0),
      closing: money(2075)
    }
    const balanceForward: BalanceForwardStatement = {
      ...summary,
      kind: "balance-forward",
      lines: [
        {
          date: invoice.issueDate,
          kind: "invoice",
          reference: "INV-1",
          documentId: "inv-1",
          debit: money(2975),
          credit: money(0),
          balance: money(3075)
        },
        {
          date: invoice.issueDate,
          kind: "payment",
          reference: "PAY-1",
          documentId: "pay-1",
          debit: money(0),
          credit: money(1000),
          balance: money(2075)
        }
      ]
    }
    const aging: AgingReport = {
      currency: invoice.currency,
      asOf: invoice.dueDate,
      total: money(1975),
      buckets: [
        { label: "current", minDaysPastDue: undefined, maxDaysPastDue: 0, amount: money(1975), count: 1 },
        { label: "over-0", minDaysPastDue: 1, maxDaysPastDue: undefined, amount: money(0), count: 0 }
      ]
    }
    const view = balanceForwardStatementViewModel(account, balanceForward, aging.buckets)
    assert.strictEqual(view.style, "balance-forward")
    assert.strictEqual(view.customer.name, "Acme")
    assert.deepStrictEqual(view.lines[0]?.debit, eur(2975))
    assert.isFalse("credit" in (view.lines[0] ?? {}))
    assert.deepStrictEqual(view.lines[1]?.credit, eur(1000))
    assert.isFalse("debit" in (view.lines[1] ?? {}))
    assert.deepStrictEqual(view.aging, [
      { maxDaysPastDue: 0, amount: money(1975) },
      { minDaysPastDue: 1, amount: money(0) }
    ])
    assert.deepStrictEqual(Schema.decodeUnknownSync(ViewModel)(view), view)

    const openItem: OpenItemStatement = {
      ...summary,
      kind: "open-item",
      items: [
        {
          date: invoice.issueDate,
          kind: "invoice",
          reference: "INV-1",
          documentId: "inv-1",
          dueDate: invoice.dueDate,
          original: money(2975),
          open: money(1975)
        },
        {
          date: invoice.issueDate,
          kind: "unallocated-payment",
          reference: "PAY-2",
          documentId: "pay-2",
          original: money(100),
          open: money(100)
        }
      ]
    }
    const items = openItemStatementViewModel(account, openItem)
    assert.strictEqual(items.style, "open-item")
    assert.deepStrictEqual(
      items.openItems.map((item) => [item.kind, item.open.minor, item.dueDate]),
      [
        ["invoice", 1975, "2026-12-01"],
        ["unallocated-payment", 100, undefined]
      ]
    )
    assert.isFalse("documentId" in (items.openItems[0] ?? {}))
    assert.deepStrictEqual(items.lines, [])
  })
})
