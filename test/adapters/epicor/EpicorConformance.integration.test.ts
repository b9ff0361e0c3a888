// The Epicor Kinetic adapter runs the ERP adapter conformance kit against the Epicor wire-format server,
// seeded with the kit's generated records written as Epicor rows.
import { Effect } from "effect"
import { EpicorAdapter, EpicorManifest } from "../../../adapters/epicor/index.ts"
import { conformanceSuite } from "../../../adapters/testkit/index.ts"
import { makeAdapter } from "../../../core/erp/index.ts"
import { epicorRowOf, representInEpicor } from "./EpicorRows.ts"
import * as EpicorServer from "./EpicorServer.ts"
import { RawNumber, type WireRow } from "./ODataQuery.ts"

const apiKey = "conformance-api-key-7Yq2"
const password = "conformance-password-Lp9!"

const corrupted = (entity: string, row: WireRow): WireRow => {
  switch (entity) {
    case "accounts":
      return { ...row, CurrencyCode: "EURO" }
    case "contacts":
      return { ...row, EMailAddress: "not-an-email" }
    case "payments":
      return { ...row, DocTranAmt: new RawNumber("1.23456") }
    default:
      return { ...row, DocInvoiceAmt: new RawNumber("12.34567") }
  }
}

conformanceSuite("epicor-kinetic", {
  manifest: EpicorManifest,
  fixture: ({ sourceId }) =>
    Effect.gen(function* () {
      const server = yield* EpicorServer.make({ company: "EPIC06", apiKey, username: "portal", password })
      const settings = (secret: string) => ({
        baseUrl: server.baseUrl,
        company: "EPIC06",
        apiKey,
        auth: { type: "basic", username: "portal", password: secret },
        pageSize: 3,
        maxRetries: 0
      })
      return {
        entities: ["accounts", "contacts", "invoices", "credit-notes", "payments"],
        adapter: makeAdapter(EpicorAdapter, { sourceId }, settings(password)),
        failing: makeAdapter(EpicorAdapter, { sourceId }, settings(`${password}-wrong`)),
        seed: (records) =>
          Effect.sync(() => {
            server.clear()
            for (const record of records) {
              const { set, row } = epicorRowOf(record)
              server.put(set, row)
            }
          }),
        apply: (changes) =>
          Effect.sync(() => {
            for (const record of changes) {
              const { set, row } = epicorRowOf(record)
              server.put(set, row)
            }
          }),
        corrupt: (record) =>
          Effect.sync(() => {
            const { set, row } = epicorRowOf(record)
            server.put(set, corrupted(record.entity, row))
            return { externalId: record.value.source.externalId }
          }),
        supportsUpdates: true,
        pageSize: 3,
        pagedEntity: "invoices",
        represent: representInEpicor,
        secrets: [apiKey, password]
      }
    })
})
