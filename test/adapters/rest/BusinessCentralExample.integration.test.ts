// The Business Central example of docs/adapters-rest-epicor.md, run as written (only the URLs and secret
// swapped) against a JSON API server answering in Business Central's shape: OAuth2 client credentials,
// @odata.nextLink paging, `$filter` joined with the changes filter, lines expanded, blank LCY currency.
import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { RestAdapter } from "../../../adapters/rest/index.ts"
import { makeAdapter } from "../../../core/erp/index.ts"
import { RawNumber } from "../epicor/ODataQuery.ts"
import { decodeAll, idsOf, readAll } from "./AdapterTestSupport.ts"
import * as JsonApiServer from "./JsonApiServer.ts"

const markdown = readFileSync(new URL("../../../docs/adapters-rest-epicor.md", import.meta.url), "utf8")
const fence = "```"
const [businessCentral] = [
  ...markdown.matchAll(new RegExp(`${fence}json rest-config\\n([\\s\\S]*?)${fence}`, "g"))
].map((match) => JSON.parse(match[1] ?? "{}"))

const secret = "bc-client-secret-Zx1"
const company = "/companies(11111111-1111-1111-1111-111111111111)"
const n = (text: string) => new RawNumber(text)

const salesInvoice = (number: string, status: string, currencyCode: string) => ({
  id: `9e0f5c9c-44e3-ea11-bb43-${number.padStart(12, "0")}`,
  "@odata.etag": `W/"JzE5Ozc3NDU3MTMwNTk2MTQzMDgxODMxOzAwOyc=${number}"`,
  number,
  invoiceDate: "2019-01-15",
  dueDate: "2019-02-14",
  customerNumber: "20000",
  customerName: "Trey Research",
  currencyCode,
  customerPurchaseOrderReference: "",
  totalAmountExcludingTax: n("164.7"),
  totalTaxAmount: n("8.24"),
  totalAmountIncludingTax: n("172.94"),
  remainingAmount: n("0"),
  status,
  salesInvoiceLines: [
    {
      sequence: 10000,
      lineType: "Item",
      lineObjectNumber: "1896-S",
      description: "ATHENS Desk",
      unitOfMeasureCode: "PCS",
      quantity: n("1"),
      unitPrice: n("164.7"),
      discountAmount: n("0"),
      discountPercent: n("0"),
      taxCode: "TAXABLE",
      taxPercent: n("5"),
      netAmount: n("164.7")
    }
  ]
})

describe("the Business Central example in the docs", () => {
  it.effect("reads customers and invoices with lines, pages by nextLink, and asks for changes only", () =>
    Effect.gen(function* () {
      const server = yield* JsonApiServer.make({
        auth: {
          type: "oauth2",
          clientId: "22222222-2222-2222-2222-222222222222",
          clientSecret: secret,
          expiresIn: 3599
        },
        pagination: "odata",
        modifiedField: "lastModifiedDateTime",
        collections: [`${company}/customers`, `${company}/salesInvoices`, `${company}/salesCreditMemos`]
      })
      server.put(`${company}/customers`, {
        id: "c1",
        number: "20000",
        displayName: "Trey Research",
        currencyCode: "",
        email: "ap@trey.example",
        taxRegistrationNumber: "",
        addressLine1: "153 Thomas Drive",
        addressLine2: "",
        city: "Chicago",
        state: "IL",
        postalCode: "61236",
        country: "US"
      })
      server.put(`${company}/salesInvoices`, salesInvoice("PS-INV103001", "Paid", ""))
      server.put(`${company}/salesInvoices`, salesInvoice("PS-INV103002", "Draft", ""))
      server.put(`${company}/salesInvoices`, salesInvoice("PS-INV103003", "Open", "USD"))
      server.put(`${company}/salesInvoices`, salesInvoice("PS-INV103004", "Open", "USD"))
      const settings = {
        ...businessCentral,
        baseUrl: `${server.origin}${company}`,
        auth: { ...businessCentral.auth, tokenUrl: server.tokenUrl, clientSecret: secret },
        pageSize: 2,
        maxRetries: 0
      }
      const adapter = yield* makeAdapter(RestAdapter, { sourceId: "bc" }, settings)
      assert.isTrue((yield* adapter.check()).ok)
      const invoices = yield* readAll(adapter, "invoices")
      assert.deepStrictEqual(idsOf(invoices), ["PS-INV103001", "PS-INV103003", "PS-INV103004"])
      const [first] = decodeAll(adapter, invoices)
      assert.deepStrictEqual(first, {
        id: "bc:PS-INV103001",
        accountId: "bc:20000",
        source: { source: "bc", externalId: "PS-INV103001" },
        number: "PS-INV103001",
        issueDate: "2019-01-15",
        dueDate: "2019-02-14",
        currency: "EUR",
        lines: [
          {
            lineNumber: 10000,
            description: "ATHENS Desk",
            productCode: "1896-S",
            unit: "PCS",
            quantity: "1",
            unitPrice: "164.7",
            discountPercent: "0",
            discountAmount: "0",
            taxRate: "5",
            taxCode: "TAXABLE",
            statedNet: { currency: "EUR", minor: 16470 }
          }
        ],
        taxLines: [],
        totals: {
          net: { currency: "EUR", minor: 16470 },
          tax: { currency: "EUR", minor: 824 },
          total: { currency: "EUR", minor: 17294 }
        }
      })
      const invoiceRequests = server.dataRequests().filter((r) => r.path.endsWith("/salesInvoices"))
      assert.strictEqual(invoiceRequests.at(-1)?.query.get("$expand"), "salesInvoiceLines")
      assert.isTrue(
        invoiceRequests.some((r) => r.query.get("$skiptoken") !== null),
        "pages followed by nextLink"
      )
      assert.strictEqual(
        invoices[0]?._tag === "SourceRecord" ? invoices[0].revision : undefined,
        'W/"JzE5Ozc3NDU3MTMwNTk2MTQzMDgxODMxOzAwOyc=PS-INV103001"'
      )

      server.put(`${company}/salesInvoices`, salesInvoice("PS-INV103003", "Paid", "USD"))
      const changes = yield* readAll(adapter, "invoices", Option.some(invoices[2]!.cursor))
      assert.deepStrictEqual(idsOf(changes), ["PS-INV103003"])
      assert.match(
        server.dataRequests().at(-1)?.query.get("$filter") ?? "",
        /^\(status ne 'Draft'\) and lastModifiedDateTime gt 2026-01-01T00:00:0\d\.000Z$/
      )
      const customers = decodeAll(adapter, yield* readAll(adapter, "accounts"))
      assert.deepStrictEqual(customers, [
        {
          id: "bc:20000",
          source: { source: "bc", externalId: "20000" },
          number: "20000",
          name: "Trey Research",
          tier: "standard",
          currency: "EUR",
          email: "ap@trey.example",
          billingAddress: {
            lines: ["153 Thomas Drive"],
            city: "Chicago",
            region: "IL",
            postalCode: "61236",
            country: "US"
          }
        }
      ])
      assert.strictEqual(server.tokenRequests().length, 1)
      assert.strictEqual(
        new URLSearchParams(server.tokenRequests()[0]?.body).get("scope"),
        "https://api.businesscentral.dynamics.com/.default"
      )
    })
  )
})
