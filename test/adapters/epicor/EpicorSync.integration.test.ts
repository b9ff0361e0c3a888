// Epicor end to end: the sync engine reads the Epicor wire-format server into a PGlite store. Invoices,
// a credit memo and a cash receipt drive invoice status; a re-sync changes nothing; changes come through
// incrementally by row version.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { EpicorAdapter } from "../../../adapters/epicor/index.ts"
import { makeAdapter } from "../../../core/erp/index.ts"
import { SyncEngine } from "../../../core/sync/SyncEngine.ts"
import type { SyncRun } from "../../../core/sync/SyncRun.ts"
import { syncLayer } from "../../core/sync/support/SyncHarness.ts"
import { pglite } from "../../support/Databases.ts"
import * as EpicorServer from "./EpicorServer.ts"
import { RawNumber, type WireValue } from "./ODataQuery.ts"

const n = (text: string) => new RawNumber(text)
const apiKey = "sync-key-secret"
const password = "sync-password-secret"

const customer = (num: number) => ({
  Company: "EPIC06",
  CustNum: num,
  CustID: `CUST${num}`,
  Name: `Customer ${num}`,
  CurrencyCode: "EUR"
})

const invoice = (num: number, custNum: number, total: string, overrides: Record<string, WireValue> = {}) => ({
  Company: "EPIC06",
  InvoiceNum: num,
  LegalNumber: `INV-${num}`,
  CreditMemo: false,
  Posted: true,
  CustNum: custNum,
  InvoiceDate: "2026-10-01T00:00:00",
  DueDate: "2026-10-31T00:00:00",
  CurrencyCode: "EUR",
  DocSubTotal: n(total),
  DocTaxAmt: n("0.00"),
  DocInvoiceAmt: n(total),
  InvcDtls: [
    {
      InvoiceNum: num,
      InvoiceLine: 1,
      LineDesc: "Service",
      SellingShipQty: n("1"),
      DocUnitPrice: n(total),
      DocExtPrice: n(total),
      TaxPercent: n("0")
    }
  ],
  ...overrides
})

const counts = (run: SyncRun, entity: string) => {
  const found = run.entities.find((e) => e.entity === entity)
  return found === undefined
    ? undefined
    : {
        read: found.read,
        inserted: found.inserted,
        updated: found.updated,
        unchanged: found.unchanged,
        quarantined: found.quarantined
      }
}

const statuses = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ external_id: string; status: string; open: string }>`
    select external_id, status, open_minor::text as open from portico.invoices order by external_id`
  return rows.map((row) => [row.external_id, row.status, row.open])
})

describe("Epicor through the sync engine (PGlite)", () => {
  it.live(
    "syncs customers, invoices, a credit memo and a cash receipt; re-syncs nothing; reads changes incrementally",
    () =>
      Effect.gen(function* () {
        const server = yield* EpicorServer.make({ company: "EPIC06", apiKey, username: "portal", password })
        server.put("Customers", customer(1))
        server.put("Customers", customer(2))
        server.put("ARInvoices", invoice(100, 1, "500.00"))
        server.put("ARInvoices", invoice(101, 1, "300.00"))
        server.put("ARInvoices", invoice(102, 2, "80.00"))
        server.put(
          "ARInvoices",
          invoice(900, 1, "-300.00", {
            CreditMemo: true,
            LegalNumber: "CM-900",
            InvoiceRef: 101,
            InvcDtls: [
              {
                InvoiceNum: 900,
                InvoiceLine: 1,
                LineDesc: "Credit",
                SellingShipQty: n("-1"),
                DocUnitPrice: n("300.00"),
                DocExtPrice: n("-300.00"),
                TaxPercent: n("0")
              }
            ]
          })
        )
        server.put("CashRecs", {
          Company: "EPIC06",
          GroupID: "CR01",
          HeadNum: 1,
          SysRowID: "cash-1",
          Posted: true,
          CheckRef: "BANK-1",
          CustNum: 1,
          TranDate: "2026-10-15T00:00:00",
          CurrencyCode: "EUR",
          DocTranAmt: n("500.00"),
          CashDtls: [{ InvoiceNum: 100, TranType: "PayInv", DocTranAmt: n("500.00") }]
        })
        const adapter = yield* makeAdapter(
          EpicorAdapter,
          { sourceId: "epicor" },
          {
            baseUrl: server.baseUrl,
            company: "EPIC06",
            apiKey,
            auth: { type: "basic", username: "portal", password },
            pageSize: 2,
            maxRetries: 0
          }
        )
        const engine = yield* SyncEngine
        const first = yield* engine.run(adapter, {
          entities: ["accounts", "invoices", "credit-notes", "payments"],
          batchSize: 2
        })
        assert.strictEqual(first.status, "succeeded")
        assert.deepStrictEqual(counts(first, "invoices"), {
          read: 3,
          inserted: 3,
          updated: 0,
          unchanged: 0,
          quarantined: 0
        })
        assert.deepStrictEqual(counts(first, "credit-notes")?.inserted, 1)
        assert.deepStrictEqual(counts(first, "payments")?.inserted, 1)
        assert.deepStrictEqual(yield* statuses, [
          ["100", "paid", "0"],
          ["101", "credited", "0"],
          ["102", "open", "8000"]
        ])

        const again = yield* engine.run(adapter, { entities: ["accounts", "invoices", "credit-notes", "payments"] })
        assert.deepStrictEqual(counts(again, "invoices"), {
          read: 0,
          inserted: 0,
          updated: 0,
          unchanged: 0,
          quarantined: 0
        })

        server.put("ARInvoices", invoice(102, 2, "90.00"))
        server.put("ARInvoices", invoice(103, 2, "10.00"))
        const third = yield* engine.run(adapter, { entities: ["accounts", "invoices", "credit-notes", "payments"] })
        assert.deepStrictEqual(counts(third, "invoices"), {
          read: 2,
          inserted: 1,
          updated: 1,
          unchanged: 0,
          quarantined: 0
        })
        assert.deepStrictEqual((yield* statuses).slice(2), [
          ["102", "open", "9000"],
          ["103", "open", "1000"]
        ])
      }).pipe(
        Effect.provide(syncLayer({ name: "pglite", availability: { available: true }, layer: pglite })),
        Effect.scoped
      ),
    120_000
  )
})
