// The Epicor Kinetic adapter: reads customers, contacts, AR invoices (with lines), credit memos and cash
// receipts (with their applications to invoices) through REST v2 OData, page by page, resumable by row version.
import { Effect, type Layer, Option, Predicate, Result, Schema, Stream } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import {
  type CheckItem,
  type Cursor,
  cursorCodec,
  type DiscoveredEntity,
  defineManifest,
  type EntityCapability,
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
  type SourceContext,
  sourceRecord
} from "../../core/erp/index.ts"
import { EpicorConfig } from "./EpicorConfig.ts"
import { makeEpicorHttp } from "./internal/EpicorHttp.ts"
import { decodeRow, externalIdOf } from "./internal/EpicorRecords.ts"

/** Where each entity lives in Epicor, which rows belong to it, and its key (for `skip` paging order). */
interface EntitySource {
  readonly service: string
  readonly entitySet: string
  readonly expand?: string
  readonly filters: (config: EpicorConfig) => ReadonlyArray<string>
  readonly key: ReadonlyArray<string>
}

const posted = (config: EpicorConfig): ReadonlyArray<string> => (config.postedOnly === false ? [] : ["Posted eq true"])

/** The entity sets read for each entity. */
export const epicorSources: Partial<Record<EntityName, EntitySource>> = {
  accounts: { service: "Erp.BO.CustomerSvc", entitySet: "Customers", filters: () => [], key: ["CustNum"] },
  contacts: {
    service: "Erp.BO.CustCntSvc",
    entitySet: "CustCnts",
    filters: () => [],
    key: ["CustNum", "ShipToNum", "ConNum"]
  },
  invoices: {
    service: "Erp.BO.ARInvoiceSvc",
    entitySet: "ARInvoices",
    expand: "InvcDtls",
    filters: (config) => ["CreditMemo eq false", ...posted(config)],
    key: ["InvoiceNum"]
  },
  "credit-notes": {
    service: "Erp.BO.ARInvoiceSvc",
    entitySet: "ARInvoices",
    expand: "InvcDtls",
    filters: (config) => ["CreditMemo eq true", ...posted(config)],
    key: ["InvoiceNum"]
  },
  payments: {
    service: "Erp.BO.CashRecSvc",
    entitySet: "CashRecs",
    expand: "CashDtls",
    filters: posted,
    key: ["GroupID", "HeadNum"]
  }
}

const capability = (primaryKey: readonly [string, ...Array<string>]): EntityCapability => ({
  syncModes: ["full", "incremental"],
  cursorField: "SysRevID",
  primaryKey,
  pageSize: 100
})

/** The manifest of the `epicor-kinetic` adapter. */
export const EpicorManifest = defineManifest<EpicorConfig>({
  id: "epicor-kinetic",
  version: "0.1.0",
  displayName: "Epicor Kinetic (REST v2)",
  description: "Customers, contacts, AR invoices, credit memos and cash receipts from Epicor Kinetic REST v2 (OData).",
  config: EpicorConfig,
  capabilities: {
    entities: {
      accounts: capability(["Company", "CustNum"]),
      contacts: capability(["Company", "CustNum", "ShipToNum", "ConNum"]),
      invoices: capability(["Company", "InvoiceNum"]),
      "credit-notes": capability(["Company", "InvoiceNum"]),
      payments: capability(["Company", "GroupID", "HeadNum"])
    },
    writeBack: []
  }
})

/** The read position: the last row version read (keyset) or the rows already read (skip). */
const CursorState = Schema.Union([
  Schema.Struct({ v: Schema.Literal(1), paging: Schema.Literal("keyset"), after: Schema.optionalKey(Schema.String) }),
  Schema.Struct({ v: Schema.Literal(1), paging: Schema.Literal("skip"), skip: Schema.Int })
])
type CursorState = typeof CursorState.Type
const cursors = cursorCodec(CursorState)

const numeric = /^-?\d+$/

/** Builds the adapter for one configured Epicor company. */
export const makeEpicorAdapter = (
  config: EpicorConfig,
  source: SourceContext
): Effect.Effect<ErpAdapterShape, ErpError> =>
  Effect.gen(function* () {
    const client = yield* Effect.provide(
      Effect.gen(function* () {
        return yield* HttpClient.HttpClient
      }),
      FetchHttpClient.layer
    )
    const http = yield* makeEpicorHttp(config, client)
    const pageSize = config.pageSize ?? 100
    const paging = config.paging ?? "keyset"
    const changeField = config.changeField ?? "SysRevID"
    const settings = {
      tier: config.tier ?? "standard",
      defaultCurrency: config.defaultCurrency,
      contactRole: config.contactRole ?? "ap-contact"
    }

    const sourceOf = (entity: EntityName) =>
      Option.match(Option.fromNullishOr(epicorSources[entity]), {
        onNone: () =>
          Effect.fail(
            ErpErrors.notFound({ message: `the Epicor adapter does not read ${entity}`, operation: `read ${entity}` })
          ),
        onSome: Effect.succeed
      })

    const startState = (): CursorState =>
      paging === "keyset" ? { v: 1, paging: "keyset" } : { v: 1, paging: "skip", skip: 0 }

    const pageUrl = (spec: EntitySource, state: CursorState): string => {
      const filters = [...spec.filters(config)]
      if (state.paging === "keyset" && state.after !== undefined) filters.push(`${changeField} gt ${state.after}`)
      const query: Array<readonly [string, string]> = []
      if (filters.length > 0) query.push(["$filter", filters.join(" and ")])
      if (spec.expand !== undefined) query.push(["$expand", spec.expand])
      query.push(["$orderby", state.paging === "keyset" ? changeField : spec.key.join(",")])
      query.push(["$top", String(pageSize)])
      if (state.paging === "skip") query.push(["$skip", String(state.skip)])
      return http.url(spec, query)
    }

    /** One page: its items, each with the cursor just after it, and the state of the next page if any. */
    const page = (entity: EntityName, spec: EntitySource, state: CursorState) =>
      Effect.gen(function* () {
        const { rows } = yield* http.rows(pageUrl(spec, state), `read ${entity}`)
        const items: Array<ReadItem> = []
        let position = state
        for (const raw of rows) {
          const row: Readonly<Record<string, unknown>> = Predicate.isObject(raw) ? raw : {}
          const change = row[changeField]
          if (position.paging === "skip") position = { ...position, skip: position.skip + 1 }
          else if (typeof change === "string" && numeric.test(change)) position = { ...position, after: change }
          const cursor = cursors.encode(position)
          const externalId = externalIdOf(entity, row)
          if (position.paging === "keyset" && !(typeof change === "string" && numeric.test(change))) {
            items.push(
              rejectedRecord({
                entity,
                ...(externalId === undefined ? {} : { externalId }),
                raw,
                rejection: new RecordRejected({
                  path: changeField,
                  reason: `expected a row version (an integer) in ${changeField}`,
                  ...(change === undefined ? {} : { value: String(change) })
                }),
                cursor
              })
            )
            continue
          }
          if (externalId === undefined) {
            items.push(rejectedRecord({ entity, raw, rejection: missingKey(entity, spec), cursor }))
            continue
          }
          items.push(
            sourceRecord({
              entity,
              externalId,
              ...(typeof change === "string" ? { revision: change } : {}),
              data: raw,
              cursor
            })
          )
        }
        const more = rows.length >= pageSize
        return [items, more ? Option.some(position) : Option.none<CursorState>()] as const
      })

    const read = (entity: EntityName, cursor: Option.Option<Cursor>): Stream.Stream<ReadItem, ErpError> =>
      Stream.unwrap(
        Effect.gen(function* () {
          const spec = yield* sourceOf(entity)
          const state = Option.isSome(cursor) ? yield* cursors.decode(cursor.value) : startState()
          if (state.paging !== paging) {
            return yield* ErpErrors.schemaMismatch({
              message: `the stored cursor was made with "${state.paging}" paging but the source is configured for "${paging}"; reset the source's cursor`,
              operation: `read ${entity}`
            })
          }
          return Stream.paginate(state, (current: CursorState) => page(entity, spec, current))
        })
      )

    const probe = (entity: EntityName, spec: EntitySource) =>
      http.rows(
        http.url(spec, [
          ["$select", [...spec.key, ...(paging === "keyset" ? [changeField] : [])].join(",")],
          ...(paging === "keyset" ? ([["$filter", `${changeField} gt 0`]] as const) : []),
          ["$top", "1"]
        ]),
        `probe ${entity}`
      )

    const discoverEntity = (entity: EntityName): Effect.Effect<DiscoveredEntity, ErpError> => {
      const spec = epicorSources[entity]
      if (spec === undefined)
        return Effect.succeed({ entity, available: false, note: "not read by the Epicor adapter" })
      return probe(entity, spec).pipe(
        Effect.as<DiscoveredEntity>({ entity, available: true, note: `${spec.service}/${spec.entitySet}` }),
        Effect.catchIf(
          (error) => !error.retryable && error.reason._tag !== "Authentication",
          (error) => Effect.succeed<DiscoveredEntity>({ entity, available: false, note: error.message })
        )
      )
    }

    const check = () =>
      Effect.gen(function* () {
        const checks: Array<CheckItem> = []
        for (const entity of entityNames) {
          const spec = epicorSources[entity]
          if (spec === undefined) continue
          const name = `${spec.service}/${spec.entitySet} readable (${entity})`
          const outcome = yield* Effect.result(probe(entity, spec))
          if (Result.isSuccess(outcome)) checks.push({ name, ok: true, message: "answered" })
          else if (outcome.failure.retryable) return yield* Effect.fail(outcome.failure)
          else checks.push({ name, ok: false, message: outcome.failure.message })
        }
        return { ok: checks.every((item) => item.ok), checks }
      })

    return {
      adapterId: EpicorManifest.id,
      sourceId: source.sourceId,
      check,
      discover: () => Effect.map(Effect.forEach(entityNames, discoverEntity), (entities) => ({ entities })),
      read,
      decode: (record) =>
        decodeRow(record.entity, record.data, { sourceId: source.sourceId, externalId: record.externalId }, settings)
    }
  })

const missingKey = (entity: EntityName, spec: EntitySource): RecordRejected =>
  new RecordRejected({
    path: entity === "contacts" || entity === "payments" ? "SysRowID" : (spec.key.at(-1) ?? ""),
    reason: "the row has no identifying key"
  })

/** The adapter package: manifest and constructor, for `makeAdapter`/`layerAdapter`. */
export const EpicorAdapter: ErpAdapterDefinition<EpicorConfig> = {
  manifest: EpicorManifest,
  make: makeEpicorAdapter
}

/** A layer providing `ErpAdapter` for one Epicor source, from raw settings (validated first). */
export const layer = (source: SourceContext, settings: unknown): Layer.Layer<ErpAdapter, ErpError> =>
  layerAdapter(EpicorAdapter, source, settings)
