// The statements the SQL adapter runs around an integrator's checked SELECT. The SELECT is wrapped as a
// subquery `src`; every value is a bound parameter and every column name goes through the client's
// identifier escaping, after being matched against the columns the server reported for the query.
import type { SqlClient } from "effect/sql/SqlClient"
import type { Fragment } from "effect/sql/Statement"
import type { ReadOnlySelect } from "../ReadOnlySelect.ts"
import type { SqlDialect } from "../SqlDialect.ts"
import { internalPrefix } from "./Rows.ts"

// Newlines around the text keep a trailing `-- comment` in it from swallowing the closing parenthesis.
const from = (sql: SqlClient, select: ReadOnlySelect): Fragment => sql`(\n${sql.literal(select.text)}\n) as src`

const column = (sql: SqlClient, name: string): Fragment => sql`src.${sql(name)}`

/** The row columns a page returns: all (`src.*`), or only `columns` (a document's bytes stay behind). */
const projection = (sql: SqlClient, columns: ReadonlyArray<string> | undefined): Fragment =>
  columns === undefined ? sql`src.*` : sql.csv(columns.map((name) => column(sql, name)))

/** `cast(src.col as text) as __portico_<alias><i>` for each column: exact keys that survive a round trip. */
const keyColumns = (sql: SqlClient, dialect: SqlDialect, columns: ReadonlyArray<string>, alias: string) =>
  sql.csv(columns.map((name, i) => sql`${dialect.columnAsText(sql, name)} as ${sql(`${internalPrefix}${alias}${i}`)}`))

/** The query with no rows: proves it runs and reports its columns. */
export const describeQuery = (sql: SqlClient, select: ReadOnlySelect) =>
  sql`select * from ${from(sql, select)} limit ${0}`

/**
 * One keyset page: rows ordered by `order` (cursor column, then primary key) strictly after `after`, at most
 * `limit`. Rows with NULL in any ordering column cannot be placed in the order and are read by `nullKeyRows`.
 */
export const keysetPage = (
  sql: SqlClient,
  dialect: SqlDialect,
  select: ReadOnlySelect,
  order: ReadonlyArray<string>,
  after: ReadonlyArray<string> | null,
  limit: number,
  columns?: ReadonlyArray<string>
) => {
  const notNull = order.map((name) => sql`${column(sql, name)} is not null`)
  const position =
    after === null
      ? []
      : [sql`(${sql.csv(order.map((name) => column(sql, name)))}) > (${sql.csv(after.map((value) => sql`${value}`))})`]
  return sql`select ${projection(sql, columns)}, ${keyColumns(sql, dialect, order, "k")} from ${from(sql, select)}
    where ${sql.and([...notNull, ...position])}
    order by ${sql.csv(order.map((name) => column(sql, name)))}
    limit ${limit}`
}

/** Rows that a keyset read cannot reach because an ordering column is NULL (at most `limit`). */
export const nullKeyRows = (
  sql: SqlClient,
  dialect: SqlDialect,
  select: ReadOnlySelect,
  order: ReadonlyArray<string>,
  limit: number,
  columns?: ReadonlyArray<string>
) =>
  sql`select ${projection(sql, columns)}, ${keyColumns(sql, dialect, order, "k")} from ${from(sql, select)}
    where ${sql.or(order.map((name) => sql`${column(sql, name)} is null`))}
    limit ${limit}`

/** The child rows (lines, allocations) of the given parents, keyed by `parentKey`, in `orderBy` order. */
export const childRows = (
  sql: SqlClient,
  dialect: SqlDialect,
  select: ReadOnlySelect,
  parentKey: ReadonlyArray<string>,
  orderBy: ReadonlyArray<string>,
  parents: ReadonlyArray<ReadonlyArray<string>>
) => {
  const matches = parents.map((keys) =>
    sql.and(parentKey.map((name, i) => sql`${column(sql, name)} = ${keys[i] ?? null}`))
  )
  return sql`select src.*, ${keyColumns(sql, dialect, parentKey, "p")} from ${from(sql, select)}
    where ${sql.or(matches)}
    order by ${sql.csv([...parentKey, ...orderBy].map((name) => column(sql, name)))}`
}

/** Primary-key values that occur on more than one row (at most `limit` examples). */
export const duplicateKeys = (
  sql: SqlClient,
  dialect: SqlDialect,
  select: ReadOnlySelect,
  primaryKey: ReadonlyArray<string>,
  limit: number
) =>
  sql`select ${keyColumns(sql, dialect, primaryKey, "k")}, count(*) as ${sql(`${internalPrefix}count`)}
    from ${from(sql, select)}
    group by ${sql.csv(primaryKey.map((name) => column(sql, name)))}
    having count(*) > 1
    limit ${limit}`

/** The name under which `contentOf` returns a document's bytes. */
export const contentAlias = `${internalPrefix}content`

/** One document's bytes column, by its primary-key values (at most two rows, to notice a non-unique key). */
export const contentOf = (
  sql: SqlClient,
  select: ReadOnlySelect,
  primaryKey: ReadonlyArray<string>,
  keys: ReadonlyArray<string>,
  contentColumn: string
) =>
  sql`select ${column(sql, contentColumn)} as ${sql(contentAlias)} from ${from(sql, select)}
    where ${sql.and(primaryKey.map((name, i) => sql`${column(sql, name)} = ${keys[i] ?? null}`))}
    limit ${2}`
