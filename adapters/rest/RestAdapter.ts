// The generic REST adapter: reads any JSON-over-HTTP API page by page with a declarative field mapping,
// resumable from every record (page position + records already taken) and incremental by a modification marker.
import { Effect, type Layer, Option, Predicate, Result, Schema, Stream } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import {
  type CheckItem,
  type Cursor,
  cursorCodec,
  type DiscoveredEntity,
  type DocumentRecord,
  defineManifest,
  type EntityName,
  type ErpAdapter,
  type ErpAdapterDefinition,
  type ErpAdapterShape,
  type ErpError,
  ErpErrors,
  entityNames,
  layerAdapter,
  type ReadItem,
  RecordRejected,
  rejectedRecord,
  retryErp,
  type SourceContext,
  secretsOf,
  sourceRecord
} from "../../core/erp/index.ts"
import { makeAuthenticator, withAuthentication } from "../internal-http/Auth.ts"
import { classifyThrottling, commonErrorMessage, executeJson, type JsonHttpOptions } from "../internal-http/JsonHttp.ts"
import { nextPosition, type PageContext, Position, pageBody, pageUrl, recordsOf } from "./internal/Paging.ts"
import { documentContent } from "./internal/RestContent.ts"
import { compareMarkers, decodeRecord, scalarAt } from "./internal/RestRecords.ts"
import { RestConfig, type RestEntity } from "./RestConfig.ts"

/** The manifest of the `rest` adapter. What it reads depends on its configuration. */
export const RestManifest = defineManifest<RestConfig>({
  id: "rest",
  version: "0.1.0",
  displayName: "Generic REST/JSON API",
  description:
    "Any JSON-over-HTTP API, through a declarative field mapping: bearer, basic, API-key or OAuth2 client-credentials auth; page, offset, cursor, Link-header or @odata.nextLink paging; incremental by a modification marker.",
  config: RestConfig,
  capabilities: {
    entities: Object.fromEntries(
      entityNames.map((entity) => [entity, { syncModes: ["full", "incremental"], primaryKey: ["id"] }])
    ),
    writeBack: [],
    documentContent: true
  }
})

/**
 * At most this many ids (and characters of ids) sharing the newest marker are remembered to skip on the
 * next run, so a cursor stays well inside its 4096 characters.
 */
const maxHighIds = 50
const maxHighIdChars = 1200

const remember = (ids: ReadonlyArray<string>, id: string): ReadonlyArray<string> =>
  ids.includes(id) ||
  ids.length >= maxHighIds ||
  ids.reduce((total, known) => total + known.length, id.length) > maxHighIdChars
    ? ids
    : [...ids, id]

/**
 * The read position. `since`/`exclude`: the current run's lower bound and the ids at exactly that marker
 * already read. `position`/`skip`: the page being read and how many of its records were taken. `high`/
 * `highIds`: the newest marker seen so far and its ids. `done`: a full-only read has finished.
 */
const CursorState = Schema.Struct({
  v: Schema.Literal(1),
  since: Schema.optionalKey(Schema.String),
  exclude: Schema.Array(Schema.String),
  position: Position,
  skip: Schema.Int,
  high: Schema.optionalKey(Schema.String),
  highIds: Schema.Array(Schema.String),
  done: Schema.optionalKey(Schema.Boolean)
})
type CursorState = typeof CursorState.Type
const cursors = cursorCodec(CursorState)
const start: CursorState = { v: 1, exclude: [], position: { kind: "start" }, skip: 0, highIds: [] }

/** One fetched page and where the page after it is. */
interface Page {
  readonly records: ReadonlyArray<unknown>
  readonly next: Position | undefined
}

interface Step {
  readonly state: CursorState
  /** The page at `state.position`, when it was already fetched as the previous step's look-ahead. */
  readonly buffered?: Page
  /** Whether this read continued an interrupted run (then one fresh incremental run may follow). */
  readonly resumed: boolean
  readonly chained: boolean
}

/** Builds the adapter for one configured API. */
export const makeRestAdapter = (config: RestConfig, source: SourceContext): Effect.Effect<ErpAdapterShape, ErpError> =>
  Effect.gen(function* () {
    const client = yield* Effect.provide(
      Effect.gen(function* () {
        return yield* HttpClient.HttpClient
      }),
      FetchHttpClient.layer
    )
    const configured = secretsOf(config)
    const issued: { current: () => ReadonlyArray<string> } = { current: () => [] }
    const http: JsonHttpOptions = {
      timeout: `${config.timeoutSeconds ?? 60} seconds`,
      secrets: () => [...configured, ...issued.current()],
      errorMessage: commonErrorMessage,
      classify: classifyThrottling
    }
    const authenticator = yield* makeAuthenticator(config.auth, client, http)
    issued.current = authenticator.issued
    const retry = retryErp(config.maxRetries === undefined ? {} : { maxRetries: config.maxRetries })
    const pageSize = config.pageSize ?? 100

    const settingsOf = (entity: EntityName, operation: string) =>
      Option.match(Option.fromNullishOr(config.entities[entity]), {
        onNone: () =>
          Effect.fail(ErpErrors.notFound({ message: `no endpoint is configured for ${entity}`, operation })),
        onSome: (settings) => Effect.succeed(settings)
      })

    const fetchPage = (context: PageContext, position: Position, operation: string): Effect.Effect<Page, ErpError> =>
      Effect.gen(function* () {
        const url = pageUrl(context, position)
        const home = new URL(pageUrl(context, { kind: "start" })).origin
        if (new URL(url).origin !== home) {
          // Credentials go with every request: a next link must not send them to a host we were not given.
          return yield* ErpErrors.schemaMismatch({
            message: `refusing to follow a next-page link to another host (${new URL(url).host})`,
            operation
          })
        }
        const body = pageBody(context, position)
        let request = (body === undefined ? HttpClientRequest.get(url) : HttpClientRequest.post(url)).pipe(
          HttpClientRequest.acceptJson,
          HttpClientRequest.setHeaders(config.headers ?? {})
        )
        if (body !== undefined) request = HttpClientRequest.bodyJsonUnsafe(request, body)
        if (context.entity.pagination.type === "odata-next-link") {
          request = HttpClientRequest.setHeader(request, "prefer", `odata.maxpagesize=${context.pageSize}`)
        }
        const response = yield* withAuthentication(authenticator, request, (signed) =>
          executeJson(client, signed, operation, http)
        ).pipe(
          Effect.tapError((error) =>
            error.retryable
              ? Effect.logWarning(`REST source: ${error.message}; retrying if attempts remain`)
              : Effect.void
          ),
          retry
        )
        const records = recordsOf(context.entity, response.body)
        if (records === undefined) {
          return yield* ErpErrors.schemaMismatch({
            message: `the response has no records array${context.entity.records === undefined ? "" : ` at "${context.entity.records}"`}`,
            operation
          })
        }
        return { records, next: nextPosition(context, position, url, records, response.body, response.headers) }
      })

    const step = (entity: EntityName, settings: RestEntity, current: Step) =>
      Effect.gen(function* () {
        const { state } = current
        const context: PageContext = { baseUrl: config.baseUrl, entity: settings, pageSize, since: state.since }
        const operation = `read ${entity}`
        const { records, next } = current.buffered ?? (yield* fetchPage(context, state.position, operation))
        // Look one page ahead so the last record of the last page is known, whatever the paging style: its
        // cursor then starts the next incremental run instead of pointing into a run that has ended.
        const following = next === undefined ? undefined : yield* fetchPage(context, next, operation)
        const lastPage = following === undefined || (following.records.length === 0 && following.next === undefined)
        const incremental = settings.incremental
        let high = state.high
        let highIds = state.highIds
        const endOfRun = (): CursorState =>
          incremental === undefined
            ? { ...start, done: true }
            : {
                v: 1,
                ...(high === undefined ? (state.since === undefined ? {} : { since: state.since }) : { since: high }),
                exclude: high === undefined ? state.exclude : highIds,
                position: { kind: "start" },
                skip: 0,
                ...(high === undefined ? {} : { high }),
                highIds
              }
        const items: Array<ReadItem> = []
        for (const [index, raw] of records.entries()) {
          if (index < state.skip) continue
          const id = scalarAt(raw, settings.id)
          const marker = incremental === undefined ? undefined : scalarAt(raw, incremental.field)
          if (marker !== undefined && id !== undefined) {
            const order = high === undefined ? 1 : compareMarkers(marker, high)
            if (order > 0) {
              high = marker
              highIds = remember([], id)
            } else if (order === 0) highIds = remember(highIds, id)
          }
          const last = lastPage && index === records.length - 1
          const position: CursorState = last
            ? endOfRun()
            : {
                ...state,
                skip: index + 1,
                ...(high === undefined ? {} : { high }),
                highIds
              }
          const cursor = cursors.encode(position)
          const seen =
            state.since !== undefined &&
            marker !== undefined &&
            id !== undefined &&
            compareMarkers(marker, state.since) === 0 &&
            state.exclude.includes(id)
          if (seen) continue
          if (id === undefined) {
            items.push(
              rejectedRecord({
                entity,
                raw,
                rejection: new RecordRejected({ path: settings.id, reason: "the record has no id" }),
                cursor
              })
            )
            continue
          }
          const revision = settings.revision === undefined ? marker : scalarAt(raw, settings.revision)
          items.push(
            sourceRecord({ entity, externalId: id, ...(revision === undefined ? {} : { revision }), data: raw, cursor })
          )
        }
        const progressed = { ...(high === undefined ? {} : { high }), highIds }
        if (!lastPage && next !== undefined && following !== undefined) {
          const after: Step = {
            resumed: current.resumed,
            chained: current.chained,
            state: { ...state, ...progressed, position: next, skip: 0 },
            buffered: following
          }
          return [items, Option.some(after)] as const
        }
        if (incremental !== undefined && current.resumed && !current.chained) {
          return [items, Option.some<Step>({ state: endOfRun(), resumed: false, chained: true })] as const
        }
        return [items, Option.none<Step>()] as const
      })

    const read = (entity: EntityName, cursor: Option.Option<Cursor>): Stream.Stream<ReadItem, ErpError> =>
      Stream.unwrap(
        Effect.gen(function* () {
          const settings = yield* settingsOf(entity, `read ${entity}`)
          const state = Option.isSome(cursor) ? yield* cursors.decode(cursor.value) : start
          if (state.done === true) return Stream.empty
          const resumed = state.position.kind !== "start" || state.skip > 0
          return Stream.paginate<Step, ReadItem, ErpError>({ state, resumed, chained: false }, (current) =>
            step(entity, settings, current)
          )
        })
      )

    const probe = (entity: EntityName, settings: RestEntity) =>
      fetchPage(
        { baseUrl: config.baseUrl, entity: settings, pageSize, since: undefined },
        { kind: "start" },
        `probe ${entity}`
      )

    const check = () =>
      Effect.gen(function* () {
        const checks: Array<CheckItem> = []
        for (const entity of entityNames) {
          const settings = config.entities[entity]
          if (settings === undefined) continue
          const outcome = yield* Effect.result(probe(entity, settings))
          const name = `${entity}: ${settings.body === undefined ? "GET" : "POST"} ${settings.path}`
          if (Result.isFailure(outcome)) {
            if (outcome.failure.retryable) return yield* Effect.fail(outcome.failure)
            checks.push({ name, ok: false, message: outcome.failure.message })
            continue
          }
          const [first] = outcome.success.records
          const idOk = first === undefined || scalarAt(first, settings.id) !== undefined
          checks.push({
            name,
            ok: idOk,
            message: idOk
              ? `answered with ${outcome.success.records.length} record(s) on the first page`
              : `the first record has no id at "${settings.id}"`
          })
        }
        return { ok: checks.length > 0 && checks.every((item) => item.ok), checks }
      })

    const discoverEntity = (entity: EntityName): Effect.Effect<DiscoveredEntity, ErpError> => {
      const settings = config.entities[entity]
      if (settings === undefined) return Effect.succeed({ entity, available: false, note: "not configured" })
      return probe(entity, settings).pipe(
        Effect.as<DiscoveredEntity>({ entity, available: true, note: settings.path }),
        Effect.catchIf(
          (error) => !error.retryable && error.reason._tag !== "Authentication",
          (error) => Effect.succeed<DiscoveredEntity>({ entity, available: false, note: error.message })
        )
      )
    }

    const contentSettings = config.entities.documents?.content
    const content =
      contentSettings === undefined
        ? {}
        : {
            content: (record: DocumentRecord) =>
              documentContent(
                {
                  baseUrl: config.baseUrl,
                  headers: config.headers ?? {},
                  settings: contentSettings,
                  client,
                  authenticator,
                  http,
                  retry
                },
                record
              )
          }

    return {
      adapterId: RestManifest.id,
      sourceId: source.sourceId,
      ...content,
      check,
      discover: () => Effect.map(Effect.forEach(entityNames, discoverEntity), (entities) => ({ entities })),
      read,
      decode: (record) => {
        const settings = config.entities[record.entity]
        if (settings === undefined) {
          return Result.fail(new RecordRejected({ path: "", reason: `no mapping is configured for ${record.entity}` }))
        }
        const data: unknown = settings.falseIsNull === true ? falseToNull(record.data) : record.data
        return decodeRecord(record.entity, settings, Predicate.isObject(data) ? data : {}, {
          sourceId: source.sourceId,
          externalId: record.externalId
        })
      }
    }
  })

/** `false` anywhere in a JSON value replaced by `null` (Odoo's "no value"). */
const falseToNull = (value: unknown): unknown => {
  if (value === false) return null
  if (Array.isArray(value)) return value.map(falseToNull)
  if (Predicate.isObject(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, falseToNull(item)]))
  return value
}

/** The adapter package: manifest and constructor, for `makeAdapter`/`layerAdapter`. */
export const RestAdapter: ErpAdapterDefinition<RestConfig> = { manifest: RestManifest, make: makeRestAdapter }

/** A layer providing `ErpAdapter` for one REST source, from raw settings (validated first). */
export const layer = (source: SourceContext, settings: unknown): Layer.Layer<ErpAdapter, ErpError> =>
  layerAdapter(RestAdapter, source, settings)
