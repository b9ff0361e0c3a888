// The SQL adapter's settings: the example in docs/adapters-sql.md decodes and builds an adapter (nothing
// connects until the first operation), and bad settings fail naming the field.
import { readFileSync } from "node:fs"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Redacted, Schema } from "effect"
import { SqlAdapterConfig, sqlAdapter } from "../../../adapters/sql/index.ts"
import { makeAdapter } from "../../../core/erp/index.ts"

const exampleSettings = (): unknown => {
  const markdown = readFileSync(new URL("../../../docs/adapters-sql.md", import.meta.url), "utf8")
  const block = /### Example\s+```json\n([\s\S]*?)\n```/.exec(markdown)?.[1]
  if (block === undefined) throw new Error("docs/adapters-sql.md has no JSON example under ### Example")
  return JSON.parse(block)
}

describe("SqlAdapterConfig", () => {
  it("decodes the documented example, with the URL redacted", () => {
    const config = Schema.decodeUnknownSync(SqlAdapterConfig)(exampleSettings())
    expect(Object.keys(config.entities)).toEqual(["accounts", "invoices", "payments"])
    expect(String(config.url)).not.toContain("s3cret")
    expect(Redacted.value(config.url)).toContain("s3cret")
  })

  it.effect("builds an adapter from the documented example without connecting", () =>
    Effect.gen(function* () {
      const adapter = yield* makeAdapter(sqlAdapter, { sourceId: "erp" }, exampleSettings())
      assert.strictEqual(adapter.adapterId, "sql")
      assert.strictEqual(adapter.sourceId, "erp")
    }).pipe(Effect.scoped)
  )

  it.effect("bad settings fail naming the field, and never echo the secret", () =>
    Effect.gen(function* () {
      const settings = { url: "postgres://r:s3cret@db/erp", batchSize: 0, entities: {} }
      const error = yield* Effect.flip(makeAdapter(sqlAdapter, { sourceId: "erp" }, settings))
      assert.strictEqual(error.reason._tag, "SchemaMismatch")
      expect(error.message).toContain("batchSize")
      expect(error.message).not.toContain("s3cret")
    }).pipe(Effect.scoped)
  )
})
