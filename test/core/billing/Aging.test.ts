// Aging: buckets that sum to the open balance per currency under any valid edges, each item in the bucket its
// days past due say, and validated configuration.
import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import {
  AgingConfig,
  type AgingItem,
  ageOpenItems,
  bucketRanges,
  defaultAgingConfig,
  makeAgingConfig
} from "../../../core/billing/Aging.ts"
import { currency } from "../../../core/domain/Currency.ts"
import { addDays, daysBetween, localDate } from "../../../core/domain/LocalDate.ts"
import { arbCurrency, arbLocalDate } from "../../arbitraries/index.ts"

const asOf = localDate("2026-06-30")

const arbItems = fc.array(
  fc
    .record({
      code: arbCurrency,
      overdue: fc.integer({ min: -30, max: 400 }),
      minor: fc.integer({ min: 0, max: 10 ** 9 })
    })
    .map((r): AgingItem => ({ dueDate: addDays(asOf, -r.overdue), open: { currency: r.code, minor: r.minor } })),
  { maxLength: 40 }
)

const arbEdges = fc
  .uniqueArray(fc.integer({ min: 1, max: 365 }), { minLength: 1, maxLength: 6 })
  .map((edges) => [...edges].sort((a, b) => a - b))

describe("aging laws", () => {
  it("per currency, the buckets sum to the open balance and every item sits in its bucket", () => {
    fc.assert(
      fc.property(arbItems, arbEdges, (items, edges) => {
        const config = Result.getOrThrow(makeAgingConfig(edges))
        const reports = Result.getOrThrow(ageOpenItems(items, asOf, config))
        const codes = [...new Set(items.filter((i) => i.open.minor > 0).map((i) => i.open.currency))].sort()
        expect(reports.map((r) => r.currency)).toEqual(codes)
        for (const report of reports) {
          const mine = items.filter((i) => i.open.currency === report.currency && i.open.minor > 0)
          const open = mine.reduce((s, i) => s + i.open.minor, 0)
          expect(report.total.minor).toBe(open)
          expect(report.buckets.reduce((s, b) => s + b.amount.minor, 0)).toBe(open)
          expect(report.buckets.reduce((s, b) => s + b.count, 0)).toBe(mine.length)
          expect(report.buckets).toHaveLength(edges.length + 2)
          const misplaced = report.buckets.filter((bucket) => {
            const inside = mine.filter((i) => {
              const days = daysBetween(i.dueDate, asOf)
              return (
                (bucket.minDaysPastDue === undefined || days >= bucket.minDaysPastDue) &&
                (bucket.maxDaysPastDue === undefined || days <= bucket.maxDaysPastDue)
              )
            })
            return (
              bucket.amount.minor !== inside.reduce((s, i) => s + i.open.minor, 0) || bucket.count !== inside.length
            )
          })
          expect(misplaced).toEqual([])
        }
      }),
      { numRuns: 2000 }
    )
  })

  it("the ranges cover every day exactly once", () => {
    fc.assert(
      fc.property(arbEdges, fc.integer({ min: -1000, max: 1000 }), (edges, days) => {
        const ranges = bucketRanges(Result.getOrThrow(makeAgingConfig(edges)))
        const matching = ranges.filter(
          (r) => (r.min === undefined || days >= r.min) && (r.max === undefined || days <= r.max)
        )
        expect(matching).toHaveLength(1)
      }),
      { numRuns: 2000 }
    )
  })

  it("moving the as-of date only moves items to older buckets", () => {
    fc.assert(
      fc.property(arbItems, fc.integer({ min: 0, max: 120 }), (items, later) => {
        const before = Result.getOrThrow(ageOpenItems(items, asOf))
        const after = Result.getOrThrow(ageOpenItems(items, addDays(asOf, later)))
        expect(after.map((r) => r.total)).toEqual(before.map((r) => r.total))
        before.forEach((report, i) => {
          // the amount in buckets at least k old never shrinks
          let older = 0
          let olderAfter = 0
          for (let k = report.buckets.length - 1; k >= 0; k--) {
            older += report.buckets[k]?.amount.minor ?? 0
            olderAfter += after[i]?.buckets[k]?.amount.minor ?? 0
            expect(olderAfter).toBeGreaterThanOrEqual(older)
          }
        })
      }),
      { numRuns: 1000 }
    )
  })
})

describe("aging examples", () => {
  const eur = currency("EUR")
  it("default buckets: current, 1-30, 31-60, 61-90, over-90", () => {
    const item = (daysPastDue: number, minor: number): AgingItem => ({
      dueDate: addDays(asOf, -daysPastDue),
      open: { currency: eur, minor }
    })
    const [report] = Result.getOrThrow(
      ageOpenItems(
        [
          item(-5, 1),
          item(0, 2),
          item(1, 4),
          item(30, 8),
          item(31, 16),
          item(60, 32),
          item(61, 64),
          item(90, 128),
          item(91, 256),
          item(400, 512),
          item(10, 0)
        ],
        asOf
      )
    )
    expect(report?.buckets.map((b) => [b.label, b.amount.minor, b.count])).toEqual([
      ["current", 3, 2],
      ["1-30", 12, 2],
      ["31-60", 48, 2],
      ["61-90", 192, 2],
      ["over-90", 768, 2]
    ])
    expect(report?.total.minor).toBe(1023)
    expect(defaultAgingConfig.edges).toEqual([30, 60, 90])
  })

  it("refuses bad edges, by function and by Schema", () => {
    for (const edges of [[], [0], [30, 30], [60, 30], [1.5]]) {
      const outcome = makeAgingConfig(edges)
      expect(Result.isFailure(outcome) && outcome.failure._tag).toBe("InvalidAgingConfig")
      expect(Schema.is(AgingConfig)({ edges })).toBe(false)
    }
    expect(Schema.decodeUnknownSync(AgingConfig)({ edges: [15, 45] })).toEqual({ edges: [15, 45] })
  })

  it("refuses a negative open balance", () => {
    const outcome = ageOpenItems([{ dueDate: asOf, open: { currency: eur, minor: -1 } }], asOf)
    expect(Result.isFailure(outcome) && outcome.failure._tag).toBe("NegativeOpenBalance")
  })

  it("an empty list ages to no reports", () => {
    fc.assert(
      fc.property(arbLocalDate(), (date) => {
        expect(Result.getOrThrow(ageOpenItems([], date))).toEqual([])
      }),
      { numRuns: 20 }
    )
  })
})
