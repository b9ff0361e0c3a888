// Locale formatting of money, decimals, percentages and dates with Intl. Amounts are formatted from their
// exact decimal strings (Intl accepts strings as exact decimals), never through a float.
import { minorUnitExponent } from "../../core/domain/Currency.ts"
import type { Decimal } from "../../core/domain/Decimal.ts"
import type { LocalDate } from "../../core/domain/LocalDate.ts"
import { type Money, toDecimal } from "../../core/domain/Money.ts"
import type { Locale } from "../../core/render/Locale.ts"

/** Formats values for one locale; build one per locale and reuse it (Intl formatters are costly to create). */
export interface Formatter {
  readonly locale: Locale
  /** `EUR 1234.50` → "1.234,50 €" (de), "€1,234.50" (en); always the currency's ISO number of decimals. */
  readonly money: (money: Money) => string
  /** A unit price in major units with at least the currency's decimals: EUR "1250" → "€1,250.00", "0.0125" → "€0.0125". */
  readonly price: (value: Decimal | string, currency: Money["currency"]) => string
  /** A decimal string with grouping and up to 12 fraction digits: "1234.5" → "1,234.5". */
  readonly decimal: (value: Decimal | string) => string
  /** A rate in percent: "19" → "19%" (en), "19 %" (de). */
  readonly percent: (value: Decimal | string) => string
  /** A calendar date in the locale's medium style: "21 Nov 2026", "21.11.2026". */
  readonly date: (date: LocalDate) => string
}

// Intl.NumberFormat#format takes a decimal string exactly (ECMA-402 "Intl.NumberFormat v3").
type ExactNumberFormat = { readonly format: (value: string) => string }

const exact = (locale: string, options: Intl.NumberFormatOptions): ExactNumberFormat => {
  const format = new Intl.NumberFormat(locale, options)
  return { format: (value) => format.format(value as `${number}`) }
}

/** A formatter for `locale`; money formatters are created per currency on first use. */
export const makeFormatter = (locale: Locale): Formatter => {
  const moneyFormats = new Map<string, ExactNumberFormat>()
  const moneyFormat = (currency: Money["currency"]): ExactNumberFormat => {
    const known = moneyFormats.get(currency)
    if (known !== undefined) return known
    const digits = minorUnitExponent(currency)
    const created = exact(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits
    })
    moneyFormats.set(currency, created)
    return created
  }
  const priceFormats = new Map<string, ExactNumberFormat>()
  const priceFormat = (currency: Money["currency"]): ExactNumberFormat => {
    const known = priceFormats.get(currency)
    if (known !== undefined) return known
    const created = exact(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: minorUnitExponent(currency),
      maximumFractionDigits: 12
    })
    priceFormats.set(currency, created)
    return created
  }
  const decimalFormat = exact(locale, { maximumFractionDigits: 12 })
  const percentFormat = exact(locale, { style: "percent", maximumFractionDigits: 10 })
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" })
  return {
    locale,
    money: (money) => moneyFormat(money.currency).format(toDecimal(money)),
    price: (value, currency) => priceFormat(currency).format(value),
    decimal: (value) => decimalFormat.format(value),
    percent: (value) => percentFormat.format(`${value}e-2`),
    date: (date) => {
      const [year, month, day] = date.split("-").map(Number)
      return dateFormat.format(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1))
    }
  }
}
