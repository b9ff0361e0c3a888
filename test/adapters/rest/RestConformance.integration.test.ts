// The REST adapter runs the ERP adapter conformance kit once per transport style (OData nextLink + OAuth2,
// page numbers + API key, body cursor + bearer, Link header + basic, offset in a POST body), each against
// a real JSON API server on 127.0.0.1 seeded with the kit's records; documents are downloaded from the same
// server with the style's credentials.
import { Effect } from "effect"
import { RestAdapter, RestManifest } from "../../../adapters/rest/index.ts"
import { conformanceSuite, documentBytes } from "../../../adapters/testkit/index.ts"
import { type CanonicalRecord, makeAdapter } from "../../../core/erp/index.ts"
import { RawNumber, type WireValue } from "../epicor/ODataQuery.ts"
import { apiMappings, apiRecordOf, collectionOf, downloadPathOf } from "./ApiRecords.ts"
import * as JsonApiServer from "./JsonApiServer.ts"

const secret = "s3cr3t-Vq8-conformance"

interface Style {
  readonly name: string
  readonly server: JsonApiServer.ServerPagination
  readonly serverAuth: JsonApiServer.ServerAuth
  readonly auth: (server: JsonApiServer.JsonApiServer, secret: string) => Record<string, unknown>
  readonly entity: Record<string, unknown>
}

const styles: ReadonlyArray<Style> = [
  {
    name: "rest (OData @odata.nextLink, OAuth2 client credentials, $filter on changes)",
    server: "odata",
    serverAuth: { type: "oauth2", clientId: "portal", clientSecret: secret, expiresIn: 3600 },
    auth: (server, clientSecret) => ({
      type: "oauth2-client-credentials",
      tokenUrl: server.tokenUrl,
      clientId: "portal",
      clientSecret
    }),
    entity: {
      pagination: { type: "odata-next-link" },
      incremental: { field: "updated_at", filter: "updated_at gt {value}" }
    }
  },
  {
    name: "rest (page numbers, API-key header, modified_since)",
    server: "page",
    serverAuth: { type: "api-key", header: "X-Api-Key", key: secret },
    auth: (_server, key) => ({ type: "api-key", header: "X-Api-Key", key }),
    entity: {
      records: "data",
      pagination: { type: "page", sizeParam: "per_page" },
      incremental: { field: "updated_at", param: "modified_since" }
    }
  },
  {
    name: "rest (next cursor in the body, bearer token)",
    server: "cursor",
    serverAuth: { type: "bearer", token: secret },
    auth: (_server, token) => ({ type: "bearer", token }),
    entity: {
      records: "results",
      pagination: { type: "cursor", nextCursor: "paging.next_cursor" },
      incremental: { field: "updated_at", param: "modified_since" }
    }
  },
  {
    name: "rest (RFC 8288 Link header, basic auth)",
    server: "link",
    serverAuth: { type: "basic", username: "portal", password: secret },
    auth: (_server, password) => ({ type: "basic", username: "portal", password }),
    entity: {
      pagination: { type: "link-header" },
      incremental: { field: "updated_at", param: "modified_since" }
    }
  },
  {
    name: "rest (offset and changes in a POST body, Odoo JSON-2 style)",
    server: "offset",
    serverAuth: { type: "bearer", token: secret },
    auth: (_server, token) => ({ type: "bearer", token }),
    entity: {
      records: "items",
      body: { offset: "{{offset}}", limit: "{{limit}}", modified_since: "{{since}}" },
      pagination: { type: "offset" },
      incremental: { field: "updated_at" }
    }
  }
]

const entities = ["accounts", "contacts", "invoices", "credit-notes", "payments", "documents"] as const

const entitySettings = (style: Style, entity: (typeof entities)[number]) => ({
  path: collectionOf[entity],
  id: "id",
  ...style.entity,
  mapping: apiMappings[entity],
  ...(entity === "invoices" || entity === "credit-notes"
    ? { lines: { from: "lines", mapping: apiMappings.lines } }
    : {}),
  ...(entity === "payments" ? { allocations: { from: "applications", mapping: apiMappings.allocations } } : {}),
  ...(entity === "documents" ? { content: { url: "downloadUrl" } } : {})
})

const corrupted = (record: CanonicalRecord): Record<string, WireValue> => {
  switch (record.entity) {
    case "accounts":
      return { currencyCode: "EURO" }
    case "contacts":
      return { email: "not-an-email" }
    case "payments":
      return { amount: new RawNumber("1.23456") }
    case "documents":
      return { customerNumber: null }
    default:
      return { totalAmountIncludingTax: new RawNumber("12.34567") }
  }
}

for (const style of styles) {
  conformanceSuite(style.name, {
    manifest: RestManifest,
    fixture: ({ sourceId }) =>
      Effect.gen(function* () {
        const server = yield* JsonApiServer.make({
          auth: style.serverAuth,
          pagination: style.server,
          collections: Object.values(collectionOf)
        })
        const settings = (credential: string) => ({
          baseUrl: server.origin,
          auth: style.auth(server, credential),
          pageSize: 3,
          maxRetries: 0,
          entities: Object.fromEntries(entities.map((entity) => [entity, entitySettings(style, entity)]))
        })
        const put = (record: CanonicalRecord, extra: Record<string, WireValue> = {}) => {
          const { path, record: row } = apiRecordOf(record)
          server.put(path, { ...row, ...extra })
          if (record.entity === "documents") {
            server.putFile(downloadPathOf(record.value.source.externalId), documentBytes(record.value))
          }
        }
        return {
          entities,
          adapter: makeAdapter(RestAdapter, { sourceId }, settings(secret)),
          failing: makeAdapter(RestAdapter, { sourceId }, settings(`${secret}-wrong`)),
          seed: (records) =>
            Effect.sync(() => {
              server.clear()
              for (const record of records) put(record)
            }),
          apply: (changes) =>
            Effect.sync(() => {
              for (const record of changes) put(record)
            }),
          corrupt: (record) =>
            Effect.sync(() => {
              put(record, corrupted(record))
              return { externalId: record.value.source.externalId }
            }),
          removeContent: (record) =>
            Effect.sync(() => server.removeFile(downloadPathOf(record.value.source.externalId))),
          supportsUpdates: true,
          pageSize: 3,
          pagedEntity: "invoices",
          secrets: [secret]
        }
      })
  })
}
