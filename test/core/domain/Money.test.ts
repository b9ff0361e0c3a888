// Laws of Money: exact sums and differences, splits that distribute every minor unit, decimal round trips,
// rounding modes, and currencies that never mix.
import { describe, expect, it } from "@effect/vitest"
import { BigDecimal, Result } from "effect"
import * as fc from "fast-check"
import { currency, minorUnitExponent } from "../../../core/domain/Currency.ts"
import * as Money from "../../../core/domain/Money.ts"
import { arbCurrency, arbCurrencyPair, arbExtremeMoney, arbMoneyIn, arbSignedMoney } from "../../arbitraries/index.ts"

const EUR = currency("EUR")
const JPY = currency("JPY")
const BHD = currency("BHD")

const arbSameCurrency = (count: number) =>
  arbCurrency.chain((code) =>
    fc.array(arbMoneyIn(code, { minMajor: -1_000_000 }), { minLength: count, maxLength: count })
  )

describe("Money arithmetic", () => {
  it("add is commutative and associative, with zero as identity", () => {
    fc.assert(
      fc.property(arbSameCurrency(3), ([a, b, c]) => {
        if (a === undefined || b === undefined || c === undefined) return
        const ab = Result.getOrThrow(Money.add(a, b))
        expect(ab).toEqual(Result.getOrThrow(Money.add(b, a)))
        expect(Result.getOrThrow(Money.add(ab, c))).toEqual(
          Result.getOrThrow(Money.add(a, Result.getOrThrow(Money.add(b, c))))
        )
        expect(Result.getOrThrow(Money.add(a, Money.zero(a.currency)))).toEqual(a)
      }),
      { numRuns: 2000 }
    )
  })

  it("subtract undoes add, and a - a is zero", () => {
    fc.assert(
      fc.property(arbSameCurrency(2), ([a, b]) => {
        if (a === undefined || b === undefined) return
        expect(Result.getOrThrow(Money.subtract(Result.getOrThrow(Money.add(a, b)), b))).toEqual(a)
        expect(Result.getOrThrow(Money.subtract(a, a)).minor).toBe(0)
        expect(Result.getOrThrow(Money.add(a, Money.negate(a))).minor).toBe(0)
      }),
      { numRuns: 2000 }
    )
  })

  it("sum equals the fold of add", () => {
    fc.assert(
      fc.property(
        arbCurrency.chain((code) => fc.tuple(fc.constant(code), fc.array(arbMoneyIn(code, { minMajor: -1000 })))),
        ([code, amounts]) => {
          const folded = amounts.reduce((acc, m) => Result.getOrThrow(Money.add(acc, m)), Money.zero(code))
          expect(Result.getOrThrow(Money.sum(code, amounts))).toEqual(folded)
        }
      ),
      { numRuns: 1000 }
    )
  })

  it("amounts in two currencies never mix: a typed CurrencyMismatch", () => {
    fc.assert(
      fc.property(arbCurrencyPair, fc.integer(), fc.integer(), ([x, y], m, n) => {
        const a = Money.make(x, m)
        const b = Money.make(y, n)
        const failures: ReadonlyArray<unknown> = [
          Result.getOrUndefined(Result.flip(Money.add(a, b))),
          Result.getOrUndefined(Result.flip(Money.subtract(a, b))),
          Result.getOrUndefined(Result.flip(Money.compare(a, b))),
          Result.getOrUndefined(Result.flip(Money.sum(x, [a, b])))
        ]
        for (const failure of failures) {
          expect(failure).toBeInstanceOf(Money.CurrencyMismatch)
          expect(failure).toMatchObject({ _tag: "CurrencyMismatch", expected: x, actual: y })
        }
      }),
      { numRuns: 500 }
    )
  })

  it("overflow beyond 2^53 minor units is a typed AmountOverflow, never a silent float", () => {
    const big = Money.make(EUR, Number.MAX_SAFE_INTEGER)
    const outcome = Money.add(big, Money.make(EUR, 1))
    expect(Result.isFailure(outcome) && outcome.failure._tag).toBe("AmountOverflow")
  })
})

describe("Money.split", () => {
  const arbWeights = fc
    .array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 })
    .filter((w) => w.some((x) => x > 0))

  it("parts sum exactly to the whole, for every currency and sign", () => {
    fc.assert(
      fc.property(fc.oneof(arbSignedMoney, arbExtremeMoney), arbWeights, (total, weights) => {
        const parts = Money.split(total, weights)
        expect(parts).toHaveLength(weights.length)
        const sum = parts.reduce((s, p) => s + BigInt(p.minor), 0n)
        expect(sum).toBe(BigInt(total.minor))
        for (const part of parts) expect(part.currency).toBe(total.currency)
      }),
      { numRuns: 5000 }
    )
  })

  it("each part is within one minor unit of its exact share, and zero weights get zero", () => {
    fc.assert(
      fc.property(arbSignedMoney, arbWeights, (total, weights) => {
        const parts = Money.split(total, weights)
        const weightSum = weights.reduce((s, w) => s + w, 0)
        parts.forEach((part, i) => {
          const weight = weights[i] ?? 0
          const exact = (total.minor * weight) / weightSum
          expect(Math.abs(part.minor - exact)).toBeLessThan(1)
          if (weight === 0) expect(part.minor).toBe(0)
        })
      }),
      { numRuns: 3000 }
    )
  })

  it("splits evenly with the extra units going to the first parts", () => {
    expect(Money.split(Money.make(EUR, 1000), [1, 1, 1]).map((m) => m.minor)).toEqual([334, 333, 333])
    expect(Money.split(Money.make(JPY, -100), [1, 1, 1]).map((m) => m.minor)).toEqual([-34, -33, -33])
  })
})

describe("Money decimals", () => {
  it("toDecimal then fromDecimal gives the amount back, for every exponent", () => {
    fc.assert(
      fc.property(fc.oneof(arbSignedMoney, arbExtremeMoney), (money) => {
        expect(Result.getOrThrow(Money.fromDecimal(money.currency, Money.toDecimal(money)))).toEqual(money)
      }),
      { numRuns: 5000 }
    )
  })

  it("toDecimal writes exactly the currency's number of fraction digits", () => {
    fc.assert(
      fc.property(arbSignedMoney, (money) => {
        const text = Money.toDecimal(money)
        const exponent = minorUnitExponent(money.currency)
        expect(text.split(".")[1]?.length ?? 0).toBe(exponent)
      }),
      { numRuns: 1000 }
    )
    expect(Money.toDecimal(Money.make(EUR, 1050))).toBe("10.50")
    expect(Money.toDecimal(Money.make(JPY, 1050))).toBe("1050")
    expect(Money.toDecimal(Money.make(BHD, -5))).toBe("-0.005")
  })

  it("fromDecimal refuses more digits than the currency has, instead of rounding", () => {
    const outcome = Money.fromDecimal(EUR, "10.005")
    expect(Result.isFailure(outcome) && outcome.failure._tag).toBe("InvalidAmount")
    expect(Result.getOrThrow(Money.fromDecimal(EUR, "10.500"))).toEqual(Money.make(EUR, 1050))
    expect(Result.getOrThrow(Money.fromDecimal(BHD, "1.234"))).toEqual(Money.make(BHD, 1234))
    const yen = Money.fromDecimal(JPY, "1.5")
    expect(Result.isFailure(yen) && yen.failure._tag).toBe("InvalidAmount")
  })

  it("toBigDecimal is exact: the decimal's digits are the minor units", () => {
    fc.assert(
      fc.property(arbSignedMoney, (money) => {
        const value = BigDecimal.scale(Money.toBigDecimal(money), minorUnitExponent(money.currency)).value
        expect(value).toBe(BigInt(money.minor))
      }),
      { numRuns: 1000 }
    )
  })
})

describe("Money.fromBigDecimal rounding", () => {
  const round = (code: string, value: string, mode: Money.RoundingMode) =>
    Result.getOrThrow(Money.fromBigDecimal(currency(code), BigDecimal.fromStringUnsafe(value), mode)).minor

  it("half-up rounds halves away from zero; half-even to the even neighbour", () => {
    expect(round("EUR", "0.125", "half-up")).toBe(13)
    expect(round("EUR", "0.125", "half-even")).toBe(12)
    expect(round("EUR", "0.135", "half-even")).toBe(14)
    expect(round("EUR", "-0.125", "half-up")).toBe(-13)
    expect(round("EUR", "-0.125", "half-even")).toBe(-12)
    expect(round("JPY", "2.5", "half-up")).toBe(3)
    expect(round("JPY", "2.5", "half-even")).toBe(2)
    expect(round("BHD", "0.0015", "half-even")).toBe(2)
    expect(round("EUR", "0.1249999", "half-up")).toBe(12)
  })

  it("both modes land within half a minor unit, agree off the halfway point, and keep exact values", () => {
    fc.assert(
      fc.property(
        arbCurrency,
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        // fewer digits than the currency has (a negative extra) as well as more
        fc.integer({ min: -3, max: 4 }),
        (code, digits, extra) => {
          const exponent = minorUnitExponent(code)
          const value = BigDecimal.make(digits, exponent + extra)
          const up = Result.getOrThrow(Money.fromBigDecimal(code, value, "half-up")).minor
          const even = Result.getOrThrow(Money.fromBigDecimal(code, value, "half-even")).minor
          const exact = BigDecimal.make(digits, extra) // the value in minor units
          for (const rounded of [up, even]) {
            const error = BigDecimal.abs(BigDecimal.subtract(exact, BigDecimal.fromBigInt(BigInt(rounded))))
            expect(BigDecimal.isLessThanOrEqualTo(error, BigDecimal.make(5n, 1))).toBe(true)
          }
          const half = BigDecimal.equals(
            BigDecimal.abs(BigDecimal.subtract(exact, BigDecimal.fromBigInt(BigInt(up)))),
            BigDecimal.make(5n, 1)
          )
          if (half) {
            // a halfway value: half-up moves away from zero, half-even lands on the even neighbour
            expect(Math.abs(up)).toBeGreaterThan(Math.abs(BigDecimal.toNumberUnsafe(exact)))
            expect(Math.abs(even) % 2).toBe(0)
          } else {
            expect(up).toBe(even)
          }
          if (extra <= 0) expect(up).toBe(Number(digits * 10n ** BigInt(-extra)))
        }
      ),
      { numRuns: 3000 }
    )
  })
})
