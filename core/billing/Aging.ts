// Receivables aging: open balances sorted into buckets by days past due as of a date, one report per currency.
// The buckets of a report always sum to its total, the sum of the open balances aged.
import { Result, Schema } from "effect"
import type { CurrencyCode } from "../domain/Currency.ts"
import { daysBetween, type LocalDate } from "../domain/LocalDate.ts"
import { AmountOverflow, type Money, make as moneyOf } from "../domain/Money.ts"

const edgesProblem = (edges: ReadonlyArray<number>): string | undefined => {
  if (edges.length === 0) return "at least one bucket edge is needed"
  for (const [index, edge] of edges.entries()) {
    if (!Number.isSafeInteger(edge) || edge < 1) return `edge ${index + 1} must be a whole number of days >= 1`
    const before = edges[index - 1]
    if (before !== undefined && edge <= before) return `edges must increase strictly (${before} then ${edge})`
  }
  return undefined
}

/**
 * Bucket edges in days past due. Edges `[30, 60, 90]` give the buckets current (not yet due, or due today),
 * 1-30, 31-60, 61-90 and over-90. Edges are whole days, at least 1, strictly increasing, at least one.
 */
export const AgingConfig = Schema.Struct({ edges: Schema.Array(Schema.Int) }).check(
  Schema.makeFilter((config: { readonly edges: ReadonlyArray<number> }) => {
    const problem = edgesProblem(config.edges)
    return problem === undefined || `invalid aging buckets: ${problem}`
  })
)
export type AgingConfig = typeof AgingConfig.Type

/** Current, 1-30, 31-60, 61-90, over 90 days past due. */
export const defaultAgingConfig: AgingConfig = { edges: [30, 60, 90] }

/** Bucket edges that are not whole, positive, strictly increasing days. */
export class InvalidAgingConfig extends Schema.TaggedError<InvalidAgingConfig>()("InvalidAgingConfig", {
  edges: Schema.Array(Schema.Number),
  reason: Schema.String
}) {
  override get message(): string {
    return `invalid aging buckets [${this.edges.join(", ")}]: ${this.reason}`
  }
}

/** An item to age with a negative open balance: credits are not aged. */
export class NegativeOpenBalance extends Schema.TaggedError<NegativeOpenBalance>()("NegativeOpenBalance", {
  open: Schema.Struct({ currency: Schema.String, minor: Schema.Number })
}) {
  override get message(): string {
    return `cannot age a negative open balance (${this.open.minor} minor units of ${this.open.currency})`
  }
}

/** Validates bucket edges. */
export const makeAgingConfig = (edges: ReadonlyArray<number>): Result.Result<AgingConfig, InvalidAgingConfig> => {
  const problem = edgesProblem(edges)
  return problem === undefined
    ? Result.succeed({ edges: [...edges] })
    : Result.fail(new InvalidAgingConfig({ edges: [...edges], reason: problem }))
}

/** What aging needs of an invoice: its due date and open balance (an OpenInvoice fits). */
export interface AgingItem {
  readonly dueDate: LocalDate
  readonly open: Money
}

/**
 * One bucket: items whose days past due lie in [minDaysPastDue, maxDaysPastDue]. "current" has no minimum
 * (anything not yet due) and a maximum of 0; the last bucket has no maximum.
 */
export interface AgingBucket {
  readonly label: string
  readonly minDaysPastDue: number | undefined
  readonly maxDaysPastDue: number | undefined
  readonly amount: Money
  readonly count: number
}

/** The aging of one currency's open balances as of a date. `total = Σ buckets.amount = Σ open`. */
export interface AgingReport {
  readonly currency: CurrencyCode
  readonly asOf: LocalDate
  readonly buckets: ReadonlyArray<AgingBucket>
  readonly total: Money
}

interface Range {
  readonly label: string
  readonly min: number | undefined
  readonly max: number | undefined
}

/** The buckets `config` describes, in order. */
export const bucketRanges = (config: AgingConfig): ReadonlyArray<Range> => {
  const ranges: Array<Range> = [{ label: "current", min: undefined, max: 0 }]
  let from = 1
  for (const edge of config.edges) {
    ranges.push({ label: `${from}-${edge}`, min: from, max: edge })
    from = edge + 1
  }
  ranges.push({ label: `over-${from - 1}`, min: from, max: undefined })
  return ranges
}

/** The index of the bucket for `daysPastDue` (0 is current). */
const bucketIndex = (edges: ReadonlyArray<number>, daysPastDue: number): number => {
  if (daysPastDue <= 0) return 0
  const index = edges.findIndex((edge) => daysPastDue <= edge)
  return index === -1 ? edges.length + 1 : index + 1
}

/**
 * Ages `items` as of `asOf`: one report per currency present (sorted by currency code), each with every bucket
 * (empty ones too). Items with nothing open are not counted.
 */
export const ageOpenItems = (
  items: Iterable<AgingItem>,
  asOf: LocalDate,
  config: AgingConfig = defaultAgingConfig
): Result.Result<ReadonlyArray<AgingReport>, NegativeOpenBalance | AmountOverflow> => {
  const ranges = bucketRanges(config)
  const sums = new Map<CurrencyCode, { amounts: Array<number>; counts: Array<number>; total: number }>()
  for (const item of items) {
    const { currency, minor } = item.open
    if (minor < 0) return Result.fail(new NegativeOpenBalance({ open: item.open }))
    if (minor === 0) continue
    const sum = sums.get(currency) ?? {
      amounts: ranges.map(() => 0),
      counts: ranges.map(() => 0),
      total: 0
    }
    const index = bucketIndex(config.edges, daysBetween(item.dueDate, asOf))
    sum.amounts[index] = (sum.amounts[index] ?? 0) + minor
    sum.counts[index] = (sum.counts[index] ?? 0) + 1
    sum.total += minor
    if (!Number.isSafeInteger(sum.total)) return Result.fail(new AmountOverflow({ currency }))
    sums.set(currency, sum)
  }
  const reports = [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(
      ([currency, sum]): AgingReport => ({
        currency,
        asOf,
        buckets: ranges.map((range, i) => ({
          label: range.label,
          minDaysPastDue: range.min,
          maxDaysPastDue: range.max,
          amount: moneyOf(currency, sum.amounts[i] ?? 0),
          count: sum.counts[i] ?? 0
        })),
        total: moneyOf(currency, sum.total)
      })
    )
  return Result.succeed(reports)
}
