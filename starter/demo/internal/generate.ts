// Writes the bundled demo CSV files from the plain description below, so the figures in them are exact:
// every line net is quantity × price, every tax line the rate of its net, every total their sum. Dates are
// written relative to `demoAnchor` (see DemoData.ts: the loader moves them so the anchor becomes today).
// Run: `node starter/demo/internal/generate.ts` (only needed after editing the description).
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { stringify } from "csv-stringify/sync"
import { addDays, type LocalDate } from "../../../core/domain/LocalDate.ts"
import { demoAnchor } from "./Anchor.ts"

interface Line {
  readonly description: string
  readonly item: string
  readonly unit: string
  readonly qty: number
  /** Price per unit in minor units. */
  readonly price: number
  readonly vat: number
}

interface Doc {
  readonly number: string
  readonly account: string
  readonly issued: number
  readonly due?: number
  readonly currency: string
  readonly po?: string
  readonly credits?: string
  readonly reason?: string
  readonly lines: ReadonlyArray<Line>
}

const exponent: Record<string, number> = { EUR: 2, USD: 2, GBP: 2, JPY: 0 }
const day = (offset: number): LocalDate => addDays(demoAnchor, offset)
const amount = (currency: string, minor: number): string => {
  const digits = exponent[currency] ?? 2
  if (digits === 0) return String(minor)
  const sign = minor < 0 ? "-" : ""
  const abs = Math.abs(minor)
  return `${sign}${Math.floor(abs / 10 ** digits)}.${String(abs % 10 ** digits).padStart(digits, "0")}`
}

const consulting = (qty: number, price: number, vat: number): Line => ({
  description: "Consulting hours",
  item: "SRV-100",
  unit: "h",
  qty,
  price,
  vat
})
const licence = (qty: number, price: number, vat: number): Line => ({
  description: "Software licence, annual",
  item: "LIC-200",
  unit: "pcs",
  qty,
  price,
  vat
})
const hardware = (qty: number, price: number, vat: number): Line => ({
  description: "Barcode scanner",
  item: "HW-310",
  unit: "pcs",
  qty,
  price,
  vat
})

const documents: ReadonlyArray<Doc> = [
  // Northwind (EUR): paid, partly paid and overdue, overdue, open, credited, open with a PO, a USD invoice,
  // partly credited and overdue.
  {
    number: "INV-1001",
    account: "C1001",
    issued: -120,
    due: -90,
    currency: "EUR",
    po: "PO-4410",
    lines: [consulting(10, 10000, 19)]
  },
  {
    number: "INV-1002",
    account: "C1001",
    issued: -75,
    due: -45,
    currency: "EUR",
    po: "PO-4502",
    lines: [licence(2, 100000, 19)]
  },
  { number: "INV-1003", account: "C1001", issued: -40, due: -10, currency: "EUR", lines: [consulting(5, 10000, 19)] },
  {
    number: "INV-1004",
    account: "C1001",
    issued: -10,
    due: 20,
    currency: "EUR",
    po: "PO-4620",
    lines: [hardware(8, 50000, 19)]
  },
  { number: "INV-1005", account: "C1001", issued: -60, due: -30, currency: "EUR", lines: [consulting(3, 10000, 19)] },
  {
    number: "INV-1006",
    account: "C1001",
    issued: -5,
    due: 25,
    currency: "EUR",
    po: "PO-7731",
    lines: [licence(1, 10000, 19)]
  },
  { number: "INV-1007", account: "C1001", issued: -20, due: 10, currency: "USD", lines: [consulting(12, 12500, 0)] },
  {
    number: "INV-1008",
    account: "C1001",
    issued: -100,
    due: -70,
    currency: "EUR",
    po: "PO-3981",
    lines: [hardware(1, 50000, 19), consulting(2, 10000, 19)]
  },
  {
    number: "CN-2001",
    account: "C1001",
    issued: -50,
    currency: "EUR",
    credits: "INV-1005",
    reason: "Hours billed twice",
    lines: [consulting(-3, 10000, 19)]
  },
  {
    number: "CN-2002",
    account: "C1001",
    issued: -65,
    currency: "EUR",
    credits: "INV-1008",
    reason: "Scanner returned damaged",
    lines: [hardware(-1, 20000, 19)]
  },
  // Globex (USD): paid, overdue beyond 90 days, overdue, open.
  {
    number: "INV-3001",
    account: "C1002",
    issued: -200,
    due: -170,
    currency: "USD",
    po: "GX-001",
    lines: [licence(5, 80000, 0)]
  },
  {
    number: "INV-3002",
    account: "C1002",
    issued: -150,
    due: -120,
    currency: "USD",
    po: "GX-014",
    lines: [consulting(40, 15000, 0)]
  },
  { number: "INV-3003", account: "C1002", issued: -45, due: -15, currency: "USD", lines: [hardware(3, 45000, 0)] },
  {
    number: "INV-3004",
    account: "C1002",
    issued: -3,
    due: 27,
    currency: "USD",
    po: "GX-031",
    lines: [consulting(8, 15000, 0)]
  },
  // Initech (GBP, VAT 20%): paid, open, overdue.
  { number: "INV-4001", account: "C1003", issued: -90, due: -60, currency: "GBP", lines: [consulting(6, 9000, 20)] },
  {
    number: "INV-4002",
    account: "C1003",
    issued: -15,
    due: 15,
    currency: "GBP",
    po: "IT-77",
    lines: [licence(3, 40000, 20)]
  },
  { number: "INV-4003", account: "C1003", issued: -50, due: -20, currency: "GBP", lines: [hardware(2, 35000, 20)] },
  // Kaiju Foods (JPY, no minor units, consumption tax 10%): paid, open, overdue.
  { number: "INV-5001", account: "C1004", issued: -70, due: -40, currency: "JPY", lines: [consulting(10, 12500, 10)] },
  {
    number: "INV-5002",
    account: "C1004",
    issued: -8,
    due: 22,
    currency: "JPY",
    po: "KJ-2",
    lines: [licence(2, 98000, 10)]
  },
  { number: "INV-5003", account: "C1004", issued: -35, due: -5, currency: "JPY", lines: [hardware(4, 23000, 10)] }
]

interface PaymentRow {
  readonly id: string
  readonly account: string
  readonly received: number
  readonly currency: string
  readonly amount: number
  readonly reference: string
  readonly method: string
  readonly allocations: ReadonlyArray<readonly [invoice: string, minor: number]>
}

const totalOf = (doc: Doc): { net: number; tax: number; total: number } => {
  const net = doc.lines.reduce((s, l) => s + l.qty * l.price, 0)
  const tax = doc.lines.reduce((s, l) => s + (l.qty * l.price * l.vat) / 100, 0)
  if (!Number.isInteger(tax)) throw new Error(`${doc.number}: tax is not a whole number of minor units`)
  return { net, tax, total: net + tax }
}
const total = (number: string): number => {
  const doc = documents.find((d) => d.number === number)
  if (doc === undefined) throw new Error(number)
  return totalOf(doc).total
}

const payments: ReadonlyArray<PaymentRow> = [
  {
    id: "PAY-7001",
    account: "C1001",
    received: -88,
    currency: "EUR",
    amount: total("INV-1001"),
    reference: "NW-TRF-88120",
    method: "bank transfer",
    allocations: [["INV-1001", total("INV-1001")]]
  },
  {
    id: "PAY-7002",
    account: "C1001",
    received: -30,
    currency: "EUR",
    amount: 100000,
    reference: "NW-TRF-90233",
    method: "bank transfer",
    allocations: [["INV-1002", 100000]]
  },
  {
    id: "PAY-7003",
    account: "C1001",
    received: -3,
    currency: "EUR",
    amount: 25000,
    reference: "NW-TRF-91007",
    method: "bank transfer",
    allocations: []
  },
  {
    id: "PAY-7004",
    account: "C1001",
    received: -60,
    currency: "EUR",
    amount: 30000,
    reference: "NW-CARD-5521",
    method: "card",
    allocations: [["INV-1008", 30000]]
  },
  {
    id: "PAY-7101",
    account: "C1002",
    received: -165,
    currency: "USD",
    amount: total("INV-3001"),
    reference: "GX-ACH-1101",
    method: "ACH",
    allocations: [["INV-3001", total("INV-3001")]]
  },
  {
    id: "PAY-7102",
    account: "C1002",
    received: -100,
    currency: "USD",
    amount: 200000,
    reference: "GX-ACH-1188",
    method: "ACH",
    allocations: [["INV-3002", 200000]]
  },
  {
    id: "PAY-7201",
    account: "C1003",
    received: -58,
    currency: "GBP",
    amount: total("INV-4001"),
    reference: "IN-BACS-311",
    method: "BACS",
    allocations: [["INV-4001", total("INV-4001")]]
  },
  {
    id: "PAY-7301",
    account: "C1004",
    received: -41,
    currency: "JPY",
    amount: total("INV-5001"),
    reference: "KJ-FURI-88",
    method: "furikomi",
    allocations: [["INV-5001", total("INV-5001")]]
  }
]

const accounts = [
  [
    "C1001",
    "Northwind Traders GmbH",
    "EUR",
    "premium",
    "ap@northwind.example",
    "DE811234567",
    "Hafenstraße 12",
    "",
    "Hamburg",
    "20457",
    "DE"
  ],
  [
    "C1002",
    "Globex Corporation",
    "USD",
    "standard",
    "payables@globex.example",
    "",
    "500 Market Street",
    "Suite 300",
    "San Francisco",
    "94105",
    "US"
  ],
  [
    "C1003",
    "Initech Ltd",
    "GBP",
    "premium",
    "accounts@initech.example",
    "GB123456789",
    "1 Bank Street",
    "",
    "London",
    "E14 5JP",
    "GB"
  ],
  [
    "C1004",
    "Kaiju Foods KK",
    "JPY",
    "standard",
    "keiri@kaiju.example",
    "",
    "2-1 Marunouchi",
    "Chiyoda-ku",
    "Tokyo",
    "100-0005",
    "JP"
  ]
]

const contacts = [
  ["K1", "anna@northwind.example", "Anna Berger", "+49 40 5550101", "C1001", "admin"],
  ["K2", "ben@northwind.example", "Ben Fischer", "+49 40 5550102", "C1001", "viewer"],
  ["K3", "carla@globex.example", "Carla Diaz", "+1 415 555 0133", "C1002", "finance-approver"],
  ["K4", "dev@initech.example", "Dev Patel", "+44 20 7946 0104", "C1003", "ap-contact"],
  ["K5", "emi@kaiju.example", "Emi Sato", "+81 3 5555 0105", "C1004", "admin"]
]

const out = import.meta.dirname.replace(/[/\\]internal$/, "")
const write = (name: string, rows: ReadonlyArray<ReadonlyArray<string>>) =>
  writeFileSync(join(out, name), stringify(rows as Array<Array<string>>, { record_delimiter: "\n" }))

write("demo-accounts.csv", [
  ["Customer", "Name", "Currency", "Tier", "Email", "TaxId", "Street", "Street2", "City", "PostalCode", "Country"],
  ...accounts
])
write("demo-contacts.csv", [["Contact", "Email", "Name", "Phone", "Customer", "Role"], ...contacts])
write("demo-data.csv", [
  [
    "Number",
    "Customer",
    "Date",
    "Due",
    "Currency",
    "Terms",
    "PO",
    "Net",
    "Tax",
    "Total",
    "Credits",
    "Reason",
    "Line",
    "Description",
    "Item",
    "Unit",
    "Qty",
    "Price",
    "VAT",
    "LineNet"
  ],
  ...documents.flatMap((doc) => {
    const { net, tax, total: gross } = totalOf(doc)
    return doc.lines.map((line, index) => [
      doc.number,
      doc.account,
      day(doc.issued),
      doc.due === undefined ? "" : day(doc.due),
      doc.currency,
      doc.due === undefined ? "" : `Net ${doc.due - doc.issued}`,
      doc.po ?? "",
      amount(doc.currency, net),
      amount(doc.currency, tax),
      amount(doc.currency, gross),
      doc.credits ?? "",
      doc.reason ?? "",
      String(index + 1),
      line.description,
      line.item,
      line.unit,
      String(line.qty),
      amount(doc.currency, line.price),
      String(line.vat),
      amount(doc.currency, line.qty * line.price)
    ])
  })
])
write("demo-payments.csv", [
  ["Payment", "Customer", "Received", "Currency", "Amount", "Reference", "Method", "Invoice", "Applied"],
  ...payments.flatMap((p) => {
    const head = [p.id, p.account, day(p.received), p.currency, amount(p.currency, p.amount), p.reference, p.method]
    return p.allocations.length === 0
      ? [[...head, "", ""]]
      : p.allocations.map(([invoice, minor]) => [...head, invoice, amount(p.currency, minor)])
  })
])
