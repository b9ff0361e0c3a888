// The SQL adapter's settings as they appear in the JSON config file: where the business's database is,
// and one SELECT per entity with the columns that identify and order its rows and the field mapping.
import { Schema } from "effect"
import { FieldMapping } from "../../core/erp/index.ts"

const ColumnName = Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(128))
const Columns = Schema.NonEmptyArray(ColumnName)

/** A child query: invoice or credit-note lines, or payment allocations, joined to their parent rows. */
export const ChildQuery = Schema.Struct({
  /** One read-only SELECT returning every child row; the adapter filters it to the parents of each page. */
  select: Schema.String,
  /** The columns of this SELECT holding the parent's primary key, in the order of the parent's `primaryKey`. */
  parentKey: Columns,
  /** Columns that order the children of one parent (line number); default: as the database returns them. */
  orderBy: Schema.optionalKey(Columns),
  /** Canonical line/allocation field → column of this SELECT. */
  mapping: FieldMapping
})
export type ChildQuery = typeof ChildQuery.Type

/** How to read one entity. */
export const EntityQuery = Schema.Struct({
  /** One read-only SELECT with one row per record (an invoice header, a customer, a payment). */
  select: Schema.String,
  /** The columns that identify a row; their values make the record's external id. */
  primaryKey: Columns,
  /**
   * A column that grows whenever a row changes (`updated_at`, a row version). With it, reads are
   * incremental: from a cursor, only rows changed since. Without it, only full reads are offered.
   */
  cursorColumn: Schema.optionalKey(ColumnName),
  /** Canonical field → column of the SELECT (see core/erp/Normalize `targetFields`). */
  mapping: FieldMapping,
  /** Lines of invoices and credit notes. */
  lines: Schema.optionalKey(ChildQuery),
  /** Allocations of payments. */
  allocations: Schema.optionalKey(ChildQuery),
  /**
   * Documents only: the binary (bytea) column of the SELECT holding each document's bytes. It is left out of
   * the rows `read` returns and fetched by primary key, one document at a time, by `content`.
   */
  contentColumn: Schema.optionalKey(ColumnName)
})
export type EntityQuery = typeof EntityQuery.Type

/** The SQL adapter's configuration. */
export const SqlAdapterConfig = Schema.Struct({
  /** Only PostgreSQL is built in; the dialect strategy (`SqlDialect`) is where another database plugs in. */
  dialect: Schema.optionalKey(Schema.Literal("postgresql")),
  /** `postgres://user:password@host:5432/erp`: its own connection, not Portico's store. Never printed. */
  url: Schema.RedactedFromValue(Schema.String.check(Schema.isNonEmpty())),
  /** The password, when it is not in the URL. Never printed. */
  password: Schema.optionalKey(Schema.RedactedFromValue(Schema.String.check(Schema.isNonEmpty()))),
  /** Use TLS to the database. */
  ssl: Schema.optionalKey(Schema.Boolean),
  /** Rows fetched per query (default 500). */
  batchSize: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 10_000 }))),
  /** The longest any one query may run, in milliseconds (default 30000); enforced by the server. */
  statementTimeoutMillis: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 3_600_000 }))),
  /** Pool size for this source (default 2). */
  maxConnections: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 32 }))),
  /** One query per entity the source offers. */
  entities: Schema.Struct({
    accounts: Schema.optionalKey(EntityQuery),
    contacts: Schema.optionalKey(EntityQuery),
    invoices: Schema.optionalKey(EntityQuery),
    "credit-notes": Schema.optionalKey(EntityQuery),
    payments: Schema.optionalKey(EntityQuery),
    documents: Schema.optionalKey(EntityQuery)
  })
})
export type SqlAdapterConfig = typeof SqlAdapterConfig.Type

/** Defaults for the optional settings. */
export const sqlAdapterDefaults = {
  batchSize: 500,
  statementTimeoutMillis: 30_000,
  maxConnections: 2
} as const
