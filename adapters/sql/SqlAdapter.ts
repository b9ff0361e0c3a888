// The SQL adapter: reads a business's own database with the integrator's checked SELECTs, every query in a
// read-only transaction with a statement timeout, by keyset pages over (cursor column, primary key). Document
// bytes (a bytea column) stay out of the pages and are fetched one document at a time by `content`.
import { PgClient } from "@effect/sql-pg"
import { Effect, type Layer, Option, Redacted, Ref, Result, type Scope, Stream } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import {
  type CheckItem,
  type DiscoveredEntity,
  type DocumentRecord,
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
  retryErp,
  type SourceContext,
  secretsOf
} from "../../core/erp/index.ts"
import { decodeSqlRecord } from "./internal/Decode.ts"
import { type EntityPlan, planEntity, requireColumns } from "./internal/EntityPlan.ts"
import { fromSqlError, urlSecrets } from "./internal/Errors.ts"
import {
  childRows,
  contentAlias,
  contentOf,
  describeQuery,
  duplicateKeys,
  keysetPage,
  nullKeyRows
} from "./internal/Queries.ts"
import { cursors, nullKeyItems, orderValues, readItems } from "./internal/ReadItems.ts"
import { externalIdOf, keysOfExternalId, keyTexts } from "./internal/Rows.ts"
import type { ReadOnlySelect } from "./ReadOnlySelect.ts"
import { SqlAdapterConfig, sqlAdapterDefaults } from "./SqlAdapterConfig.ts"
import { postgresDialect, type SqlDialect } from "./SqlDialect.ts"

/** How the adapter opens its database: a dialect and the driver that speaks it (PostgreSQL built in). */
export interface SqlConnector {
  readonly dialect: SqlDialect
  readonly connect: (config: SqlAdapterConfig) => Effect.Effect<SqlClient.SqlClient, SqlError, Scope.Scope>
}

/** PostgreSQL through `@effect/sql-pg`: a pool of its own, separate from Portico's store. */
export const postgresConnector: SqlConnector = {
  dialect: postgresDialect,
  connect: (config) =>
    PgClient.make({
      url: config.url,
      ...(config.password === undefined ? {} : { password: config.password }),
      ...(config.ssl === undefined ? {} : { ssl: config.ssl }),
      maxConnections: config.maxConnections ?? sqlAdapterDefaults.maxConnections,
      applicationName: "portico-sql-adapter"
    }).pipe(Effect.provide(Reactivity.layer))
}

const capability: EntityCapability = {
  syncModes: ["full", "incremental"],
  cursorField: "the entity's cursorColumn (incremental only when it is configured)",
  primaryKey: ["the entity's primaryKey columns"],
  pageSize: sqlAdapterDefaults.batchSize
}

/** The SQL adapter's declaration. Which entities a source offers, and how, is in its config. */
export const sqlManifest = defineManifest<SqlAdapterConfig>({
  id: "sql",
  version: "0.1.0",
  displayName: "SQL database (PostgreSQL)",
  description:
    "Reads the business's own database with one read-only SELECT per entity, checked before it runs and executed in read-only transactions with a statement timeout.",
  config: SqlAdapterConfig,
  capabilities: {
    entities: {
      accounts: capability,
      contacts: capability,
      invoices: capability,
      "credit-notes": capability,
      payments: capability,
      documents: capability
    },
    writeBack: [],
    documentContent: true
  }
})

/** Rows the NULL sweep reports at most, per full read. */
const nullSweepLimit = 10_000

/** Builds a SQL adapter instance over `connector` (PostgreSQL unless another dialect is plugged in). */
export const makeSqlAdapter =
  (connector: SqlConnector = postgresConnector) =>
  (config: SqlAdapterConfig, source: SourceContext): Effect.Effect<ErpAdapterShape, ErpError, Scope.Scope> =>
    Effect.gen(function* () {
      const dialect = connector.dialect
      const secrets = [...secretsOf(config), ...urlSecrets(Redacted.value(config.url))]
      const batchSize = config.batchSize ?? sqlAdapterDefaults.batchSize
      const timeout = config.statementTimeoutMillis ?? sqlAdapterDefaults.statementTimeoutMillis
      const plans = new Map<EntityName, EntityPlan>()
      for (const entity of entityNames) {
        const query = config.entities[entity]
        if (query !== undefined) plans.set(entity, yield* Effect.fromResult(planEntity(entity, query, dialect)))
      }
      const sql = yield* connector
        .connect(config)
        .pipe(Effect.mapError((error) => fromSqlError(error, "connect", secrets)))

      /** Runs `effect` in a read-only transaction with the statement timeout. */
      const readOnly = <A>(operation: string, effect: Effect.Effect<A, SqlError>): Effect.Effect<A, ErpError> =>
        sql.withTransaction(Effect.andThen(dialect.limitTransaction(sql, timeout), effect)).pipe(
          Effect.provideService(SqlClient.BeginTransaction, dialect.beginReadOnly),
          Effect.mapError((error) => fromSqlError(error, operation, secrets))
        )

      const columnsOf = (path: string, select: ReadOnlySelect) =>
        readOnly(`describe ${path}`, describeQuery(sql, select).raw).pipe(
          Effect.flatMap((raw) =>
            Option.match(dialect.columnsOf(raw), {
              onNone: () =>
                Effect.fail(
                  ErpErrors.unknown({ message: "the driver did not report the query's columns", transient: false })
                ),
              onSome: Effect.succeed
            })
          )
        )

      /** Runs the plan's queries with no rows and matches every named column; returns the columns. */
      const verify = Effect.fn("SqlAdapter.verify")(function* (plan: EntityPlan) {
        const path = `entities.${plan.entity}`
        const columns = yield* columnsOf(path, plan.select)
        const content = plan.query.contentColumn === undefined ? [] : [plan.query.contentColumn]
        yield* Effect.fromResult(requireColumns(path, columns, [...plan.order, ...content], plan.query.mapping))
        if (plan.child !== undefined) {
          const { kind, query, select } = plan.child
          const childColumns = yield* columnsOf(`${path}.${kind}`, select)
          yield* Effect.fromResult(
            requireColumns(
              `${path}.${kind}`,
              childColumns,
              [...query.parentKey, ...(query.orderBy ?? [])],
              query.mapping
            )
          )
        }
        return columns
      })

      const planOf = (entity: EntityName) =>
        Effect.fromNullishOr(plans.get(entity)).pipe(
          Effect.mapError(() =>
            ErpErrors.notFound({ message: `no query is configured for ${entity}`, operation: `read ${entity}` })
          )
        )

      /** One page of rows after `after`, with their children, from one snapshot. */
      const fetchPage = Effect.fn("SqlAdapter.fetchPage")(function* (
        plan: EntityPlan,
        after: ReadonlyArray<string> | null,
        columns: ReadonlyArray<string> | undefined
      ) {
        const keyOffset = plan.incremental ? 1 : 0
        return yield* readOnly(
          `read ${plan.entity}`,
          Effect.gen(function* () {
            const rows = yield* keysetPage(sql, dialect, plan.select, plan.order, after, batchSize, columns)
            const child = plan.child
            if (child === undefined || rows.length === 0) return { rows, children: [] }
            const parents = rows.map((row) => orderValues(plan, row).slice(keyOffset))
            const { parentKey, orderBy } = child.query
            const children = yield* childRows(sql, dialect, child.select, parentKey, orderBy ?? [], parents)
            return { rows, children }
          })
        ).pipe(
          retryErp({ maxRetries: 3 }),
          Effect.tap(({ rows, children }) =>
            Effect.logDebug("sql adapter read a page", {
              source: source.sourceId,
              entity: plan.entity,
              rows: rows.length,
              children: children.length,
              fromStart: after === null
            })
          )
        )
      })

      /** Rows a keyset read cannot reach (NULL in an ordering column), reported as rejected, never dropped. */
      const nullSweep = (
        plan: EntityPlan,
        last: ReadonlyArray<string> | null,
        columns: ReadonlyArray<string> | undefined
      ) =>
        readOnly(
          `read ${plan.entity}`,
          nullKeyRows(sql, dialect, plan.select, plan.order, nullSweepLimit, columns)
        ).pipe(Effect.map((rows) => nullKeyItems(plan, rows, last)))

      const readEntity: ErpAdapterShape["read"] = (entity, cursor) =>
        Stream.unwrap(
          Effect.gen(function* () {
            const plan = yield* planOf(entity)
            const state = Option.isSome(cursor) ? yield* cursors.decode(cursor.value) : undefined
            if (
              state !== undefined &&
              (state.entity !== entity || state.order.join("\u0000") !== plan.order.join("\u0000"))
            )
              return yield* ErpErrors.schemaMismatch({
                message: `the stored cursor was made for ${state.entity} ordered by ${state.order.join(", ")}, not for this configuration (${entity} ordered by ${plan.order.join(", ")}); reset the source's cursor to re-read from the start`,
                operation: `read ${entity}`
              })
            const verified = yield* verify(plan)
            const contentColumn = plan.query.contentColumn
            const columns = contentColumn === undefined ? undefined : verified.filter((c) => c !== contentColumn)
            const start = state?.after ?? null
            const last = yield* Ref.make<ReadonlyArray<string> | null>(start)
            const pages = Stream.paginate(start, (after: ReadonlyArray<string> | null) =>
              fetchPage(plan, after, columns).pipe(
                Effect.flatMap(({ rows, children }) => {
                  const final = rows.at(-1)
                  const next = final === undefined ? null : orderValues(plan, final)
                  return Effect.as(next === null ? Effect.void : Ref.set(last, next), [
                    readItems(plan, rows, children),
                    rows.length < batchSize || next === null ? Option.none() : Option.some(next)
                  ] as const)
                })
              )
            )
            if (start !== null) return pages
            return Stream.concat(
              pages,
              Stream.unwrap(Effect.map(Ref.get(last), (at) => Stream.fromIterableEffect(nullSweep(plan, at, columns))))
            )
          })
        )

      const check = Effect.fn("SqlAdapter.check")(function* () {
        const checks: Array<CheckItem> = []
        yield* readOnly("connect", sql`select 1 as ok`)
        checks.push({ name: "connection", ok: true, message: "connected and opened a read-only transaction" })
        if (plans.size === 0) checks.push({ name: "entities", ok: false, message: "no entity has a query configured" })
        for (const plan of plans.values()) {
          const columns = yield* verify(plan)
          checks.push({
            name: `${plan.entity}: query`,
            ok: true,
            message: `runs and returns ${columns.length} columns, including every mapped and key column`
          })
          const duplicates = yield* readOnly(
            `check ${plan.entity}`,
            duplicateKeys(sql, dialect, plan.select, plan.query.primaryKey, 5)
          )
          checks.push({
            name: `${plan.entity}: primary key unique`,
            ok: duplicates.length === 0,
            message:
              duplicates.length === 0
                ? `no two rows share ${plan.query.primaryKey.join(", ")}`
                : `rows share a primary key, so pages would skip some: ${duplicates.map((row) => externalIdOf(keyTexts(row, "k", plan.query.primaryKey.length).map((k) => k ?? "NULL"))).join("; ")}`
          })
          const nulls = yield* readOnly(`check ${plan.entity}`, nullKeyRows(sql, dialect, plan.select, plan.order, 5))
          checks.push({
            name: `${plan.entity}: ordering columns not null`,
            ok: nulls.length === 0,
            message:
              nulls.length === 0
                ? `${plan.order.join(", ")} are never NULL`
                : `some rows have NULL in ${plan.order.join(", ")}; they are rejected on full reads and never read incrementally`
          })
        }
        const problems = yield* readOnly("check role", dialect.roleProblems(sql))
        checks.push({
          name: "read-only role",
          ok: problems.length === 0,
          message:
            problems.length === 0
              ? "the role can only read"
              : `${problems.join("; ")}: connect with a role that has SELECT only (the adapter's read-only transactions still apply)`
        })
        return { ok: checks.every((item) => item.ok), checks }
      })

      const discover = Effect.fn("SqlAdapter.discover")(function* () {
        const entities: Array<DiscoveredEntity> = []
        for (const entity of entityNames) {
          const plan = plans.get(entity)
          if (plan === undefined) {
            entities.push({ entity, available: false, note: "no query configured" })
            continue
          }
          // A query the server refuses makes its entity unavailable; an unreachable server fails discover.
          const described = yield* Effect.result(verify(plan))
          if (Result.isFailure(described) && described.failure.reason._tag !== "SchemaMismatch")
            return yield* described.failure
          entities.push(
            Result.match(described, {
              onSuccess: (columns) => ({
                entity,
                available: true,
                note: `columns ${columns.join(", ")}; ${plan.incremental ? `incremental by ${plan.order.join(", ")}` : `full reads by ${plan.order.join(", ")}`}`
              }),
              onFailure: (error) => ({ entity, available: false, note: error.message })
            })
          )
        }
        return { entities }
      })

      /** One document's bytes from its content column, found by the key values its external id is made of. */
      const documentContent = (plan: EntityPlan, contentColumn: string) => (record: DocumentRecord) =>
        Stream.fromEffect(
          Effect.gen(function* () {
            const operation = `content of document ${record.externalId}`
            const keys = keysOfExternalId(record.externalId, plan.query.primaryKey.length)
            if (keys === undefined) {
              return yield* ErpErrors.schemaMismatch({
                message: `"${record.externalId}" is not a key of ${plan.query.primaryKey.join(", ")}`,
                operation
              })
            }
            const rows = yield* readOnly(
              operation,
              contentOf(sql, plan.select, plan.query.primaryKey, keys, contentColumn)
            ).pipe(retryErp({ maxRetries: 3 }))
            const value = rows[0]?.[contentAlias]
            if (rows.length !== 1 || value === null || value === undefined) {
              return yield* ErpErrors.notFound({
                message:
                  rows.length > 1
                    ? `more than one row has this key; the primaryKey must be unique`
                    : rows.length === 0
                      ? "the document is no longer in the source"
                      : `its ${contentColumn} is NULL`,
                operation
              })
            }
            if (!(value instanceof Uint8Array)) {
              return yield* ErpErrors.schemaMismatch({
                message: `${contentColumn} is not a binary (bytea) column`,
                operation
              })
            }
            return value
          })
        )
      const documentsPlan = plans.get("documents")
      const contentColumn = documentsPlan?.query.contentColumn
      const content =
        documentsPlan === undefined || contentColumn === undefined
          ? {}
          : { content: documentContent(documentsPlan, contentColumn) }

      return {
        adapterId: sqlManifest.id,
        sourceId: source.sourceId,
        ...content,
        check,
        discover,
        read: readEntity,
        decode: (record) => decodeSqlRecord(config, source.sourceId, record)
      } satisfies ErpAdapterShape
    })

/** The SQL adapter for PostgreSQL: its manifest and constructor, for `layerAdapter`/`makeAdapter`. */
export const sqlAdapter: ErpAdapterDefinition<SqlAdapterConfig> = {
  manifest: sqlManifest,
  make: makeSqlAdapter(postgresConnector)
}

/** A layer providing `ErpAdapter` for one SQL source from raw (JSON) settings; bad settings fail the layer. */
export const layerSqlAdapter = (source: SourceContext, settings: unknown): Layer.Layer<ErpAdapter, ErpError> =>
  layerAdapter(sqlAdapter, source, settings)
