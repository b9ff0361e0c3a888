// The sync engine with documents, on PGlite and on the PostgreSQL server: metadata decoded, bytes fetched
// through the adapter's `content` (retried when a retry can help), hashed and stored; unchanged documents not
// rewritten (nor fetched, when the source states their hash); failed, oversized or mismatching bytes
// quarantined with the reason; a synced document downloadable by its account only.
import { createHash } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, Schema, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { CurrentPrincipal, type Principal } from "../../../core/access/Principal.ts"
import { AccountId, DocumentId } from "../../../core/domain/index.ts"
import {
  type CanonicalRecord,
  canonicalId,
  cursorCodec,
  decodeCanonical,
  type EntityName,
  type ErpAdapterShape,
  ErpErrors,
  type ReadItem,
  sourceRecord
} from "../../../core/erp/index.ts"
import { Documents } from "../../../core/store/Documents.ts"
import { SyncEngine } from "../../../core/sync/SyncEngine.ts"
import type { SyncRun } from "../../../core/sync/SyncRun.ts"
import { backends } from "../../support/Databases.ts"
import { account, invoice } from "./support/Dataset.ts"
import { syncLayer } from "./support/SyncHarness.ts"

const sourceId = "erp"
const cursors = cursorCodec(Schema.Struct({ position: Schema.Int }))
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")
const text = (value: string) => new TextEncoder().encode(value)

interface Entry {
  readonly entity: EntityName
  readonly externalId: string
  readonly data: unknown
}

/** A raw document record: canonical metadata plus the key its bytes are found by. */
const doc = (externalId: string, key: string, extra: Record<string, unknown> = {}): Entry => ({
  entity: "documents",
  externalId,
  data: {
    id: canonicalId(sourceId, externalId),
    accountId: canonicalId(sourceId, "C1"),
    source: { source: sourceId, externalId },
    fileName: `${externalId}.pdf`,
    contentType: "application/pdf",
    key,
    ...extra
  }
})

const entryOf = (record: CanonicalRecord): Entry => ({
  entity: record.entity,
  externalId: record.value.source.externalId,
  data: record.value
})

/**
 * An in-memory source: an append-only log read from a position, and document bytes by key. "flaky" fails
 * once with a retryable error, "missing" is NotFound, "endless" never ends (only a size limit stops it).
 */
const memorySource = (options: { readonly withContent: boolean }) => {
  const log: Array<Entry> = []
  const bytes = new Map<string, Uint8Array>()
  const fetches: Array<string> = []
  let flakyFailed = false
  const read = (entity: EntityName, cursor: Option.Option<ReadItem["cursor"]>) =>
    Stream.unwrap(
      Effect.gen(function* () {
        const from = Option.isNone(cursor) ? 0 : (yield* cursors.decode(cursor.value)).position
        return Stream.fromIterable(
          log.flatMap((e, index) =>
            index < from || e.entity !== entity
              ? []
              : [sourceRecord({ ...e, cursor: cursors.encode({ position: index + 1 }) })]
          )
        )
      })
    )
  const keyOf = (data: unknown) =>
    typeof data === "object" && data !== null && "key" in data && typeof data.key === "string" ? data.key : ""
  const content = (record: { readonly data: unknown }) =>
    Stream.unwrap(
      Effect.sync(() => {
        const key = keyOf(record.data)
        fetches.push(key)
        if (key === "endless") return Stream.forever(Stream.make(new Uint8Array(1024)))
        if (key === "flaky" && !flakyFailed) {
          flakyFailed = true
          return Stream.fail(ErpErrors.connection({ message: "connection reset", operation: "content" }))
        }
        const found = bytes.get(key)
        return found === undefined
          ? Stream.fail(ErpErrors.notFound({ message: `no file ${key}`, operation: "content" }))
          : Stream.make(found.subarray(0, 3), found.subarray(3))
      })
    )
  const adapter: ErpAdapterShape = {
    adapterId: "memory",
    sourceId,
    check: () => Effect.succeed({ ok: true, checks: [] }),
    discover: () =>
      Effect.succeed({
        entities: (["accounts", "invoices", "documents"] as const).map((entity) => ({ entity, available: true }))
      }),
    read,
    decode: (record) => decodeCanonical(record.entity, record.data),
    ...(options.withContent ? { content } : {})
  }
  return { log, bytes, fetches, adapter }
}

const report = (run: SyncRun) => {
  const found = run.entities.find((e) => e.entity === "documents")
  if (found === undefined) throw new Error("no report for documents")
  return found
}

const stored = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return yield* sql<{ external_id: string; size: number; sha256: string; revision: number; content: Uint8Array }>`
    select external_id, size, sha256, revision, content from portico.documents order by external_id`
})

const resetCursors = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`delete from portico.sync_cursors`
})

const fast = { retry: { base: "1 millis" } } as const

for (const backend of await backends()) {
  describe.skipIf(!backend.availability.available)(`SyncEngine documents on ${backend.name}`, () => {
    it.live(
      "stores fetched bytes with their size and hash; quarantines what cannot be had; re-syncs nothing unchanged",
      () =>
        Effect.gen(function* () {
          const source = memorySource({ withContent: true })
          const pdf = text("%PDF-1.7 delivery note")
          const other = text("%PDF-1.7 timesheet")
          source.bytes.set("a", pdf)
          source.bytes.set("b", other)
          source.bytes.set("flaky", text("%PDF-1.7 flaky"))
          source.log.push(
            entryOf(account(sourceId, 1)),
            entryOf(invoice(sourceId, 1, 1)),
            doc("D1", "a", { invoiceId: canonicalId(sourceId, "INV-1") }),
            doc("D2", "b", { sha256: sha256(other), size: other.byteLength }),
            doc("D3", "flaky"),
            doc("D4", "missing"),
            doc("D5", "endless"),
            doc("D6", "a", { sha256: "0".repeat(64) }),
            doc("D7", "a", { accountId: canonicalId(sourceId, "C9") }),
            doc("D8", "a", { invoiceId: canonicalId(sourceId, "INV-9") })
          )
          const engine = yield* SyncEngine
          const first = yield* engine.run(source.adapter, { ...fast, maxDocumentBytes: 4096, documentBatchSize: 3 })
          assert.strictEqual(first.status, "succeeded")
          const documents = report(first)
          assert.deepStrictEqual(
            { read: documents.read, inserted: documents.inserted, quarantined: documents.quarantined },
            { read: 8, inserted: 3, quarantined: 5 }
          )
          assert.strictEqual(documents.batches, 3)
          const reasons = new Map(first.quarantined.map((q) => [q.externalId, q.reason]))
          assert.match(reasons.get("D4") ?? "", /its content could not be read: NotFound.*no file missing/)
          assert.strictEqual(reasons.get("D5"), "its content is larger than the limit of 4096 bytes")
          assert.match(reasons.get("D6") ?? "", /states sha256 0{64} but its content hashes to/)
          assert.match(reasons.get("D7") ?? "", /account erp:C9 is not in the store/)
          assert.match(reasons.get("D8") ?? "", /invoice erp:INV-9, which is not in the store/)
          const rows = yield* stored
          assert.deepStrictEqual(
            rows.map((r) => [r.external_id, r.size, r.sha256, r.revision, [...r.content]]),
            [
              ["D1", pdf.byteLength, sha256(pdf), 1, [...pdf]],
              ["D2", other.byteLength, sha256(other), 1, [...other]],
              ["D3", 14, sha256(text("%PDF-1.7 flaky")), 1, [...text("%PDF-1.7 flaky")]]
            ]
          )
          const sql = yield* SqlClient.SqlClient
          const quarantined = yield* sql<{ external_id: string; raw: string }>`
            select external_id, raw from portico.quarantine where entity = 'documents' order by external_id`
          assert.deepStrictEqual(
            quarantined.map((q) => q.external_id),
            ["D4", "D5", "D6", "D7", "D8"]
          )
          assert.include(quarantined[0]?.raw ?? "", '"key":"missing"')

          // Read again from the start: nothing rewritten; D2 (hash stated, unchanged) is not even fetched.
          yield* resetCursors
          source.fetches.length = 0
          const again = yield* engine.run(source.adapter, { ...fast, maxDocumentBytes: 4096 })
          assert.deepStrictEqual(
            { inserted: report(again).inserted, updated: report(again).updated, unchanged: report(again).unchanged },
            { inserted: 0, updated: 0, unchanged: 3 }
          )
          assert.notInclude(source.fetches, "b")
          assert.include(source.fetches, "a")
          assert.deepStrictEqual(
            (yield* stored).map((r) => r.revision),
            [1, 1, 1]
          )

          // New bytes under the same external id: updated, hash and size follow the bytes.
          const revised = text("%PDF-1.7 delivery note, signed")
          source.bytes.set("a2", revised)
          source.log.push(doc("D1", "a2", { invoiceId: canonicalId(sourceId, "INV-1") }))
          const changed = yield* engine.run(source.adapter, fast)
          assert.strictEqual(report(changed).updated, 1)
          const d1 = (yield* stored).find((r) => r.external_id === "D1")
          assert.deepStrictEqual([d1?.sha256, d1?.size, d1?.revision], [sha256(revised), revised.byteLength, 2])
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      120_000
    )

    it.live(
      "a synced document downloads for its account and is NotFound for another",
      () =>
        Effect.gen(function* () {
          const source = memorySource({ withContent: true })
          const pdf = text("%PDF-1.7 for C1 only")
          source.bytes.set("a", pdf)
          source.log.push(entryOf(account(sourceId, 1)), entryOf(account(sourceId, 2)), doc("D1", "a"))
          const run = yield* (yield* SyncEngine).run(source.adapter, fast)
          assert.strictEqual(report(run).inserted, 1)
          const documents = yield* Documents
          const id = DocumentId.make(canonicalId(sourceId, "D1"))
          const linkTo = (accountNumber: string): Principal => ({
            _tag: "LinkPrincipal",
            linkId: `link-${accountNumber}`,
            accountId: AccountId.make(canonicalId(sourceId, accountNumber)),
            permissions: ["download"]
          })
          const got = yield* documents.content(id).pipe(Effect.provideService(CurrentPrincipal, linkTo("C1")))
          assert.deepStrictEqual([...got.content], [...pdf])
          assert.deepStrictEqual([got.document.size, got.document.sha256], [pdf.byteLength, sha256(pdf)])
          const denied = yield* Effect.flip(documents.content(id)).pipe(
            Effect.provideService(CurrentPrincipal, linkTo("C2"))
          )
          assert.strictEqual(denied._tag, "NotFound")
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      120_000
    )

    it.live(
      "documents are skipped with the reason when the adapter has no content operation, and a push quarantines them",
      () =>
        Effect.gen(function* () {
          const source = memorySource({ withContent: false })
          source.log.push(entryOf(account(sourceId, 1)), doc("D1", "a"))
          const engine = yield* SyncEngine
          const run = yield* engine.run(source.adapter, fast)
          assert.strictEqual(report(run).skipped, "the memory adapter does not deliver document content")
          const pushed = yield* engine.push(source.adapter, [
            sourceRecord({ ...doc("D1", "a"), cursor: cursors.encode({ position: 0 }) })
          ])
          assert.deepStrictEqual(
            pushed.quarantined.map((q) => q.reason),
            ["the memory adapter does not deliver document content"]
          )
          const rows = yield* stored
          assert.strictEqual(rows.length, 0)
        }).pipe(Effect.provide(syncLayer(backend)), Effect.scoped),
      120_000
    )
  })
}
