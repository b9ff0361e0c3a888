// What differs between databases for the SQL adapter: how the server lexes text, which grammar the parser
// uses, how a read-only transaction with a time limit is opened, how a value is rendered as exact text,
// and where a driver reports a result's column names. PostgreSQL ships; a MySQL client plugs in here.
import { Effect, Option, Schema } from "effect"
import type { SqlClient } from "effect/sql/SqlClient"
import type { SqlError } from "effect/sql/SqlError"
import type { Fragment } from "effect/sql/Statement"
import { type LexResult, lex } from "./internal/PgLexer.ts"

/** A database dialect: the small strategy the adapter needs beyond `effect/sql`'s own client. */
export interface SqlDialect {
  /** For messages and the manifest ("postgresql"). */
  readonly name: string
  /** node-sql-parser's `database` option for this grammar. */
  readonly parserDatabase: string
  /** Tokenizes the way the server does (strings, comments, quoted identifiers). */
  readonly lex: (text: string) => LexResult
  /** The statement that opens each read transaction; it must make the transaction read-only. */
  readonly beginReadOnly: string
  /** Runs first inside each read transaction: the statement timeout, and any session rule the lexer assumes. */
  readonly limitTransaction: (sql: SqlClient, timeoutMillis: number) => Effect.Effect<void, SqlError>
  /** `column` of the subquery `src` cast to text, exact for every type (cursors survive a round trip). */
  readonly columnAsText: (sql: SqlClient, column: string) => Fragment
  /** The column names of a driver's raw result (`Statement.raw`), in order, when it reports them. */
  readonly columnsOf: (raw: unknown) => Option.Option<ReadonlyArray<string>>
  /** What makes the connected role more than a reader (superuser, write grants), for `check`. */
  readonly roleProblems: (sql: SqlClient) => Effect.Effect<ReadonlyArray<string>, SqlError>
}

const PgRole = Schema.Struct({ superuser: Schema.String, writable: Schema.Union([Schema.Number, Schema.BigInt]) })

const PgRawResult = Schema.Struct({ fields: Schema.Array(Schema.Struct({ name: Schema.String })) })
const decodePgRaw = Schema.decodeUnknownOption(PgRawResult)
const decodePgRole = Schema.decodeUnknownOption(PgRole)

/**
 * PostgreSQL through `@effect/sql-pg`. The transaction starts `READ ONLY`; `statement_timeout` is set for
 * it with a bound parameter; `standard_conforming_strings` is forced on because the lexer assumes it.
 */
export const postgresDialect: SqlDialect = {
  name: "postgresql",
  parserDatabase: "PostgreSQL",
  lex,
  // Repeatable read: a page and the lines of its invoices come from one snapshot.
  beginReadOnly: "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
  limitTransaction: (sql, timeoutMillis) =>
    sql`select set_config('statement_timeout', ${String(timeoutMillis)}, true), set_config('standard_conforming_strings', 'on', true)`.pipe(
      Effect.asVoid
    ),
  columnAsText: (sql, column) => sql`cast(src.${sql(column)} as text)`,
  columnsOf: (raw) => Option.map(decodePgRaw(raw), (result) => result.fields.map((field) => field.name)),
  roleProblems: (sql) =>
    sql`select current_setting('is_superuser') as superuser, (
        select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
          and (has_table_privilege(c.oid, 'INSERT') or has_table_privilege(c.oid, 'UPDATE')
            or has_table_privilege(c.oid, 'DELETE') or has_table_privilege(c.oid, 'TRUNCATE'))
      ) as writable`.pipe(
      Effect.map((rows) => {
        const decoded = Option.getOrUndefined(decodePgRole(rows[0]))
        if (decoded === undefined) return ["could not read the role's privileges"]
        return [
          ...(decoded.superuser === "on" ? ["the role is a superuser"] : []),
          ...(Number(decoded.writable) > 0 ? [`the role may write to ${decoded.writable} table(s)`] : [])
        ]
      })
    )
}
