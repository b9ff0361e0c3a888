// The portal's use cases on the demo data (PGlite, real CSV adapter and sync engine, real HTML and PDF
// renderers): figures, filters, keyset pages, scope (a foreign id is NotFound), roles, one-invoice links,
// statements, PDF, CSV and ZIP exports, billing details and notification settings, and the audit entries
// each of them writes.
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Exit, Stream } from "effect"
import JSZip from "jszip"
import { system } from "../../../core/access/Principal.ts"
import { AuditLog } from "../../../core/audit/AuditLog.ts"
import { localDate } from "../../../core/domain/LocalDate.ts"
import { defaultNotificationSettings, Portal, today } from "../../../core/portal/index.ts"
import { pdfText } from "../../renderers/pdf/PdfTestSupport.ts"
import { chromiumAvailability } from "../../support/Requirements.ts"
import { anna, as, ben, carla, ids, oneInvoiceLink, portalTestLayer } from "./support/PortalHarness.ts"

const chromium = chromiumAvailability()

const failureTag = <A, E extends { readonly _tag: string }>(exit: Exit.Exit<A, E>): string | undefined =>
  Exit.isFailure(exit) ? (exit.cause.reasons.find((r) => r._tag === "Fail")?.error as E | undefined)?._tag : undefined

const auditOf = (accountId: string) =>
  Effect.flatMap(Effect.service(AuditLog), (log) => as(system("test reads the audit log"))(log.entries(accountId)))

describe.skipIf(!chromium.available)("Portal on the demo data", () => {
  layer(portalTestLayer(), { timeout: 120_000, excludeTestServices: true })((it) => {
    it.effect("the overview sums Northwind's open, overdue, aged and credit figures per currency", () =>
      Effect.gen(function* () {
        const portal = yield* Portal
        const overview = yield* as(anna)(portal.overview(ids.northwind))
        const eur = overview.summary?.currencies.find((c) => c.currency === "EUR")
        assert.deepStrictEqual(eur?.open, { currency: "EUR", minor: 714900 })
        assert.deepStrictEqual(eur?.overdue, { currency: "EUR", minor: 227000 })
        assert.strictEqual(eur?.overdueCount, 3)
        assert.deepStrictEqual(
          eur?.aging.buckets.map((b) => b.amount.minor),
          [487900, 59500, 138000, 29500, 0]
        )
        assert.deepStrictEqual(eur?.credit, { currency: "EUR", minor: 25000 })
        const usd = overview.summary?.currencies.find((c) => c.currency === "USD")
        assert.deepStrictEqual(usd?.open, { currency: "USD", minor: 150000 })
        assert.strictEqual(overview.recentInvoices.length, 5)
        assert.strictEqual(overview.recentInvoices[0]?.number, "INV-1006")
      })
    )

    it.effect("a viewer sees recent invoices but no summary, and may not download", () =>
      Effect.gen(function* () {
        const portal = yield* Portal
        const overview = yield* as(ben)(portal.overview(ids.northwind))
        assert.strictEqual(overview.summary, undefined)
        const exit = yield* Effect.exit(as(ben)(portal.invoicePdf(ids.invoice("INV-1004"))))
        assert.strictEqual(failureTag(exit), "PermissionDenied")
      })
    )

    it.effect("activity filters by status and searches by PO number; keyset pages cover every invoice once", () =>
      Effect.gen(function* () {
        const portal = yield* Portal
        const overdue = yield* as(anna)(portal.activity(ids.northwind, { statuses: ["overdue"] }))
        assert.deepStrictEqual(overdue.invoices.items.map((i) => i.number).sort(), ["INV-1002", "INV-1003", "INV-1008"])
        const byPo = yield* as(anna)(portal.activity(ids.northwind, { search: "po-7731" }))
        assert.deepStrictEqual(
          byPo.invoices.items.map((i) => i.number),
          ["INV-1006"]
        )
        assert.strictEqual(byPo.payments.length, 0)
        const seen: Array<string> = []
        let cursor: string | undefined
        do {
          const page = yield* as(anna)(
            portal.activity(ids.northwind, {
              sort: { field: "amount", direction: "asc" },
              limit: 3,
              ...(cursor === undefined ? {} : { cursor })
            })
          )
          seen.push(...page.invoices.items.map((i) => i.number))
          cursor = page.invoices.nextCursor
        } while (cursor !== undefined)
        assert.deepStrictEqual([...seen].sort(), [
          "INV-1001",
          "INV-1002",
          "INV-1003",
          "INV-1004",
          "INV-1005",
          "INV-1006",
          "INV-1007",
          "INV-1008"
        ])
        const all = yield* as(anna)(portal.activity(ids.northwind, {}))
        assert.deepStrictEqual(all.creditNotes.map((c) => c.number).sort(), ["CN-2001", "CN-2002"])
        assert.strictEqual(all.payments.length, 4)
      })
    )

    it.effect("a foreign invoice is NotFound, and the denial is audited in the principal's own chain", () =>
      Effect.gen(function* () {
        const portal = yield* Portal
        const foreign = ids.invoice("INV-3001")
        const exit = yield* Effect.exit(as(anna)(portal.invoice(foreign)))
        assert.strictEqual(failureTag(exit), "NotFound")
        const entries = yield* auditOf(ids.northwind)
        const denial = entries.findLast((e) => e.records.some((r) => r.id === foreign))
        assert.strictEqual(denial?.outcome, "denied")
        assert.strictEqual(denial?.reason, "NotFound")
        // Carla, of Globex, reads it.
        const own = yield* as(carla)(portal.invoice(foreign))
        assert.strictEqual(own.detail.invoice.number, "INV-3001")
      })
    )

    it.effect("an invoice PDF carries its number, and the download's audit entry its SHA-256", () =>
      Effect.gen(function* () {
        const portal = yield* Portal
        const file = yield* as(anna)(portal.invoicePdf(ids.invoice("INV-1004")))
        assert.strictEqual(Buffer.from(file.bytes.slice(0, 5)).toString("latin1"), "%PDF-")
        const { text } = yield* pdfText(file.bytes)
        assert.include(text, "INV-1004")
        const entries = yield* auditOf(ids.northwind)
        const download = entries.findLast((e) => e.action === "download")
        assert.deepStrictEqual(download?.records, [
          { kind: "invoice", id: ids.invoice("INV-1004") },
          { kind: "sha256", id: file.sha256 }
        ])
        assert.strictEqual(download?.actor.id, ids.anna)
      })
    )

    it.effect("a one-invoice link lists and opens that invoice only", () =>
      Effect.gen(function* () {
        const portal = yield* Portal
        const activity = yield* as(oneInvoiceLink)(portal.activity(ids.northwind, {}))
        assert.deepStrictEqual(
          activity.invoices.items.map((i) => i.number),
          ["INV-1004"]
        )
        assert.deepStrictEqual(activity.payments, [])
        const other = yield* Effect.exit(as(oneInvoiceLink)(portal.invoice(ids.invoice("INV-1003"))))
        assert.strictEqual(failureTag(other), "NotFound")
        const documents = yield* as(oneInvoiceLink)(portal.documents(ids.northwind))
        assert.deepStrictEqual(
          documents.map((d) => d.fileName),
          ["delivery-note-INV-1004.txt"]
        )
        const statement = yield* Effect.exit(
          as(oneInvoiceLink)(
            portal.statement(ids.northwind, {
              style: "open-item",
              from: localDate("2020-01-01"),
              to: localDate("2030-01-01")
            })
          )
        )
        assert.strictEqual(failureTag(statement), "PermissionDenied")
      })
    )

    it.effect("open-item and balance-forward statements close on the same balance, the open items' sum", () =>
      Effect.gen(function* () {
        const portal = yield* Portal
        const to = yield* today
        const from = localDate("2000-01-01")
        const openItem = yield* as(anna)(portal.statement(ids.northwind, { style: "open-item", from, to }))
        const forward = yield* as(anna)(portal.statement(ids.northwind, { style: "balance-forward", from, to }))
        // 7,149.00 owed less the 250.00 unallocated payment.
        assert.deepStrictEqual(openItem.view.closing, { currency: "EUR", minor: 689900 })
        assert.deepStrictEqual(forward.view.closing, openItem.view.closing)
        assert.strictEqual(
          openItem.view.openItems.reduce((total, item) => total + item.open.minor, 0),
          689900
        )
        assert.strictEqual(forward.view.lines.at(-1)?.balance.minor, 689900)
        // Aged at the period's end: 4,879.00 not yet due, 595.00 1–30, 1,380.00 31–60, 295.00 61–90 days late.
        assert.deepStrictEqual(
          openItem.view.aging.map((row) => row.amount.minor),
          [487900, 59500, 138000, 29500, 0]
        )
        assert.deepStrictEqual(openItem.currencies.map(String), ["EUR", "USD"])
        const usd = yield* as(anna)(
          portal.statement(ids.northwind, { style: "open-item", from, to, currency: openItem.currencies[1] })
        )
        assert.deepStrictEqual(usd.view.closing, { currency: "USD", minor: 150000 })
        const pdf = yield* as(anna)(portal.statementPdf(ids.northwind, { style: "open-item", from, to }))
        assert.include((yield* pdfText(pdf.bytes)).text, "Northwind")
      })
    )

    it.effect("three invoices as one ZIP and as CSV, each audited", () =>
      Effect.gen(function* () {
        const portal = yield* Portal
        const chosen = ["INV-1002", "INV-1003", "INV-1004"].map(ids.invoice)
        const archive = yield* as(anna)(portal.bulkZip(ids.northwind, chosen))
        const chunks = yield* Stream.runCollect(archive.stream)
        const zip = yield* Effect.promise(() => JSZip.loadAsync(Buffer.concat(chunks)))
        const pdfs = Object.keys(zip.files)
          .filter((name) => name.endsWith(".pdf"))
          .sort()
        assert.deepStrictEqual(pdfs, ["invoice-INV-1002.pdf", "invoice-INV-1003.pdf", "invoice-INV-1004.pdf"])
        const csv = yield* as(anna)(portal.exportCsv(ids.northwind, { invoiceIds: chosen, request: {} }))
        const text = new TextDecoder().decode(csv.bytes)
        for (const number of ["INV-1002", "INV-1003", "INV-1004"]) assert.include(text, number)
        assert.notInclude(text, "INV-1001")
        const entries = yield* auditOf(ids.northwind)
        assert.isTrue(entries.some((e) => e.action === "export" && e.records.some((r) => r.id === csv.sha256)))
        const zipEntry = entries.findLast((e) => e.action === "download")
        assert.strictEqual(zipEntry?.records.filter((r) => r.kind === "sha256").length, 3)
        const foreign = yield* Effect.exit(as(anna)(portal.bulkZip(ids.northwind, [ids.invoice("INV-3001")])))
        assert.strictEqual(failureTag(foreign), "NotFound")
      })
    )

    it.effect(
      "billing details entered in the portal are kept and shown over the ERP's; only an admin changes the address",
      () =>
        Effect.gen(function* () {
          const portal = yield* Portal
          const address = { lines: ["Neuer Wall 5"], city: "Hamburg", postalCode: "20354", country: "DE" }
          const updated = yield* as(anna)(
            portal.updateBillingDetails(ids.northwind, {
              contact: { name: "Anna Berger-Lang", phone: "+49 40 5550199" },
              address: { address, email: "invoices@northwind.example" }
            })
          )
          assert.strictEqual(updated.contact?.name, "Anna Berger-Lang")
          assert.deepStrictEqual(updated.account.billingAddress, address)
          assert.strictEqual(updated.account.email, "invoices@northwind.example")
          assert.isTrue(updated.addressFromPortal)
          const denied = yield* Effect.exit(
            as(ben)(portal.updateBillingDetails(ids.northwind, { address: { address, email: null } }))
          )
          assert.strictEqual(failureTag(denied), "PermissionDenied")
          const entries = yield* auditOf(ids.northwind)
          assert.isTrue(entries.some((e) => e.action === "settings-change" && e.outcome === "success"))
          assert.isTrue(entries.some((e) => e.action === "settings-change" && e.outcome === "denied"))
        })
    )

    it.effect("notification settings are per contact; a link has none", () =>
      Effect.gen(function* () {
        const portal = yield* Portal
        assert.deepStrictEqual(yield* as(anna)(portal.notificationSettings), defaultNotificationSettings)
        const next = { ...defaultNotificationSettings, monthlyStatement: true, dueReminders: false }
        yield* as(anna)(portal.updateNotificationSettings(next))
        assert.deepStrictEqual(yield* as(anna)(portal.notificationSettings), next)
        assert.deepStrictEqual(yield* as(ben)(portal.notificationSettings), defaultNotificationSettings)
        const link = yield* Effect.exit(as(oneInvoiceLink)(portal.notificationSettings))
        assert.strictEqual(failureTag(link), "InvalidRequest")
      })
    )
  })
})
