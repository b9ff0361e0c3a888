// The settings of the generic REST adapter: where the API is, how to authenticate, and per entity the
// endpoint, how it pages, how to ask for changes only, and the field mapping to the canonical model.
import { Schema } from "effect"
import { EntityName, FieldMapping } from "../../core/erp/index.ts"
import { HttpAuth } from "../internal-http/Auth.ts"

const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
const Name = Schema.String.check(Schema.isNonEmpty())

/** One request returns everything. */
export const NoPagination = Schema.Struct({ type: Schema.Literal("none") })
/** `?page=1&per_page=N`, stopping at a short or empty page. */
export const PagePagination = Schema.Struct({
  type: Schema.Literal("page"),
  pageParam: Schema.optionalKey(Name),
  sizeParam: Schema.optionalKey(Name),
  /** The number of the first page (default 1). */
  firstPage: Schema.optionalKey(Schema.Int)
})
/** `?offset=0&limit=N`, stopping at a short or empty page. */
export const OffsetPagination = Schema.Struct({
  type: Schema.Literal("offset"),
  offsetParam: Schema.optionalKey(Name),
  limitParam: Schema.optionalKey(Name)
})
/** A next-page token in the body (`nextCursor` path), sent back as `cursorParam`; ends when it is absent/null. */
export const CursorPagination = Schema.Struct({
  type: Schema.Literal("cursor"),
  cursorParam: Schema.optionalKey(Name),
  nextCursor: Name,
  sizeParam: Schema.optionalKey(Name)
})
/** RFC 8288 (5988) `Link: <...>; rel="next"` headers (GitHub, Shopify, NetSuite-style APIs). */
export const LinkHeaderPagination = Schema.Struct({
  type: Schema.Literal("link-header"),
  sizeParam: Schema.optionalKey(Name)
})
/** OData v4 `@odata.nextLink` in the body (Business Central, Dynamics); asks `Prefer: odata.maxpagesize=N`. */
export const ODataPagination = Schema.Struct({
  type: Schema.Literal("odata-next-link"),
  /** Body path of the next link, default `@odata.nextLink` (OData v2 uses `d.__next`). */
  nextLink: Schema.optionalKey(Name)
})
export const Pagination = Schema.Union([
  NoPagination,
  PagePagination,
  OffsetPagination,
  CursorPagination,
  LinkHeaderPagination,
  ODataPagination
])
export type Pagination = typeof Pagination.Type

/**
 * Incremental reads: `field` is the record's modification marker (a timestamp or version). The next read
 * asks only for newer records with `param` (`?modified_since=<value>`) or a `filter` template whose `{value}`
 * is replaced (`lastModifiedDateTime gt {value}`), sent as `filterParam` (default `$filter`).
 */
export const Incremental = Schema.Struct({
  field: Name,
  param: Schema.optionalKey(Name),
  filter: Schema.optionalKey(
    Schema.String.check(Schema.isPattern(/\{value\}/, { expected: "a filter with a {value} placeholder" }))
  ),
  filterParam: Schema.optionalKey(Name)
})
export type Incremental = typeof Incremental.Type

/** A nested list (invoice lines, payment allocations) and the mapping of each element. */
export const NestedMapping = Schema.Struct({ from: Name, mapping: FieldMapping })
export type NestedMapping = typeof NestedMapping.Type

/**
 * Where a document's bytes are: `url` is the source path of its download URL (absolute, or relative to
 * `baseUrl`; it must be on the base URL's host, as the adapter's credentials are sent with it).
 */
export const RestContent = Schema.Struct({ url: Name })
export type RestContent = typeof RestContent.Type

/** How one entity is read. */
export const RestEntity = Schema.Struct({
  /** Path under `baseUrl` ("/invoices", "/companies(123)/salesInvoices"), or an absolute URL. */
  path: Name,
  /** Extra query parameters sent on every request of this entity (`$expand`, `$orderby`, `status`). */
  query: Schema.optionalKey(Schema.Record(Schema.String, Schema.String)),
  /**
   * A JSON body makes the requests POSTs (JSON-RPC style APIs such as Odoo's JSON-2 `search_read`). Strings that are exactly `{{offset}}`, `{{limit}}`, `{{page}}` (sent as numbers),
   * `{{cursor}}` or `{{since}}` are replaced; a list holding a placeholder with no value (no `since` on a
   * full read) is left out, so `["write_date", ">", "{{since}}"]` disappears from a domain when not needed.
   * With a body, paging and `since` travel in it instead of the query string.
   */
  body: Schema.optionalKey(Schema.Unknown),
  /** Treat `false` as "no value" (Odoo sends `false` for unset fields and many-to-one links). */
  falseIsNull: Schema.optionalKey(Schema.Boolean),
  /** Body path of the records array; default: the body itself when it is an array, else the first of `value`, `data`, `items`, `results`, `records`, `d.results`. */
  records: Schema.optionalKey(Name),
  /** Source path of the record's id. */
  id: Name,
  /** Source path of the record's revision (ETag, version, modified time), if any. */
  revision: Schema.optionalKey(Name),
  pagination: Pagination,
  incremental: Schema.optionalKey(Incremental),
  /** Canonical header fields (see `targetFields` in core/erp/Normalize.ts) from source paths. */
  mapping: FieldMapping,
  /** Invoice and credit-note lines. */
  lines: Schema.optionalKey(NestedMapping),
  /** Payment allocations. */
  allocations: Schema.optionalKey(NestedMapping),
  /** Documents: where each record's bytes are downloaded from. Without it documents are not synced. */
  content: Schema.optionalKey(RestContent)
})
export type RestEntity = typeof RestEntity.Type

/** Settings of the `rest` adapter. */
export const RestConfig = Schema.Struct({
  baseUrl: Schema.String.check(Schema.isPattern(/^https?:\/\/\S+$/, { expected: "an http(s) URL" })),
  auth: HttpAuth,
  /** Headers sent on every request (`Accept-Language`, `X-Odoo-Database`); not for secrets. */
  headers: Schema.optionalKey(Schema.Record(Schema.String, Schema.String)),
  /** Records per request where the API takes a size (default 100). */
  pageSize: Schema.optionalKey(PositiveInt),
  /** Seconds to wait for one response (default 60). */
  timeoutSeconds: Schema.optionalKey(PositiveInt),
  /** Retries of a retryable failure (429, 408, 5xx, time-out, connection), default 5. */
  maxRetries: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
  entities: Schema.Record(EntityName, Schema.optionalKey(RestEntity))
})
export type RestConfig = typeof RestConfig.Type
