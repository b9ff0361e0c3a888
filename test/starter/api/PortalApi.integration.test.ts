// The JSON API against the running starter: 401 without a session, the same scope as the pages (a foreign
// invoice is 404), filters and keyset pages, statements, and the OpenAPI document with the link API in it.
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { InvoiceDetailJson, InvoicePageJson } from "../../../starter/api/PortalApi.ts"
import { chromiumAvailability } from "../../support/Requirements.ts"
import { httpSession, signInAs } from "../e2e/support/HttpSession.ts"
import { Starter, starterLayer } from "../e2e/support/StarterHarness.ts"

const chromium = chromiumAvailability()
const json = (response: Response) => Effect.promise(() => response.json())
const decodePage = Schema.decodeUnknownSync(InvoicePageJson)
const decodeDetail = Schema.decodeUnknownSync(InvoiceDetailJson)
const OpenApiDoc = Schema.Struct({ paths: Schema.Record(Schema.String, Schema.Unknown) })

describe.skipIf(!chromium.available)("JSON API", () => {
  layer(starterLayer, { timeout: 180_000, excludeTestServices: true })((it) => {
    it.effect("without a session every read is 401", () =>
      Effect.gen(function* () {
        const { baseUrl } = yield* Starter
        const response = yield* Effect.promise(() => fetch(new URL("/api/accounts", baseUrl)))
        assert.strictEqual(response.status, 401)
      })
    )

    it.effect("a contact reads its accounts and invoices, filtered and paged; a foreign invoice is 404", () =>
      Effect.gen(function* () {
        const { baseUrl } = yield* Starter
        const session = httpSession(baseUrl)
        yield* signInAs(session, baseUrl, "demo:K1")
        const accounts = yield* json(yield* session.get("/api/accounts"))
        assert.deepStrictEqual(
          Schema.decodeUnknownSync(Schema.Array(Schema.Struct({ id: Schema.String })))(accounts)
            .map((a) => a.id)
            .sort(),
          ["demo:C1001", "demo:C1003"]
        )
        const overdue = decodePage(
          yield* json(yield* session.get("/api/accounts/demo%3AC1001/invoices?status=overdue"))
        )
        assert.deepStrictEqual(overdue.items.map((i) => i.number).sort(), ["INV-1002", "INV-1003", "INV-1008"])
        const numbers: Array<string> = []
        let cursor: string | null = null
        do {
          const query: string = `limit=3&sort=number&direction=asc${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`
          const page = decodePage(yield* json(yield* session.get(`/api/accounts/demo%3AC1001/invoices?${query}`)))
          numbers.push(...page.items.map((i) => i.number))
          cursor = page.nextCursor
        } while (cursor !== null)
        assert.deepStrictEqual(numbers, [
          "INV-1001",
          "INV-1002",
          "INV-1003",
          "INV-1004",
          "INV-1005",
          "INV-1006",
          "INV-1007",
          "INV-1008"
        ])
        const detail = decodeDetail(yield* json(yield* session.get("/api/invoices/demo%3AINV-1008")))
        assert.deepStrictEqual(detail.summary.open, { currency: "EUR", minor: 29500 })
        assert.deepStrictEqual(
          detail.creditNotes.map((c) => c.number),
          ["CN-2002"]
        )
        assert.strictEqual((yield* session.get("/api/invoices/demo%3AINV-3001")).status, 404)
        assert.strictEqual((yield* session.get("/api/accounts/demo%3AC1002/invoices")).status, 403)
        const statement = yield* session.get(
          "/api/accounts/demo%3AC1001/statement?style=open-item&from=2000-01-01&to=2099-12-31"
        )
        assert.strictEqual(statement.status, 200)
      })
    )

    it.effect("/api/openapi.json documents the customer reads and the host-app link API", () =>
      Effect.gen(function* () {
        const { baseUrl } = yield* Starter
        const response = yield* Effect.promise(() => fetch(new URL("/api/openapi.json", baseUrl)))
        assert.strictEqual(response.status, 200)
        const doc = Schema.decodeUnknownSync(OpenApiDoc)(yield* json(response))
        for (const path of [
          "/api/accounts",
          "/api/accounts/{accountId}/invoices",
          "/api/invoices/{invoiceId}",
          "/api/accounts/{accountId}/statement",
          "/api/links",
          "/api/links/{id}"
        ]) {
          assert.property(doc.paths, path)
        }
      })
    )
  })
})
