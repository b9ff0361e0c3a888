// Maps effect/sql's SqlError reasons onto the adapter contract's ErpError reasons, with every secret of
// the configuration scrubbed from the text and no driver objects kept as the cause.
import { Predicate, Result } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import { type ErpError, ErpErrors, scrub } from "../../../core/erp/index.ts"

/** The server's own words and SQLSTATE, which the driver keeps on the reason's cause. */
const serverError = (error: SqlError): { readonly text?: string; readonly code?: string } => {
  const cause = error.reason.cause
  if (!(cause instanceof Error)) return {}
  const code = Predicate.hasProperty(cause, "code") && typeof cause.code === "string" ? cause.code : undefined
  return { text: cause.message, ...(code === undefined ? {} : { code }) }
}

/** The ErpError for a failed query while doing `operation`. */
export const fromSqlError = (error: SqlError, operation: string, secrets: ReadonlyArray<string>): ErpError => {
  const server = serverError(error)
  const driver = error.reason.message || error.message
  const message = scrub(server.text === undefined ? driver : `${driver}: ${server.text}`, secrets)
  const input = { message, operation }
  // invalid_catalog_name: the configured database does not exist
  if (server.code === "3D000") return ErpErrors.notFound(input)
  switch (error.reason._tag) {
    case "ConnectionError":
      return ErpErrors.connection(input)
    case "AuthenticationError":
      return ErpErrors.authentication(input)
    case "AuthorizationError":
      return ErpErrors.authentication({
        message: `the database role may not read this (${message}); grant it SELECT on the tables the query reads`,
        operation
      })
    case "SqlSyntaxError":
      return ErpErrors.schemaMismatch({
        message: `the database refused the query (${message}); check the SELECT against the database's tables and columns`,
        operation
      })
    case "StatementTimeoutError":
      return ErpErrors.timeout({
        message: `the query ran longer than the statement timeout (${message})`,
        operation
      })
    case "LockTimeoutError":
      return ErpErrors.timeout(input)
    default:
      return ErpErrors.unknown({ ...input, transient: error.isRetryable })
  }
}

/** The secrets of a database URL: the whole URL and its password (as written and decoded). */
export const urlSecrets = (url: string): ReadonlyArray<string> => {
  const found = [url]
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@/]*)@/i.exec(url)
  const password = match?.[1]
  if (password !== undefined && password !== "") {
    found.push(password)
    const decoded = decodeURIComponentSafe(password)
    if (decoded !== password) found.push(decoded)
  }
  return found
}

const decodeURIComponentSafe = (text: string): string =>
  Result.getOrElse(Result.try({ try: () => decodeURIComponent(text), catch: () => text }), () => text)
