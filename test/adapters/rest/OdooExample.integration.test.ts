// The Odoo example of docs/adapters-rest-epicor.md, run as written (only the URL and key swapped) against a
// JSON API server answering Odoo JSON-2 style POSTs: domains, offset/limit in the body, many-to-one pairs,
// `false` for "no value", and changes by write_date.
import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { RestAdapter } from "../../../adapters/rest/index.ts"
import { makeAdapter } from "../../../core/erp/index.ts"
import { RawNumber, type WireValue } from "../epicor/ODataQuery.ts"
import { decodeAll, decodeCreditNotes, decodeInvoices, idsOf, readAll } from "./AdapterTestSupport.ts"
import * as JsonApiServer from "./JsonApiServer.ts"

const markdown = readFileSync(new URL("../../../docs/adapters-rest-epicor.md", import.meta.url), "utf8")
const fence = "```"
const odoo = [...markdown.matchAll(new RegExp(`${fence}json rest-config\\n([\\s\\S]*?)${fence}`, "g"))].map((match) =>
  JSON.parse(match[1] ?? "{}")
)[1]

const apiKey = "odoo-api-key-Hq5"
const moves = "/json/2/account.move/search_read"
const n = (text: string) => new RawNumber(text)

const move = (id: number, moveType: string, state: string, extra: Record<string, WireValue> = {}) => ({
  id: String(id),
  name: `${moveType === "out_refund" ? "RINV" : "INV"}/2024/${String(id).padStart(5, "0")}`,
  move_type: moveType,
  state,
  partner_id: [n("7"), "Deco Addict"],
  invoice_date: "2024-03-01",
  invoice_date_due: "2024-03-31",
  currency_id: [n("1"), "EUR"],
  ref: false,
  invoice_payment_term_id: [n("2"), "30 Days"],
  reversed_entry_id: false,
  amount_untaxed: n("1000.0"),
  amount_tax: n("150.0"),
  amount_total: n("1150.0"),
  ...extra
})

describe("the Odoo example in the docs", () => {
  it.effect("reads posted invoices and refunds through JSON-2 POSTs, and asks for changes by write_date", () =>
    Effect.gen(function* () {
      const server = yield* JsonApiServer.make({
        auth: { type: "bearer", token: apiKey },
        pagination: "offset",
        modifiedField: "write_date",
        modifiedFormat: "odoo",
        collections: [moves, "/json/2/res.partner/search_read"]
      })
      server.put("/json/2/res.partner/search_read", {
        id: "7",
        name: "Deco Addict",
        ref: false,
        email: "deco.addict82@example.com",
        vat: "BE0477472701",
        street: "77 Santa Barbara Rd",
        street2: false,
        city: "Pleasant Hill",
        zip: "94523",
        country_code: "us",
        customer_rank: n("1")
      })
      server.put(moves, move(57, "out_invoice", "posted"))
      server.put(moves, move(58, "out_invoice", "draft"))
      server.put(moves, move(59, "out_invoice", "posted", { ref: "PO-123" }))
      server.put(moves, move(60, "out_refund", "posted", { reversed_entry_id: [n("57"), "INV/2024/00057"] }))
      const settings = {
        ...odoo,
        baseUrl: server.origin,
        auth: { type: "bearer", token: apiKey },
        pageSize: 1,
        maxRetries: 0
      }
      const adapter = yield* makeAdapter(RestAdapter, { sourceId: "odoo" }, settings)

      const invoices = yield* readAll(adapter, "invoices")
      assert.deepStrictEqual(idsOf(invoices), ["57", "59"])
      const decoded = decodeInvoices(adapter, invoices)
      assert.deepStrictEqual(
        decoded.map((invoice) => [invoice.number, invoice.accountId, invoice.poNumber, invoice.terms]),
        [
          ["INV/2024/00057", "odoo:7", undefined, "30 Days"],
          ["INV/2024/00059", "odoo:7", "PO-123", "30 Days"]
        ]
      )
      assert.deepStrictEqual(decoded[0]?.totals, {
        net: { currency: "EUR", minor: 100000 },
        tax: { currency: "EUR", minor: 15000 },
        total: { currency: "EUR", minor: 115000 }
      })
      const [firstRequest] = server.dataRequests()
      assert.strictEqual(firstRequest?.method, "POST")
      assert.strictEqual(firstRequest?.headers["x-odoo-database"], "production")
      assert.strictEqual(firstRequest?.headers.authorization, `Bearer ${apiKey}`)
      assert.deepStrictEqual(JSON.parse(firstRequest?.body ?? "{}").domain, [
        ["move_type", "=", "out_invoice"],
        ["state", "=", "posted"]
      ])

      const credits = decodeCreditNotes(adapter, yield* readAll(adapter, "credit-notes"))
      assert.deepStrictEqual(
        credits.map((credit) => [credit.number, credit.invoiceId]),
        [["RINV/2024/00060", "odoo:57"]]
      )

      const accounts = decodeAll(adapter, yield* readAll(adapter, "accounts"))
      assert.deepStrictEqual(accounts, [
        {
          id: "odoo:7",
          source: { source: "odoo", externalId: "7" },
          number: "7",
          name: "Deco Addict",
          tier: "standard",
          currency: "EUR",
          email: "deco.addict82@example.com",
          taxId: "BE0477472701",
          billingAddress: { lines: ["77 Santa Barbara Rd"], city: "Pleasant Hill", postalCode: "94523", country: "US" }
        }
      ])

      server.put(moves, move(57, "out_invoice", "posted", { amount_total: n("1150.00") }))
      const changes = yield* readAll(adapter, "invoices", Option.some(invoices[1]!.cursor))
      assert.deepStrictEqual(idsOf(changes), ["57"])
      const domain = JSON.parse(server.dataRequests().at(-1)?.body ?? "{}").domain
      assert.deepStrictEqual(domain.slice(0, 2), [
        ["move_type", "=", "out_invoice"],
        ["state", "=", "posted"]
      ])
      assert.match(String(domain[2]), /^write_date,>,2026-01-01 00:00:0\d$/)
    })
  )
})
