// SQL documents on PostgreSQL: read pages leave the bytea column out (the bytes move only through
// `content`), and `content` finds a document by its key and reads its bytes exactly.
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Option, Scope, Stream } from "effect"
import * as fc from "fast-check"
import { datasetOf, documentBytes } from "../../../adapters/testkit/index.ts"
import { readContent } from "../../../core/erp/index.ts"
import { postgresAvailability } from "../../support/Requirements.ts"
import { erpDatabase } from "./support/ErpDatabase.ts"
import { sqlSourceFixture } from "./support/SqlSourceFixture.ts"

const availability = await postgresAvailability()
const scope = Effect.runSync(Scope.make())
const database = availability.available ? await Effect.runPromise(Scope.provide(erpDatabase(), scope)) : undefined
afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

describe.skipIf(database === undefined)("SQL adapter documents (PostgreSQL)", () => {
  it.live("pages carry no bytes; content reads them by key", () =>
    Effect.gen(function* () {
      if (database === undefined) return
      const fixture = yield* sqlSourceFixture(database, { sourceId: "erp", batchSize: 2 })
      const [records = []] = fc.sample(datasetOf(["documents"], 3, 1, { sourceId: "erp" }), { numRuns: 1, seed: 7 })
      yield* Effect.orDie(fixture.seed(records))
      const adapter = yield* fixture.adapter
      const content = adapter.content
      if (content === undefined) return assert.fail("contentColumn must give a content operation")
      const items = yield* Stream.runCollect(adapter.read("documents", Option.none()))
      assert.strictEqual(items.length, 3)
      for (const item of items) {
        if (item._tag !== "SourceRecord") return assert.fail(item.rejection.message)
        const data = item.data
        assert.isFalse(typeof data === "object" && data !== null && "content" in data, "no bytes in the row")
        const record = records.find((r) => r.value.source.externalId === item.externalId)
        if (record?.entity !== "documents") return assert.fail(`unexpected ${item.externalId}`)
        const bytes = yield* readContent(content(item), 1_000_000)
        assert.deepStrictEqual([...bytes], [...documentBytes(record.value)])
      }
      const missing = yield* Effect.flip(readContent(content({ externalId: "DOC-404", data: {} }), 1_000))
      assert.match(missing.message, /^NotFound.*no longer in the source/)
    }).pipe(Effect.scoped)
  )
})
