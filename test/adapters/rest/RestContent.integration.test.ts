// The REST adapter's document content against a real JSON API server: bytes downloaded exactly with the
// adapter's credentials from a relative or absolute URL on the base URL's host; another host, a record without
// a URL, a missing file and refused credentials are ErpErrors with the right reason, and no secret leaks.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Result, Stream } from "effect"
import { RestAdapter } from "../../../adapters/rest/index.ts"
import { makeAdapter, readContent } from "../../../core/erp/index.ts"
import * as JsonApiServer from "./JsonApiServer.ts"

const secret = "tok-docs-7Hq-secret"

const documentsEntity = {
  path: "/attachments",
  id: "id",
  pagination: { type: "none" },
  mapping: { accountNumber: "customer", fileName: "name", contentType: "type" },
  content: { url: "links.download" }
}

describe("REST adapter: document content", () => {
  it.effect("downloads exactly, with credentials, only from the base URL's host", () =>
    Effect.gen(function* () {
      const server = yield* JsonApiServer.make({
        auth: { type: "bearer", token: secret },
        pagination: "page",
        collections: ["/attachments"]
      })
      const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256)
      server.putFile("/files/a.pdf", bytes)
      const row = (id: string, download: string | undefined) => ({
        id,
        customer: "C1",
        name: `${id}.pdf`,
        type: "application/pdf",
        ...(download === undefined ? {} : { links: { download } })
      })
      server.put("/attachments", row("relative", "files/a.pdf"))
      server.put("/attachments", row("absolute", `${server.origin}/files/a.pdf`))
      server.put("/attachments", row("elsewhere", "http://files.example.invalid/a.pdf"))
      server.put("/attachments", row("no-url", undefined))
      server.put("/attachments", row("gone", "/files/gone.pdf"))
      const settings = (token: string) => ({
        baseUrl: server.origin,
        auth: { type: "bearer", token },
        maxRetries: 0,
        entities: { documents: documentsEntity }
      })
      const adapter = yield* makeAdapter(RestAdapter, { sourceId: "api" }, settings(secret))
      const content = adapter.content
      if (content === undefined) return assert.fail("documents with content.url must give a content operation")
      const items = yield* Stream.runCollect(adapter.read("documents", Option.none()))
      const outcome = (id: string) =>
        Effect.gen(function* () {
          const item = items.find((i) => i._tag === "SourceRecord" && i.externalId === id)
          if (item === undefined || item._tag !== "SourceRecord") return yield* Effect.die(`no record ${id}`)
          return yield* Effect.result(readContent(content(item), 1_000_000))
        })
      for (const id of ["relative", "absolute"]) {
        const got = yield* outcome(id)
        assert.isTrue(Result.isSuccess(got), id)
        if (Result.isSuccess(got)) assert.deepStrictEqual([...got.success], [...bytes])
      }
      const downloads = server.dataRequests().filter((r) => r.path === "/files/a.pdf")
      assert.strictEqual(downloads.length, 2)
      for (const request of downloads) assert.strictEqual(request.headers.authorization, `Bearer ${secret}`)
      const failure = (id: string) =>
        Effect.map(outcome(id), (got) => (Result.isFailure(got) ? got.failure : undefined))
      const elsewhere = yield* failure("elsewhere")
      assert.strictEqual(elsewhere?._tag, "ErpError")
      assert.match(elsewhere?.message ?? "", /^SchemaMismatch.*another host \(files\.example\.invalid\)/)
      assert.match((yield* failure("no-url"))?.message ?? "", /^SchemaMismatch.*no download URL at "links\.download"/)
      assert.match((yield* failure("gone"))?.message ?? "", /^NotFound/)

      const refused = yield* makeAdapter(RestAdapter, { sourceId: "api" }, settings(`${secret}-old`))
      const item = items.find((i) => i._tag === "SourceRecord" && i.externalId === "relative")
      if (refused.content === undefined || item === undefined || item._tag !== "SourceRecord") return assert.fail()
      const denied = yield* Effect.flip(readContent(refused.content(item), 1_000_000))
      assert.match(denied.message, /^Authentication/)
      assert.notInclude(denied.message, secret)
    }).pipe(Effect.scoped)
  )

  it.effect("no content operation without content settings", () =>
    Effect.gen(function* () {
      const server = yield* JsonApiServer.make({ auth: { type: "none" }, pagination: "page" })
      const { content: _url, ...withoutContent } = documentsEntity
      const adapter = yield* makeAdapter(
        RestAdapter,
        { sourceId: "api" },
        { baseUrl: server.origin, auth: { type: "none" }, entities: { documents: withoutContent } }
      )
      assert.isUndefined(adapter.content)
    }).pipe(Effect.scoped)
  )
})
