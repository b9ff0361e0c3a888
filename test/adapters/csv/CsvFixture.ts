// A conformance-kit source for the CSV adapter: real export files in a temp folder, written in a chosen
// dialect (encoding, delimiter, number and date format) from canonical records; documents as an index file
// naming files in a folder beside it.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { stringify } from "csv-stringify/sync"
import { Effect } from "effect"
import { CsvAdapter, type CsvEncoding, encodeText } from "../../../adapters/csv/index.ts"
import { documentBytes, type SourceFixture } from "../../../adapters/testkit/index.ts"
import { Money } from "../../../core/domain/index.ts"
import {
  type CanonicalRecord,
  canonical,
  formatDate,
  formatDecimal,
  makeAdapter,
  negateDecimal
} from "../../../core/erp/index.ts"

/** How the fixture writes its files. */
export interface CsvDialectOptions {
  readonly encoding: CsvEncoding
  readonly bom?: boolean
  readonly delimiter: string
  readonly decimalSeparator: "." | ","
  readonly thousandsSeparator: "" | "." | "," | " " | "'"
  readonly dateFormat: string
  readonly lineBreak: "\r\n" | "\n"
}

export const german: CsvDialectOptions = {
  encoding: "windows-1252",
  delimiter: ";",
  decimalSeparator: ",",
  thousandsSeparator: ".",
  dateFormat: "dd.mm.yyyy",
  lineBreak: "\r\n"
}

const invoiceColumns = [
  "Belegnr",
  "Kunde",
  "Datum",
  "Fällig",
  "Währung",
  "Zahlungsbedingungen",
  "Bestellnr",
  "Netto",
  "Steuer",
  "Brutto",
  "Zu Rechnung",
  "Grund",
  "Pos",
  "Text",
  "Artikel",
  "Einheit",
  "Menge",
  "Preis",
  "Rabatt %",
  "Rabatt",
  "MwSt",
  "Steuerschlüssel",
  "Zeilennetto"
]
const accountColumns = [
  "Kundennr",
  "Name",
  "Währung",
  "Stufe",
  "E-Mail",
  "USt-Id",
  "Straße",
  "Zusatz",
  "Ort",
  "PLZ",
  "Land"
]
const contactColumns = ["Kontakt", "E-Mail", "Name", "Telefon", "Kunde", "Rolle"]
const paymentColumns = ["Zahlung", "Kunde", "Eingang", "Währung", "Betrag", "Referenz", "Art", "Rechnung", "Zugeordnet"]
const documentColumns = ["Dokument", "Kunde", "Rechnung", "Dateiname", "Typ", "Datei"]

/** The folder (under the export folder) the documents index names files in, and a document's file there. */
const documentFolder = "dateien"
const documentFileOf = (externalId: string) => `${externalId}.bin`

/** The adapter settings that read what the fixture writes. */
export const settingsFor = (dir: string, dialect: CsvDialectOptions) => {
  const file = (name: string) => ({ path: join(dir, name), encoding: dialect.encoding, delimiter: dialect.delimiter })
  return {
    formats: {
      dateFormat: dialect.dateFormat,
      decimalSeparator: dialect.decimalSeparator,
      thousandsSeparator: dialect.thousandsSeparator
    },
    invoices: {
      ...file("belege.csv"),
      header: {
        number: "Belegnr",
        accountNumber: "Kunde",
        issueDate: "Datum",
        dueDate: "Fällig",
        currency: "Währung",
        terms: "Zahlungsbedingungen",
        poNumber: "Bestellnr",
        netTotal: "Netto",
        taxTotal: "Steuer",
        total: "Brutto",
        invoiceNumber: "Zu Rechnung",
        reason: "Grund"
      },
      lines: {
        lineNumber: "Pos",
        description: "Text",
        productCode: "Artikel",
        unit: "Einheit",
        quantity: "Menge",
        unitPrice: "Preis",
        discountPercent: "Rabatt %",
        discountAmount: "Rabatt",
        taxRate: "MwSt",
        taxCode: "Steuerschlüssel",
        lineNet: "Zeilennetto"
      }
    },
    accounts: {
      ...file("kunden.csv"),
      key: "Kundennr",
      mapping: {
        number: "Kundennr",
        name: "Name",
        currency: "Währung",
        tier: "Stufe",
        email: "E-Mail",
        taxId: "USt-Id",
        addressLine1: "Straße",
        addressLine2: "Zusatz",
        city: "Ort",
        postalCode: "PLZ",
        country: "Land"
      }
    },
    contacts: {
      ...file("kontakte.csv"),
      key: "Kontakt",
      mapping: { email: "E-Mail", name: "Name", phone: "Telefon", accountNumber: "Kunde", role: "Rolle" }
    },
    payments: {
      ...file("zahlungen.csv"),
      groupBy: "Zahlung",
      header: {
        accountNumber: "Kunde",
        receivedDate: "Eingang",
        currency: "Währung",
        amount: "Betrag",
        reference: "Referenz",
        method: "Art"
      },
      allocations: { invoiceNumber: "Rechnung", amount: "Zugeordnet" }
    },
    documents: {
      ...file("dokumente.csv"),
      key: "Dokument",
      fileColumn: "Datei",
      folder: join(dir, documentFolder),
      mapping: { accountNumber: "Kunde", invoiceNumber: "Rechnung", fileName: "Dateiname", contentType: "Typ" }
    }
  }
}

type Cell = string | undefined

/** Writes canonical records as rows of the four export files. */
const rowsOf = (
  record: CanonicalRecord,
  sourceId: string,
  dialect: CsvDialectOptions
): { file: string; rows: Array<Array<Cell>> } => {
  const number = (plain: string | undefined) =>
    plain === undefined
      ? undefined
      : formatDecimal(plain, {
          decimalSeparator: dialect.decimalSeparator,
          thousandsSeparator: dialect.thousandsSeparator
        })
  const money = (m: Money.Money | undefined, negate = false) => {
    if (m === undefined) return undefined
    const plain = Money.toDecimal(m)
    return number(negate ? negateDecimal(plain) : plain)
  }
  const date = (d: string) => formatDate(d, dialect.dateFormat)
  const local = (id: string) => id.slice(sourceId.length + 1)
  switch (record.entity) {
    case "invoices":
    case "credit-notes": {
      const credit = record.entity === "credit-notes"
      const doc = record.value
      const dueDate = "dueDate" in doc ? doc.dueDate : doc.issueDate
      const header = [
        doc.number,
        local(doc.accountId),
        date(doc.issueDate),
        date(dueDate),
        doc.currency,
        "terms" in doc ? doc.terms : undefined,
        "poNumber" in doc ? doc.poNumber : undefined,
        money(doc.totals.net, credit),
        money(doc.totals.tax, credit),
        money(doc.totals.total, credit),
        "invoiceId" in doc && doc.invoiceId !== undefined ? local(doc.invoiceId) : undefined,
        "reason" in doc ? doc.reason : undefined
      ]
      const rows = doc.lines.map((line) => [
        ...header,
        String(line.lineNumber),
        line.description,
        line.productCode,
        line.unit,
        number(credit ? negateDecimal(line.quantity) : line.quantity),
        number(line.unitPrice),
        number(line.discountPercent),
        number(line.discountAmount),
        number(line.taxRate),
        line.taxCode,
        money(line.statedNet, credit)
      ])
      return { file: "belege.csv", rows }
    }
    case "accounts": {
      const a = record.value
      const address = a.billingAddress
      return {
        file: "kunden.csv",
        rows: [
          [
            a.number,
            a.name,
            a.currency,
            a.tier,
            a.email,
            a.taxId,
            address?.lines[0],
            address?.lines[1],
            address?.city,
            address?.postalCode,
            address?.country
          ]
        ]
      }
    }
    case "contacts": {
      const c = record.value
      const link = c.links[0]
      return {
        file: "kontakte.csv",
        rows: [
          [
            c.source.externalId,
            c.email,
            c.name,
            c.phone,
            link === undefined ? undefined : local(link.accountId),
            link?.role
          ]
        ]
      }
    }
    case "payments": {
      const p = record.value
      const header = [
        p.source.externalId,
        local(p.accountId),
        date(p.receivedDate),
        p.amount.currency,
        money(p.amount),
        p.reference,
        p.method
      ]
      const rows =
        p.allocations.length === 0
          ? [[...header, undefined, undefined]]
          : p.allocations.map((a) => [...header, local(a.invoiceId), money(a.amount)])
      return { file: "zahlungen.csv", rows }
    }
    case "documents": {
      const d = record.value
      const invoice = d.invoiceId === undefined ? undefined : local(d.invoiceId)
      const row = [d.source.externalId, local(d.accountId), invoice, d.fileName, d.contentType]
      return { file: "dokumente.csv", rows: [[...row, documentFileOf(d.source.externalId)]] }
    }
  }
}

const columnsFor: Record<string, ReadonlyArray<string>> = {
  "belege.csv": invoiceColumns,
  "kunden.csv": accountColumns,
  "kontakte.csv": contactColumns,
  "zahlungen.csv": paymentColumns,
  "dokumente.csv": documentColumns
}

/** What the files hold of a record: documents without a stated size or hash (the engine takes both from the bytes). */
const represent = (record: CanonicalRecord): CanonicalRecord => {
  if (record.entity !== "documents") return record
  const { size: _size, sha256: _sha256, ...rest } = record.value
  return canonical("documents", rest)
}

/** Breaks a record the way real exports break: an impossible date, an unknown currency, a bad e-mail. */
const corrupted = (record: CanonicalRecord, rows: Array<Array<Cell>>): Array<Array<Cell>> =>
  rows.map((row) => {
    const copy = [...row]
    if (record.entity === "invoices" || record.entity === "credit-notes") copy[2] = "31.02.2026"
    else if (record.entity === "accounts") copy[2] = "XYZ"
    else if (record.entity === "contacts") copy[1] = "not-an-address"
    else if (record.entity === "payments") copy[4] = "12,3,4"
    else if (record.entity === "documents") copy[1] = ""
    return copy
  })

/** A fresh folder of empty exports (headers only) and the CSV adapter reading them. */
export const csvFixture = (dialect: CsvDialectOptions) => (context: { readonly sourceId: string }) =>
  Effect.gen(function* () {
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(join(tmpdir(), "portico-csv-"))),
      (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
    )
    const encode = (rows: ReadonlyArray<ReadonlyArray<Cell>>) =>
      encodeText(
        stringify(
          rows.map((row) => row.map((cell) => cell ?? "")),
          {
            delimiter: dialect.delimiter,
            record_delimiter: dialect.lineBreak,
            // Quote any field with a line break, not only those holding the record delimiter.
            quoted_match: /[\r\n]/
          }
        ),
        dialect.encoding
      )
    const write = (records: ReadonlyArray<CanonicalRecord>, mode: "replace" | "append" | "corrupt") => {
      const byFile = new Map<string, Array<Array<Cell>>>()
      for (const record of records) {
        const { file, rows } = rowsOf(record, context.sourceId, dialect)
        byFile.set(file, [...(byFile.get(file) ?? []), ...(mode === "corrupt" ? corrupted(record, rows) : rows)])
      }
      const folder = join(dir, documentFolder)
      if (mode === "replace") rmSync(folder, { recursive: true, force: true })
      mkdirSync(folder, { recursive: true })
      for (const record of records) {
        if (record.entity === "documents")
          writeFileSync(join(folder, documentFileOf(record.value.source.externalId)), documentBytes(record.value))
      }
      for (const [file, columns] of Object.entries(columnsFor)) {
        const rows = byFile.get(file) ?? []
        const path = join(dir, file)
        if (mode === "replace") {
          const bom = dialect.bom === true ? Uint8Array.of(0xef, 0xbb, 0xbf) : new Uint8Array()
          writeFileSync(path, Buffer.concat([bom, encode([columns, ...rows])]))
        } else if (rows.length > 0) appendFileSync(path, encode(rows))
      }
    }
    write([], "replace")
    const settings = settingsFor(dir, dialect)
    const fixture: SourceFixture = {
      entities: ["accounts", "contacts", "invoices", "credit-notes", "payments", "documents"],
      adapter: makeAdapter(CsvAdapter, context, settings),
      seed: (records) => Effect.sync(() => write(records, "replace")),
      apply: (changes) => Effect.sync(() => write(changes, "append")),
      corrupt: (record) =>
        Effect.sync(() => {
          write([record], "corrupt")
          return { externalId: record.value.source.externalId }
        }),
      removeContent: (record) =>
        Effect.sync(() => rmSync(join(dir, documentFolder, documentFileOf(record.value.source.externalId)))),
      represent,
      supportsUpdates: false,
      pageSize: 256,
      pagedEntity: "accounts",
      secrets: []
    }
    return fixture
  })
