// The Epicor Kinetic adapter against a real HTTP server speaking Epicor's REST v2 wire format: reading,
// paging, credit memos, Doc* amounts, auth styles, Epicor error bodies, 429 Retry-After and time-outs.
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Fiber, Option, Result } from "effect"
import { FetchHttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { EpicorAdapter } from "../../../adapters/epicor/index.ts"
import { makeAdapter, type ReadItem } from "../../../core/erp/index.ts"
import {
  assertNoSecrets,
  captureLogs,
  decodeAll,
  decodeInvoices,
  idsOf,
  readAll,
  recordingFetch
} from "../rest/AdapterTestSupport.ts"
import * as EpicorServer from "./EpicorServer.ts"
import { RawNumber, type WireValue } from "./ODataQuery.ts"

const secrets = { apiKey: "key-Zq8v-secret", password: "pw-7hT!secret", token: "static-tok-Qw3-secret" }
const allSecrets = Object.values(secrets)

const startServer = (options: Partial<EpicorServer.EpicorServerOptions> = {}) =>
  EpicorServer.make({
    company: "EPIC06",
    apiKey: secrets.apiKey,
    username: "portal",
    password: secrets.password,
    staticTokens: [secrets.token],
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

const n = (text: string) => new RawNumber(text)

const line = (invoiceNum: number, lineNo: number, overrides: Record<string, WireValue> = {}) => ({
  Company: "EPIC06",
  InvoiceNum: invoiceNum,
  InvoiceLine: lineNo,
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
  TaxCatID: "VAT19",
  ...overrides
})

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
  InvcDtls: [line(num, 1)],
  ...overrides
})

const eur = (minor: number) => ({ currency: "EUR", minor })

const cursorAfter = (items: ReadonlyArray<ReadItem>, index: number) => Option.some(items[index]!.cursor)

describe("Epicor adapter: reading", () => {
  it.effect("reads posted invoices with their lines, in document currency, exactly", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      server.put("ARInvoices", invoiceRow(10234))
      server.put("ARInvoices", invoiceRow(10235, { Posted: false }))
      const adapter = yield* adapterFor(server)
      const items = yield* readAll(adapter, "invoices")
      assert.deepStrictEqual(decodeAll(adapter, items), [
        {
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
              statedNet: eur(100000)
            }
          ],
          taxLines: [],
          totals: { net: eur(100000), tax: eur(19000), total: eur(119000) }
        }
      ])
      const [request] = server.dataRequests()
      assert.strictEqual(request?.path, "/EpicorERP/api/v2/odata/EPIC06/Erp.BO.ARInvoiceSvc/ARInvoices")
      assert.strictEqual(request?.query.get("$filter"), "CreditMemo eq false and Posted eq true")
      assert.strictEqual(request?.query.get("$expand"), "InvcDtls")
      assert.strictEqual(request?.query.get("$orderby"), "SysRevID")
      assert.strictEqual(request?.query.get("$top"), "100")
      assert.strictEqual(request?.headers["x-api-key"], secrets.apiKey)
    })
  )

  it.effect("uses the Doc* (document currency) amounts, never the base-currency ones, and prices per 100", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      server.put(
        "ARInvoices",
        invoiceRow(7, {
          CurrencyCode: "USD",
          InvoiceAmt: n("999.99"),
          SubTotal: n("888.88"),
          DocSubTotal: n("25.50"),
          DocTaxAmt: n("0"),
          DocInvoiceAmt: n("25.50"),
          InvcDtls: [
            line(7, 1, {
              SellingShipQty: n("300"),
              UnitPrice: n("9.99"),
              DocUnitPrice: n("8.50"),
              PricePerCode: "C",
              ExtPrice: n("29.97"),
              DocExtPrice: n("25.50"),
              TaxPercent: n("0")
            })
          ]
        })
      )
      const adapter = yield* adapterFor(server)
      const [invoice] = decodeInvoices(adapter, yield* readAll(adapter, "invoices"))
      assert.deepStrictEqual(invoice?.totals, {
        net: { currency: "USD", minor: 2550 },
        tax: { currency: "USD", minor: 0 },
        total: { currency: "USD", minor: 2550 }
      })
      assert.strictEqual(invoice?.lines[0]?.unitPrice, "0.085")
      assert.strictEqual(invoice?.lines[0]?.quantity, "300")
      assert.deepStrictEqual(invoice?.lines[0]?.statedNet, { currency: "USD", minor: 2550 })
    })
  )

  it.effect("reads credit memos as credit notes with positive amounts, linked to the invoice they credit", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      server.put("ARInvoices", invoiceRow(10234))
      server.put(
        "ARInvoices",
        invoiceRow(10240, {
          CreditMemo: true,
          InvoiceSuffix: "CM",
          LegalNumber: "CM-10240",
          InvoiceRef: 10234,
          InvoiceComment: "Damaged in transit",
          DocSubTotal: n("-200.00"),
          DocTaxAmt: n("-38.00"),
          DocInvoiceAmt: n("-238.00"),
          InvcDtls: [line(10240, 1, { SellingShipQty: n("-2"), DocExtPrice: n("-200.00") })]
        })
      )
      const adapter = yield* adapterFor(server)
      const invoices = yield* readAll(adapter, "invoices")
      const credits = yield* readAll(adapter, "credit-notes")
      assert.deepStrictEqual(idsOf(invoices), ["10234"])
      assert.deepStrictEqual(decodeAll(adapter, credits), [
        {
          id: "epicor-main:10240",
          accountId: "epicor-main:42",
          source: { source: "epicor-main", externalId: "10240" },
          number: "CM-10240",
          issueDate: "2024-03-01",
          currency: "EUR",
          invoiceId: "epicor-main:10234",
          reason: "Damaged in transit",
          lines: [
            {
              lineNumber: 1,
              description: "Widget 10mm",
              productCode: "WIDGET-10",
              unit: "EA",
              quantity: "2",
              unitPrice: "100.0",
              taxRate: "19",
              taxCode: "VAT19",
              statedNet: eur(20000)
            }
          ],
          taxLines: [],
          totals: { net: eur(20000), tax: eur(3800), total: eur(23800) }
        }
      ])
      assert.strictEqual(server.dataRequests()[1]?.query.get("$filter"), "CreditMemo eq true and Posted eq true")
    })
  )

  it.effect("reads posted cash receipts as payments allocated to the invoices they pay", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      server.put("CashRecs", {
        Company: "EPIC06",
        GroupID: "CR0115",
        HeadNum: 7,
        SysRowID: "6f0c1d2e-0000-4000-8000-000000000007",
        Posted: true,
        TranType: "PayInv",
        CheckRef: "BANK-REF-991",
        CustNum: 42,
        TranDate: "2024-03-20T00:00:00",
        CurrencyCode: "EUR",
        TranAmt: n("700.00"),
        DocTranAmt: n("650.00"),
        CashDtls: [
          { InvoiceNum: 10234, TranType: "PayInv", DocTranAmt: n("600.00"), TranAmt: n("640.00") },
          { InvoiceNum: 0, TranType: "MisPay", DocTranAmt: n("50.00") }
        ]
      })
      server.put("CashRecs", {
        Company: "EPIC06",
        GroupID: "CR0116",
        HeadNum: 1,
        SysRowID: "6f0c1d2e-0000-4000-8000-000000000001",
        Posted: false,
        CustNum: 42
      })
      const adapter = yield* adapterFor(server)
      const items = yield* readAll(adapter, "payments")
      assert.deepStrictEqual(decodeAll(adapter, items), [
        {
          id: "epicor-main:6f0c1d2e-0000-4000-8000-000000000007",
          accountId: "epicor-main:42",
          source: { source: "epicor-main", externalId: "6f0c1d2e-0000-4000-8000-000000000007" },
          reference: "BANK-REF-991",
          receivedDate: "2024-03-20",
          amount: eur(65000),
          allocations: [{ invoiceId: "epicor-main:10234", amount: eur(60000) }]
        }
      ])
      assert.strictEqual(server.dataRequests()[0]?.path, "/EpicorERP/api/v2/odata/EPIC06/Erp.BO.CashRecSvc/CashRecs")
      assert.strictEqual(server.dataRequests()[0]?.query.get("$expand"), "CashDtls")
    })
  )

  it.effect("reads customers as accounts and customer contacts as contacts", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      server.put("Customers", {
        Company: "EPIC06",
        CustNum: 42,
        CustID: "ACME01",
        Name: "Acme Corp",
        Address1: "1 Main St",
        Address2: "Suite 5",
        City: "Springfield",
        State: "IL",
        Zip: "62701",
        CountryISOCode: "us",
        EMailAddress: "ap@acme.example",
        CurrencyCode: "USD"
      })
      server.put("CustCnts", {
        Company: "EPIC06",
        CustNum: 42,
        ShipToNum: "",
        ConNum: 3,
        SysRowID: "0b9e7f1a-0000-4000-8000-000000000003",
        Name: "Jane Payables",
        EMailAddress: "Jane@Acme.example",
        PhoneNum: "+1 555 0100"
      })
      const adapter = yield* adapterFor(server, { contactRole: "finance-approver" })
      assert.deepStrictEqual(decodeAll(adapter, yield* readAll(adapter, "accounts")), [
        {
          id: "epicor-main:42",
          source: { source: "epicor-main", externalId: "42" },
          number: "ACME01",
          name: "Acme Corp",
          tier: "standard",
          currency: "USD",
          email: "ap@acme.example",
          billingAddress: {
            lines: ["1 Main St", "Suite 5"],
            city: "Springfield",
            region: "IL",
            postalCode: "62701",
            country: "US"
          }
        }
      ])
      assert.deepStrictEqual(decodeAll(adapter, yield* readAll(adapter, "contacts")), [
        {
          id: "epicor-main:0b9e7f1a-0000-4000-8000-000000000003",
          source: { source: "epicor-main", externalId: "0b9e7f1a-0000-4000-8000-000000000003" },
          email: "jane@acme.example",
          name: "Jane Payables",
          phone: "+1 555 0100",
          links: [{ accountId: "epicor-main:42", role: "finance-approver" }]
        }
      ])
      assert.strictEqual(server.dataRequests()[0]?.path, "/EpicorERP/api/v2/odata/EPIC06/Erp.BO.CustomerSvc/Customers")
      assert.strictEqual(server.dataRequests()[1]?.path, "/EpicorERP/api/v2/odata/EPIC06/Erp.BO.CustCntSvc/CustCnts")
    })
  )

  it.effect("rejects amounts with more decimals than the currency has instead of rounding them", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      server.put("ARInvoices", invoiceRow(1, { DocInvoiceAmt: n("1190.001") }))
      server.put("ARInvoices", invoiceRow(2, { CurrencyCode: "JPY", DocSubTotal: n("1000.5") }))
      server.put("ARInvoices", invoiceRow(3, { DocInvoiceAmt: n("1190.000") }))
      const adapter = yield* adapterFor(server)
      const items = yield* readAll(adapter, "invoices")
      const outcomes = items.map((item) =>
        item._tag === "SourceRecord" ? Result.map(adapter.decode(item), () => "ok") : Result.fail(item.rejection)
      )
      const [first, second, third] = outcomes
      assert.isTrue(first !== undefined && Result.isFailure(first))
      if (first !== undefined && Result.isFailure(first)) {
        assert.strictEqual(first.failure.path, "total (Epicor DocInvoiceAmt)")
        assert.strictEqual(first.failure.value, "1190.001")
        assert.include(first.failure.reason, "2 decimal places")
      }
      if (second !== undefined && Result.isFailure(second)) {
        assert.strictEqual(second.failure.path, "netTotal (Epicor DocSubTotal)")
      } else assert.fail("a JPY amount with a fraction must be rejected")
      assert.deepStrictEqual(third, Result.succeed("ok"))
    })
  )
})

describe("Epicor adapter: paging and cursors", () => {
  it.effect("pages with $top until a short page, at exact multiples of the page size and one either side", () =>
    Effect.gen(function* () {
      for (const [rows, expectedRequests] of [
        [3, 2],
        [4, 3],
        [5, 3]
      ] as const) {
        const server = yield* startServer()
        for (let i = 1; i <= rows; i++) server.put("ARInvoices", invoiceRow(i))
        const adapter = yield* adapterFor(server, { pageSize: 2 })
        const items = yield* readAll(adapter, "invoices")
        assert.deepStrictEqual(
          idsOf(items),
          Array.from({ length: rows }, (_, i) => String(i + 1))
        )
        const requests = server.dataRequests()
        assert.strictEqual(requests.length, expectedRequests, `${rows} rows`)
        assert.strictEqual(
          requests[1]?.query.get("$filter"),
          "CreditMemo eq false and Posted eq true and SysRevID gt 2"
        )
        assert.isTrue(requests.every((request) => request.query.get("$top") === "2"))
      }
    })
  )

  it.effect("follows @odata.nextLink when the server pages by itself", () =>
    Effect.gen(function* () {
      const server = yield* startServer({ serverPageSize: 2 })
      for (let i = 1; i <= 7; i++) server.put("ARInvoices", invoiceRow(i))
      const adapter = yield* adapterFor(server, { pageSize: 5 })
      const items = yield* readAll(adapter, "invoices")
      assert.deepStrictEqual(idsOf(items), ["1", "2", "3", "4", "5", "6", "7"])
      const tokens = server.dataRequests().map((request) => request.query.get("$skiptoken"))
      assert.deepStrictEqual(tokens, [null, "2", "4", null])
    })
  )

  it.effect("pages with $top/$skip when configured for skip paging", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      for (const num of [5, 3, 9, 1]) server.put("ARInvoices", invoiceRow(num))
      const adapter = yield* adapterFor(server, { pageSize: 3, paging: "skip" })
      const items = yield* readAll(adapter, "invoices")
      assert.deepStrictEqual(idsOf(items), ["1", "3", "5", "9"])
      const requests = server.dataRequests()
      assert.deepStrictEqual(
        requests.map((request) => [request.query.get("$skip"), request.query.get("$orderby")]),
        [
          ["0", "InvoiceNum"],
          ["3", "InvoiceNum"]
        ]
      )
      const resumed = yield* readAll(adapter, "invoices", cursorAfter(items, 1))
      assert.deepStrictEqual(idsOf(resumed), ["5", "9"])
    })
  )

  it.effect("resumes after any record without losing or repeating one, and reads changes incrementally", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      for (let i = 1; i <= 5; i++) server.put("ARInvoices", invoiceRow(i))
      const adapter = yield* adapterFor(server, { pageSize: 2 })
      const all = yield* readAll(adapter, "invoices")
      for (let k = 0; k < all.length; k++) {
        const rest = yield* readAll(adapter, "invoices", cursorAfter(all, k))
        assert.deepStrictEqual(idsOf(rest), idsOf(all).slice(k + 1))
      }
      server.put("ARInvoices", invoiceRow(2, { DocInvoiceBal: n("0.00"), OpenInvoice: false }))
      server.put("ARInvoices", invoiceRow(6))
      const changes = yield* readAll(adapter, "invoices", cursorAfter(all, all.length - 1))
      assert.deepStrictEqual(idsOf(changes), ["2", "6"])
      const none = yield* readAll(adapter, "invoices", cursorAfter(changes, 1))
      assert.deepStrictEqual(none, [])
    })
  )

  it.effect("refuses a cursor from another adapter or paging mode", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      server.put("ARInvoices", invoiceRow(1))
      const keyset = yield* adapterFor(server)
      const items = yield* readAll(keyset, "invoices")
      const skip = yield* adapterFor(server, { paging: "skip" })
      const error = yield* Effect.flip(readAll(skip, "invoices", cursorAfter(items, 0)))
      assert.strictEqual(error.reason._tag, "SchemaMismatch")
      assert.isFalse(error.retryable)
    })
  )
})

describe("Epicor adapter: authentication", () => {
  it.effect("sends x-api-key with basic auth, with a static bearer token, and with a TokenResource token", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      server.put("ARInvoices", invoiceRow(1))
      const basic = yield* adapterFor(server)
      assert.strictEqual((yield* readAll(basic, "invoices")).length, 1)
      const bearer = yield* adapterFor(server, { auth: { type: "bearer", token: secrets.token } })
      assert.strictEqual((yield* readAll(bearer, "invoices")).length, 1)
      const viaToken = yield* adapterFor(server, {
        auth: { type: "token-resource", username: "portal", password: secrets.password }
      })
      assert.strictEqual((yield* readAll(viaToken, "invoices")).length, 1)
      assert.strictEqual((yield* readAll(viaToken, "invoices")).length, 1)
      const [basicRequest, bearerRequest, tokenRequest] = server.dataRequests()
      assert.match(String(basicRequest?.headers.authorization), /^Basic /)
      assert.strictEqual(bearerRequest?.headers.authorization, `Bearer ${secrets.token}`)
      assert.match(String(tokenRequest?.headers.authorization), /^Bearer token-1-/)
      assert.strictEqual(server.tokenRequests().length, 1, "the token is cached between reads")
      assert.strictEqual(server.tokenRequests()[0]?.headers.username, "portal")
    })
  )

  it.effect("fetches a new TokenResource token once when the API answers 401", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      server.put("ARInvoices", invoiceRow(1))
      const adapter = yield* adapterFor(server, {
        auth: { type: "token-resource", username: "portal", password: secrets.password }
      })
      yield* readAll(adapter, "invoices")
      server.revokeTokens()
      const items = yield* readAll(adapter, "invoices")
      assert.strictEqual(items.length, 1)
      assert.strictEqual(server.tokenRequests().length, 2)
      assert.deepStrictEqual(
        server.dataRequests().map((request) => String(request.headers.authorization).slice(0, 14)),
        ["Bearer token-1", "Bearer token-1", "Bearer token-2"]
      )
    })
  )

  it.effect("maps a wrong password (401) to Authentication, not retryable, tried once, without secrets", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const adapter = yield* adapterFor(server, {
        auth: { type: "basic", username: "portal", password: "wrong-pass-secret" },
        maxRetries: 3
      })
      const error = yield* Effect.flip(readAll(adapter, "invoices"))
      assert.strictEqual(error.reason._tag, "Authentication")
      assert.isFalse(error.retryable)
      assert.include(error.message, "Authorization has been denied for this request.")
      assert.strictEqual(server.dataRequests().length, 1)
      assertNoSecrets(`${error.message} ${JSON.stringify(error)}`, [...allSecrets, "wrong-pass-secret"])
    })
  )

  it.effect("maps a bad API key (403) to Authentication", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const adapter = yield* adapterFor(server, { apiKey: "not-the-key" })
      const error = yield* Effect.flip(readAll(adapter, "accounts"))
      assert.strictEqual(error.reason._tag, "Authentication")
      assert.include(error.message, "HTTP 403")
      assert.include(error.message, "Invalid or missing API key.")
    })
  )

  it.effect("check reports refused credentials item by item; an unreachable server fails with Connection", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const good = yield* adapterFor(server)
      const ok = yield* good.check()
      assert.isTrue(ok.ok)
      assert.strictEqual(ok.checks.length, 5)
      const bad = yield* adapterFor(server, { auth: { type: "basic", username: "portal", password: "nope-secret" } })
      const refused = yield* bad.check()
      assert.isFalse(refused.ok)
      assert.isTrue(refused.checks.every((item) => !item.ok && item.message.includes("HTTP 401")))
      const discovered = yield* good.discover()
      assert.deepStrictEqual(
        discovered.entities.map((entity) => [entity.entity, entity.available]),
        [
          ["accounts", true],
          ["contacts", true],
          ["invoices", true],
          ["credit-notes", true],
          ["payments", true],
          ["documents", false]
        ]
      )
      const closed = yield* adapterFor(server, { baseUrl: "http://127.0.0.1:9/EpicorERP" })
      const error = yield* Effect.flip(closed.check())
      assert.strictEqual(error.reason._tag, "Connection")
      assert.isTrue(error.retryable)
    })
  )
})

describe("Epicor adapter: errors, retries and time-outs", () => {
  it.effect(
    "maps Epicor's error body: OData errors to SchemaMismatch, business errors to Unknown, 404 to NotFound",
    () =>
      Effect.gen(function* () {
        const server = yield* startServer()
        const adapter = yield* adapterFor(server)
        server.fail({
          status: 400,
          body: EpicorServer.errorBody(
            400,
            "Could not find a property named 'SysRevID' on type 'Erp.Tablesets.CustCntRow'.",
            "Microsoft.OData.ODataException"
          ),
          headers: { "content-type": "application/json" }
        })
        const odata = yield* Effect.flip(readAll(adapter, "contacts"))
        assert.strictEqual(odata.reason._tag, "SchemaMismatch")
        assert.include(odata.message, "Could not find a property named 'SysRevID'")
        assert.include(odata.message, "[Microsoft.OData.ODataException]")
        assert.include(odata.message, "correlation 00000000-0000-0000-0000-000000000001")
        server.fail({
          status: 400,
          body: EpicorServer.errorBody(400, "Customer is on credit hold.", "Ice.Common.BusinessObjectException")
        })
        const business = yield* Effect.flip(readAll(adapter, "accounts"))
        assert.strictEqual(business.reason._tag, "Unknown")
        assert.isFalse(business.retryable)
        const wrongCompany = yield* adapterFor(server, { company: "NOPE" })
        const company = yield* Effect.flip(readAll(wrongCompany, "accounts"))
        assert.include(company.message, "Company NOPE is not valid for this user.")
        server.fail({
          status: 404,
          body: EpicorServer.errorBody(404, "Service not found.", "Epicor.RESTApi.ErrorHandling.ApiException")
        })
        const missing = yield* Effect.flip(readAll(adapter, "payments"))
        assert.strictEqual(missing.reason._tag, "NotFound")
        server.fail({
          status: 410,
          body: EpicorServer.errorBody(410, "Session expired.", "Ice.Common.SessionException")
        })
        const expired = yield* Effect.flip(readAll(adapter, "payments"))
        assert.strictEqual(expired.reason._tag, "Authentication")
      })
  )

  it.effect("never follows an @odata.nextLink to another host", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const adapter = yield* adapterFor(server)
      server.fail({
        status: 200,
        body: JSON.stringify({ value: [], "@odata.nextLink": "https://203.0.113.9/EpicorERP/api/v2/odata/EPIC06/x" })
      })
      const error = yield* Effect.flip(readAll(adapter, "invoices"))
      assert.strictEqual(error.reason._tag, "SchemaMismatch")
      assert.include(error.message, "another host (203.0.113.9)")
    })
  )

  it.effect("waits the Retry-After seconds of a 429 before retrying (TestClock)", () =>
    Effect.gen(function* () {
      const logs = captureLogs()
      const clock = yield* TestClock.testClockWith(Effect.succeed)
      const recorder = recordingFetch(() => clock.currentTimeMillisUnsafe())
      const server = yield* startServer()
      server.put("ARInvoices", invoiceRow(1))
      server.fail({
        status: 429,
        headers: { "retry-after": "20", "content-type": "application/json" },
        body: EpicorServer.errorBody(429, "Too many requests.", "Epicor.RESTApi.ErrorHandling.ApiException")
      })
      const adapter = yield* adapterFor(server, { maxRetries: 2 })
      const fiber = yield* readAll(adapter, "invoices").pipe(
        Effect.provide(logs.layer),
        Effect.provideService(FetchHttpClient.Fetch, recorder.fetch),
        Effect.forkChild
      )
      yield* Deferred.await(logs.warned)
      yield* TestClock.adjust("20 seconds")
      const items = yield* Fiber.join(fiber)
      assert.deepStrictEqual(idsOf(items), ["1"])
      assert.deepStrictEqual(
        recorder.calls.map((call) => call.at),
        [0, 20_000],
        "the retry is sent exactly when Retry-After says"
      )
      assert.include(logs.lines.join("\n"), "RateLimited")
    })
  )

  it.effect("reports the Retry-After of a 429 on the RateLimited reason", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      server.fail({ status: 429, headers: { "retry-after": "7" } })
      const adapter = yield* adapterFor(server)
      const error = yield* Effect.flip(readAll(adapter, "invoices"))
      assert.strictEqual(error.reason._tag, "RateLimited")
      assert.isTrue(error.retryable)
      assert.strictEqual(error.retryAfter === undefined ? undefined : Duration.toMillis(error.retryAfter), 7000)
    })
  )

  it.effect("honours Retry-After given as an HTTP-date", () =>
    Effect.gen(function* () {
      const logs = captureLogs()
      const clock = yield* TestClock.testClockWith(Effect.succeed)
      const recorder = recordingFetch(() => clock.currentTimeMillisUnsafe())
      const server = yield* startServer()
      server.put("ARInvoices", invoiceRow(1))
      // The TestClock starts at the epoch, so this date is 90 seconds from "now".
      server.fail({ status: 503, headers: { "retry-after": "Thu, 01 Jan 1970 00:01:30 GMT" } })
      const adapter = yield* adapterFor(server, { maxRetries: 1 })
      const fiber = yield* readAll(adapter, "invoices").pipe(
        Effect.provide(logs.layer),
        Effect.provideService(FetchHttpClient.Fetch, recorder.fetch),
        Effect.forkChild
      )
      yield* Deferred.await(logs.warned)
      yield* TestClock.adjust("90 seconds")
      assert.deepStrictEqual(idsOf(yield* Fiber.join(fiber)), ["1"])
      assert.deepStrictEqual(
        recorder.calls.map((call) => call.at),
        [0, 90_000]
      )
    })
  )

  it.effect("retries a 5xx (retryable) and gives up after maxRetries with the last error", () =>
    Effect.gen(function* () {
      const logs = captureLogs()
      const server = yield* startServer()
      server.put("ARInvoices", invoiceRow(1))
      server.fail({ status: 500, body: EpicorServer.errorBody(500, "Internal error.", "System.Exception") }, 2)
      const adapter = yield* adapterFor(server, { maxRetries: 1 })
      const fiber = yield* readAll(adapter, "invoices").pipe(Effect.provide(logs.layer), Effect.flip, Effect.forkChild)
      yield* Deferred.await(logs.warned)
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error.reason._tag, "Unknown")
      assert.isTrue(error.retryable)
      assert.strictEqual(server.dataRequests().length, 2)
    })
  )

  it.effect("turns a response that never comes into a retryable Timeout", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      server.fail({ hang: true })
      const adapter = yield* adapterFor(server, { timeoutSeconds: 30 })
      const fiber = yield* readAll(adapter, "invoices").pipe(Effect.flip, Effect.forkChild)
      yield* server.http.awaitRequests(1)
      yield* TestClock.adjust("30 seconds")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error.reason._tag, "Timeout")
      assert.isTrue(error.retryable)
      assert.include(error.message, "did not answer within 30s")
    })
  )

  it.effect("never puts secrets in errors or logs, even when the server echoes them", () =>
    Effect.gen(function* () {
      const logs = captureLogs()
      const server = yield* startServer()
      const echoed = `bad request with key ${secrets.apiKey} and password ${secrets.password}`
      server.fail({ status: 502, body: EpicorServer.errorBody(502, echoed, "Gateway") })
      server.fail({ status: 400, body: EpicorServer.errorBody(400, echoed, "Ice.BLException") })
      const adapter = yield* adapterFor(server, { maxRetries: 1 })
      const fiber = yield* readAll(adapter, "invoices").pipe(Effect.provide(logs.layer), Effect.flip, Effect.forkChild)
      yield* Deferred.await(logs.warned)
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      assert.include(error.message, "<redacted>")
      assertNoSecrets(
        `${error.message}\n${JSON.stringify(error)}\n${String(error)}\n${logs.lines.join("\n")}`,
        allSecrets
      )
      const config = yield* Effect.flip(
        makeAdapter(
          EpicorAdapter,
          { sourceId: "x" },
          {
            baseUrl: "nope",
            company: "C",
            apiKey: secrets.apiKey,
            auth: { type: "basic", username: "u", password: secrets.password }
          }
        )
      )
      assertNoSecrets(config.message, allSecrets)
    })
  )
})
