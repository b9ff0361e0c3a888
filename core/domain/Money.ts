// Money: a currency and an integer count of its minor units. Exact arithmetic only; amounts in two
// currencies never mix (a typed error), and splitting distributes every minor unit (largest remainder).
import { BigDecimal, Result, Schema } from "effect"
import { type CurrencyCode, CurrencyCode as CurrencyCodeSchema, minorUnitExponent } from "./Currency.ts"

/** An integer count of minor units that JavaScript represents exactly (|n| < 2^53). */
export const MinorUnits = Schema.Int.check(
  Schema.makeFilter((n: number) => Number.isSafeInteger(n) || "expected a safe integer amount of minor units")
)

/** An amount of money: `{ currency: "EUR", minor: 1050 }` is EUR 10.50. */
export const Money = Schema.Struct({ currency: CurrencyCodeSchema, minor: MinorUnits })
export type Money = typeof Money.Type

/** Two amounts in different currencies met in one calculation. */
export class CurrencyMismatch extends Schema.TaggedError<CurrencyMismatch>()("CurrencyMismatch", {
  expected: Schema.String,
  actual: Schema.String
}) {
  override get message(): string {
    return `cannot combine ${this.actual} with ${this.expected}: amounts in different currencies never mix`
  }
}

/** An amount that cannot be represented exactly (beyond 2^53 minor units). */
export class AmountOverflow extends Schema.TaggedError<AmountOverflow>()("AmountOverflow", {
  currency: Schema.String
}) {
  override get message(): string {
    return `an amount in ${this.currency} exceeds the exactly representable range`
  }
}

/** A decimal string that is not a valid amount in its currency. */
export class InvalidAmount extends Schema.TaggedError<InvalidAmount>()("InvalidAmount", {
  input: Schema.String,
  currency: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `"${this.input}" is not a valid ${this.currency} amount: ${this.reason}`
  }
}

/** Builds an amount; the caller guarantees `minor` is a safe integer. */
export const make = (currency: CurrencyCode, minor: number): Money => ({ currency, minor })

/** Zero in a currency. */
export const zero = (currency: CurrencyCode): Money => ({ currency, minor: 0 })

const checked = (currency: CurrencyCode, minor: number): Result.Result<Money, AmountOverflow> =>
  Number.isSafeInteger(minor) ? Result.succeed({ currency, minor }) : Result.fail(new AmountOverflow({ currency }))

const sameCurrency = (a: Money, b: Money): Result.Result<void, CurrencyMismatch> =>
  a.currency === b.currency
    ? Result.void
    : Result.fail(new CurrencyMismatch({ expected: a.currency, actual: b.currency }))

/** a + b, in one currency. */
export const add = (a: Money, b: Money): Result.Result<Money, CurrencyMismatch | AmountOverflow> =>
  Result.flatMap(sameCurrency(a, b), () => checked(a.currency, a.minor + b.minor))

/** a - b, in one currency. */
export const subtract = (a: Money, b: Money): Result.Result<Money, CurrencyMismatch | AmountOverflow> =>
  Result.flatMap(sameCurrency(a, b), () => checked(a.currency, a.minor - b.minor))

/** The sum of amounts that must all be in `currency`. */
export const sum = (
  currency: CurrencyCode,
  amounts: Iterable<Money>
): Result.Result<Money, CurrencyMismatch | AmountOverflow> => {
  let total = 0
  for (const amount of amounts) {
    if (amount.currency !== currency) {
      return Result.fail(new CurrencyMismatch({ expected: currency, actual: amount.currency }))
    }
    total += amount.minor
    if (!Number.isSafeInteger(total)) return Result.fail(new AmountOverflow({ currency }))
  }
  return Result.succeed({ currency, minor: total })
}

/** -a */
export const negate = (a: Money): Money => ({ currency: a.currency, minor: a.minor === 0 ? 0 : -a.minor })

/** Compares two amounts in one currency: -1, 0 or 1. */
export const compare = (a: Money, b: Money): Result.Result<-1 | 0 | 1, CurrencyMismatch> =>
  Result.map(sameCurrency(a, b), () => (a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0))

export const isZero = (a: Money): boolean => a.minor === 0
export const isNegative = (a: Money): boolean => a.minor < 0
export const isPositive = (a: Money): boolean => a.minor > 0

/**
 * Splits `total` into parts proportional to `weights` that sum exactly to `total` (largest remainder:
 * each part gets the floor of its exact share, and the minor units left over go, one each, to the parts
 * with the largest fractional remainders, earlier parts first on ties). Weights are non-negative integers,
 * not all zero. With equal weights, this splits evenly: `split(EUR 10.00, [1, 1, 1])` is 3.34, 3.33, 3.33.
 */
export const split = (total: Money, weights: ReadonlyArray<number>): ReadonlyArray<Money> => {
  if (weights.length === 0) throw new RangeError("split needs at least one weight")
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) {
    throw new RangeError("split weights must be non-negative safe integers")
  }
  const weightSum = weights.reduce((s, w) => s + BigInt(w), 0n)
  if (weightSum === 0n) throw new RangeError("split weights must not all be zero")
  const sign = total.minor < 0 ? -1n : 1n
  const whole = BigInt(Math.abs(total.minor))
  const shares = weights.map((w, index) => {
    const exact = whole * BigInt(w)
    return { index, floor: exact / weightSum, remainder: exact % weightSum }
  })
  let left = whole - shares.reduce((s, share) => s + share.floor, 0n)
  const byRemainder = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1
  )
  const extra = new Set<number>()
  for (const share of byRemainder) {
    if (left === 0n) break
    extra.add(share.index)
    left--
  }
  return shares.map((share) => ({
    currency: total.currency,
    minor: Number(sign * (share.floor + (extra.has(share.index) ? 1n : 0n)))
  }))
}

const decimalPattern = /^([+-])?(\d+)(?:\.(\d+))?$/

/**
 * Parses a decimal string in major units ("1234.50", "-3", "0.125" for BHD) into exact minor units.
 * More fraction digits than the currency has is an error, never a silent rounding.
 */
export const fromDecimal = (currency: CurrencyCode, input: string): Result.Result<Money, InvalidAmount> => {
  const match = decimalPattern.exec(input.trim())
  if (match === null) {
    return Result.fail(new InvalidAmount({ input, currency, reason: "expected digits with an optional '.' fraction" }))
  }
  const exponent = minorUnitExponent(currency)
  const fraction = match[3] ?? ""
  if (fraction.length > exponent && /[1-9]/.test(fraction.slice(exponent))) {
    return Result.fail(new InvalidAmount({ input, currency, reason: `${currency} has ${exponent} decimal places` }))
  }
  const digits = BigInt((match[2] ?? "0") + fraction.slice(0, exponent).padEnd(exponent, "0"))
  const minor = Number(match[1] === "-" ? -digits : digits)
  if (!Number.isSafeInteger(minor)) {
    return Result.fail(new InvalidAmount({ input, currency, reason: "too large to represent exactly" }))
  }
  return Result.succeed({ currency, minor: minor === 0 ? 0 : minor })
}

/** Formats an amount as a plain decimal string in major units: EUR 1050 → "10.50", JPY 1050 → "1050". */
export const toDecimal = (money: Money): string => {
  const exponent = minorUnitExponent(money.currency)
  const digits = Math.abs(money.minor)
    .toString()
    .padStart(exponent + 1, "0")
  const sign = money.minor < 0 ? "-" : ""
  if (exponent === 0) return `${sign}${digits}`
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`
}

/** The amount as an exact BigDecimal in major units. */
export const toBigDecimal = (money: Money): BigDecimal.BigDecimal =>
  BigDecimal.make(BigInt(money.minor), minorUnitExponent(money.currency))

/** How an exact value is rounded to whole minor units. */
export const RoundingMode = Schema.Literals(["half-up", "half-even"])
export type RoundingMode = typeof RoundingMode.Type

/**
 * Rounds an exact major-unit decimal to whole minor units of `currency`. "half-up" rounds halves away from
 * zero (the commercial rule); "half-even" rounds them to the even neighbour (banker's rounding).
 */
export const fromBigDecimal = (
  currency: CurrencyCode,
  value: BigDecimal.BigDecimal,
  mode: RoundingMode
): Result.Result<Money, AmountOverflow> => {
  const exponent = minorUnitExponent(currency)
  // no more digits than the currency has (most line nets): nothing to round
  if (value.scale <= exponent) return checked(currency, Number(value.value * 10n ** BigInt(exponent - value.scale)))
  const rounded = BigDecimal.round(value, {
    scale: exponent,
    mode: mode === "half-up" ? "half-from-zero" : "half-even"
  })
  const minor = BigDecimal.scale(rounded, exponent).value
  return checked(currency, Number(minor))
}
