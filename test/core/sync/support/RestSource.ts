// A real REST source for the sync tests: the REST adapter's JSON API test server on 127.0.0.1, seeded with
// canonical records, and the REST adapter configured to read it with its own retries off.
import { Effect } from "effect"
import { RestAdapter } from "../../../../adapters/rest/index.ts"
import { type CanonicalRecord, makeAdapter } from "../../../../core/erp/index.ts"
import { apiMappings, apiRecordOf, collectionOf } from "../../../adapters/rest/ApiRecords.ts"
import * as JsonApiServer from "../../../adapters/rest/JsonApiServer.ts"

const token = "t0ken-for-sync-tests"

/** A JSON API on 127.0.0.1 (bearer auth, page numbers) and the REST adapter reading its accounts and invoices. */
export const restSource = (sourceId: string) =>
  Effect.gen(function* () {
    const server = yield* JsonApiServer.make({
      auth: { type: "bearer", token },
      pagination: "page",
      collections: Object.values(collectionOf)
    })
    const entity = (name: "accounts" | "invoices") => ({
      path: collectionOf[name],
      id: "id",
      records: "data",
      pagination: { type: "page", sizeParam: "per_page" },
      incremental: { field: "updated_at", param: "modified_since" },
      mapping: apiMappings[name],
      ...(name === "invoices" ? { lines: { from: "lines", mapping: apiMappings.lines } } : {})
    })
    const settings = {
      baseUrl: server.origin,
      auth: { type: "bearer", token },
      pageSize: 3,
      // the adapter's own retries are off, so the engine's are what is tested
      maxRetries: 0,
      entities: { accounts: entity("accounts"), invoices: entity("invoices") }
    }
    const seed = (records: ReadonlyArray<CanonicalRecord>) =>
      Effect.sync(() => {
        for (const record of records) {
          const { path, record: row } = apiRecordOf(record)
          server.put(path, row)
        }
      })
    const adapter = yield* makeAdapter(RestAdapter, { sourceId }, settings)
    return { server, adapter, seed }
  })
