// The conformance checks, each an Effect that fails with a ConformanceFailure telling an integrator what
// their adapter did wrong. `conformanceSuite` registers them as tests; they can also be run one by one.
import { Cause, Effect, Exit, Logger, Option, References, Result, Schema, type Scope, Stream } from "effect"
import {
  type CanonicalRecord,
  type Cursor,
  type EntityName,
  type ErpAdapterShape,
  isErpError,
  type ReadItem,
  readContent
} from "../../core/erp/index.ts"
import { documentBytes } from "./Arbitraries.ts"
import type { SourceFixture } from "./SourceFixture.ts"

/** An adapter broke the contract; `message` says how and what to fix. */
export class ConformanceFailure extends Schema.TaggedError<ConformanceFailure>()("ConformanceFailure", {
  check: Schema.String,
  message: Schema.String
}) {}

const fail = (check: string, message: string) => Effect.fail(new ConformanceFailure({ check, message }))

const fixtureStep = <A>(check: string, what: string, effect: Effect.Effect<A, unknown>) =>
  Effect.mapError(
    effect,
    (error) => new ConformanceFailure({ check, message: `the fixture failed to ${what}: ${String(error)}` })
  )

/** Everything one read produced. */
export interface ReadOutcome {
  readonly items: ReadonlyArray<ReadItem>
  readonly last: Option.Option<Cursor>
}

const readAll = (
  check: string,
  adapter: ErpAdapterShape,
  entity: EntityName,
  cursor: Option.Option<Cursor>,
  limit?: number
) =>
  (limit === undefined ? adapter.read(entity, cursor) : adapter.read(entity, cursor).pipe(Stream.take(limit))).pipe(
    Stream.runCollect,
    Effect.map(
      (items): ReadOutcome => ({
        items,
        last: items.length === 0 ? cursor : Option.fromNullishOr(items[items.length - 1]?.cursor)
      })
    ),
    Effect.mapError(
      (error) =>
        new ConformanceFailure({
          check,
          message: `read("${entity}", ${Option.isNone(cursor) ? "none" : "a cursor"}) failed: ${error.message}`
        })
    )
  )

const byEntity = (records: ReadonlyArray<CanonicalRecord>, entity: EntityName) =>
  records.filter((record) => record.entity === entity)

const externalIdOf = (record: CanonicalRecord): string => record.value.source.externalId

/** Decodes what a read returned; any rejection or duplicate is reported with the adapter's own reason. */
const decodedRecords = (check: string, adapter: ErpAdapterShape, entity: EntityName, items: ReadonlyArray<ReadItem>) =>
  Effect.gen(function* () {
    const out = new Map<string, CanonicalRecord>()
    for (const item of items) {
      if (item.entity !== entity) {
        return yield* fail(
          check,
          `read("${entity}") returned a record of entity "${item.entity}" (${item._tag === "SourceRecord" ? item.externalId : "rejected"}); each read must return only the entity asked for`
        )
      }
      if (item._tag === "RejectedRecord") {
        return yield* fail(
          check,
          `a valid source record was rejected while reading: ${item.rejection.message} (external id ${item.externalId ?? "unknown"})`
        )
      }
      const decoded = adapter.decode(item)
      if (Result.isFailure(decoded)) {
        return yield* fail(check, `decode rejected valid record "${item.externalId}": ${decoded.failure.message}`)
      }
      if (decoded.success.entity !== entity) {
        return yield* fail(check, `decode turned a "${entity}" record into a "${decoded.success.entity}" record`)
      }
      if (externalIdOf(decoded.success) !== item.externalId) {
        return yield* fail(
          check,
          `record "${item.externalId}" decoded with source.externalId "${externalIdOf(decoded.success)}"; they must match`
        )
      }
      if (out.has(item.externalId)) {
        return yield* fail(
          check,
          `read("${entity}") returned "${item.externalId}" twice; a read must return each record once`
        )
      }
      out.set(item.externalId, decoded.success)
    }
    return out
  })

const describeValue = (value: unknown) => JSON.stringify(value, null, 0)

/** Compares decoded records with the expected ones, explaining the first difference. */
const compare = (
  check: string,
  entity: EntityName,
  expected: ReadonlyArray<CanonicalRecord>,
  actual: Map<string, CanonicalRecord>,
  represent: (r: CanonicalRecord) => CanonicalRecord
) =>
  Effect.gen(function* () {
    const wanted = new Map(expected.map((record) => [externalIdOf(record), represent(record)]))
    const missing = [...wanted.keys()].filter((id) => !actual.has(id))
    const extra = [...actual.keys()].filter((id) => !wanted.has(id))
    if (missing.length > 0 || extra.length > 0) {
      return yield* fail(
        check,
        `${entity}: expected ${wanted.size} record(s), read ${actual.size}.` +
          (missing.length > 0 ? ` Missing: ${missing.slice(0, 10).join(", ")}.` : "") +
          (extra.length > 0 ? ` Not expected: ${extra.slice(0, 10).join(", ")}.` : "")
      )
    }
    for (const [id, record] of wanted) {
      const got = actual.get(id)
      if (describeValue(sortKeys(got)) !== describeValue(sortKeys(record))) {
        return yield* fail(
          check,
          `${entity} "${id}" decoded differently from the source.\n  source:  ${describeValue(sortKeys(record?.value))}\n  decoded: ${describeValue(sortKeys(got?.value))}`
        )
      }
    }
  })

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)])
    )
  }
  return value
}

const identity = (record: CanonicalRecord) => record

/** A full read (no cursor) returns exactly the seeded records, decoded equal to them. */
export const fullRead = Effect.fnUntraced(function* (fixture: SourceFixture, records: ReadonlyArray<CanonicalRecord>) {
  const check = "full read returns exactly the source"
  yield* fixtureStep(check, "seed the source", fixture.seed(records))
  const adapter = yield* buildAdapter(check, fixture)
  for (const entity of fixture.entities) {
    const { items } = yield* readAll(check, adapter, entity, Option.none())
    const decoded = yield* decodedRecords(check, adapter, entity, items)
    yield* compare(check, entity, byEntity(records, entity), decoded, fixture.represent ?? identity)
  }
})

const buildAdapter = (check: string, fixture: SourceFixture) =>
  Effect.mapError(
    fixture.adapter,
    (error) => new ConformanceFailure({ check, message: `building the adapter failed: ${error.message}` })
  )

/** After changes, a read from the last cursor of a full read returns exactly the changed records. */
export const incrementalRead = Effect.fnUntraced(function* (
  fixture: SourceFixture,
  initial: ReadonlyArray<CanonicalRecord>,
  changes: ReadonlyArray<CanonicalRecord>
) {
  const check = "incremental read returns exactly the changes"
  yield* fixtureStep(check, "seed the source", fixture.seed(initial))
  const adapter = yield* buildAdapter(check, fixture)
  const cursors = new Map<EntityName, Option.Option<Cursor>>()
  for (const entity of fixture.entities) {
    cursors.set(entity, (yield* readAll(check, adapter, entity, Option.none())).last)
  }
  yield* fixtureStep(check, "apply changes", fixture.apply(changes))
  const after = yield* buildAdapter(check, fixture)
  for (const entity of fixture.entities) {
    const { items } = yield* readAll(check, after, entity, cursors.get(entity) ?? Option.none())
    const decoded = yield* decodedRecords(check, after, entity, items)
    yield* Effect.mapError(
      compare(check, entity, byEntity(changes, entity), decoded, fixture.represent ?? identity),
      (failure) =>
        new ConformanceFailure({
          check,
          message: `${failure.message}\n  (read from the cursor of the previous read's last record after ${changes.length} change(s); it must return the new and changed records and nothing else)`
        })
    )
  }
})

/** A source of exactly `count` records of the paged entity is read completely, each record once. */
export const pageBoundary = Effect.fnUntraced(function* (
  fixture: SourceFixture,
  records: ReadonlyArray<CanonicalRecord>
) {
  const entity = fixture.pagedEntity ?? fixture.entities[0] ?? "invoices"
  const check = `page boundaries (${records.length} ${entity}, page size ${fixture.pageSize ?? "none"})`
  yield* fixtureStep(check, "seed the source", fixture.seed(records))
  const adapter = yield* buildAdapter(check, fixture)
  const { items } = yield* readAll(check, adapter, entity, Option.none())
  const decoded = yield* decodedRecords(check, adapter, entity, items)
  yield* compare(check, entity, records, decoded, fixture.represent ?? identity)
})

/**
 * Reads in pieces: each piece stops after `takes[i]` items (as if the process died after committing them),
 * and the next resumes from the last cursor. Together the pieces must equal one uninterrupted read.
 */
export const interruptedRead = Effect.fnUntraced(function* (
  fixture: SourceFixture,
  records: ReadonlyArray<CanonicalRecord>,
  takes: ReadonlyArray<number>
) {
  const check = "an interrupted read resumed from its last cursor loses and duplicates nothing"
  yield* fixtureStep(check, "seed the source", fixture.seed(records))
  for (const entity of fixture.entities) {
    const whole = yield* readAll(check, yield* buildAdapter(check, fixture), entity, Option.none())
    const expected = whole.items.map((item) =>
      item._tag === "SourceRecord" ? item.externalId : `rejected:${item.cursor}`
    )
    const seen: Array<string> = []
    let cursor: Option.Option<Cursor> = Option.none()
    let piece = 0
    while (true) {
      const take = takes[piece % Math.max(1, takes.length)] ?? 1
      const adapter = yield* buildAdapter(check, fixture)
      const part = yield* readAll(check, adapter, entity, cursor, Math.max(1, take))
      if (part.items.length === 0) break
      for (const item of part.items)
        seen.push(item._tag === "SourceRecord" ? item.externalId : `rejected:${item.cursor}`)
      cursor = part.last
      piece++
      if (piece > expected.length + 2) {
        return yield* fail(
          check,
          `${entity}: resuming never ends: after ${piece} pieces the reads still return records (${seen.slice(-5).join(", ")}...). Each item's cursor must point just after that item, so reading from it does not return that item again.`
        )
      }
    }
    if (seen.join("\u0000") !== expected.join("\u0000")) {
      const lost = expected.filter((id) => !seen.includes(id))
      const twice = seen.filter((id, i) => seen.indexOf(id) !== i)
      return yield* fail(
        check,
        `${entity}: read in pieces of ${takes.join(", ")} items, resuming from each piece's last cursor, gave ${seen.length} record(s) where one read gives ${expected.length}.` +
          (lost.length > 0 ? ` Lost: ${lost.slice(0, 10).join(", ")}.` : "") +
          (twice.length > 0 ? ` Duplicated: ${twice.slice(0, 10).join(", ")}.` : "") +
          " Each item's cursor must point just after that item."
      )
    }
  }
})

/** A record the source holds in a broken form comes out rejected with a reason; the others are intact. */
export const badRecord = Effect.fnUntraced(function* (
  fixture: SourceFixture,
  good: ReadonlyArray<CanonicalRecord>,
  bad: CanonicalRecord
) {
  const check = "bad records come out rejected with a reason"
  yield* fixtureStep(check, "seed the source", fixture.seed(good))
  const expectation = yield* fixtureStep(check, "corrupt a record", fixture.corrupt(bad))
  const adapter = yield* buildAdapter(check, fixture)
  const { items } = yield* readAll(check, adapter, bad.entity, Option.none())
  const rejections: Array<{ externalId?: string; reason: string; raw: unknown }> = []
  const accepted: Array<ReadItem> = []
  for (const item of items) {
    if (item._tag === "RejectedRecord") {
      rejections.push({
        ...(item.externalId === undefined ? {} : { externalId: item.externalId }),
        reason: item.rejection.message,
        raw: item.raw
      })
      continue
    }
    const decoded = adapter.decode(item)
    if (Result.isFailure(decoded))
      rejections.push({ externalId: item.externalId, reason: decoded.failure.message, raw: item.data })
    else accepted.push(item)
  }
  if (rejections.length !== 1) {
    return yield* fail(
      check,
      rejections.length === 0
        ? `the corrupted ${bad.entity} record "${externalIdOf(bad)}" was read and decoded without complaint; malformed data must give a RejectedRecord or a decode failure (RecordRejected)`
        : `one corrupted record gave ${rejections.length} rejections: ${rejections.map((r) => r.reason).join(" | ")}`
    )
  }
  const [rejection] = rejections
  if (rejection === undefined || rejection.reason.trim() === "")
    return yield* fail(check, "a rejection must say why (RecordRejected.reason is empty)")
  if (rejection.raw === undefined || rejection.raw === null)
    return yield* fail(check, "a rejection must carry the raw record so it can be quarantined")
  if (expectation.externalId !== undefined && rejection.externalId !== expectation.externalId) {
    return yield* fail(
      check,
      `the rejection names "${rejection.externalId ?? "no id"}", the corrupted record is "${expectation.externalId}"`
    )
  }
  const decoded = yield* decodedRecords(check, adapter, bad.entity, accepted)
  yield* compare(check, bad.entity, byEntity(good, bad.entity), decoded, fixture.represent ?? identity)
})

const formatLog = (message: unknown, cause: Cause.Cause<unknown>): string => {
  const parts = Array.isArray(message) ? message : [message]
  const text = parts.map((part) => (typeof part === "string" ? part : safeJson(part))).join(" ")
  return cause.reasons.length === 0 ? text : `${text}\n${Cause.pretty(cause)}`
}

const safeJson = (value: unknown): string => {
  const text = JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? String(v) : v))
  return text === undefined ? String(value) : text
}

/** Runs an effect with every log line (at any level) captured. */
const captureLogs = <A, E, R>(effect: Effect.Effect<A, E, R>, lines: Array<string>) =>
  effect.pipe(
    Effect.provide(Logger.layer([Logger.make(({ message, cause }) => void lines.push(formatLog(message, cause)))])),
    Effect.provideService(References.MinimumLogLevel, "Trace")
  )

const leaks = (text: string, secrets: ReadonlyArray<string>) =>
  secrets.filter((secret) => secret.length > 0 && text.includes(secret))

/** Every operation, successful or failing, keeps secrets out of logs, errors and check results. */
export const secretsStayHidden = Effect.fnUntraced(function* (
  fixture: SourceFixture,
  records: ReadonlyArray<CanonicalRecord>
) {
  const check = "secrets never appear in logs or errors"
  const lines: Array<string> = []
  const texts: Array<{ where: string; text: string }> = []
  yield* fixtureStep(check, "seed the source", fixture.seed(records))
  const exercise = (label: string, build: Effect.Effect<ErpAdapterShape, unknown, Scope.Scope>) =>
    Effect.gen(function* () {
      const built = yield* Effect.exit(build)
      if (Exit.isFailure(built)) {
        texts.push({ where: `${label}: building the adapter`, text: describeFailure(built.cause) })
        return
      }
      const adapter = built.value
      const checked = yield* Effect.exit(adapter.check())
      texts.push({
        where: `${label}: check()`,
        text: Exit.isSuccess(checked) ? safeJson(checked.value) : describeFailure(checked.cause)
      })
      const discovered = yield* Effect.exit(adapter.discover())
      texts.push({
        where: `${label}: discover()`,
        text: Exit.isSuccess(discovered) ? safeJson(discovered.value) : describeFailure(discovered.cause)
      })
      for (const entity of fixture.entities) {
        const read = yield* Effect.exit(Stream.runCollect(adapter.read(entity, Option.none())))
        if (Exit.isFailure(read)) {
          texts.push({ where: `${label}: read("${entity}")`, text: describeFailure(read.cause) })
          if (label === "failing adapter") yield* expectErpError(check, `read("${entity}")`, read.cause)
        }
      }
    })
  yield* captureLogs(
    Effect.gen(function* () {
      yield* exercise("adapter", fixture.adapter)
      if (fixture.failing !== undefined) yield* exercise("failing adapter", fixture.failing)
    }),
    lines
  )
  for (const { where, text } of [...texts, ...lines.map((text) => ({ where: "a log line", text }))]) {
    const found = leaks(text, fixture.secrets)
    if (found.length > 0) {
      return yield* fail(
        check,
        `${where} contains a secret from the configuration (${found.length} leaked). Use Schema.Redacted for secrets in the config and never put request headers or credentials in messages or causes:\n  ${text.slice(0, 500)}`
      )
    }
  }
})

const describeFailure = (cause: Cause.Cause<unknown>): string => {
  const errors = cause.reasons.map((reason) =>
    reason._tag === "Fail" ? reason.error : reason._tag === "Die" ? reason.defect : "interrupted"
  )
  return [Cause.pretty(cause), ...errors.map((error) => `${String(error)} ${safeJson(error)}`)].join("\n")
}

const expectErpError = (check: string, operation: string, cause: Cause.Cause<unknown>) => {
  const failure = cause.reasons.find((reason) => reason._tag === "Fail")
  return failure !== undefined && isErpError(failure.error)
    ? Effect.void
    : fail(
        check,
        `${operation} on the failing adapter must fail with an ErpError, but it ${failure === undefined ? "died or was interrupted" : `failed with ${String(failure.error)}`}:\n${Cause.pretty(cause)}`
      )
}

/** Where two byte arrays first differ, for a failure message. */
const firstDifference = (a: Uint8Array, b: Uint8Array): number => {
  const shorter = Math.min(a.byteLength, b.byteLength)
  for (let i = 0; i < shorter; i++) if (a[i] !== b[i]) return i
  return shorter
}

/**
 * Every document's bytes come back through `content` exactly as the source holds them (`documentBytes`), by
 * the record `read("documents")` returned; bytes that are gone from the source fail with an ErpError.
 */
export const documentContent = Effect.fnUntraced(function* (
  fixture: SourceFixture,
  records: ReadonlyArray<CanonicalRecord>
) {
  const check = "document content"
  yield* fixtureStep(check, "seed the source", fixture.seed(records))
  const adapter = yield* buildAdapter(check, fixture)
  const content = adapter.content
  if (content === undefined) {
    return yield* fail(check, "the manifest declares documentContent but the adapter has no content operation")
  }
  const { items } = yield* readAll(check, adapter, "documents", Option.none())
  const decoded = yield* decodedRecords(check, adapter, "documents", items)
  const expected = byEntity(records, "documents")
  yield* compare(check, "documents", expected, decoded, fixture.represent ?? identity)
  const wanted = new Map(expected.map((record) => [externalIdOf(record), record]))
  for (const item of items) {
    const record = wanted.get(item._tag === "SourceRecord" ? item.externalId : "")
    if (item._tag !== "SourceRecord" || record?.entity !== "documents") continue
    const bytes = yield* Effect.mapError(
      readContent(content(item), documentLimit),
      (error) =>
        new ConformanceFailure({
          check,
          message: `content of document "${item.externalId}" failed: ${error.message}`
        })
    )
    const want = documentBytes(record.value)
    if (bytes.byteLength !== want.byteLength || firstDifference(bytes, want) !== want.byteLength) {
      return yield* fail(
        check,
        `content of document "${item.externalId}" delivered ${bytes.byteLength} bytes, the source holds ${want.byteLength}; they differ from byte ${firstDifference(bytes, want)} (are the bytes read as text somewhere?)`
      )
    }
  }
  const gone = expected[0]
  const removeContent = fixture.removeContent
  if (gone === undefined || removeContent === undefined) return
  yield* fixtureStep(check, "remove a document's bytes", removeContent(gone))
  const item = items.find((i) => i._tag === "SourceRecord" && i.externalId === externalIdOf(gone))
  if (item === undefined || item._tag !== "SourceRecord") return
  const exit = yield* Effect.exit(readContent(content(item), documentLimit))
  if (Exit.isSuccess(exit)) {
    return yield* fail(
      check,
      `content of document "${item.externalId}" succeeded with ${exit.value.byteLength} bytes after its bytes were removed from the source; it must fail with an ErpError`
    )
  }
  const error = Cause.findErrorOption(exit.cause)
  if (Option.isNone(error) || !isErpError(error.value)) {
    return yield* fail(
      check,
      `content of a document whose bytes are gone must fail with an ErpError; it failed with ${Cause.pretty(exit.cause)}`
    )
  }
})

/** Generated documents are far below this; a larger delivery means the adapter sends something else. */
const documentLimit = 1024 * 1024
