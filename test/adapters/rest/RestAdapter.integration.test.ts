// The REST adapter against a real JSON API server: each auth style (OAuth2 token cache, expiry and one
// refresh on 401), each pagination style, Retry-After, time-outs, status mapping, error bodies and secrets.
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Option, Result } from "effect"
import { FetchHttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { RestAdapter } from "../../../adapters/rest/index.ts"
import { makeAdapter } from "../../../core/erp/index.ts"
import { RawNumber, type WireRow } from "../epicor/ODataQuery.ts"
import { assertNoSecrets, captureLogs, decodeAll, idsOf, readAll, recordingFetch } from "./AdapterTestSupport.ts"
import * as JsonApiServer from "./JsonApiServer.ts"

const secret = "tok-9Wq!-secret"

const account = (id: string, extra: WireRow = {}): WireRow => ({
  id,
  number: id,
  displayName: `Customer ${id}`,
  currencyCode: "EUR",
  ...extra
})

const accountsEntity = (overrides: Record<string, unknown> = {}) => ({
  path: "/customers",
  id: "id",
  pagination: { type: "none" },
  mapping: { number: "number", name: "displayName", currency: "currencyCode" },
  ...overrides
})

const startServer = (options: Partial<JsonApiServer.JsonApiServerOptions> = {}) =>
  JsonApiServer.make({
    auth: { type: "bearer", token: secret },
    pagination: "page",
    collections: ["/customers"],
    ...options
  })

const adapterFor = (
  server: JsonApiServer.JsonApiServer,
  entity: Record<string, unknown> = {},
  settings: Record<string, unknown> = {}
) =>
  makeAdapter(
    RestAdapter,
    { sourceId: "api" },
    {
      baseUrl: server.origin,
      auth: { type: "bearer", token: secret },
      maxRetries: 0,
      pageSize: 2,
      entities: { accounts: accountsEntity(entity) },
      ...settings
    }
  )

describe("REST adapter: authentication", () => {
  it.effect("sends bearer, basic and API-key credentials as configured", () =>
    Effect.gen(function* () {
      const cases = [
        {
          server: { type: "bearer", token: secret } as const,
          auth: { type: "bearer", token: secret },
          header: (request: JsonApiServer.JsonApiServer) => request.dataRequests()[0]?.headers.authorization,
          expected: `Bearer ${secret}`
        },
        {
          server: { type: "basic", username: "portal", password: secret } as const,
          auth: { type: "basic", username: "portal", password: secret },
          header: (request: JsonApiServer.JsonApiServer) => request.dataRequests()[0]?.headers.authorization,
          expected: `Basic ${Buffer.from(`portal:${secret}`).toString("base64")}`
        },
        {
          server: { type: "api-key", header: "X-Api-Key", key: secret } as const,
          auth: { type: "api-key", header: "X-Api-Key", key: secret },
          header: (request: JsonApiServer.JsonApiServer) => request.dataRequests()[0]?.headers["x-api-key"],
          expected: secret
        }
      ]
      for (const style of cases) {
        const server = yield* startServer({ auth: style.server })
        server.put("/customers", account("C1"))
        const adapter = yield* adapterFor(
          server,
          { pagination: { type: "page" }, records: "data" },
          { auth: style.auth }
        )
        assert.deepStrictEqual(idsOf(yield* readAll(adapter, "accounts")), ["C1"])
        assert.strictEqual(style.header(server), style.expected)
      }
    })
  )

  it.effect("fetches an OAuth2 client-credentials token once, reuses it, and renews it before it expires", () =>
    Effect.gen(function* () {
      const server = yield* startServer({
        auth: { type: "oauth2", clientId: "portal", clientSecret: secret, expiresIn: 120 }
      })
      server.put("/customers", account("C1"))
      const adapter = yield* adapterFor(
        server,
        { pagination: { type: "page" }, records: "data" },
        {
          auth: {
            type: "oauth2-client-credentials",
            tokenUrl: server.tokenUrl,
            clientId: "portal",
            clientSecret: secret,
            scope: "api.read"
          }
        }
      )
      yield* readAll(adapter, "accounts")
      yield* readAll(adapter, "accounts")
      assert.strictEqual(server.tokenRequests().length, 1)
      const [tokenRequest] = server.tokenRequests()
      assert.strictEqual(tokenRequest?.body, "grant_type=client_credentials&scope=api.read")
      assert.strictEqual(
        tokenRequest?.headers.authorization,
        `Basic ${Buffer.from(`portal:${secret}`).toString("base64")}`
      )
      // Tokens are renewed 30 s before the stated expiry: at 89 s the old one is still used, at 90 s not.
      yield* TestClock.adjust("89 seconds")
      yield* readAll(adapter, "accounts")
      assert.strictEqual(server.tokenRequests().length, 1)
      yield* TestClock.adjust("1 second")
      yield* readAll(adapter, "accounts")
      assert.strictEqual(server.tokenRequests().length, 2)
    })
  )

  it.effect("sends OAuth2 client credentials in the body when configured", () =>
    Effect.gen(function* () {
      const server = yield* startServer({
        auth: { type: "oauth2", clientId: "portal", clientSecret: secret, expiresIn: 3600 }
      })
      const adapter = yield* adapterFor(
        server,
        { pagination: { type: "page" }, records: "data" },
        {
          auth: {
            type: "oauth2-client-credentials",
            tokenUrl: server.tokenUrl,
            clientId: "portal",
            clientSecret: secret,
            clientAuthentication: "body"
          }
        }
      )
      assert.deepStrictEqual(yield* readAll(adapter, "accounts"), [])
      const body = new URLSearchParams(server.tokenRequests()[0]?.body)
      assert.strictEqual(body.get("client_id"), "portal")
      assert.strictEqual(body.get("client_secret"), secret)
      assert.isUndefined(server.tokenRequests()[0]?.headers.authorization)
    })
  )

  it.effect("refreshes the OAuth2 token once on a 401, and gives up with Authentication if that fails too", () =>
    Effect.gen(function* () {
      const server = yield* startServer({
        auth: { type: "oauth2", clientId: "portal", clientSecret: secret, expiresIn: 3600 }
      })
      server.put("/customers", account("C1"))
      const adapter = yield* adapterFor(
        server,
        { pagination: { type: "page" }, records: "data" },
        {
          auth: {
            type: "oauth2-client-credentials",
            tokenUrl: server.tokenUrl,
            clientId: "portal",
            clientSecret: secret
          }
        }
      )
      yield* readAll(adapter, "accounts")
      server.revokeTokens()
      assert.deepStrictEqual(idsOf(yield* readAll(adapter, "accounts")), ["C1"])
      assert.strictEqual(server.tokenRequests().length, 2)
      server.fail(
        { status: 401, body: JSON.stringify({ error: { code: "Authentication_InvalidCredentials", message: "no" } }) },
        2
      )
      const error = yield* Effect.flip(readAll(adapter, "accounts"))
      assert.strictEqual(error.reason._tag, "Authentication")
      assert.isFalse(error.retryable)
      assert.strictEqual(server.tokenRequests().length, 3, "exactly one refresh per failing call")
    })
  )

  it.effect("a refused OAuth2 client is Authentication, whether the token endpoint answers 400 or 401", () =>
    Effect.gen(function* () {
      const server = yield* startServer({
        auth: { type: "oauth2", clientId: "portal", clientSecret: secret, expiresIn: 3600 }
      })
      for (const clientAuthentication of ["basic", "body"] as const) {
        const adapter = yield* adapterFor(
          server,
          { pagination: { type: "page" }, records: "data" },
          {
            auth: {
              type: "oauth2-client-credentials",
              tokenUrl: server.tokenUrl,
              clientId: "portal",
              clientSecret: "wrong-client-secret",
              clientAuthentication
            }
          }
        )
        const error = yield* Effect.flip(readAll(adapter, "accounts"))
        assert.strictEqual(error.reason._tag, "Authentication", clientAuthentication)
        assert.include(error.message, "client authentication failed")
        assertNoSecrets(error.message, ["wrong-client-secret", secret])
      }
      assert.deepStrictEqual(server.dataRequests(), [])
    })
  )

  it.effect("a refused bearer token is Authentication, not retryable, and sent once", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const adapter = yield* adapterFor(
        server,
        { pagination: { type: "page" }, records: "data" },
        {
          auth: { type: "bearer", token: "wrong-token-secret" },
          maxRetries: 3
        }
      )
      const error = yield* Effect.flip(readAll(adapter, "accounts"))
      assert.strictEqual(error.reason._tag, "Authentication")
      assert.include(error.message, "HTTP 401: The credentials are not valid.")
      assert.strictEqual(server.dataRequests().length, 1)
      assertNoSecrets(`${error.message} ${JSON.stringify(error)}`, ["wrong-token-secret", secret])
    })
  )
})

describe("REST adapter: pagination styles", () => {
  const five = (server: JsonApiServer.JsonApiServer) => {
    for (const id of ["C1", "C2", "C3", "C4", "C5"]) server.put("/customers", account(id))
  }

  it.effect("page numbers: page=1,2,3 with per_page until a short page", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      five(server)
      const adapter = yield* adapterFor(server, { pagination: { type: "page" }, records: "data" })
      assert.deepStrictEqual(idsOf(yield* readAll(adapter, "accounts")), ["C1", "C2", "C3", "C4", "C5"])
      assert.deepStrictEqual(
        server.dataRequests().map((r) => [r.query.get("page"), r.query.get("per_page")]),
        [
          ["1", "2"],
          ["2", "2"],
          ["3", "2"]
        ]
      )
    })
  )

  it.effect("offsets: offset=0,2,4 with limit", () =>
    Effect.gen(function* () {
      const server = yield* startServer({ pagination: "offset" })
      five(server)
      const adapter = yield* adapterFor(server, { pagination: { type: "offset" }, records: "items" })
      assert.deepStrictEqual(idsOf(yield* readAll(adapter, "accounts")), ["C1", "C2", "C3", "C4", "C5"])
      assert.deepStrictEqual(
        server.dataRequests().map((r) => r.query.get("offset")),
        ["0", "2", "4"]
      )
    })
  )

  it.effect("cursor: the next token from the body until it is null", () =>
    Effect.gen(function* () {
      const server = yield* startServer({ pagination: "cursor" })
      five(server)
      const adapter = yield* adapterFor(server, {
        pagination: { type: "cursor", nextCursor: "paging.next_cursor" },
        records: "results"
      })
      assert.deepStrictEqual(idsOf(yield* readAll(adapter, "accounts")), ["C1", "C2", "C3", "C4", "C5"])
      const cursors = server.dataRequests().map((r) => r.query.get("cursor"))
      assert.strictEqual(cursors.length, 3)
      assert.isNull(cursors[0])
      assert.isTrue(cursors.slice(1).every((token) => typeof token === "string" && token.length > 0))
    })
  )

  it.effect("RFC 8288 Link header: follows rel=next, relative links included", () =>
    Effect.gen(function* () {
      const server = yield* startServer({ pagination: "link" })
      five(server)
      const adapter = yield* adapterFor(server, { pagination: { type: "link-header" } })
      assert.deepStrictEqual(idsOf(yield* readAll(adapter, "accounts")), ["C1", "C2", "C3", "C4", "C5"])
      assert.deepStrictEqual(
        server.dataRequests().map((r) => r.query.get("offset")),
        [null, "2", "4"]
      )
    })
  )

  it.effect("@odata.nextLink: asks for a page size with Prefer and follows the links", () =>
    Effect.gen(function* () {
      const server = yield* startServer({ pagination: "odata" })
      five(server)
      const adapter = yield* adapterFor(server, { pagination: { type: "odata-next-link" } })
      assert.deepStrictEqual(idsOf(yield* readAll(adapter, "accounts")), ["C1", "C2", "C3", "C4", "C5"])
      const requests = server.dataRequests()
      assert.deepStrictEqual(
        requests.map((r) => r.query.get("$skiptoken")),
        [null, "2", "4"]
      )
      assert.isTrue(requests.every((r) => r.headers.prefer === "odata.maxpagesize=2"))
    })
  )

  it.effect("POST bodies: paging and changes travel in the JSON body", () =>
    Effect.gen(function* () {
      const server = yield* startServer({ pagination: "offset" })
      five(server)
      const adapter = yield* adapterFor(server, {
        pagination: { type: "offset" },
        records: "items",
        body: {
          offset: "{{offset}}",
          limit: "{{limit}}",
          modified_since: "{{since}}",
          domain: [["currencyCode", "=", "EUR"]]
        },
        incremental: { field: "updated_at" }
      })
      const all = yield* readAll(adapter, "accounts")
      assert.deepStrictEqual(idsOf(all), ["C1", "C2", "C3", "C4", "C5"])
      const bodies = server.dataRequests().map((r) => [r.method, JSON.parse(r.body)])
      assert.deepStrictEqual(bodies[0], ["POST", { offset: 0, limit: 2, domain: [["currencyCode", "=", "EUR"]] }])
      server.put("/customers", account("C6"))
      const changes = yield* readAll(adapter, "accounts", Option.some(all[4]!.cursor))
      assert.deepStrictEqual(idsOf(changes), ["C6"])
      const last = server.dataRequests().at(-1)
      assert.strictEqual(JSON.parse(last?.body ?? "{}").modified_since, server.records("/customers")[4]?.updated_at)
    })
  )
})

describe("REST adapter: incremental reads and records", () => {
  it.effect("asks for changes since the newest marker read, without repeating the records at that marker", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      for (const id of ["C1", "C2", "C3"]) server.put("/customers", account(id))
      const adapter = yield* adapterFor(server, {
        pagination: { type: "page" },
        records: "data",
        incremental: { field: "updated_at", param: "modified_since" }
      })
      const all = yield* readAll(adapter, "accounts")
      server.put("/customers", account("C1", { displayName: "Renamed" }))
      const changes = yield* readAll(adapter, "accounts", Option.some(all[2]!.cursor))
      assert.deepStrictEqual(idsOf(changes), ["C1"])
      assert.strictEqual(
        server.dataRequests().at(-1)?.query.get("modified_since"),
        server.records("/customers")[1]?.updated_at
      )
      assert.deepStrictEqual(decodeAll(adapter, changes), [
        {
          id: "api:C1",
          source: { source: "api", externalId: "C1" },
          number: "C1",
          name: "Renamed",
          tier: "standard",
          currency: "EUR"
        }
      ])
    })
  )

  it.effect("rejects a record without an id, and decode names the source field that is wrong", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      server.put("/customers", { ...account("C1"), currencyCode: "EURO" })
      server.put("/customers", { id: "", displayName: "No id" })
      const adapter = yield* adapterFor(server, { pagination: { type: "page" }, records: "data" })
      const items = yield* readAll(adapter, "accounts")
      const [first, second] = items
      assert.strictEqual(first?._tag, "SourceRecord")
      if (first?._tag === "SourceRecord") {
        const decoded = adapter.decode(first)
        assert.isTrue(Result.isFailure(decoded))
        if (Result.isFailure(decoded)) {
          assert.strictEqual(decoded.failure.path, "currency")
          assert.strictEqual(decoded.failure.value, "EURO")
        }
      }
      assert.strictEqual(second?._tag, "RejectedRecord")
      if (second?._tag === "RejectedRecord") assert.strictEqual(second.rejection.path, "id")
    })
  )

  it.effect("Odoo style: many-to-one pairs by index, false as no value, amounts exact", () =>
    Effect.gen(function* () {
      const server = yield* startServer({ collections: ["/json/2/account.move/web_search_read"], pagination: "offset" })
      server.put("/json/2/account.move/web_search_read", {
        id: "57",
        move_type: "out_invoice",
        name: "INV/2024/00012",
        invoice_date: "2024-03-01",
        invoice_date_due: "2024-03-31",
        partner_id: [new RawNumber("7"), "Deco Addict"],
        currency_id: [new RawNumber("1"), "EUR"],
        ref: false,
        amount_untaxed: new RawNumber("1000.0"),
        amount_tax: new RawNumber("150.0"),
        amount_total: new RawNumber("1150.0"),
        invoice_line_ids: [
          {
            name: "Desk",
            quantity: new RawNumber("2.0"),
            price_unit: new RawNumber("500.0"),
            price_subtotal: new RawNumber("1000.0"),
            product_id: false
          }
        ]
      })
      const adapter = yield* makeAdapter(
        RestAdapter,
        { sourceId: "odoo" },
        {
          baseUrl: server.origin,
          auth: { type: "bearer", token: secret },
          maxRetries: 0,
          entities: {
            invoices: {
              path: "/json/2/account.move/web_search_read",
              body: { domain: [["move_type", "=", "out_invoice"]], offset: "{{offset}}", limit: "{{limit}}" },
              records: "items",
              id: "id",
              falseIsNull: true,
              pagination: { type: "offset" },
              mapping: {
                number: "name",
                accountNumber: "partner_id[0]",
                issueDate: "invoice_date",
                dueDate: "invoice_date_due",
                currency: "currency_id[1]",
                poNumber: "ref",
                netTotal: "amount_untaxed",
                taxTotal: "amount_tax",
                total: "amount_total"
              },
              lines: {
                from: "invoice_line_ids",
                mapping: {
                  description: "name",
                  productCode: "product_id[1]",
                  quantity: "quantity",
                  unitPrice: "price_unit",
                  lineNet: "price_subtotal"
                }
              }
            }
          }
        }
      )
      assert.deepStrictEqual(decodeAll(adapter, yield* readAll(adapter, "invoices")), [
        {
          id: "odoo:57",
          accountId: "odoo:7",
          source: { source: "odoo", externalId: "57" },
          number: "INV/2024/00012",
          issueDate: "2024-03-01",
          dueDate: "2024-03-31",
          currency: "EUR",
          lines: [
            {
              lineNumber: 1,
              description: "Desk",
              quantity: "2.0",
              unitPrice: "500.0",
              taxRate: "0",
              statedNet: { currency: "EUR", minor: 100000 }
            }
          ],
          taxLines: [],
          totals: {
            net: { currency: "EUR", minor: 100000 },
            tax: { currency: "EUR", minor: 15000 },
            total: { currency: "EUR", minor: 115000 }
          }
        }
      ])
    })
  )
})

describe("REST adapter: failures", () => {
  it.effect("waits the Retry-After of a 429 (TestClock) and then continues", () =>
    Effect.gen(function* () {
      const logs = captureLogs()
      const clock = yield* TestClock.testClockWith(Effect.succeed)
      const recorder = recordingFetch(() => clock.currentTimeMillisUnsafe())
      const server = yield* startServer()
      server.put("/customers", account("C1"))
      server.fail({
        status: 429,
        headers: { "retry-after": "5" },
        body: JSON.stringify({ error: { code: "TooManyRequests", message: "slow down" } })
      })
      const adapter = yield* adapterFor(server, { pagination: { type: "page" }, records: "data" }, { maxRetries: 2 })
      const fiber = yield* readAll(adapter, "accounts").pipe(
        Effect.provide(logs.layer),
        Effect.provideService(FetchHttpClient.Fetch, recorder.fetch),
        Effect.forkChild
      )
      yield* Deferred.await(logs.warned)
      yield* TestClock.adjust("5 seconds")
      assert.deepStrictEqual(idsOf(yield* Fiber.join(fiber)), ["C1"])
      assert.deepStrictEqual(
        recorder.calls.map((call) => call.at),
        [0, 5000]
      )
    })
  )

  it.effect("retries 408 and 5xx, not other 4xx", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      server.put("/customers", account("C1"))
      const adapter = yield* adapterFor(server, { pagination: { type: "page" }, records: "data" }, { maxRetries: 3 })
      for (const status of [408, 500, 502, 503]) {
        const logs = captureLogs()
        const before = server.dataRequests().length
        server.fail({ status })
        const fiber = yield* readAll(adapter, "accounts").pipe(Effect.provide(logs.layer), Effect.forkChild)
        yield* Deferred.await(logs.warned)
        yield* TestClock.adjust("1 second")
        assert.deepStrictEqual(idsOf(yield* Fiber.join(fiber)), ["C1"])
        assert.strictEqual(server.dataRequests().length, before + 2, `${status} is retried once`)
      }
      for (const [status, reason] of [
        [400, "SchemaMismatch"],
        [404, "NotFound"],
        [409, "Unknown"],
        [422, "SchemaMismatch"]
      ] as const) {
        const before = server.dataRequests().length
        server.fail({ status, body: JSON.stringify({ error: { code: "BadRequest", message: `refused ${status}` } }) })
        const error = yield* Effect.flip(readAll(adapter, "accounts"))
        assert.strictEqual(error.reason._tag, reason)
        assert.isFalse(error.retryable)
        assert.include(error.message, `HTTP ${status}: refused ${status}`)
        assert.strictEqual(server.dataRequests().length, before + 1, `${status} is not retried`)
      }
    })
  )

  it.effect("a response that never comes is a retryable Timeout", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      server.fail({ hang: true })
      const adapter = yield* adapterFor(
        server,
        { pagination: { type: "page" }, records: "data" },
        { timeoutSeconds: 15 }
      )
      const fiber = yield* readAll(adapter, "accounts").pipe(Effect.flip, Effect.forkChild)
      yield* server.http.awaitRequests(1)
      yield* TestClock.adjust("15 seconds")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error.reason._tag, "Timeout")
      assert.isTrue(error.retryable)
    })
  )

  it.effect("never follows a next link to another host (the credentials would go with it)", () =>
    Effect.gen(function* () {
      const server = yield* startServer({ pagination: "odata" })
      const adapter = yield* adapterFor(server, { pagination: { type: "odata-next-link" } })
      server.fail({
        status: 200,
        body: JSON.stringify({ value: [{ id: "C1" }], "@odata.nextLink": "http://203.0.113.9/customers?$skiptoken=2" })
      })
      const error = yield* Effect.flip(readAll(adapter, "accounts"))
      assert.strictEqual(error.reason._tag, "SchemaMismatch")
      assert.include(error.message, "another host (203.0.113.9)")
      assert.strictEqual(server.dataRequests().length, 1)
    })
  )

  it.effect("a body that is not JSON, or has no records array, is a SchemaMismatch", () =>
    Effect.gen(function* () {
      const server = yield* startServer()
      const adapter = yield* adapterFor(server, { pagination: { type: "page" }, records: "rows" })
      server.fail({ status: 200, body: "<html>maintenance</html>" })
      const html = yield* Effect.flip(readAll(adapter, "accounts"))
      assert.strictEqual(html.reason._tag, "SchemaMismatch")
      assert.include(html.message, "not JSON")
      const missing = yield* Effect.flip(readAll(adapter, "accounts"))
      assert.strictEqual(missing.reason._tag, "SchemaMismatch")
      assert.include(missing.message, 'no records array at "rows"')
    })
  )

  it.effect("scrubs configured and issued secrets from messages the server echoes", () =>
    Effect.gen(function* () {
      const server = yield* startServer({
        auth: { type: "oauth2", clientId: "portal", clientSecret: secret, expiresIn: 3600 }
      })
      const adapter = yield* adapterFor(
        server,
        { pagination: { type: "page" }, records: "data" },
        {
          auth: {
            type: "oauth2-client-credentials",
            tokenUrl: server.tokenUrl,
            clientId: "portal",
            clientSecret: secret
          }
        }
      )
      yield* readAll(adapter, "accounts")
      const issued = String(server.dataRequests()[0]?.headers.authorization).slice("Bearer ".length)
      server.fail({
        status: 400,
        body: JSON.stringify({
          error: { code: "BadRequest", message: `token ${issued} and secret ${secret} rejected` }
        })
      })
      const error = yield* Effect.flip(readAll(adapter, "accounts"))
      assert.include(error.message, "token <redacted> and secret <redacted> rejected")
      assertNoSecrets(`${error.message} ${JSON.stringify(error)} ${String(error)}`, [issued, secret])
    })
  )

  it.effect("bad settings fail when the adapter is built, naming the field, without secrets", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        makeAdapter(
          RestAdapter,
          { sourceId: "api" },
          {
            baseUrl: "http://127.0.0.1:1",
            auth: { type: "bearer", token: secret },
            entities: { invoices: { path: "/x", id: "id", mapping: {}, pagination: { type: "pages" } } }
          }
        )
      )
      assert.strictEqual(error.reason._tag, "SchemaMismatch")
      assert.include(error.message, "pagination")
      assertNoSecrets(error.message, [secret])
    })
  )
})
