// The demo data: four customer accounts in EUR, USD, GBP and JPY, five contacts with different roles (one
// of them linked to two accounts), invoices that are open, partly paid, overdue, paid and credited, credit
// notes, payments and two attachments. It is loaded through the real CSV adapter and the real sync engine
// from the bundled files beside this module.
//
// Dates: the bundled files are written around a fixed day (`demoAnchor`, 2026-01-15). The loader moves every
// date column by (today - anchor) days into copies in `workDir` and syncs those, so an invoice that is 10
// days overdue in the files is 10 days overdue whenever the demo runs. Loading again on a later day moves
// the dates again; the sync engine's idempotent upsert writes only what changed.
import { createHash } from "node:crypto"
import { mkdir, readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { parse } from "csv-parse/sync"
import { stringify } from "csv-stringify/sync"
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { CsvAdapter } from "../../adapters/csv/index.ts"
import { CurrentPrincipal, system } from "../../core/access/Principal.ts"
import { addDays, daysBetween, type LocalDate, LocalDate as LocalDateSchema } from "../../core/domain/LocalDate.ts"
import { makeAdapter } from "../../core/erp/index.ts"
import { Store } from "../../core/store/Store.ts"
import { SyncEngine } from "../../core/sync/SyncEngine.ts"
import type { SyncRun } from "../../core/sync/SyncRun.ts"
import { demoAnchor } from "./internal/Anchor.ts"

/** The source id the demo data is synced under (invoice ids are `demo:INV-1001`). */
export const demoSourceId = "demo"

/** Where the bundled files are. */
export const demoDirectory = import.meta.dirname

/** The bundled files and their date columns. */
const files = [
  { name: "demo-accounts.csv", dates: [] },
  { name: "demo-contacts.csv", dates: [] },
  { name: "demo-data.csv", dates: ["Date", "Due"] },
  { name: "demo-payments.csv", dates: ["Received"] }
] as const

/** The CSV adapter settings that read the demo files in `dir`. */
export const demoCsvSettings = (dir: string) => ({
  invoices: {
    path: join(dir, "demo-data.csv"),
    header: {
      number: "Number",
      accountNumber: "Customer",
      issueDate: "Date",
      dueDate: "Due",
      currency: "Currency",
      terms: "Terms",
      poNumber: "PO",
      netTotal: "Net",
      taxTotal: "Tax",
      total: "Total",
      invoiceNumber: "Credits",
      reason: "Reason"
    },
    lines: {
      lineNumber: "Line",
      description: "Description",
      productCode: "Item",
      unit: "Unit",
      quantity: "Qty",
      unitPrice: "Price",
      taxRate: "VAT",
      lineNet: "LineNet"
    },
    creditNotes: { _tag: "negative-total" }
  },
  accounts: {
    path: join(dir, "demo-accounts.csv"),
    key: "Customer",
    mapping: {
      number: "Customer",
      name: "Name",
      currency: "Currency",
      tier: "Tier",
      email: "Email",
      taxId: "TaxId",
      addressLine1: "Street",
      addressLine2: "Street2",
      city: "City",
      postalCode: "PostalCode",
      country: "Country"
    }
  },
  contacts: {
    path: join(dir, "demo-contacts.csv"),
    key: "Contact",
    mapping: { email: "Email", name: "Name", phone: "Phone", accountNumber: "Customer", role: "Role" }
  },
  payments: {
    path: join(dir, "demo-payments.csv"),
    groupBy: "Payment",
    header: {
      accountNumber: "Customer",
      receivedDate: "Received",
      currency: "Currency",
      amount: "Amount",
      reference: "Reference",
      method: "Method"
    },
    allocations: { invoiceNumber: "Invoice", amount: "Applied" }
  }
})

/** A demo contact, for the sign-in links the starter prints. */
export interface DemoContact {
  readonly contactId: string
  readonly email: string
  readonly name: string
  readonly description: string
}

/** The demo's contacts and what each one shows off. */
export const demoContacts: ReadonlyArray<DemoContact> = [
  {
    contactId: "demo:K1",
    email: "anna@northwind.example",
    name: "Anna Berger",
    description: "admin of Northwind (EUR) and ap-contact of Initech (GBP): switch accounts"
  },
  {
    contactId: "demo:K2",
    email: "ben@northwind.example",
    name: "Ben Fischer",
    description: "viewer at Northwind: sees invoices, no downloads or statements"
  },
  {
    contactId: "demo:K3",
    email: "carla@globex.example",
    name: "Carla Diaz",
    description: "finance approver at Globex (USD)"
  },
  { contactId: "demo:K4", email: "dev@initech.example", name: "Dev Patel", description: "ap-contact at Initech (GBP)" },
  { contactId: "demo:K5", email: "emi@kaiju.example", name: "Emi Sato", description: "admin of Kaiju Foods (JPY)" }
]

/**
 * The second account link of Anna (demo:K1): the CSV adapter maps one account per contact row (its
 * `accountNumber`), so a contact of two accounts cannot come from a contacts file; the loader adds it.
 */
const extraLinks = [{ contactId: "demo:K1", accountId: "demo:C1003", role: "ap-contact" }] as const

/**
 * Attachments: the CSV adapter reads no documents (no ERP export we support carries file bytes), so the
 * loader stores these directly, as the system.
 */
const attachments = [
  {
    id: "demo:DOC-1",
    accountId: "demo:C1001",
    invoiceId: "demo:INV-1004",
    fileName: "delivery-note-INV-1004.txt",
    contentType: "text/plain; charset=utf-8",
    text: "Delivery note for INV-1004\n8 x Barcode scanner HW-310, delivered and signed for by Northwind receiving.\n"
  },
  {
    id: "demo:DOC-2",
    accountId: "demo:C1001",
    invoiceId: "demo:INV-1001",
    fileName: "timesheet-INV-1001.csv",
    contentType: "text/csv; charset=utf-8",
    text: "date,consultant,hours\nweek 1,J. Meyer,6\nweek 2,J. Meyer,4\n"
  }
] as const

const isDate = Schema.is(LocalDateSchema)

/** Copies the bundled files into `workDir` with every date moved by (today - anchor) days. */
export const writeShiftedFiles = Effect.fn("DemoData.writeShiftedFiles")(function* (workDir: string, today: LocalDate) {
  const shift = daysBetween(demoAnchor, today)
  yield* Effect.tryPromise(() => mkdir(workDir, { recursive: true }))
  for (const file of files) {
    const text = yield* Effect.tryPromise(() => readFile(join(demoDirectory, file.name), "utf8"))
    const rows: Array<Array<string>> = parse(text, { relax_column_count: false })
    const header = rows[0] ?? []
    const columns = file.dates.map((name) => header.indexOf(name))
    const moved = rows.map((row, index) =>
      index === 0
        ? row
        : row.map((cell, column) => (columns.includes(column) && isDate(cell) ? addDays(cell, shift) : cell))
    )
    yield* Effect.tryPromise(() => writeFile(join(workDir, file.name), stringify(moved, { record_delimiter: "\n" })))
  }
})

/** What loading did. */
export interface DemoLoad {
  readonly run: SyncRun
  readonly contacts: ReadonlyArray<DemoContact>
}

/**
 * Loads the demo data as of `today` (the business's day): writes the moved files to `workDir`, syncs them
 * through the CSV adapter and the sync engine, then adds the extra account link and the attachments.
 */
export const loadDemoData = Effect.fn("DemoData.loadDemoData")(function* (options: {
  readonly workDir: string
  readonly today: LocalDate
}) {
  yield* writeShiftedFiles(options.workDir, options.today)
  const adapter = yield* makeAdapter(CsvAdapter, { sourceId: demoSourceId }, demoCsvSettings(options.workDir))
  const engine = yield* SyncEngine
  const run = yield* engine.run(adapter)
  const sql = yield* SqlClient.SqlClient
  const store = yield* Store
  yield* store
    .withScope(
      Effect.gen(function* () {
        for (const link of extraLinks) {
          yield* sql`insert into portico.contact_account_links (contact_id, account_id, role)
            values (${link.contactId}, ${link.accountId}, ${link.role}) on conflict do nothing`
        }
        for (const doc of attachments) {
          const bytes = new TextEncoder().encode(doc.text)
          const sha256 = createHash("sha256").update(bytes).digest("hex")
          yield* sql`insert into portico.documents (id, account_id, source, external_id, invoice_id, file_name,
              content_type, size, sha256, content, content_hash)
            values (${doc.id}, ${doc.accountId}, ${demoSourceId}, ${doc.id.slice(demoSourceId.length + 1)},
              ${doc.invoiceId}, ${doc.fileName}, ${doc.contentType}, ${bytes.length}, ${sha256}, ${bytes}, ${sha256})
            on conflict (id) do nothing`
        }
      })
    )
    .pipe(Effect.provideService(CurrentPrincipal, system("demo data loader")))
  return { run, contacts: demoContacts } satisfies DemoLoad
})
