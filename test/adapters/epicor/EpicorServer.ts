// A fake Epicor Kinetic REST v2 (OData v4) server on 127.0.0.1 for adapter tests: company in the path,
// `x-api-key` plus Basic or Bearer (TokenResource.svc) auth, `$filter/$orderby/$top/$skip/$expand/$select`,
// optional server-driven paging with `@odata.nextLink`, Epicor's error body, and injectable faults
// (429 with Retry-After, 5xx, hanging responses). Rows are Epicor's own wire rows, seeded by the test.
import { Effect, Result, type Scope } from "effect"
import { json, listen, type RecordedRequest, type Reply, type TestHttpServer } from "../rest/TestHttpServer.ts"
import {
  applyFilter,
  applyOrderBy,
  applySelect,
  type Filter,
  parseFilter,
  toJsonText,
  type WireRow,
  type WireValue
} from "./ODataQuery.ts"

/** The entity sets this fake serves, with their service, key and expandable child collection. */
export const entitySets = {
  ARInvoices: { service: "Erp.BO.ARInvoiceSvc", keys: ["Company", "InvoiceNum"], child: "InvcDtls" },
  CashRecs: { service: "Erp.BO.CashRecSvc", keys: ["Company", "GroupID", "HeadNum"], child: "CashDtls" },
  Customers: { service: "Erp.BO.CustomerSvc", keys: ["Company", "CustNum"], child: "ShipToes" },
  CustCnts: { service: "Erp.BO.CustCntSvc", keys: ["Company", "CustNum", "ShipToNum", "ConNum"], child: undefined }
} as const
export type EntitySet = keyof typeof entitySets
const entitySetNames: ReadonlyArray<EntitySet> = ["ARInvoices", "CashRecs", "Customers", "CustCnts"]

/** A fault served instead of the next OData response(s). */
export type Fault =
  | { readonly status: number; readonly body?: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly hang: true }

export interface EpicorServerOptions {
  readonly company: string
  readonly apiKey: string
  readonly username: string
  readonly password: string
  /** The instance segment of the URL ("EpicorERP"). */
  readonly instance?: string
  /** When set, at most this many rows per response, the rest behind `@odata.nextLink` ($skiptoken). */
  readonly serverPageSize?: number
  /** Bearer tokens accepted without a TokenResource call (tokens from an external identity provider). */
  readonly staticTokens?: ReadonlyArray<string>
}

/** A running fake with its seeding and fault controls. */
export interface EpicorServer {
  /** `http://127.0.0.1:{port}/{instance}`: the adapter's `baseUrl`. */
  readonly baseUrl: string
  readonly http: TestHttpServer
  /** Inserts or replaces a row by its key; assigns the next `SysRevID` (a rowversion) unless the row has one. */
  readonly put: (set: EntitySet, row: WireRow) => WireRow
  /** Deletes a row by its key fields. */
  readonly remove: (set: EntitySet, key: WireRow) => void
  readonly rows: (set: EntitySet) => ReadonlyArray<WireRow>
  /** Empties every entity set. */
  readonly clear: () => void
  /** Serves `fault` for the next `times` OData requests. */
  readonly fail: (fault: Fault, times?: number) => void
  /** Invalidates every issued bearer token (the next call with one gets 401). */
  readonly revokeTokens: () => void
  /** OData requests only (not token requests). */
  readonly dataRequests: () => ReadonlyArray<RecordedRequest>
  readonly tokenRequests: () => ReadonlyArray<RecordedRequest>
}

/** Epicor's error body. */
export const errorBody = (status: number, message: string, errorType: string): string =>
  JSON.stringify({
    HttpStatus: status,
    ReasonPhrase: "REST API Exception",
    ErrorMessage: message,
    ErrorType: errorType,
    ErrorDetails: [{ Message: message, Type: "Error" }],
    CorrelationId: "00000000-0000-0000-0000-000000000001"
  })

const keyOf = (set: EntitySet, row: WireRow): string =>
  JSON.stringify(entitySets[set].keys.map((key) => (row[key] === undefined ? null : row[key])))

const withoutChild = (set: EntitySet, row: WireRow): WireRow => {
  const child = entitySets[set].child
  if (child === undefined) return row
  return Object.fromEntries(Object.entries(row).filter(([key]) => key !== child))
}

/** Starts the fake for the life of the scope. */
export const make = (options: EpicorServerOptions): Effect.Effect<EpicorServer, never, Scope.Scope> =>
  Effect.gen(function* () {
    const instance = options.instance ?? "EpicorERP"
    const tables = new Map<EntitySet, Map<string, WireRow>>(entitySetNames.map((set) => [set, new Map()]))
    let revision = 0
    let tokenSerial = 0
    const tokenRequests: Array<RecordedRequest> = []
    const tokens = new Set<string>(options.staticTokens ?? [])
    const faults: Array<Fault> = []
    const dataRequests: Array<RecordedRequest> = []
    const table = (set: EntitySet) => tables.get(set) ?? new Map<string, WireRow>()

    const epicorError = (status: number, message: string, type: string): Reply =>
      json(status, errorBody(status, message, type))

    const authorised = (request: RecordedRequest): Reply | undefined => {
      const key = request.headers["x-api-key"] ?? request.query.get("api-key")
      if (key !== options.apiKey) {
        return epicorError(403, "Invalid or missing API key.", "Epicor.RESTApi.ErrorHandling.ApiException")
      }
      const authorization = request.headers.authorization ?? ""
      const basic = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString("base64")}`
      if (authorization === basic) return undefined
      if (authorization.startsWith("Bearer ") && tokens.has(authorization.slice(7))) return undefined
      return epicorError(401, "Authorization has been denied for this request.", "Ice.Common.SessionException")
    }

    const issueToken = (request: RecordedRequest): Reply => {
      tokenRequests.push(request)
      const form = new URLSearchParams(request.body)
      const username = request.headers.username ?? form.get("username")
      const password = request.headers.password ?? form.get("password")
      if (username !== options.username || password !== options.password) {
        return epicorError(401, "Invalid user ID or password.", "Ice.Common.SessionException")
      }
      tokenSerial += 1
      const token = `token-${tokenSerial}-${Math.random().toString(36).slice(2)}`
      tokens.add(token)
      return json(200, JSON.stringify({ AccessToken: token, ExpiresIn: 3600, TokenType: "Bearer" }))
    }

    const query = (request: RecordedRequest, set: EntitySet, service: string): Reply => {
      const params = request.query
      const filterText = params.get("$filter")
      let filter: Filter | undefined
      if (filterText !== null) {
        const parsed = parseFilter(filterText)
        if (Result.isFailure(parsed)) {
          return epicorError(400, parsed.failure, "Microsoft.OData.ODataException")
        }
        filter = parsed.success
      }
      const numeric = (name: string): number | undefined | "invalid" => {
        const text = params.get(name)
        if (text === null) return undefined
        return /^\d+$/.test(text) ? Number(text) : "invalid"
      }
      const top = numeric("$top")
      const skip = numeric("$skip")
      const skipToken = numeric("$skiptoken")
      if (top === "invalid" || skip === "invalid" || skipToken === "invalid") {
        return epicorError(400, "Invalid value for $top, $skip or $skiptoken.", "Microsoft.OData.ODataException")
      }
      let rows: ReadonlyArray<WireRow> = [...table(set).values()]
      if (filter !== undefined) rows = applyFilter(rows, filter)
      rows = applyOrderBy(rows, params.get("$orderby") ?? entitySets[set].keys.join(","))
      const window = rows.slice(skip ?? 0, top === undefined ? undefined : (skip ?? 0) + top)
      const offset = skipToken ?? 0
      const pageSize = options.serverPageSize ?? Number.POSITIVE_INFINITY
      const page = window.slice(offset, offset + pageSize)
      const child = entitySets[set].child
      const expand = (params.get("$expand") ?? "").split(",").map((part) => part.trim())
      const shaped = page.map((row) => {
        const base = child !== undefined && expand.includes(child) ? row : withoutChild(set, row)
        return applySelect(base, params.get("$select"), child !== undefined && expand.includes(child) ? [child] : [])
      })
      const root = `${origin}/${instance}/api/v2/odata/${options.company}/${service}`
      const body: { [key: string]: WireValue } = { "@odata.context": `${root}/$metadata#${set}`, value: shaped }
      if (offset + page.length < window.length) {
        const next = new URLSearchParams(params)
        next.set("$skiptoken", String(offset + page.length))
        body["@odata.nextLink"] = `${root}/${set}?${next.toString()}`
      }
      return json(200, toJsonText(body))
    }

    const handle = (request: RecordedRequest): Reply => {
      if (request.path === `/${instance}/TokenResource.svc/` && request.method === "POST") return issueToken(request)
      const match = new RegExp(`^/${instance}/api/v2/odata/([^/]+)/([^/]+)/([^/(]+)$`).exec(request.path)
      if (match === null) {
        return epicorError(404, `No route for ${request.path}.`, "Epicor.RESTApi.ErrorHandling.ApiException")
      }
      dataRequests.push(request)
      const fault = faults.shift()
      if (fault !== undefined) return "hang" in fault ? { status: 0, hang: true } : { ...fault, status: fault.status }
      const denied = authorised(request)
      if (denied !== undefined) return denied
      const [, company, service, setName] = match
      if (company !== options.company) {
        return epicorError(400, `Company ${company} is not valid for this user.`, "Ice.Common.BusinessObjectException")
      }
      const set = entitySetNames.find((name) => name === setName)
      if (set === undefined || entitySets[set].service !== service) {
        return epicorError(404, `Service ${service}/${setName} not found.`, "Epicor.RESTApi.ErrorHandling.ApiException")
      }
      if (request.method !== "GET") {
        return epicorError(405, `${request.method} is not supported here.`, "Epicor.RESTApi.ErrorHandling.ApiException")
      }
      return query(request, set, service)
    }

    const http = yield* listen(handle)
    const origin = http.origin
    return {
      baseUrl: `${origin}/${instance}`,
      http,
      put: (set, row) => {
        revision += 1
        const stored = row.SysRevID === undefined ? { ...row, SysRevID: revision } : row
        table(set).set(keyOf(set, stored), stored)
        return stored
      },
      remove: (set, key) => {
        table(set).delete(keyOf(set, key))
      },
      rows: (set) => [...table(set).values()],
      clear: () => {
        for (const rows of tables.values()) rows.clear()
      },
      fail: (fault, times = 1) => {
        for (let i = 0; i < times; i++) faults.push(fault)
      },
      revokeTokens: () => {
        tokens.clear()
      },
      dataRequests: () => [...dataRequests],
      tokenRequests: () => [...tokenRequests]
    }
  })
