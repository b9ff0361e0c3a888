// The pagination styles of JSON APIs as pure functions: the URL of a page, the records in a response, and
// where the next page is (a page number, an offset, a body token, a Link header, an @odata.nextLink).
import { Schema } from "effect"
import { valueAt } from "../../../core/erp/index.ts"
import type { Incremental, Pagination, RestEntity } from "../RestConfig.ts"

/** Where a page is; serialisable, so it can live in a cursor. */
export const Position = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("start") }),
  Schema.Struct({ kind: Schema.Literal("page"), page: Schema.Int }),
  Schema.Struct({ kind: Schema.Literal("offset"), offset: Schema.Int }),
  Schema.Struct({ kind: Schema.Literal("token"), token: Schema.String }),
  Schema.Struct({ kind: Schema.Literal("url"), url: Schema.String })
])
export type Position = typeof Position.Type

/** What one request needs: the entity's settings, the page size, and the incremental lower bound. */
export interface PageContext {
  readonly baseUrl: string
  readonly entity: RestEntity
  readonly pageSize: number
  /** The run's lower bound on the modification marker; absent for a full read. */
  readonly since: string | undefined
}

const join = (baseUrl: string, path: string): string =>
  /^https?:\/\//.test(path) ? path : `${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`

const incrementalParams = (
  incremental: Incremental | undefined,
  since: string | undefined,
  query: Record<string, string>
) => {
  if (incremental === undefined || since === undefined) return
  if (incremental.param !== undefined) query[incremental.param] = since
  if (incremental.filter !== undefined) {
    const name = incremental.filterParam ?? "$filter"
    const condition = incremental.filter.replaceAll("{value}", since)
    const existing = query[name]
    query[name] = existing === undefined || existing === "" ? condition : `(${existing}) and ${condition}`
  }
}

const pageParams = (pagination: Pagination, position: Position, size: number, query: Record<string, string>) => {
  switch (pagination.type) {
    case "page": {
      const first = pagination.firstPage ?? 1
      query[pagination.pageParam ?? "page"] = String(position.kind === "page" ? position.page : first)
      query[pagination.sizeParam ?? "per_page"] = String(size)
      return
    }
    case "offset":
      query[pagination.offsetParam ?? "offset"] = String(position.kind === "offset" ? position.offset : 0)
      query[pagination.limitParam ?? "limit"] = String(size)
      return
    case "cursor":
      if (position.kind === "token") query[pagination.cursorParam ?? "cursor"] = position.token
      query[pagination.sizeParam ?? "limit"] = String(size)
      return
    case "link-header":
      query[pagination.sizeParam ?? "limit"] = String(size)
      return
    case "odata-next-link":
    case "none":
      return
  }
}

/** The URL of the page at `position`; `url` positions are the server's own links, used verbatim. */
export const pageUrl = (context: PageContext, position: Position): string => {
  if (position.kind === "url") return new URL(position.url, `${context.baseUrl.replace(/\/+$/, "")}/`).toString()
  const query: Record<string, string> = { ...context.entity.query }
  if (context.entity.body === undefined) {
    incrementalParams(context.entity.incremental, context.since, query)
    pageParams(context.entity.pagination, position, context.pageSize, query)
  }
  const search = Object.entries(query)
    .map(([name, value]) => `${encodeURIComponent(name).replace(/^%24/, "$")}=${encodeURIComponent(value)}`)
    .join("&")
  const url = join(context.baseUrl, context.entity.path)
  return search === "" ? url : `${url}${url.includes("?") ? "&" : "?"}${search}`
}

/** The values of the body placeholders for the page at `position`. */
const placeholders = (context: PageContext, position: Position): Record<string, string | number | undefined> => {
  const pagination = context.entity.pagination
  const first = pagination.type === "page" ? (pagination.firstPage ?? 1) : 1
  return {
    "{{offset}}": position.kind === "offset" ? position.offset : 0,
    "{{limit}}": context.pageSize,
    "{{page}}": position.kind === "page" ? position.page : first,
    "{{cursor}}": position.kind === "token" ? position.token : undefined,
    "{{since}}": context.since
  }
}

const unresolved = Symbol("unresolved")

const substitute = (value: unknown, values: Record<string, string | number | undefined>): unknown => {
  if (typeof value === "string" && Object.hasOwn(values, value)) return values[value] ?? unresolved
  if (Array.isArray(value)) {
    // A placeholder without a value voids the list that holds it (a domain condition); a voided inner
    // list is left out of its parent.
    const direct = value.some(
      (item) => typeof item === "string" && Object.hasOwn(values, item) && values[item] === undefined
    )
    if (direct) return unresolved
    return value.map((item) => substitute(item, values)).filter((item) => item !== unresolved)
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([key, item]) => [key, substitute(item, values)] as const)
    return Object.fromEntries(entries.filter(([, item]) => item !== unresolved))
  }
  return value
}

/** The JSON body of a POST page request, with its placeholders filled; undefined for GET entities. */
export const pageBody = (context: PageContext, position: Position): unknown => {
  if (context.entity.body === undefined) return undefined
  const filled = substitute(context.entity.body, placeholders(context, position))
  return filled === unresolved ? {} : filled
}

const defaultRecordPaths = ["value", "data", "items", "results", "records", "d.results"]

/** The records array of a response body, or undefined when there is none. */
export const recordsOf = (entity: RestEntity, body: unknown): ReadonlyArray<unknown> | undefined => {
  if (entity.records !== undefined) {
    const found = valueAt(body, entity.records)
    return Array.isArray(found) ? found : undefined
  }
  if (Array.isArray(body)) return body
  for (const path of defaultRecordPaths) {
    const found = valueAt(body, path)
    if (Array.isArray(found)) return found
  }
  return undefined
}

/** The `rel="next"` target of an RFC 8288 Link header, if any. */
export const nextLinkHeader = (header: string | undefined): string | undefined => {
  if (header === undefined) return undefined
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part)
    if (match === null) continue
    const params = match[2] ?? ""
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(params)
    const relations = (rel?.[1] ?? rel?.[2] ?? "").toLowerCase().split(/\s+/)
    if (relations.includes("next")) return match[1]
  }
  return undefined
}

/** Where the page after this one is, or undefined when this was the last page. */
export const nextPosition = (
  context: PageContext,
  position: Position,
  requestUrl: string,
  records: ReadonlyArray<unknown>,
  body: unknown,
  headers: Readonly<Record<string, string>>
): Position | undefined => {
  const pagination = context.entity.pagination
  switch (pagination.type) {
    case "none":
      return undefined
    case "page": {
      if (records.length < context.pageSize) return undefined
      const current = position.kind === "page" ? position.page : (pagination.firstPage ?? 1)
      return { kind: "page", page: current + 1 }
    }
    case "offset": {
      if (records.length < context.pageSize) return undefined
      const current = position.kind === "offset" ? position.offset : 0
      return { kind: "offset", offset: current + records.length }
    }
    case "cursor": {
      const token = valueAt(body, pagination.nextCursor)
      if (records.length === 0 || token === undefined || token === null || token === "" || token === false)
        return undefined
      return { kind: "token", token: String(token) }
    }
    case "link-header": {
      const link = nextLinkHeader(headers.link)
      return link === undefined || records.length === 0
        ? undefined
        : { kind: "url", url: new URL(link, requestUrl).toString() }
    }
    case "odata-next-link": {
      const link = valueAt(body, pagination.nextLink ?? "@odata.nextLink")
      return typeof link === "string" && link !== "" && records.length > 0
        ? { kind: "url", url: new URL(link, requestUrl).toString() }
        : undefined
    }
  }
}
