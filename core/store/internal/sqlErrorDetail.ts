// The database's own words for a failed statement (the PostgreSQL error message), for error details.
import type { SqlError } from "effect/sql/SqlError"

/** The PostgreSQL message behind a SqlError, or the client's message when there is none. */
export const sqlErrorDetail = (error: SqlError): string => {
  const cause = error.reason.cause
  return cause instanceof Error ? cause.message : error.message
}
