// Words for the terminal about why a store operation failed: the database's own message when there is one.
import { isSqlError } from "effect/sql/SqlError"

/** The most specific message behind an error: the driver's or PostgreSQL's text for SQL errors and causes. */
export const failureDetail = (error: unknown): string => {
  if (isSqlError(error)) {
    const cause = error.reason.cause
    return cause instanceof Error && cause.message !== "" ? cause.message : error.message
  }
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ""
    return `${error.message}${cause}`
  }
  return String(error)
}
