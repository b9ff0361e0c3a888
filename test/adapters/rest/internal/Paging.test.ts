// Page URLs, POST bodies, record arrays and next-page positions for each pagination style.
import { assert, describe, it } from "@effect/vitest"
import {
  nextLinkHeader,
  nextPosition,
  pageBody,
  pageUrl,
  recordsOf
} from "../../../../adapters/rest/internal/Paging.ts"
import type { RestEntity } from "../../../../adapters/rest/RestConfig.ts"

const entity = (overrides: Partial<RestEntity>): RestEntity => ({
  path: "/invoices",
  id: "id",
  mapping: {},
  pagination: { type: "none" },
  ...overrides
})
const context = (overrides: Partial<RestEntity>, since?: string) => ({
  baseUrl: "https://api.example.com/v1/",
  entity: entity(overrides),
  pageSize: 2,
  since
})

describe("pageUrl", () => {
  it("builds page, offset and cursor requests with the size and the changes filter", () => {
    assert.strictEqual(
      pageUrl(
        context(
          { pagination: { type: "page" }, incremental: { field: "updated", param: "modified_since" } },
          "2026-01-01T00:00:00Z"
        ),
        { kind: "page", page: 3 }
      ),
      "https://api.example.com/v1/invoices?modified_since=2026-01-01T00%3A00%3A00Z&page=3&per_page=2"
    )
    assert.strictEqual(
      pageUrl(context({ pagination: { type: "offset", offsetParam: "skip", limitParam: "take" } }), {
        kind: "offset",
        offset: 4
      }),
      "https://api.example.com/v1/invoices?skip=4&take=2"
    )
    assert.strictEqual(
      pageUrl(context({ pagination: { type: "cursor", nextCursor: "next" } }), { kind: "token", token: "a/b" }),
      "https://api.example.com/v1/invoices?cursor=a%2Fb&limit=2"
    )
  })

  it("joins an OData filter template with the entity's own filter and keeps $ names readable", () => {
    const url = pageUrl(
      context(
        {
          query: { $filter: "status eq 'Open'", $expand: "salesInvoiceLines" },
          pagination: { type: "odata-next-link" },
          incremental: { field: "lastModifiedDateTime", filter: "lastModifiedDateTime gt {value}" }
        },
        "2026-01-01T00:00:00Z"
      ),
      { kind: "start" }
    )
    assert.strictEqual(
      decodeURIComponent(url),
      "https://api.example.com/v1/invoices?$filter=(status eq 'Open') and lastModifiedDateTime gt 2026-01-01T00:00:00Z&$expand=salesInvoiceLines"
    )
  })

  it("uses a server's next link verbatim", () => {
    assert.strictEqual(
      pageUrl(context({}), { kind: "url", url: "https://api.example.com/v1/invoices?$skiptoken=9" }),
      "https://api.example.com/v1/invoices?$skiptoken=9"
    )
  })
})

describe("pageBody", () => {
  it("fills paging placeholders as numbers and leaves out conditions without a value", () => {
    const body = {
      domain: [
        ["move_type", "=", "out_invoice"],
        ["write_date", ">", "{{since}}"]
      ],
      offset: "{{offset}}",
      limit: "{{limit}}",
      since: "{{since}}"
    }
    assert.deepStrictEqual(pageBody(context({ pagination: { type: "offset" }, body }), { kind: "offset", offset: 6 }), {
      domain: [["move_type", "=", "out_invoice"]],
      offset: 6,
      limit: 2
    })
    assert.deepStrictEqual(
      pageBody(context({ pagination: { type: "offset" }, body }, "2026-01-01 10:00:00"), { kind: "start" }),
      {
        domain: [
          ["move_type", "=", "out_invoice"],
          ["write_date", ">", "2026-01-01 10:00:00"]
        ],
        offset: 0,
        limit: 2,
        since: "2026-01-01 10:00:00"
      }
    )
    assert.isUndefined(pageBody(context({}), { kind: "start" }))
  })

  it("keeps paging out of the query string when it travels in the body", () => {
    assert.strictEqual(
      pageUrl(context({ pagination: { type: "offset" }, body: { offset: "{{offset}}" } }), {
        kind: "offset",
        offset: 2
      }),
      "https://api.example.com/v1/invoices"
    )
  })
})

describe("recordsOf", () => {
  it("finds the records array at a path, or at the usual places", () => {
    assert.deepStrictEqual(recordsOf(entity({ records: "payload.rows" }), { payload: { rows: [1] } }), [1])
    assert.deepStrictEqual(recordsOf(entity({}), [1, 2]), [1, 2])
    assert.deepStrictEqual(recordsOf(entity({}), { value: [3] }), [3])
    assert.deepStrictEqual(recordsOf(entity({}), { d: { results: [4] } }), [4])
    assert.isUndefined(recordsOf(entity({}), { count: 0 }))
  })
})

describe("nextLinkHeader", () => {
  it("finds rel=next among several links, quoted or not, with several relations", () => {
    assert.strictEqual(
      nextLinkHeader('<https://a/x?page=1>; rel="first", <https://a/x?page=3>; rel="next"'),
      "https://a/x?page=3"
    )
    assert.strictEqual(nextLinkHeader('</x?after=abc>; rel=next; title="Next, page"'), "/x?after=abc")
    assert.strictEqual(nextLinkHeader('<https://a/x?p=2>; rel="prefetch next"'), "https://a/x?p=2")
    assert.isUndefined(nextLinkHeader('<https://a/x?page=1>; rel="prev"'))
    assert.isUndefined(nextLinkHeader(undefined))
  })
})

describe("nextPosition", () => {
  const none = {}
  it("stops page and offset paging at a short page", () => {
    const page = context({ pagination: { type: "page" } })
    assert.deepStrictEqual(nextPosition(page, { kind: "start" }, "u", [1, 2], none, none), { kind: "page", page: 2 })
    assert.isUndefined(nextPosition(page, { kind: "page", page: 2 }, "u", [1], none, none))
    const offset = context({ pagination: { type: "offset" } })
    assert.deepStrictEqual(nextPosition(offset, { kind: "offset", offset: 2 }, "u", [1, 2], none, none), {
      kind: "offset",
      offset: 4
    })
  })

  it("follows a body cursor, a Link header and an @odata.nextLink until they are absent", () => {
    const cursor = context({ pagination: { type: "cursor", nextCursor: "meta.next" } })
    assert.deepStrictEqual(nextPosition(cursor, { kind: "start" }, "u", [1], { meta: { next: "t2" } }, none), {
      kind: "token",
      token: "t2"
    })
    assert.isUndefined(nextPosition(cursor, { kind: "start" }, "u", [1], { meta: { next: null } }, none))
    const link = context({ pagination: { type: "link-header" } })
    assert.deepStrictEqual(
      nextPosition(link, { kind: "start" }, "https://api.example.com/v1/invoices", [1], none, {
        link: '</v1/invoices?offset=2>; rel="next"'
      }),
      { kind: "url", url: "https://api.example.com/v1/invoices?offset=2" }
    )
    const odata = context({ pagination: { type: "odata-next-link" } })
    assert.deepStrictEqual(
      nextPosition(
        odata,
        { kind: "start" },
        "https://h/x",
        [1],
        { "@odata.nextLink": "https://h/x?$skiptoken=5" },
        none
      ),
      { kind: "url", url: "https://h/x?$skiptoken=5" }
    )
    assert.isUndefined(nextPosition(odata, { kind: "start" }, "https://h/x", [1], { value: [] }, none))
  })
})
