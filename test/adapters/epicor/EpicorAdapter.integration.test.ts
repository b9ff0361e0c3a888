// The Epicor Kinetic adapter against a real HTTP server speaking Epicor's REST v2 wire format: reading,
// paging, credit memos, Doc* amounts, auth styles, Epicor error bodies, 429 Retry-After and time-outs.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Option, Result, Stream } from "effect"
import { TestClock } from "effect/testing"
import { EpicorAdapter } from "../../../adapters/epicor/index.ts"
import type { CanonicalRecord, EntityName, ErpAdapterShape, ErpError, ReadItem } from "../../../core/erp/index.ts"
import { makeAdapter } from "../../../core/erp/index.ts"
import * as EpicorServer from "./EpicorServer.ts"
import { RawNumber, type WireValue } from "./ODataQuery.ts"

const secrets = { apiKey: "key-Zq8v-secret", password: "pw-7hT!secret" }

const startServer = (options: Partial<EpicorServer.EpicorServerOptions> = {}) =>
  EpicorServer.make({
    company: "EPIC06",
    apiKey: secrets.apiKey,
    username: "portal",
    password: secrets.password,
    ...options
  })

const adapterFor = (server: EpicorServer.EpicorServer, settings: Record<string, unknown> = {}) =>
  makeAdapter(
    EpicorAdapter,
    { sourceId: "epicor-main" },
    {
      baseUrl: server.baseUrl,
      company: "EPIC06",
      apiKey: secrets.apiKey,
      auth: { type: "basic", username: "portal", password: secrets.password },
      maxRetries: 0,
      ...settings
    }
  )

const readAll = (adapter: ErpAdapterShape, entity: EntityName, cursor = Option.none<ReadItem["cursor"]>()) =>
  Stream.runCollect(adapter.read(entity, cursor))

const decoded = (adapter: ErpAdapterShape, items: ReadonlyArray<ReadItem>): Array<CanonicalRecord> =>
  items.map((item) => {
    if (item._tag !== "SourceRecord") throw new Error(`unexpected rejection: ${item.rejection.message}`)
    const result = adapter.decode(item)
    if (Result.isFailure(result)) throw new Error(`unexpected decode failure: ${result.failure.message}`)
    return result.success
  })

const n = (text: string) => new RawNumber(text)

const invoiceRow = (num: number, overrides: Record<string, WireValue> = {}) => ({
  Company: "EPIC06",
  InvoiceNum: num,
  InvoiceSuffix: "",
  LegalNumber: `INV-${num}`,
  CreditMemo: false,
  Posted: true,
  OpenInvoice: true,
  InvoiceType: "Shp",
  CustNum: 42,
  CustomerCustID: "ACME01",
  PONum: "PO-7788",
  TermsCode: "N30",
  TermsCodeDescription: "Net 30",
  InvoiceDate: "2024-03-01T00:00:00",
  DueDate: "2024-03-31T00:00:00",
  CurrencyCode: "EUR",
  InvoiceAmt: n("1309.00"),
  DocInvoiceAmt: n("1190.00"),
  DocInvoiceBal: n("590.00"),
  SubTotal: n("1100.00"),
  DocSubTotal: n("1000.00"),
  DocTaxAmt: n("190.00"),
  InvcDtls: [
    {
      Company: "EPIC06",
      InvoiceNum: num,
      InvoiceLine: 1,
      PartNum: "WIDGET-10",
      LineDesc: "Widget 10mm",
      SellingShipQty: n("10"),
      SalesUM: "EA",
      UnitPrice: n("110.0"),
      DocUnitPrice: n("100.0"),
      PricePerCode: "E",
      ExtPrice: n("1100.0"),
      DocExtPrice: n("1000.0"),
      DocDiscount: n("0"),
      TaxPercent: n("19"),
      TaxCatID: "VAT19"
    }
  ],
  ...overrides
})

describe("Epicor adapter", () => {
  it.effect("reads posted invoices with their lines, in document currency, exactly", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      server.put("ARInvoices", invoiceRow(10234))
      server.put("ARInvoices", invoiceRow(10235, { Posted: false }))
      const adapter = yield* adapterFor(server)
      const items = yield* readAll(adapter, "invoices")
      const [record] = decoded(adapter, items)
      const actual: unknown = record
      assert.strictEqual(items.length, 1)
      assert.deepStrictEqual(actual, {
        entity: "invoices",
        value: {
          id: "epicor-main:10234",
          accountId: "epicor-main:42",
          source: { source: "epicor-main", externalId: "10234" },
          number: "INV-10234",
          issueDate: "2024-03-01",
          dueDate: "2024-03-31",
          currency: "EUR",
          terms: "Net 30",
          poNumber: "PO-7788",
          lines: [
            {
              lineNumber: 1,
              description: "Widget 10mm",
              productCode: "WIDGET-10",
              unit: "EA",
              quantity: "10",
              unitPrice: "100.0",
              taxRate: "19",
              taxCode: "VAT19",
              statedNet: { currency: "EUR", minor: 100000 }
            }
          ],
          taxLines: [],
          totals: {
            net: { currency: "EUR", minor: 100000 },
            tax: { currency: "EUR", minor: 19000 },
            total: { currency: "EUR", minor: 119000 }
          }
        }
      })
      const [request] = server.dataRequests()
      assert.strictEqual(request?.path, "/EpicorERP/api/v2/odata/EPIC06/Erp.BO.ARInvoiceSvc/ARInvoices")
      assert.strictEqual(request?.query.get("$filter"), "CreditMemo eq false and Posted eq true")
      assert.strictEqual(request?.query.get("$expand"), "InvcDtls")
      assert.strictEqual(request?.query.get("$orderby"), "SysRevID")
      assert.strictEqual(request?.headers["x-api-key"], secrets.apiKey)
    })
  )
})
