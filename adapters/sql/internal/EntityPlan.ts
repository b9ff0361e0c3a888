// Turns the configuration of one entity into a read plan: its checked SELECTs and the columns that order
// its rows; then matches every column the plan names against the columns the server reports.
import { Result } from "effect"
import { type EntityName, type ErpError, ErpErrors, type FieldMapping } from "../../../core/erp/index.ts"
import { type ReadOnlySelect, validateReadOnlySelect } from "../ReadOnlySelect.ts"
import type { ChildQuery, EntityQuery } from "../SqlAdapterConfig.ts"
import type { SqlDialect } from "../SqlDialect.ts"
import { internalPrefix } from "./Rows.ts"

/** Which child rows an entity carries. */
export type ChildKind = "lines" | "allocations"

/** How one entity is read. */
export interface EntityPlan {
  readonly entity: EntityName
  readonly query: EntityQuery
  readonly select: ReadOnlySelect
  /** The keyset order: the cursor column (when incremental), then the primary key. */
  readonly order: ReadonlyArray<string>
  readonly incremental: boolean
  readonly child?: { readonly kind: ChildKind; readonly query: ChildQuery; readonly select: ReadOnlySelect }
}

const childKinds: Record<EntityName, ChildKind | undefined> = {
  accounts: undefined,
  contacts: undefined,
  invoices: "lines",
  "credit-notes": "lines",
  payments: "allocations",
  documents: undefined
}

const configError = (message: string): ErpError => ErpErrors.schemaMismatch({ message, operation: "configure" })

const checked = (path: string, text: string, dialect: SqlDialect): Result.Result<ReadOnlySelect, ErpError> =>
  Result.mapError(validateReadOnlySelect(text, dialect), (unsafe) => configError(`${path}: ${unsafe.message}`))

/** Checks an entity's configuration without connecting: its SELECTs, and children only where they belong. */
export const planEntity = (
  entity: EntityName,
  query: EntityQuery,
  dialect: SqlDialect
): Result.Result<EntityPlan, ErpError> =>
  Result.gen(function* () {
    const path = `entities.${entity}`
    const select = yield* checked(`${path}.select`, query.select, dialect)
    const kind = childKinds[entity]
    for (const misplaced of ["lines", "allocations"] as const) {
      if (query[misplaced] !== undefined && misplaced !== kind)
        return yield* Result.fail(
          configError(
            `${path}.${misplaced}: ${entity} have no ${misplaced}${kind === undefined ? "" : ` (use "${kind}")`}`
          )
        )
    }
    if (query.contentColumn !== undefined && entity !== "documents")
      return yield* Result.fail(configError(`${path}.contentColumn: only documents have content`))
    const childQuery = kind === undefined ? undefined : query[kind]
    const order = [...(query.cursorColumn === undefined ? [] : [query.cursorColumn]), ...query.primaryKey]
    const base = { entity, query, select, order, incremental: query.cursorColumn !== undefined }
    if (kind === undefined || childQuery === undefined) return base
    if (childQuery.parentKey.length !== query.primaryKey.length)
      return yield* Result.fail(
        configError(
          `${path}.${kind}.parentKey: names ${childQuery.parentKey.length} column(s) but the primaryKey has ${query.primaryKey.length}`
        )
      )
    const childSelect = yield* checked(`${path}.${kind}.select`, childQuery.select, dialect)
    return { ...base, child: { kind, query: childQuery, select: childSelect } }
  })

/** The column a mapping source path starts at: `"total"` → total, `"meta.vat"` → meta, `"['a.b']"` → a.b. */
export const columnOfPath = (path: string): string => {
  const quoted = /^\[(['"])(.*?)\1\]/.exec(path)
  if (quoted !== null) return quoted[2] ?? path
  const end = path.search(/[.[]/)
  return end <= 0 ? path : path.slice(0, end)
}

const mappedColumns = (mapping: FieldMapping, available: ReadonlySet<string>): ReadonlyArray<string> =>
  Object.values(mapping).flatMap((rule) => {
    const from = typeof rule === "string" ? rule : rule.from
    if (from === undefined || available.has(from)) return []
    return [columnOfPath(from)]
  })

/** Fails naming every column `names` asks for that `columns` lacks, and any duplicated or reserved column. */
export const requireColumns = (
  path: string,
  columns: ReadonlyArray<string>,
  names: ReadonlyArray<string>,
  mapping: FieldMapping
): Result.Result<void, ErpError> => {
  const duplicated = columns.filter((name, i) => columns.indexOf(name) !== i)
  if (duplicated.length > 0)
    return Result.fail(
      ErpErrors.schemaMismatch({
        message: `${path}: the SELECT returns ${[...new Set(duplicated)].map((c) => `"${c}"`).join(", ")} more than once; give each column a distinct alias`,
        operation: "check columns"
      })
    )
  const reserved = columns.filter((name) => name.startsWith(internalPrefix))
  if (reserved.length > 0)
    return Result.fail(
      ErpErrors.schemaMismatch({
        message: `${path}: column names starting with "${internalPrefix}" are reserved for the adapter (${reserved.join(", ")})`,
        operation: "check columns"
      })
    )
  const available = new Set(columns)
  const missing = [...new Set([...names, ...mappedColumns(mapping, available)])].filter((name) => !available.has(name))
  if (missing.length === 0) return Result.void
  return Result.fail(
    ErpErrors.schemaMismatch({
      message: `${path}: the SELECT has no column ${missing.map((c) => `"${c}"`).join(", ")} (it returns ${columns.map((c) => `"${c}"`).join(", ")})`,
      operation: "check columns"
    })
  )
}
