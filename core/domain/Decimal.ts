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

/**
 * `value` as a Decimal when it is one, else undefined: the Schema's own check without the Schema's parser
 * (decoding an export checks several decimals per line).
 */
export const parseDecimal = (value: string): Decimal | undefined =>
  pattern.test(value) ? (value as Decimal) : undefined // safe: the pattern is the Schema's only check

/**
 * The exact value of a decimal string, built from its digits: the pattern guarantees their form, so the general
 * parser's checks (a tenth of recomputing an invoice's totals) would only repeat it.
 */
export const toBigDecimal = (value: Decimal): BigDecimal.BigDecimal => {
  const dot = value.indexOf(".")
  return dot === -1
    ? BigDecimal.make(BigInt(value), 0)
    : BigDecimal.make(BigInt(value.slice(0, dot) + value.slice(dot + 1)), value.length - dot - 1)
}

/** A decimal string from an exact value (normalised: no trailing zeros). */
export const fromBigDecimal = (value: BigDecimal.BigDecimal): Decimal =>
  BigDecimal.format(BigDecimal.normalize(value)) as Decimal // safe: format yields plain digits

/** Builds a Decimal from a string known to be valid (tests, literals); throws on an invalid one. */
export const decimal = (value: string): Decimal => Schema.decodeUnknownSync(Decimal)(value)
