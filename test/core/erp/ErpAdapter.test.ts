import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Result, Schema, Stream } from "effect"
import {
  cursorCodec,
  decodeCanonical,
  defineManifest,
  ErpAdapter,
  type ErpAdapterDefinition,
  layerAdapter,
  sourceRecord
} from "../../../core/erp/index.ts"

const Config = Schema.Struct({ count: Schema.Int })
const cursors = cursorCodec(Schema.Struct({ next: Schema.Int }))

const counting: ErpAdapterDefinition<typeof Config.Type> = {
  manifest: defineManifest({
    id: "counting",
    version: "0.1.0",
    displayName: "Counting",
    config: Config,
    capabilities: { entities: { accounts: { syncModes: ["full", "incremental"], primaryKey: ["n"] } }, writeBack: [] }
  }),
  make: (config, source) =>
    Effect.succeed({
      adapterId: "counting",
      sourceId: source.sourceId,
      check: () => Effect.succeed({ ok: true, checks: [{ name: "count", ok: true, message: String(config.count) }] }),
      discover: () => Effect.succeed({ entities: [{ entity: "accounts", available: true, count: config.count }] }),
      read: (entity, cursor) =>
        Stream.unwrap(
          Effect.map(
            Option.isNone(cursor) ? Effect.succeed(0) : Effect.map(cursors.decode(cursor.value), (c) => c.next),
            (from) =>
              Stream.range(from, config.count - 1).pipe(
                Stream.map((n) =>
                  sourceRecord({
                    entity,
                    externalId: `A${n}`,
                    data: { n },
                    cursor: cursors.encode({ next: n + 1 })
                  })
                )
              )
          )
        ),
      decode: (record) => decodeCanonical(record.entity, record.data)
    })
}

describe("ErpAdapter port", () => {
  it.effect("layerAdapter decodes the settings and provides the port", () =>
    Effect.gen(function* () {
      const adapter = yield* ErpAdapter
      assert.strictEqual(adapter.sourceId, "numbers")
      const discovered = yield* adapter.discover()
      assert.deepStrictEqual(discovered.entities, [{ entity: "accounts", available: true, count: 3 }])
      const first = yield* Stream.runCollect(adapter.read("accounts", Option.none()).pipe(Stream.take(2)))
      const last = first[first.length - 1]
      assert.strictEqual(last?._tag, "SourceRecord")
      const rest = yield* Stream.runCollect(adapter.read("accounts", Option.fromNullishOr(last?.cursor)))
      assert.deepStrictEqual(
        [...first, ...rest].map((item) => (item._tag === "SourceRecord" ? item.externalId : "?")),
        ["A0", "A1", "A2"]
      )
      // The raw data is not an Account: decode says so instead of throwing.
      const rejected = last?._tag === "SourceRecord" ? adapter.decode(last) : undefined
      assert.isTrue(rejected !== undefined && Result.isFailure(rejected))
    }).pipe(Effect.provide(layerAdapter(counting, { sourceId: "numbers" }, { count: 3 })))
  )

  it.effect("a layer built from bad settings fails with the field named", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Effect.provide(
          Effect.gen(function* () {
            return yield* ErpAdapter
          }),
          layerAdapter(counting, { sourceId: "numbers" }, { count: "three" })
        )
      )
      assert.strictEqual(error.reason._tag, "SchemaMismatch")
      assert.include(error.message, "count")
    })
  )
})
