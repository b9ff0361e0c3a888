// Line, tax and document totals recomputed from an invoice's or credit note's lines, under a rounding policy.
// The ERP's stated figures stay the truth: checkStatedTotals only reports where they disagree.
import { BigDecimal, Result, Schema } from "effect"
import type { CurrencyCode } from "../domain/Currency.ts"
import * as Decimal from "../domain/Decimal.ts"
import type { DocumentLine, StatedTotals, TaxLine } from "../domain/Invoice.ts"
import * as Money from "../domain/Money.ts"

/**
 * How totals are rounded. Line nets are always rounded to the currency's minor unit at the line (they are
 * printed amounts). `when` decides where tax is rounded: on each line ("per-line", then summed per tax code)
 * or once per tax code on the sum of its line nets ("per-invoice"). `mode` is the rounding rule for both.
 */
export const RoundingPolicy = Schema.Struct({
  when: Schema.Literals(["per-line", "per-invoice"]),
  mode: Money.RoundingMode
})
export type RoundingPolicy = typeof RoundingPolicy.Type

/** Per-line tax, halves rounded away from zero: what most ERPs do by default. */
export const defaultRoundingPolicy: RoundingPolicy = { when: "per-line", mode: "half-up" }

/** What totals are computed from: an Invoice or a CreditNote fits. */
export interface PricedDocument {
  readonly currency: CurrencyCode
  readonly lines: ReadonlyArray<DocumentLine>
}

/** A document with the figures its ERP states: an Invoice or a CreditNote fits. */
export interface StatedDocument extends PricedDocument {
  readonly taxLines: ReadonlyArray<TaxLine>
  readonly totals: StatedTotals
}

/** One line's recomputed amounts. `exactNet` is before rounding; `tax` is the line's own tax, rounded. */
export interface LineTotal {
  readonly lineNumber: number
  readonly exactNet: BigDecimal.BigDecimal
  readonly net: Money.Money
  readonly tax: Money.Money
}

/** Totals recomputed from the lines. Always `net = Σ taxLines.taxable`, `tax = Σ taxLines.tax`, `total = net + tax`. */
export interface ComputedTotals {
  readonly lines: ReadonlyArray<LineTotal>
  readonly taxLines: ReadonlyArray<TaxLine>
  readonly net: Money.Money
  readonly tax: Money.Money
  readonly total: Money.Money
}

/** Which stated figure disagrees with the lines. */
export const TotalsFigure = Schema.Literals(["line-net", "tax-line-taxable", "tax-line-tax", "net", "tax", "total"])
export type TotalsFigure = typeof TotalsFigure.Type

/**
 * A stated figure that differs from the one recomputed from the lines. A tax line the ERP states but the lines
 * do not produce (or the reverse) is reported with zero on the missing side.
 */
export const TotalsDiscrepancy = Schema.Struct({
  figure: TotalsFigure,
  lineNumber: Schema.optionalKey(Schema.Int),
  taxCode: Schema.optionalKey(Schema.String),
  taxRate: Schema.optionalKey(Decimal.Decimal),
  stated: Money.Money,
  computed: Money.Money
})
export type TotalsDiscrepancy = typeof TotalsDiscrepancy.Type

const percentOf = (amount: BigDecimal.BigDecimal, percent: Decimal.Decimal): BigDecimal.BigDecimal => {
  const rate = Decimal.toBigDecimal(percent)
  // dividing by 100 is exact: shift the scale by two digits
  return BigDecimal.multiply(amount, BigDecimal.make(rate.value, rate.scale + 2))
}

/** The exact net of a line: quantity × unit price, less the discount percentage, then less the discount amount. */
export const exactLineNet = (line: DocumentLine): BigDecimal.BigDecimal => {
  const gross = BigDecimal.multiply(Decimal.toBigDecimal(line.quantity), Decimal.toBigDecimal(line.unitPrice))
  const afterPercent =
    line.discountPercent === undefined ? gross : BigDecimal.subtract(gross, percentOf(gross, line.discountPercent))
  return line.discountAmount === undefined
    ? afterPercent
    : BigDecimal.subtract(afterPercent, Decimal.toBigDecimal(line.discountAmount))
}

/** A rate's normalised text ("19.00" and "19" are one rate), remembered: a source uses a handful of rates. */
const normalisedRates = new Map<string, string>()
const normalisedRate = (rate: Decimal.Decimal): string => {
  let text = normalisedRates.get(rate)
  if (text === undefined) {
    text = BigDecimal.format(BigDecimal.normalize(Decimal.toBigDecimal(rate)))
    if (normalisedRates.size >= 1024) normalisedRates.clear() // bounded, whatever the input
    normalisedRates.set(rate, text)
  }
  return text
}

/** The key lines are grouped by into tax lines: the tax code (empty when the ERP gives none) and the rate. */
const groupKey = (code: string, rate: Decimal.Decimal): string => `${code}\u0000${normalisedRate(rate)}`

interface Group {
  readonly code: string
  readonly rate: Decimal.Decimal
  taxable: number
  lineTax: number
}

/** Recomputes line nets, tax lines and document totals from the lines under `policy`. */
export const computeTotals = (
  doc: PricedDocument,
  policy: RoundingPolicy
): Result.Result<ComputedTotals, Money.AmountOverflow> => {
  const currency = doc.currency
  // made only when needed: a TaggedError captures a stack trace, costly on a path run for every line read
  const overflow = () => new Money.AmountOverflow({ currency })
  const lines: Array<LineTotal> = []
  const groups = new Map<string, Group>()
  for (const line of doc.lines) {
    const exact = exactLineNet(line)
    const net = Money.fromBigDecimal(currency, exact, policy.mode)
    if (Result.isFailure(net)) return Result.fail(net.failure)
    const tax = Money.fromBigDecimal(currency, percentOf(Money.toBigDecimal(net.success), line.taxRate), policy.mode)
    if (Result.isFailure(tax)) return Result.fail(tax.failure)
    lines.push({ lineNumber: line.lineNumber, exactNet: exact, net: net.success, tax: tax.success })
    const code = line.taxCode ?? ""
    const key = groupKey(code, line.taxRate)
    const group = groups.get(key) ?? { code, rate: line.taxRate, taxable: 0, lineTax: 0 }
    group.taxable += net.success.minor
    group.lineTax += tax.success.minor
    if (!Number.isSafeInteger(group.taxable) || !Number.isSafeInteger(group.lineTax)) return Result.fail(overflow())
    groups.set(key, group)
  }
  const taxLines: Array<TaxLine> = []
  for (const group of groups.values()) {
    const taxable = Money.make(currency, group.taxable)
    let tax = Money.make(currency, group.lineTax)
    if (policy.when === "per-invoice") {
      const rounded = Money.fromBigDecimal(currency, percentOf(Money.toBigDecimal(taxable), group.rate), policy.mode)
      if (Result.isFailure(rounded)) return Result.fail(rounded.failure)
      tax = rounded.success
    }
    taxLines.push({ code: group.code, rate: group.rate, taxable, tax })
  }
  const net = Money.sum(
    currency,
    taxLines.map((t) => t.taxable)
  )
  const tax = Money.sum(
    currency,
    taxLines.map((t) => t.tax)
  )
  if (Result.isFailure(net) || Result.isFailure(tax)) return Result.fail(overflow())
  const total = net.success.minor + tax.success.minor
  if (!Number.isSafeInteger(total)) return Result.fail(overflow())
  return Result.succeed({ lines, taxLines, net: net.success, tax: tax.success, total: Money.make(currency, total) })
}

const inCurrency = (currency: CurrencyCode, amount: Money.Money): Result.Result<Money.Money, Money.CurrencyMismatch> =>
  amount.currency === currency
    ? Result.succeed(amount)
    : Result.fail(new Money.CurrencyMismatch({ expected: currency, actual: amount.currency }))

/**
 * Compares the figures the ERP states (line nets where given, tax lines, net, tax, total) with the ones
 * recomputed under `policy`, and lists every disagreement. An empty list means the document is consistent.
 * A stated amount in another currency than the document's is a CurrencyMismatch, not a discrepancy.
 */
export const checkStatedTotals = (
  doc: StatedDocument,
  policy: RoundingPolicy
): Result.Result<ReadonlyArray<TotalsDiscrepancy>, Money.AmountOverflow | Money.CurrencyMismatch> =>
  Result.flatMap(computeTotals(doc, policy), (computed) => {
    const currency = doc.currency
    const found: Array<TotalsDiscrepancy> = []
    const compare = (
      figure: TotalsFigure,
      stated: Money.Money,
      recomputed: Money.Money,
      where: Partial<Pick<TotalsDiscrepancy, "lineNumber" | "taxCode" | "taxRate">>
    ): Money.CurrencyMismatch | undefined => {
      const checked = inCurrency(currency, stated)
      if (Result.isFailure(checked)) return checked.failure
      if (stated.minor !== recomputed.minor) found.push({ figure, ...where, stated, computed: recomputed })
      return undefined
    }
    for (const [index, line] of doc.lines.entries()) {
      const lineTotal = computed.lines[index]
      if (line.statedNet === undefined || lineTotal === undefined) continue
      const mismatch = compare("line-net", line.statedNet, lineTotal.net, { lineNumber: line.lineNumber })
      if (mismatch !== undefined) return Result.fail(mismatch)
    }
    const computedByKey = new Map(computed.taxLines.map((t) => [groupKey(t.code, t.rate), t]))
    const statedKeys = new Set<string>()
    for (const stated of doc.taxLines) {
      const key = groupKey(stated.code, stated.rate)
      statedKeys.add(key)
      const match = computedByKey.get(key)
      const where = { taxCode: stated.code, taxRate: stated.rate }
      const zero = Money.zero(currency)
      const a = compare("tax-line-taxable", stated.taxable, match?.taxable ?? zero, where)
      const b = compare("tax-line-tax", stated.tax, match?.tax ?? zero, where)
      const mismatch = a ?? b
      if (mismatch !== undefined) return Result.fail(mismatch)
    }
    for (const [key, t] of computedByKey) {
      if (statedKeys.has(key)) continue
      const where = { taxCode: t.code, taxRate: t.rate }
      if (t.taxable.minor !== 0)
        found.push({ figure: "tax-line-taxable", ...where, stated: Money.zero(currency), computed: t.taxable })
      if (t.tax.minor !== 0)
        found.push({ figure: "tax-line-tax", ...where, stated: Money.zero(currency), computed: t.tax })
    }
    const mismatch =
      compare("net", doc.totals.net, computed.net, {}) ??
      compare("tax", doc.totals.tax, computed.tax, {}) ??
      compare("total", doc.totals.total, computed.total, {})
    return mismatch === undefined ? Result.succeed(found) : Result.fail(mismatch)
  })
