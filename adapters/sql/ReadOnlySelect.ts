// Proves that an integrator's query is exactly one read-only SELECT before the adapter ever runs it.
// Two independent views must both agree: a tokenizer that lexes as the server does (statement boundaries,
// bind parameters, function calls) and node-sql-parser's syntax tree (statement kinds, SELECT INTO, CTEs).

import { Predicate, Result, Schema } from "effect"
import NodeSqlParser from "node-sql-parser"
import { isForbiddenFunction } from "./internal/ForbiddenFunctions.ts"
import { neutralize, type Token } from "./internal/PgLexer.ts"
import type { SqlDialect } from "./SqlDialect.ts"

/** What is wrong with a refused query. */
export const UnsafeQueryProblem = Schema.Literals([
  "empty",
  "unparseable",
  "multiple-statements",
  "not-a-select",
  "data-modifying",
  "select-into",
  "locking-clause",
  "forbidden-function",
  "bind-parameter",
  "unicode-escape",
  "unbalanced-parentheses"
])
export type UnsafeQueryProblem = typeof UnsafeQueryProblem.Type

/** The query is not provably one read-only SELECT; `detail` names the offending part. */
export class UnsafeQuery extends Schema.TaggedError<UnsafeQuery>()("UnsafeQuery", {
  problem: UnsafeQueryProblem,
  detail: Schema.String
}) {
  override get message(): string {
    return `the query is refused (${this.problem}): ${this.detail}`
  }
}

/** A query that passed every check, with a trailing semicolon removed so it can be wrapped as a subquery. */
export interface ReadOnlySelect {
  readonly _tag: "ReadOnlySelect"
  readonly text: string
}

const { Parser } = NodeSqlParser
const parser = new Parser()

/** Statement kinds that write or change the schema, wherever they appear in the tree. */
const modifyingKinds = new Set([
  "insert",
  "replace",
  "update",
  "delete",
  "merge",
  "create",
  "alter",
  "drop",
  "truncate",
  "rename",
  "grant",
  "revoke",
  "lock",
  "copy",
  "load_data"
])
const modifyingWords = ["insert", "update", "delete", "merge", "truncate", "create", "alter", "drop", "copy"]
const lockingWords = new Set(["update", "share", "no", "key"])

const refuse = (problem: UnsafeQueryProblem, detail: string): Result.Result<ReadOnlySelect, UnsafeQuery> =>
  Result.fail(new UnsafeQuery({ problem, detail }))

const isName = (token: Token | undefined): token is Token =>
  token !== undefined && (token.kind === "word" || token.kind === "quoted-identifier")

/** Checks that need the server's own lexical view; returns the index of a trailing `;`, if any. */
const checkTokens = (tokens: ReadonlyArray<Token>): Result.Result<number | undefined, UnsafeQuery> => {
  let trailing: number | undefined
  // The query becomes a parenthesised subquery: a stray ")" would close it early.
  let depth = 0
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    const next = tokens[i + 1]
    if (token.kind === "punctuation" && (token.value === "(" || token.value === ")")) {
      depth += token.value === "(" ? 1 : -1
      if (depth < 0)
        return Result.fail(
          new UnsafeQuery({
            problem: "unbalanced-parentheses",
            detail: `the ")" at offset ${token.start} closes a parenthesis that was never opened`
          })
        )
    } else if (token.kind === "punctuation" && token.value === ";") {
      if (next !== undefined)
        return Result.fail(
          new UnsafeQuery({
            problem: "multiple-statements",
            detail: `a ";" at offset ${token.start} ends the first statement and more text follows; give exactly one SELECT`
          })
        )
      trailing = token.start
    } else if (token.kind === "parameter") {
      return Result.fail(
        new UnsafeQuery({
          problem: "bind-parameter",
          detail: `the query uses the bind parameter ${token.value}; the adapter binds its own parameters, so write values as literals`
        })
      )
    } else if (
      isName(token) &&
      next?.kind === "punctuation" &&
      next.value === "(" &&
      isForbiddenFunction(token.value)
    ) {
      return Result.fail(
        new UnsafeQuery({
          problem: "forbidden-function",
          detail: `the query calls ${token.value}(), which can have side effects, wait, or read server files`
        })
      )
    } else if (
      token.kind === "word" &&
      token.value === "for" &&
      next?.kind === "word" &&
      lockingWords.has(next.value)
    ) {
      const clause = tokens
        .slice(i, i + 4)
        .map((t) => t.value.toUpperCase())
        .join(" ")
      return Result.fail(
        new UnsafeQuery({
          problem: "locking-clause",
          detail: `the query has a row-locking clause (${clause}...); a reporting SELECT must not lock rows`
        })
      )
    }
  }
  if (depth !== 0)
    return Result.fail(
      new UnsafeQuery({ problem: "unbalanced-parentheses", detail: `${depth} parenthesis(es) are never closed` })
    )
  return Result.succeed(trailing)
}

/** Every node of the parser's tree, depth first. */
const walk = (
  node: unknown,
  visit: (node: Record<string, unknown>) => UnsafeQuery | undefined
): UnsafeQuery | undefined => {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = walk(child, visit)
      if (found !== undefined) return found
    }
    return undefined
  }
  if (!Predicate.isObject(node)) return undefined
  const record: Record<string, unknown> = { ...node }
  const found = visit(record)
  if (found !== undefined) return found
  for (const value of Object.values(record)) {
    const inner = walk(value, visit)
    if (inner !== undefined) return inner
  }
  return undefined
}

const functionName = (node: Record<string, unknown>): string | undefined => {
  const name = node.name
  if (typeof name === "string") return name
  if (!Predicate.isObject(name)) return undefined
  const parts: unknown = Reflect.get(name, "name")
  if (!Array.isArray(parts)) return undefined
  const last: unknown = parts[parts.length - 1]
  if (!Predicate.isObject(last)) return undefined
  const value: unknown = Reflect.get(last, "value")
  return typeof value === "string" ? value : undefined
}

/** Checks on the syntax tree: statement kinds anywhere in it, SELECT INTO, and function calls. */
const checkTree = (node: Record<string, unknown>): UnsafeQuery | undefined => {
  const kind = typeof node.type === "string" ? node.type.toLowerCase() : undefined
  if (kind !== undefined && modifyingKinds.has(kind))
    return new UnsafeQuery({
      problem: "data-modifying",
      detail: `the query contains a ${kind.toUpperCase()} statement (in a CTE or subquery); only reading is allowed`
    })
  const into = node.into
  if (Predicate.isObject(into) && (Reflect.get(into, "expr") ?? null) !== null)
    return new UnsafeQuery({
      problem: "select-into",
      detail: "SELECT ... INTO creates a table; only reading is allowed"
    })
  if (kind === "function" || kind === "aggr_func") {
    const name = functionName(node)
    if (name !== undefined && isForbiddenFunction(name))
      return new UnsafeQuery({
        problem: "forbidden-function",
        detail: `the query calls ${name}(), which can have side effects, wait, or read server files`
      })
  }
  const locking = node.locking_read ?? node.for_update ?? null
  if (locking !== null && locking !== undefined)
    return new UnsafeQuery({ problem: "locking-clause", detail: "a reporting SELECT must not lock rows" })
  return undefined
}

/** A hint for a text the parser cannot read: which forbidden keyword it contains, outside strings and comments. */
const parseFailureDetail = (tokens: ReadonlyArray<Token>, parserMessage: string): UnsafeQuery => {
  const word = tokens.find((t) => t.kind === "word" && modifyingWords.includes(t.value))
  if (word !== undefined)
    return new UnsafeQuery({
      problem: "data-modifying",
      detail: `the query contains ${word.value.toUpperCase()} at offset ${word.start}; only a read-only SELECT is allowed`
    })
  const firstLine = parserMessage.split("\n")[0] ?? parserMessage
  return new UnsafeQuery({
    problem: "unparseable",
    detail: `the query could not be parsed as one ${"SELECT"}: ${firstLine.slice(0, 300)}`
  })
}

/**
 * Checks `text` and returns it ready to be wrapped, or says exactly why it is refused. Pure; the read-only
 * transaction and statement timeout in `SqlSource` still apply to every query that passes.
 */
export const validateReadOnlySelect = (
  text: string,
  dialect: SqlDialect
): Result.Result<ReadOnlySelect, UnsafeQuery> => {
  const lexed = dialect.lex(text)
  if (!lexed.ok) {
    const problem = lexed.failure.problem === "unicode-escape" ? "unicode-escape" : "unparseable"
    return refuse(problem, `${lexed.failure.detail} (offset ${lexed.failure.start})`)
  }
  const tokens = lexed.tokens
  if (tokens.length === 0) return refuse("empty", "the query is empty")
  const tokenCheck = checkTokens(tokens)
  if (Result.isFailure(tokenCheck)) return Result.fail(tokenCheck.failure)
  const trailing = tokenCheck.success
  const body = trailing === undefined ? text : text.slice(0, trailing)

  // The parser reads a neutralized copy: strings and comments are where SQL lexers disagree, and the
  // tokenizer above has already settled them the server's way.
  const bodyTokens = trailing === undefined ? tokens : tokens.slice(0, -1)
  const parsed = Result.try({
    try: () => parser.astify(neutralize(text, bodyTokens), { database: dialect.parserDatabase }),
    catch: (error) => (error instanceof Error ? error.message : String(error))
  })
  if (Result.isFailure(parsed)) return Result.fail(parseFailureDetail(tokens, parsed.failure))
  const statements = Array.isArray(parsed.success) ? parsed.success : [parsed.success]
  if (statements.length !== 1)
    return refuse("multiple-statements", `found ${statements.length} statements; give exactly one SELECT`)
  const statement = statements[0]
  if (statement === undefined) return refuse("empty", "the query is empty")
  if (statement.type !== "select") {
    const kind = String(statement.type).toUpperCase()
    return modifyingKinds.has(String(statement.type).toLowerCase())
      ? refuse("data-modifying", `the statement is ${kind}; only a read-only SELECT is allowed`)
      : refuse("not-a-select", `the statement is ${kind}, not a SELECT`)
  }
  const problem = walk(statement, checkTree)
  if (problem !== undefined) return Result.fail(problem)
  return Result.succeed({ _tag: "ReadOnlySelect", text: body.trimEnd() })
}
