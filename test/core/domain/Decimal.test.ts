// Laws of Decimal strings and currency exponents: exact round trips through BigDecimal, strict parsing.
import { describe, expect, it } from "@effect/vitest"
import { BigDecimal, Schema } from "effect"
import * as fc from "fast-check"
import { CurrencyCode, currencyCodes, minorUnitExponent } from "../../../core/domain/Currency.ts"
import * as Decimal from "../../../core/domain/Decimal.ts"
import { arbDecimal } from "../../arbitraries/index.ts"

describe("Decimal", () => {
  it("round-trips through BigDecimal without changing its value", () => {
    fc.assert(
      fc.property(arbDecimal({ maxInteger: 10 ** 9, maxScale: 12 }), fc.boolean(), (value, negative) => {
        const signed = negative && value !== "0" ? Decimal.decimal(`-${value}`) : value
        const back = Decimal.fromBigDecimal(Decimal.toBigDecimal(signed))
        expect(Schema.is(Decimal.Decimal)(back)).toBe(true)
        expect(BigDecimal.equals(Decimal.toBigDecimal(back), Decimal.toBigDecimal(signed))).toBe(true)
      }),
      { numRuns: 3000 }
    )
  })

  it("has the value the general parser reads", () => {
    fc.assert(
      fc.property(arbDecimal({ maxInteger: 10 ** 15, maxScale: 12 }), fc.boolean(), (value, negative) => {
        const signed = Decimal.decimal(negative ? `-${value}` : value)
        const exact = Decimal.toBigDecimal(signed)
        const parsed = BigDecimal.fromStringUnsafe(signed)
        expect([exact.value, exact.scale]).toEqual([parsed.value, parsed.scale])
      }),
      { numRuns: 3000 }
    )
  })

  it("accepts plain decimals and refuses everything else", () => {
    for (const good of ["0", "12.50", "-0.0125", "123456789012345678.123456789012"]) {
      expect(Schema.is(Decimal.Decimal)(good)).toBe(true)
    }
    for (const bad of ["", "1e5", "1.", ".5", "+1", "1,5", "NaN", "1234567890123456789", "0.1234567890123"]) {
      expect(Schema.is(Decimal.Decimal)(bad)).toBe(false)
    }
  })
})

describe("parseDecimal", () => {
  it("accepts exactly what the Decimal schema accepts", () => {
    // near misses around every limit: sign, integer digits (18), separator, fraction digits (12), suffix
    const digits = (max: number) =>
      fc.integer({ min: 0, max }).chain((n) => fc.stringMatching(new RegExp(`^\\d{${n}}$`)))
    const decimalLike = fc
      .tuple(
        fc.constantFrom("", "-", "+"),
        digits(20),
        fc.constantFrom("", ".", ","),
        digits(14),
        fc.constantFrom("", "e5", " ")
      )
      .map((parts) => parts.join(""))
    fc.assert(
      fc.property(fc.oneof(decimalLike, fc.string()), (text) => {
        const parsed = Decimal.parseDecimal(text)
        expect(parsed !== undefined).toBe(Schema.is(Decimal.Decimal)(text))
        if (parsed !== undefined) expect(parsed).toBe(text)
      }),
      { numRuns: 3000 }
    )
  })
})

describe("Currency", () => {
  it("knows the ISO minor-unit exponents", () => {
    const exponent = (code: string) => minorUnitExponent(Schema.decodeUnknownSync(CurrencyCode)(code))
    expect([exponent("JPY"), exponent("EUR"), exponent("BHD"), exponent("CLF"), exponent("KRW")]).toEqual([
      0, 2, 3, 4, 0
    ])
    expect(currencyCodes.length).toBeGreaterThan(150)
    expect(Schema.is(CurrencyCode)("XXX")).toBe(false)
    expect(Schema.is(CurrencyCode)("eur")).toBe(false)
  })
})
