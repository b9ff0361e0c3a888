// One small, realistic document of every kind: for theme previews, template warm-up at start-up, docs and tests.
import { currency } from "../domain/Currency.ts"
import { decimal as dec } from "../domain/Decimal.ts"
import { localDate as date } from "../domain/LocalDate.ts"
import type { Money } from "../domain/Money.ts"
import type {
  CreditNoteView,
  InvoiceListView,
  InvoiceView,
  PartyView,
  PaymentReceiptView,
  StatementView,
  ViewModel
} from "./ViewModels.ts"

const eur = currency("EUR")
const money = (minor: number): Money => ({ currency: eur, minor })

const customer: PartyView = {
  name: "Acme Industrial Supplies GmbH",
  number: "C-10042",
  taxId: "DE123456789",
  email: "ap@acme.example",
  addressLines: ["Hafenstraße 12", "20457 Hamburg", "DE"]
}

/** An invoice with three lines, two tax rates and a part payment. */
export const sampleInvoice: InvoiceView = {
  _tag: "Invoice",
  number: "INV-2026-0042",
  issueDate: date("2026-11-02"),
  dueDate: date("2026-12-02"),
  currency: eur,
  terms: "Net 30",
  poNumber: "PO-7781",
  customer,
  lines: [
    {
      lineNumber: 1,
      description: "Hydraulic pump HX-200",
      productCode: "HX-200",
      unit: "pc",
      quantity: dec("2"),
      unitPrice: dec("1250.00"),
      taxRate: dec("19"),
      net: money(250000)
    },
    {
      lineNumber: 2,
      description: "Installation, on site",
      unit: "h",
      quantity: dec("3.5"),
      unitPrice: dec("95.00"),
      discountPercent: dec("10"),
      taxRate: dec("19"),
      net: money(29925)
    },
    {
      lineNumber: 3,
      description: "Technical manual (print)",
      quantity: dec("1"),
      unitPrice: dec("40.00"),
      taxRate: dec("7"),
      net: money(4000)
    }
  ],
  taxLines: [
    { code: "VAT19", rate: dec("19"), taxable: money(279925), tax: money(53186) },
    { code: "VAT7", rate: dec("7"), taxable: money(4000), tax: money(280) }
  ],
  totals: { net: money(283925), tax: money(53466), total: money(337391) },
  paid: money(100000),
  credited: money(0),
  open: money(237391),
  status: "partially-paid",
  asOf: date("2026-11-21")
}

/** A credit note against the sample invoice. */
export const sampleCreditNote: CreditNoteView = {
  _tag: "CreditNote",
  number: "CN-2026-0007",
  issueDate: date("2026-11-10"),
  currency: eur,
  invoiceNumber: "INV-2026-0042",
  reason: "Manual not delivered",
  customer,
  lines: [
    {
      lineNumber: 1,
      description: "Technical manual (print)",
      quantity: dec("1"),
      unitPrice: dec("40.00"),
      taxRate: dec("7"),
      net: money(4000)
    }
  ],
  taxLines: [{ code: "VAT7", rate: dec("7"), taxable: money(4000), tax: money(280) }],
  totals: { net: money(4000), tax: money(280), total: money(4280) }
}

/** A payment applied to two invoices with a rest held as credit. */
export const samplePaymentReceipt: PaymentReceiptView = {
  _tag: "PaymentReceipt",
  reference: "SEPA-2026-11-15-0091",
  receivedDate: date("2026-11-15"),
  amount: money(150000),
  method: "Bank transfer",
  customer,
  allocations: [
    { invoiceNumber: "INV-2026-0042", amount: money(100000) },
    { invoiceNumber: "INV-2026-0038", amount: money(45000) }
  ],
  unallocated: money(5000)
}

/** A balance-forward statement for November, with its ageing. */
export const sampleStatement: StatementView = {
  _tag: "Statement",
  style: "balance-forward",
  customer,
  currency: eur,
  periodStart: date("2026-11-01"),
  statementDate: date("2026-11-30"),
  opening: money(45000),
  invoiced: money(337391),
  paid: money(150000),
  credited: money(4280),
  closing: money(228111),
  lines: [
    {
      date: date("2026-11-02"),
      kind: "invoice",
      reference: "INV-2026-0042",
      dueDate: date("2026-12-02"),
      debit: money(337391),
      balance: money(382391)
    },
    {
      date: date("2026-11-10"),
      kind: "credit-note",
      reference: "CN-2026-0007",
      credit: money(4280),
      balance: money(378111)
    },
    {
      date: date("2026-11-15"),
      kind: "payment",
      reference: "SEPA-2026-11-15-0091",
      credit: money(150000),
      balance: money(228111)
    }
  ],
  openItems: [],
  aging: [
    { maxDaysPastDue: 0, amount: money(233111) },
    { minDaysPastDue: 1, maxDaysPastDue: 30, amount: money(0) },
    { minDaysPastDue: 31, maxDaysPastDue: 60, amount: money(0) },
    { minDaysPastDue: 61, maxDaysPastDue: 90, amount: money(0) },
    { minDaysPastDue: 91, amount: money(0) }
  ]
}

/** The same month as an open-item statement: what is still open on the 30th. */
export const sampleOpenItemStatement: StatementView = {
  ...sampleStatement,
  style: "open-item",
  lines: [],
  openItems: [
    {
      date: date("2026-11-02"),
      kind: "invoice",
      reference: "INV-2026-0042",
      dueDate: date("2026-12-02"),
      original: money(337391),
      open: money(233111)
    },
    {
      date: date("2026-11-15"),
      kind: "unallocated-payment",
      reference: "SEPA-2026-11-15-0091",
      original: money(150000),
      open: money(-5000)
    }
  ]
}

/** Two invoices in a list. */
export const sampleInvoiceList: InvoiceListView = {
  _tag: "InvoiceList",
  customer,
  asOf: date("2026-11-21"),
  rows: [
    {
      number: "INV-2026-0042",
      issueDate: date("2026-11-02"),
      dueDate: date("2026-12-02"),
      status: "partially-paid",
      total: money(337391),
      open: money(237391)
    },
    {
      number: "INV-2026-0038",
      issueDate: date("2026-10-01"),
      dueDate: date("2026-10-31"),
      status: "paid",
      total: money(45000),
      open: money(0)
    }
  ],
  openByCurrency: [money(237391)]
}

/** One sample of every view model kind. */
export const sampleViewModels: ReadonlyArray<ViewModel> = [
  sampleInvoice,
  sampleCreditNote,
  samplePaymentReceipt,
  sampleStatement,
  sampleOpenItemStatement,
  sampleInvoiceList
]
