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
}

const PgRawResult = Schema.Struct({ fields: Schema.Array(Schema.Struct({ name: Schema.String })) })
const decodePgRaw = Schema.decodeUnknownOption(PgRawResult)

/**
 * PostgreSQL through `@effect/sql-pg`. The transaction starts `READ ONLY`; `statement_timeout` is set for
 * it with a bound parameter; `standard_conforming_strings` is forced on because the lexer assumes it.
 */
export const postgresDialect: SqlDialect = {
  name: "postgresql",
  parserDatabase: "PostgreSQL",
  lex,
  beginReadOnly: "BEGIN TRANSACTION READ ONLY",
  limitTransaction: (sql, timeoutMillis) =>
    sql`select set_config('statement_timeout', ${String(timeoutMillis)}, true), set_config('standard_conforming_strings', 'on', true)`.pipe(
      Effect.asVoid
    ),
  columnAsText: (sql, column) => sql`cast(src.${sql(column)} as text)`,
  columnsOf: (raw) => Option.map(decodePgRaw(raw), (result) => result.fields.map((field) => field.name))
}
