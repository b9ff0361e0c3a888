// fast-check arbitraries for currencies and amounts, shared by every test that needs money.
// The default currencies cover each minor-unit exponent: JPY 0, EUR/USD 2, BHD/KWD 3, CLF 4.
import * as fc from "fast-check"
import { type CurrencyCode, currency, currencyCodes, minorUnitExponent } from "../../core/domain/Currency.ts"
import type { Money } from "../../core/domain/Money.ts"

/** One currency per minor-unit exponent (and two common ones), so laws are checked for 0, 2, 3 and 4 digits. */
export const sampleCurrencies: ReadonlyArray<CurrencyCode> = ["JPY", "EUR", "USD", "BHD", "KWD", "CLF"].map(currency)

/** A currency from `sampleCurrencies`. */
export const arbCurrency: fc.Arbitrary<CurrencyCode> = fc.constantFrom(...sampleCurrencies)

/** Any ISO 4217 currency Portico knows. */
export const arbAnyCurrency: fc.Arbitrary<CurrencyCode> = fc.constantFrom(...currencyCodes.map(currency))

/** Two different currencies. */
export const arbCurrencyPair: fc.Arbitrary<readonly [CurrencyCode, CurrencyCode]> = fc
  .tuple(arbCurrency, arbCurrency)
  .filter(([a, b]) => a !== b)

/**
 * Minor units bounded in major units, so JPY and BHD amounts are of comparable size: by default up to
 * 1,000,000 major units (10^8 EUR cents, 10^9 BHD fils).
 */
export const arbMinor = (
  code: CurrencyCode,
  options: { readonly minMajor?: number; readonly maxMajor?: number } = {}
): fc.Arbitrary<number> => {
  const factor = 10 ** minorUnitExponent(code)
  return fc.integer({ min: (options.minMajor ?? 0) * factor, max: (options.maxMajor ?? 1_000_000) * factor })
}

/** An amount in `code`, non-negative unless `minMajor` is negative. */
export const arbMoneyIn = (
  code: CurrencyCode,
  options: { readonly minMajor?: number; readonly maxMajor?: number } = {}
): fc.Arbitrary<Money> => arbMinor(code, options).map((minor) => ({ currency: code, minor }))

/** A strictly positive amount in `code`. */
export const arbPositiveMoneyIn = (code: CurrencyCode, maxMajor = 1_000_000): fc.Arbitrary<Money> =>
  fc.integer({ min: 1, max: maxMajor * 10 ** minorUnitExponent(code) }).map((minor) => ({ currency: code, minor }))

/** An amount, possibly negative, in a sample currency. */
export const arbSignedMoney: fc.Arbitrary<Money> = arbCurrency.chain((code) =>
  arbMoneyIn(code, { minMajor: -1_000_000 })
)

/** A non-negative amount in a sample currency. */
export const arbMoney: fc.Arbitrary<Money> = arbCurrency.chain((code) => arbMoneyIn(code))

/** Any safe-integer amount: for laws that must hold up to the edge of exact representation. */
export const arbExtremeMoney: fc.Arbitrary<Money> = fc
  .tuple(arbCurrency, fc.maxSafeInteger())
  .map(([code, minor]) => ({ currency: code, minor: minor === 0 ? 0 : minor }))
