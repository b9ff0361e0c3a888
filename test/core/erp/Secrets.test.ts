import { inspect } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted, Schema, Stream } from "effect"
import {
  defineManifest,
  type ErpAdapterDefinition,
  ErpErrors,
  makeAdapter,
  Secret,
  scrub,
  secretsOf
} from "../../../core/erp/index.ts"

const Config = Schema.Struct({
  baseUrl: Schema.String,
  apiKey: Secret,
  auth: Schema.Struct({ user: Schema.String, password: Secret }),
  pageSize: Schema.Int
})
type Config = typeof Config.Type

const definition: ErpAdapterDefinition<Config> = {
  manifest: defineManifest({
    id: "secret-test",
    version: "0.1.0",
    displayName: "Secret test",
    config: Config,
    capabilities: { entities: { invoices: { syncModes: ["full"], primaryKey: ["number"] } }, writeBack: [] }
  }),
  make: (config, source) =>
    Effect.succeed({
      adapterId: "secret-test",
      sourceId: source.sourceId,
      check: () =>
        Effect.fail(ErpErrors.authentication({ message: `401 from ${config.baseUrl} for ${config.auth.user}` })),
      discover: () => Effect.succeed({ entities: [] }),
      read: () => Stream.empty,
      decode: () => {
        throw new Error("not used")
      }
    })
}

const settings = {
  baseUrl: "https://erp.example",
  apiKey: "KEY-s3cr3t",
  auth: { user: "ar", password: "pw-s3cr3t" },
  pageSize: 100
}

describe("secrets", () => {
  it("a JSON config's secret strings decode to Redacted values that never print", () => {
    const config = Schema.decodeUnknownSync(Config)(settings)
    for (const text of [String(config.apiKey), JSON.stringify(config), inspect(config, { depth: 5 })]) {
      assert.notInclude(text, "KEY-s3cr3t")
      assert.notInclude(text, "pw-s3cr3t")
    }
    assert.strictEqual(Redacted.value(config.apiKey), "KEY-s3cr3t")
    assert.throws(() => Schema.encodeSync(Config)(config))
  })

  it.effect("invalid settings are reported by field, without the secrets", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Effect.scoped(makeAdapter(definition, { sourceId: "erp" }, { ...settings, pageSize: "many" }))
      )
      assert.strictEqual(error.reason._tag, "SchemaMismatch")
      assert.include(error.message, "pageSize")
      assert.include(error.message, 'adapter "secret-test"')
      for (const text of [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 8 })]) {
        assert.notInclude(text, "KEY-s3cr3t")
        assert.notInclude(text, "pw-s3cr3t")
      }
    })
  )

  it.effect("errors from a built adapter carry no secrets", () =>
    Effect.gen(function* () {
      const adapter = yield* makeAdapter(definition, { sourceId: "erp" }, settings)
      const error = yield* Effect.flip(adapter.check())
      assert.strictEqual(error.message, "Authentication: 401 from https://erp.example for ar")
    }).pipe(Effect.scoped)
  )

  it("finds every Redacted value in a config and scrubs it from foreign text", () => {
    const config = Schema.decodeUnknownSync(Config)(settings)
    assert.deepStrictEqual([...secretsOf(config)].sort(), ["KEY-s3cr3t", "pw-s3cr3t"])
    assert.strictEqual(
      scrub('{"error":"bad key KEY-s3cr3t for pw-s3cr3t"}', secretsOf(config)),
      '{"error":"bad key <redacted> for <redacted>"}'
    )
  })
})
