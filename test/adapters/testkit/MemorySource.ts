// An in-memory ERP source and adapter for testing the conformance kit itself, with switchable faults
// that each break one rule of the contract.
import { Effect, Option, Result, Schema, Stream } from "effect"
import type { SourceFixture } from "../../../adapters/testkit/index.ts"
import {
  type CanonicalRecord,
  canonical,
  cursorCodec,
  decodeCanonical,
  defineManifest,
  type EntityName,
  type ErpAdapterShape,
  ErpErrors,
  type ReadItem,
  RecordRejected,
  rejectedRecord,
  sourceRecord
} from "../../../core/erp/index.ts"

/** Ways the memory adapter can break the contract. */
export type Fault =
  | "none"
  | "cursor-repeats-record"
  | "full-read-drops-last"
  | "incremental-ignores-cursor"
  | "swallows-bad-records"
  | "secret-in-error"
  | "secret-in-log"
  | "wrong-decoding"

const entities: ReadonlyArray<EntityName> = ["accounts", "invoices", "payments"]

export const memoryManifest = defineManifest({
  id: "memory",
  version: "1.0.0",
  displayName: "In-memory source",
  config: Schema.Struct({}),
  capabilities: {
    entities: {
      accounts: { syncModes: ["full", "incremental"], primaryKey: ["id"], cursorField: "log position" },
      invoices: { syncModes: ["full", "incremental"], primaryKey: ["id"], cursorField: "log position" },
      payments: { syncModes: ["full", "incremental"], primaryKey: ["id"], cursorField: "log position" }
    },
    writeBack: []
  }
})

const cursors = cursorCodec(Schema.Struct({ position: Schema.Int }))

interface Entry {
  readonly entity: EntityName
  readonly externalId: string
  readonly data: unknown
}

/** The memory source: an append-only log; a read returns the latest version of each record after a position. */
export const memoryFixture =
  (fault: Fault, secret = "hunter2-secret") =>
  (context: { readonly sourceId: string }): Effect.Effect<SourceFixture> =>
    Effect.sync(() => {
      let log: Array<Entry> = []
      const entry = (record: CanonicalRecord): Entry => ({
        entity: record.entity,
        externalId: record.value.source.externalId,
        data: JSON.parse(JSON.stringify(record.value))
      })
      const read = (
        entity: EntityName,
        cursor: Option.Option<ReadItem["cursor"]>
      ): Stream.Stream<ReadItem, ReturnType<typeof ErpErrors.notFound>> =>
        Stream.unwrap(
          Effect.gen(function* () {
            const from =
              Option.isNone(cursor) || fault === "incremental-ignores-cursor"
                ? 0
                : (yield* cursors.decode(cursor.value)).position
            if (fault === "secret-in-log") yield* Effect.logDebug(`reading with password ${secret}`)
            const items: Array<ReadItem> = []
            log.forEach((e, index) => {
              if (index < from || e.entity !== entity) return
              const later = log.slice(index + 1).some((o) => o.entity === e.entity && o.externalId === e.externalId)
              if (later) return
              const next = cursors.encode({ position: fault === "cursor-repeats-record" ? index : index + 1 })
              if (e.externalId.startsWith("BAD-") && fault !== "swallows-bad-records") {
                items.push(
                  rejectedRecord({
                    entity,
                    externalId: e.externalId,
                    raw: e.data,
                    rejection: new RecordRejected({ path: "", reason: "marked bad by the source" }),
                    cursor: next
                  })
                )
              } else if (!e.externalId.startsWith("BAD-")) {
                items.push(sourceRecord({ entity, externalId: e.externalId, data: e.data, cursor: next }))
              }
            })
            return Stream.fromIterable(
              fault === "full-read-drops-last" && Option.isNone(cursor) ? items.slice(0, -1) : items
            )
          })
        )
      const adapter: ErpAdapterShape = {
        adapterId: "memory",
        sourceId: context.sourceId,
        check: () =>
          fault === "secret-in-error"
            ? Effect.fail(ErpErrors.authentication({ message: `login with ${secret} refused` }))
            : Effect.succeed({ ok: true, checks: [{ name: "memory", ok: true, message: `${log.length} entries` }] }),
        discover: () => Effect.succeed({ entities: entities.map((entity) => ({ entity, available: true })) }),
        read,
        decode: (record) =>
          Result.map(decodeCanonical(record.entity, record.data), (decoded) =>
            fault === "wrong-decoding" && decoded.entity === "invoices"
              ? canonical("invoices", { ...decoded.value, number: `${decoded.value.number}-X` })
              : decoded
          )
      }
      return {
        sourceId: context.sourceId,
        entities,
        adapter: Effect.succeed(adapter),
        seed: (records) =>
          Effect.sync(() => {
            log = records.map(entry)
          }),
        apply: (changes) => Effect.sync(() => void log.push(...changes.map(entry))),
        corrupt: (record) =>
          Effect.sync(() => {
            log.push({ entity: record.entity, externalId: "BAD-1", data: { broken: true } })
            return { externalId: "BAD-1" }
          }),
        supportsUpdates: true,
        pageSize: 4,
        pagedEntity: "invoices",
        secrets: [secret]
      } satisfies SourceFixture
    })
