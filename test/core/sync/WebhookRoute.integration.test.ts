// The webhook route on a real HTTP server on 127.0.0.1: forged, tampered, stale and unsigned pushes are
// refused before anything is parsed; a valid push is decoded by the source's adapter and written (or
// quarantined) like a run would, and pushing it again changes nothing.
import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted, Schema } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { SqlClient } from "effect/sql"
import { Invoice } from "../../../core/domain/index.ts"
import { canonical, canonicalId } from "../../../core/erp/index.ts"
import { webhookRoute } from "../../../core/sync/WebhookRoute.ts"
import { sign } from "../../../core/sync/WebhookSignature.ts"
import { toJsonText } from "../../adapters/epicor/ODataQuery.ts"
import { apiRecordOf } from "../../adapters/rest/ApiRecords.ts"
import { backends } from "../../support/Databases.ts"
import { account, invoice } from "./support/Dataset.ts"
import { restSource } from "./support/RestSource.ts"
import { countOf, syncLayer } from "./support/SyncHarness.ts"

const sourceId = "api"
const secret = Redacted.make("whsec-test-0123456789")

const pushOf = (records: ReadonlyArray<ReturnType<typeof account> | ReturnType<typeof invoice>>) =>
  JSON.stringify({
    records: records.map((record) => ({
      entity: record.entity,
      externalId: record.value.source.externalId,
      data: JSON.parse(toJsonText(apiRecordOf(record).record))
    }))
  })

/** A push as text, each record's data written by `toJsonText` (amounts as exact JSON numbers, never through a float). */
const exactPushOf = (records: ReadonlyArray<ReturnType<typeof account> | ReturnType<typeof invoice>>) =>
  `{"records":[${records
    .map(
      (record) =>
        `{"entity":${JSON.stringify(record.entity)},"externalId":${JSON.stringify(record.value.source.externalId)},"data":${toJsonText(apiRecordOf(record).record)}}`
    )
    .join(",")}]}`

/**
 * An invoice of 90,071,992,547,409.01 EUR (16 significant digits, tax-exempt): as a float it reads back as
 * ...409.02, so JSON.parse would store a different amount.
 */
const hugeInvoice = canonical(
  "invoices",
  Schema.decodeUnknownSync(Invoice)({
    id: canonicalId(sourceId, "INV-BIG"),
    accountId: canonicalId(sourceId, "C1"),
    source: { source: sourceId, externalId: "INV-BIG" },
    number: "INV-BIG",
    issueDate: "2026-03-01",
    dueDate: "2026-03-31",
    currency: "EUR",
    lines: [
      {
        lineNumber: 1,
        description: "Infrastructure",
        quantity: "1",
        unitPrice: "90071992547409.01",
        taxRate: "0",
        statedNet: { currency: "EUR", minor: 9007199254740901 }
      }
    ],
    taxLines: [],
    totals: {
      net: { currency: "EUR", minor: 9007199254740901 },
      tax: { currency: "EUR", minor: 0 },
      total: { currency: "EUR", minor: 9007199254740901 }
    }
  })
)

/** Starts the route on 127.0.0.1 (an ephemeral port) and gives its base URL. */
const serve = Effect.gen(function* () {
  const { adapter } = yield* restSource(sourceId)
  const app = webhookRoute(new Map([[sourceId, { adapter, secrets: [Redacted.make("old-secret"), secret] }]]))
  const context = yield* Layer.build(
    HttpRouter.serve(app, { disableLogger: true, disableListenLog: true }).pipe(
      Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
    )
  )
  const server = yield* HttpServer.HttpServer.pipe(Effect.provide(context))
  const address = server.address
  if (address._tag !== "InetAddressV4") throw new Error(`expected an IPv4 address, got ${address._tag}`)
  return `http://127.0.0.1:${address.port}`
})

const post = (url: string, body: string, signature?: string) =>
  Effect.promise(async () => {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(signature === undefined ? {} : { "portico-signature": signature })
      },
      body
    })
    return { status: response.status, json: (await response.json()) as Record<string, unknown> }
  })

const nowSeconds = () => Math.floor(Date.now() / 1000)
const bytes = (text: string) => new TextEncoder().encode(text)

for (const backend of await backends()) {
  describe.skipIf(!backend.availability.available)(`webhook pushes on ${backend.name}`, () => {
    it.live(
      "refuses forged, tampered, stale and unsigned pushes; writes valid ones once",
      () =>
        Effect.gen(function* () {
          const base = yield* serve
          const url = `${base}/webhooks/sync/${sourceId}`
          const body = pushOf([account(sourceId, 1), invoice(sourceId, 1, 1)])

          const forged = yield* post(url, body, sign(Redacted.make("guessed"), bytes(body), nowSeconds()))
          assert.deepStrictEqual([forged.status, forged.json.error], [401, "bad-signature"])
          const tampered = yield* post(url, body.replace("INV-1", "INV-9"), sign(secret, bytes(body), nowSeconds()))
          assert.deepStrictEqual([tampered.status, tampered.json.error], [401, "bad-signature"])
          const stale = yield* post(url, body, sign(secret, bytes(body), nowSeconds() - 3600))
          assert.deepStrictEqual([stale.status, stale.json.error], [401, "stale-timestamp"])
          const unsigned = yield* post(url, body)
          assert.deepStrictEqual([unsigned.status, unsigned.json.error], [401, "missing-signature"])
          assert.strictEqual(yield* countOf("accounts"), 0, "nothing refused was written")

          const unknown = yield* post(`${base}/webhooks/sync/nope`, body, sign(secret, bytes(body), nowSeconds()))
          assert.strictEqual(unknown.status, 404)
          const junk = '{"records": "no"}'
          const bad = yield* post(url, junk, sign(secret, bytes(junk), nowSeconds()))
          assert.deepStrictEqual([bad.status, bad.json.error], [400, "bad-body"])

          const accepted = yield* post(url, body, sign(secret, bytes(body), nowSeconds()))
          assert.strictEqual(accepted.status, 200)
          assert.deepStrictEqual([accepted.json.read, accepted.json.inserted, accepted.json.quarantined], [2, 2, []])
          assert.strictEqual(yield* countOf("invoices"), 1)
          assert.strictEqual(yield* countOf("invoice_events"), 1)

          const again = yield* post(url, body, sign(secret, bytes(body), nowSeconds()))
          assert.deepStrictEqual([again.status, again.json.unchanged, again.json.inserted], [200, 2, 0])

          const orphan = pushOf([invoice(sourceId, 2, 42)])
          const quarantined = yield* post(url, orphan, sign(secret, bytes(orphan), nowSeconds()))
          assert.strictEqual(quarantined.status, 200)
          assert.match(JSON.stringify(quarantined.json.quarantined), /account api:C42 is not in the store/)
          assert.strictEqual(yield* countOf("quarantine"), 1)
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      120_000
    )

    it.live(
      "an amount with 16 significant digits arrives exactly; a malformed body is a 400 and writes nothing",
      () =>
        Effect.gen(function* () {
          const base = yield* serve
          const url = `${base}/webhooks/sync/${sourceId}`
          const body = exactPushOf([account(sourceId, 1), hugeInvoice])
          assert.include(body, "90071992547409.01")

          const malformed = body.slice(0, -3)
          const refused = yield* post(url, malformed, sign(secret, bytes(malformed), nowSeconds()))
          assert.strictEqual(refused.status, 400)
          assert.strictEqual(refused.json.error, "bad-body")
          assert.isString(refused.json.detail)
          assert.strictEqual(yield* countOf("accounts"), 0)
          assert.strictEqual(yield* countOf("quarantine"), 0)

          const accepted = yield* post(url, body, sign(secret, bytes(body), nowSeconds()))
          assert.strictEqual(accepted.status, 200)
          assert.deepStrictEqual([accepted.json.inserted, accepted.json.quarantined], [2, []])
          const sql = yield* SqlClient.SqlClient
          const rows = yield* sql<{ net: string; tax: string; total: string }>`
            select net_minor::text as net, tax_minor::text as tax, total_minor::text as total
            from portico.invoices where external_id = 'INV-BIG'`
          assert.deepStrictEqual(rows[0], { net: "9007199254740901", tax: "0", total: "9007199254740901" })
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      120_000
    )
  })
}
