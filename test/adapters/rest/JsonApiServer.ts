// A fake generic JSON API on 127.0.0.1 for the REST adapter: collections of JSON records kept in
// modification order, one authentication style (bearer, basic, API-key header, OAuth2 client credentials
// with a token endpoint), one pagination style (page, offset, cursor, RFC 8288 Link header, @odata.nextLink),
// a modified-since parameter or OData `$filter`, and injectable faults (429 + Retry-After, 5xx, hangs).
import { Effect, Result, type Scope } from "effect"
import { applyFilter, parseFilter, RawNumber, toJsonText, type WireRow, type WireValue } from "../epicor/ODataQuery.ts"
import { json, listen, type RecordedRequest, type Reply, type TestHttpServer } from "./TestHttpServer.ts"

/** How the fake checks credentials. */
export type ServerAuth =
  | { readonly type: "none" }
  | { readonly type: "bearer"; readonly token: string }
  | { readonly type: "basic"; readonly username: string; readonly password: string }
  | { readonly type: "api-key"; readonly header: string; readonly key: string }
  | {
      readonly type: "oauth2"
      readonly clientId: string
      readonly clientSecret: string
      /** Lifetime of issued tokens, in seconds. */
      readonly expiresIn: number
    }

/** How the fake pages collections. */
export type ServerPagination = "page" | "offset" | "cursor" | "link" | "odata"

export interface JsonApiServerOptions {
  readonly auth: ServerAuth
  readonly pagination: ServerPagination
  /** Page size when the client does not ask (and the maximum it may ask for). */
  readonly defaultPageSize?: number
  /** The field that carries each record's modification time, set by the server on every put. */
  readonly modifiedField?: string
  /** How modification times are written: ISO 8601 (default) or Odoo's `"YYYY-MM-DD HH:MM:SS"` (UTC). */
  readonly modifiedFormat?: "iso" | "odoo"
  /** Collection paths that exist from the start (empty), so reading them answers 200 rather than 404. */
  readonly collections?: ReadonlyArray<string>
}

export type Fault =
  | { readonly status: number; readonly body?: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly hang: true }

/** A running fake. */
export interface JsonApiServer {
  readonly origin: string
  readonly http: TestHttpServer
  /** The OAuth2 token endpoint (`{origin}/oauth/token`). */
  readonly tokenUrl: string
  /** Inserts or replaces a record by `id` in `collection` (a path such as "/invoices"), stamping its modification time. */
  readonly put: (collection: string, record: WireRow) => WireRow
  readonly remove: (collection: string, id: string) => void
  readonly records: (collection: string) => ReadonlyArray<WireRow>
  /** Serves `bytes` at `path` (a document download), to authorised requests only. */
  readonly putFile: (path: string, bytes: Uint8Array) => void
  readonly removeFile: (path: string) => void
  /** Empties every collection (they keep existing) and removes every file. */
  readonly clear: () => void
  /** Serves `fault` for the next `times` collection requests. */
  readonly fail: (fault: Fault, times?: number) => void
  /** Invalidates every issued OAuth2 token. */
  readonly revokeTokens: () => void
  /** Requests to collections only (not the token endpoint). */
  readonly dataRequests: () => ReadonlyArray<RecordedRequest>
  readonly tokenRequests: () => ReadonlyArray<RecordedRequest>
}

const comparable = (value: WireValue | undefined): string | number | boolean | null =>
  value instanceof RawNumber ? Number(value.text) : typeof value === "object" ? null : (value ?? null)

/** Whether `row` satisfies one `[field, operator, value]` domain condition (=, !=, >, >=, <, <=). */
const holdsCondition = (row: WireRow, condition: unknown): boolean => {
  if (!Array.isArray(condition) || condition.length !== 3) return true
  const [field, operator, expected] = condition
  const actual = comparable(row[String(field)])
  if (typeof expected === "object" && expected !== null) return true
  switch (operator) {
    case "=":
      return actual === expected
    case "!=":
      return actual !== expected
    case ">":
      return actual !== null && actual > expected
    case ">=":
      return actual !== null && actual >= expected
    case "<":
      return actual !== null && actual < expected
    case "<=":
      return actual !== null && actual <= expected
    default:
      return true
  }
}

const idOf = (record: WireRow): string => {
  const id = record.id
  return typeof id === "string" ? id : id === undefined || id === null ? "" : toJsonText(id)
}

/** Starts the fake for the life of the scope. */
export const make = (options: JsonApiServerOptions): Effect.Effect<JsonApiServer, never, Scope.Scope> =>
  Effect.gen(function* () {
    const modifiedField = options.modifiedField ?? "updated_at"
    const defaultPageSize = options.defaultPageSize ?? 50
    const collections = new Map<string, Map<string, WireRow>>()
    const files = new Map<string, Uint8Array>()
    const faults: Array<Fault> = []
    const tokens = new Set<string>()
    const dataRequests: Array<RecordedRequest> = []
    const tokenRequests: Array<RecordedRequest> = []
    let tick = 0
    let tokenSerial = 0
    const collection = (path: string) => {
      const existing = collections.get(path)
      if (existing !== undefined) return existing
      const created = new Map<string, WireRow>()
      collections.set(path, created)
      return created
    }

    const error = (status: number, code: string, message: string, headers: Record<string, string> = {}): Reply =>
      json(status, JSON.stringify({ error: { code, message } }), headers)

    const authorised = (request: RecordedRequest): boolean => {
      const auth = options.auth
      const header = request.headers.authorization ?? ""
      switch (auth.type) {
        case "none":
          return true
        case "bearer":
          return header === `Bearer ${auth.token}`
        case "basic":
          return header === `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`
        case "api-key":
          return request.headers[auth.header.toLowerCase()] === auth.key
        case "oauth2":
          return header.startsWith("Bearer ") && tokens.has(header.slice(7))
      }
    }

    const issueToken = (request: RecordedRequest): Reply => {
      tokenRequests.push(request)
      const auth = options.auth
      if (auth.type !== "oauth2") return error(404, "NotFound", "no token endpoint")
      const form = new URLSearchParams(request.body)
      const basic = `Basic ${Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString("base64")}`
      const byBody = form.get("client_id") === auth.clientId && form.get("client_secret") === auth.clientSecret
      if (form.get("grant_type") !== "client_credentials") {
        return json(400, JSON.stringify({ error: "unsupported_grant_type" }))
      }
      if (request.headers.authorization !== basic && !byBody) {
        // RFC 6749 §5.2: 401 when the client tried HTTP authentication, else 400.
        const status = request.headers.authorization === undefined ? 400 : 401
        return json(
          status,
          JSON.stringify({ error: "invalid_client", error_description: "client authentication failed" })
        )
      }
      tokenSerial += 1
      const token = `at-${tokenSerial}-${Math.random().toString(36).slice(2)}`
      tokens.add(token)
      return json(200, JSON.stringify({ access_token: token, token_type: "Bearer", expires_in: auth.expiresIn }))
    }

    const serve = (request: RecordedRequest, rows: ReadonlyArray<WireRow>): Reply => {
      // A POST (JSON-RPC style) carries the same parameters as top-level fields of its JSON body.
      const params = new URLSearchParams(request.query)
      let domain: ReadonlyArray<unknown> = []
      if (request.method === "POST") {
        const parsed: unknown = request.body === "" ? {} : JSON.parse(request.body)
        if (typeof parsed === "object" && parsed !== null) {
          for (const [key, value] of Object.entries(parsed)) {
            if (typeof value === "string" || typeof value === "number") params.set(key, String(value))
            if (key === "domain" && Array.isArray(value)) domain = value
          }
        }
      }
      // An Odoo-style domain: a list of [field, operator, value] conditions, all of which must hold.
      let selected = rows.filter((row) => domain.every((condition) => holdsCondition(row, condition)))
      const since = params.get("modified_since")
      if (since !== null) {
        const at = Date.parse(since)
        if (Number.isNaN(at)) return error(400, "BadRequest", `modified_since is not a date: ${since}`)
        selected = selected.filter((row) => Date.parse(String(row[modifiedField])) >= at)
      }
      const filterText = params.get("$filter")
      if (filterText !== null) {
        const filter = parseFilter(filterText)
        if (Result.isFailure(filter)) return error(400, "BadRequest_InvalidFilter", filter.failure)
        selected = [...applyFilter(selected, filter.success)]
      }
      const size = (name: string): number => {
        const asked = Number(params.get(name) ?? defaultPageSize)
        return Number.isInteger(asked) && asked > 0 ? Math.min(asked, defaultPageSize) : defaultPageSize
      }
      const url = new URL(request.target, origin)
      switch (options.pagination) {
        case "page": {
          const perPage = size("per_page")
          const page = Number(params.get("page") ?? "1")
          const data = selected.slice((page - 1) * perPage, page * perPage)
          return json(200, toJsonText({ data, meta: { page, per_page: perPage, total: selected.length } }))
        }
        case "offset": {
          const limit = size("limit")
          const offset = Number(params.get("offset") ?? "0")
          const items = selected.slice(offset, offset + limit)
          return json(200, toJsonText({ items, offset, limit, total: selected.length }))
        }
        case "cursor": {
          const limit = size("limit")
          const token = params.get("cursor")
          const start = token === null ? 0 : Number(Buffer.from(token, "base64url").toString("utf8").replace("o:", ""))
          const results = selected.slice(start, start + limit)
          const more = start + limit < selected.length
          const next = more ? Buffer.from(`o:${start + limit}`).toString("base64url") : null
          return json(200, toJsonText({ results, paging: { next_cursor: next } }))
        }
        case "link": {
          const limit = size("limit")
          const offset = Number(params.get("offset") ?? "0")
          const items = selected.slice(offset, offset + limit)
          const links: Array<string> = []
          if (offset + limit < selected.length) {
            const next = new URL(url)
            next.searchParams.set("offset", String(offset + limit))
            next.searchParams.set("limit", String(limit))
            links.push(`<${next.pathname}${next.search}>; rel="next"`)
          }
          const first = new URL(url)
          first.searchParams.set("offset", "0")
          links.push(`<${first.toString()}>; rel="first"`)
          return json(200, toJsonText(items), { link: links.join(", ") })
        }
        case "odata": {
          const preferred = /odata\.maxpagesize=(\d+)/.exec(String(request.headers.prefer ?? ""))
          const limit = preferred === null ? defaultPageSize : Math.min(Number(preferred[1]), defaultPageSize)
          const skip = Number(params.get("$skiptoken") ?? "0")
          const value = selected.slice(skip, skip + limit)
          const body: { [key: string]: WireValue } = { "@odata.context": `${origin}/$metadata#${request.path}`, value }
          if (skip + limit < selected.length) {
            const next = new URL(url)
            next.searchParams.set("$skiptoken", String(skip + limit))
            body["@odata.nextLink"] = next.toString()
          }
          return json(200, toJsonText(body))
        }
      }
    }

    const handle = (request: RecordedRequest): Reply => {
      if (request.path === "/oauth/token" && request.method === "POST") return issueToken(request)
      dataRequests.push(request)
      const fault = faults.shift()
      if (fault !== undefined) return "hang" in fault ? { status: 0, hang: true } : { ...fault }
      if (!authorised(request)) {
        return error(401, "Authentication_InvalidCredentials", "The credentials are not valid.", {
          "www-authenticate": "Bearer"
        })
      }
      const file = files.get(request.path)
      if (file !== undefined && request.method === "GET") {
        return { status: 200, headers: { "content-type": "application/octet-stream" }, body: file }
      }
      const rows = collections.get(request.path)
      if (rows === undefined) return error(404, "BadRequest_NotFound", `No resource at ${request.path}.`)
      return serve(request, [...rows.values()])
    }

    for (const path of options.collections ?? []) collection(path)
    const http = yield* listen(handle)
    const origin = http.origin
    return {
      origin,
      http,
      tokenUrl: `${origin}/oauth/token`,
      put: (path, record) => {
        tick += 1
        const iso = new Date(Date.UTC(2026, 0, 1) + tick * 1000).toISOString()
        const stamp = options.modifiedFormat === "odoo" ? iso.slice(0, 19).replace("T", " ") : iso
        const stamped = { ...record, [modifiedField]: stamp }
        const rows = collection(path)
        // Re-insert so the map's order is modification order, as an API sorted by modified time returns.
        rows.delete(idOf(stamped))
        rows.set(idOf(stamped), stamped)
        return stamped
      },
      remove: (path, id) => {
        collection(path).delete(id)
      },
      records: (path) => [...collection(path).values()],
      putFile: (path, bytes) => {
        files.set(path, bytes)
      },
      removeFile: (path) => {
        files.delete(path)
      },
      clear: () => {
        for (const rows of collections.values()) rows.clear()
        files.clear()
      },
      fail: (fault, times = 1) => {
        for (let i = 0; i < times; i++) faults.push(fault)
      },
      revokeTokens: () => tokens.clear(),
      dataRequests: () => [...dataRequests],
      tokenRequests: () => [...tokenRequests]
    }
  })
