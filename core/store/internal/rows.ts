// Decoding database values: bigint minor units (returned as bigint, string or number depending on the
// driver path) to exact safe integers, dates to LocalDate.
import { Schema, SchemaGetter } from "effect"
import { CurrencyCode } from "../../domain/Currency.ts"
import { LocalDate } from "../../domain/LocalDate.ts"
import { MinorUnits } from "../../domain/Money.ts"

/** A bigint column of minor units, as an exact safe integer (anything beyond 2^53 fails decoding). */
export const DbMinor = Schema.Union([Schema.BigInt, Schema.String, Schema.Number]).pipe(
  Schema.decodeTo(MinorUnits, {
    decode: SchemaGetter.transform((value: bigint | string | number) => Number(value)),
    encode: SchemaGetter.transform((value: number) => BigInt(value))
  })
)

/** A bigint counter (sequence numbers, revisions). */
export const DbInt = DbMinor

/** A `date` column (the client returns "YYYY-MM-DD" strings). */
export const DbDate = LocalDate

export const DbCurrency = CurrencyCode

/** A nullable text column. */
export const DbText = Schema.NullOr(Schema.String)

/** Decodes rows with a row schema; a row that does not decode is a defect (the schema and SQL disagree). */
export const decodeRows = <A, I>(row: Schema.Codec<A, I>) => {
  const decode = Schema.decodeUnknownSync(Schema.Array(row))
  return (rows: ReadonlyArray<unknown>): ReadonlyArray<A> => decode(rows)
}
