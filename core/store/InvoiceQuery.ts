// What the portal's invoice list asks for: filters, a sort order, a page size and an opaque keyset cursor
// (the last row's sort key and id), plus the escaping that makes any search text a literal substring.
import { Result, Schema } from "effect"
import { InvoiceStatusAsOf } from "../billing/InvoiceStateMachine.ts"
import { CurrencyCode } from "../domain/Currency.ts"
import { AccountId } from "../domain/Ids.ts"
import { LocalDate } from "../domain/LocalDate.ts"
import { MinorUnits } from "../domain/Money.ts"
import { InvalidCursor } from "./StoreErrors.ts"

/** The orders the list supports; ties are broken by invoice id in the same direction. */
export const InvoiceSortField = Schema.Literals(["issue-date", "due-date", "amount", "number"])
export type InvoiceSortField = typeof InvoiceSortField.Type

export const SortDirection = Schema.Literals(["asc", "desc"])
export type SortDirection = typeof SortDirection.Type

export const InvoiceSort = Schema.Struct({ field: InvoiceSortField, direction: SortDirection })
export type InvoiceSort = typeof InvoiceSort.Type

/** Newest first. */
export const defaultSort: InvoiceSort = { field: "issue-date", direction: "desc" }

/**
 * A list request. `asOf` is the day "overdue" is judged on (the portal passes today in the business's
 * zone). Every filter is optional; date ranges and amount bounds are inclusive; `search` matches a
 * substring of the invoice number or the PO number, case-insensitively, with no wildcard characters.
 */
export const InvoiceQuery = Schema.Struct({
  asOf: LocalDate,
  accountId: Schema.optionalKey(AccountId),
  statuses: Schema.optionalKey(Schema.Array(InvoiceStatusAsOf)),
  issuedFrom: Schema.optionalKey(LocalDate),
  issuedTo: Schema.optionalKey(LocalDate),
  dueFrom: Schema.optionalKey(LocalDate),
  dueTo: Schema.optionalKey(LocalDate),
  currency: Schema.optionalKey(CurrencyCode),
  minTotal: Schema.optionalKey(MinorUnits),
  maxTotal: Schema.optionalKey(MinorUnits),
  search: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(100))),
  sort: Schema.optionalKey(InvoiceSort),
  limit: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 200 }))),
  cursor: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(1000)))
})
export type InvoiceQuery = typeof InvoiceQuery.Type

/** Rows per page when the query does not say. */
export const defaultLimit = 25

/** Where a page ended: the last row's sort key and id. */
export interface CursorPosition {
  readonly sort: InvoiceSort
  readonly key: string | number
  readonly id: string
}

const CursorJson = Schema.fromJsonString(
  Schema.Tuple([InvoiceSortField, SortDirection, Schema.Union([Schema.String, Schema.Finite]), Schema.String])
)
const encodeCursorJson = Schema.encodeSync(CursorJson)
const decodeCursorJson = Schema.decodeUnknownResult(CursorJson)

/** The opaque cursor for a position (base64url JSON; opaque to clients, not a secret). */
export const encodeCursor = (position: CursorPosition): string =>
  Buffer.from(
    encodeCursorJson([position.sort.field, position.sort.direction, position.key, position.id]),
    "utf8"
  ).toString("base64url")

/**
 * Reads a cursor back; fails with InvalidCursor when it is malformed or was made for another sort order
 * (a cursor from "amount desc" means nothing to "due-date asc").
 */
export const decodeCursor = (cursor: string, sort: InvoiceSort): Result.Result<CursorPosition, InvalidCursor> => {
  const decoded = decodeCursorJson(Buffer.from(cursor, "base64url").toString("utf8"))
  if (Result.isFailure(decoded)) return Result.fail(new InvalidCursor({ cursor }))
  const [field, direction, key, id] = decoded.success
  const keyMatches = field === "amount" ? typeof key === "number" && Number.isSafeInteger(key) : typeof key === "string"
  const dateValid = field === "issue-date" || field === "due-date" ? Schema.is(LocalDate)(key) : true
  if (field !== sort.field || direction !== sort.direction || !keyMatches || !dateValid) {
    return Result.fail(new InvalidCursor({ cursor }))
  }
  return Result.succeed({ sort, key, id })
}

/**
 * The ILIKE pattern matching `text` as a literal substring: `\`, `%` and `_` are escaped (the query says
 * `escape '\'`), so user input can never act as a wildcard.
 */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
