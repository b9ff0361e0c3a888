// Exact decimal numbers as strings ("12.5", "-0.0125"), for quantities, unit prices and rates that carry
// more digits than a currency's minor unit. Arithmetic on them goes through effect's BigDecimal.
import { BigDecimal, Schema } from "effect"

const pattern = /^-?\d{1,18}(\.\d{1,12})?$/

/** A plain decimal string: optional minus, up to 18 integer digits and 12 fraction digits. */
export const Decimal = Schema.String.check(
  Schema.makeFilter(
    (value: string) => pattern.test(value) || `expected a decimal number such as "12.50", got "${value}"`
  )
).pipe(Schema.brand("Decimal"))
export type Decimal = typeof Decimal.Type

/** The exact value of a decimal string. */
export const toBigDecimal = (value: Decimal): BigDecimal.BigDecimal => BigDecimal.fromStringUnsafe(value)

/** A decimal string from an exact value (normalised: no trailing zeros). */
export const fromBigDecimal = (value: BigDecimal.BigDecimal): Decimal =>
  BigDecimal.format(BigDecimal.normalize(value)) as Decimal // safe: format yields plain digits

/** Builds a Decimal from a string known to be valid (tests, literals); throws on an invalid one. */
export const decimal = (value: string): Decimal => Schema.decodeUnknownSync(Decimal)(value)
