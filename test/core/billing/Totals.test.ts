// Totals: recomputation identities under every rounding policy, stated totals that agree report nothing, and
// every disagreement is reported with the stated and the computed figure (the ERP's figure is never replaced).
import { describe, expect, it } from "@effect/vitest"
import { BigDecimal, Result } from "effect"
import * as fc from "fast-check"
import { checkStatedTotals, computeTotals, exactLineNet, type RoundingPolicy } from "../../../core/billing/Totals.ts"
import { currency, minorUnitExponent } from "../../../core/domain/Currency.ts"
import { decimal } from "../../../core/domain/Decimal.ts"
import type { DocumentLine, Invoice } from "../../../core/domain/Invoice.ts"
import { arbCurrency, arbDocumentLines, arbInvoice } from "../../arbitraries/index.ts"

const policies: ReadonlyArray<RoundingPolicy> = [
  { when: "per-line", mode: "half-up" },
  { when: "per-line", mode: "half-even" },
  { when: "per-invoice", mode: "half-up" },
  { when: "per-invoice", mode: "half-even" }
]
const arbPolicy = fc.constantFrom(...policies)

describe("totals laws", () => {
  it("total = net + tax, net = Σ line nets = Σ taxable, tax = Σ tax lines, under every policy", () => {
    fc.assert(
      fc.property(
        arbCurrency.chain((code) => fc.tuple(fc.constant(code), arbDocumentLines(code, 8))),
        arbPolicy,
        ([code, lines], policy) => {
          const totals = Result.getOrThrow(computeTotals({ currency: code, lines }, policy))
          const sum = (xs: ReadonlyArray<{ readonly minor: number }>) => xs.reduce((s, x) => s + x.minor, 0)
          expect(totals.total.minor).toBe(totals.net.minor + totals.tax.minor)
          expect(totals.net.minor).toBe(sum(totals.lines.map((l) => l.net)))
          expect(totals.net.minor).toBe(sum(totals.taxLines.map((t) => t.taxable)))
          expect(totals.tax.minor).toBe(sum(totals.taxLines.map((t) => t.tax)))
          if (policy.when === "per-line") expect(totals.tax.minor).toBe(sum(totals.lines.map((l) => l.tax)))
          // each line net is its exact net rounded to the currency: within half a minor unit
          const unit = BigDecimal.make(1n, minorUnitExponent(code))
          const badLines = totals.lines.filter((line, i) => {
            const source = lines[i]
            if (source === undefined || !BigDecimal.equals(line.exactNet, exactLineNet(source))) return true
            const diff = BigDecimal.abs(
              BigDecimal.subtract(BigDecimal.make(BigInt(line.net.minor), minorUnitExponent(code)), line.exactNet)
            )
            return !BigDecimal.isLessThanOrEqualTo(BigDecimal.multiply(diff, BigDecimal.fromBigInt(2n)), unit)
          })
          expect(badLines).toEqual([])
          expect(totals.lines).toHaveLength(lines.length)
          // one tax line per (code, rate)
          const keys = totals.taxLines.map(
            (t) => `${t.code}|${BigDecimal.format(BigDecimal.normalize(BigDecimal.fromStringUnsafe(t.rate)))}`
          )
          expect(new Set(keys).size).toBe(keys.length)
        }
      ),
      { numRuns: 3000 }
    )
  })

  it("per-line and per-invoice tax differ by at most half a minor unit per line, plus one per tax line", () => {
    fc.assert(
      fc.property(
        arbCurrency.chain((code) => fc.tuple(fc.constant(code), arbDocumentLines(code, 8))),
        fc.constantFrom("half-up" as const, "half-even" as const),
        ([code, lines], mode) => {
          const perLine = Result.getOrThrow(computeTotals({ currency: code, lines }, { when: "per-line", mode }))
          const perInvoice = Result.getOrThrow(computeTotals({ currency: code, lines }, { when: "per-invoice", mode }))
          expect(perInvoice.net).toEqual(perLine.net)
          expect(Math.abs(perInvoice.tax.minor - perLine.tax.minor)).toBeLessThanOrEqual(
            Math.ceil(lines.length / 2) + perLine.taxLines.length
          )
        }
      ),
      { numRuns: 2000 }
    )
  })

  it("an invoice whose stated figures follow the policy has no discrepancies", () => {
    fc.assert(
      fc.property(
        arbPolicy.chain((policy) => fc.tuple(fc.constant(policy), arbInvoice({ policy }))),
        ([policy, invoice]) => {
          expect(Result.getOrThrow(checkStatedTotals(invoice, policy))).toEqual([])
        }
      ),
      { numRuns: 2000 }
    )
  })

  it("a changed stated figure is reported with both values, and nothing else is", () => {
    fc.assert(
      fc.property(
        arbInvoice(),
        fc.constantFrom("net", "tax", "total", "line-net", "tax-line-tax"),
        fc.integer({ min: -500, max: 500 }).filter((n) => n !== 0),
        (invoice, figure, delta) => {
          const policy: RoundingPolicy = { when: "per-line", mode: "half-up" }
          const shift = (m: { readonly currency: Invoice["currency"]; readonly minor: number }) => ({
            ...m,
            minor: m.minor + delta
          })
          const changed: Invoice =
            figure === "line-net"
              ? {
                  ...invoice,
                  lines: invoice.lines.map((l, i) =>
                    i === 0 && l.statedNet !== undefined ? { ...l, statedNet: shift(l.statedNet) } : l
                  )
                }
              : figure === "tax-line-tax"
                ? { ...invoice, taxLines: invoice.taxLines.map((t, i) => (i === 0 ? { ...t, tax: shift(t.tax) } : t)) }
                : { ...invoice, totals: { ...invoice.totals, [figure]: shift(invoice.totals[figure]) } }
          const snapshot = structuredClone(changed)
          const found = Result.getOrThrow(checkStatedTotals(changed, policy))
          expect(found).toHaveLength(1)
          const [discrepancy] = found
          expect(discrepancy?.figure).toBe(figure)
          expect((discrepancy?.stated.minor ?? 0) - (discrepancy?.computed.minor ?? 0)).toBe(delta)
          // the document itself is untouched: the ERP's figures stand
          expect(changed).toEqual(snapshot)
        }
      ),
      { numRuns: 1000 }
    )
  })
})

const EUR = currency("EUR")
const line = (
  n: number,
  quantity: string,
  unitPrice: string,
  taxRate: string,
  extra: Partial<DocumentLine> = {}
): DocumentLine => ({
  lineNumber: n,
  description: `line ${n}`,
  quantity: decimal(quantity),
  unitPrice: decimal(unitPrice),
  taxRate: decimal(taxRate),
  ...extra
})

describe("totals examples", () => {
  it("discount percent, then discount amount, then rounding", () => {
    const totals = Result.getOrThrow(
      computeTotals(
        {
          currency: EUR,
          lines: [line(1, "3", "19.99", "19", { discountPercent: decimal("10"), discountAmount: decimal("5") })]
        },
        { when: "per-line", mode: "half-up" }
      )
    )
    expect(BigDecimal.format(totals.lines[0]!.exactNet)).toBe("48.973")
    expect([totals.net.minor, totals.tax.minor, totals.total.minor]).toEqual([4897, 930, 5827])
  })

  it("the four policies on three lines of 1.05 at 10%", () => {
    const lines = [line(1, "1", "1.05", "10"), line(2, "1", "1.05", "10"), line(3, "1", "1.05", "10")]
    const tax = policies.map((p) => Result.getOrThrow(computeTotals({ currency: EUR, lines }, p)).tax.minor)
    expect(tax).toEqual([33, 30, 32, 32])
  })

  it("lines without a tax code group by rate; with one, by code and rate", () => {
    const totals = Result.getOrThrow(
      computeTotals(
        {
          currency: EUR,
          lines: [
            line(1, "1", "10", "19"),
            line(2, "1", "20", "19.0"),
            line(3, "1", "5", "19", { taxCode: "S" }),
            line(4, "2", "1", "0", { taxCode: "EXEMPT" })
          ]
        },
        { when: "per-invoice", mode: "half-up" }
      )
    )
    expect(totals.taxLines.map((t) => [t.code, t.rate, t.taxable.minor, t.tax.minor])).toEqual([
      ["", "19", 3000, 570],
      ["S", "19", 500, 95],
      ["EXEMPT", "0", 200, 0]
    ])
  })

  it("a stated amount in another currency is a CurrencyMismatch, not a discrepancy", () => {
    const invoice = fc.sample(arbInvoice({ currency: EUR }), { seed: 7, numRuns: 1 })[0]
    if (invoice === undefined) throw new Error("no sample")
    const outcome = checkStatedTotals(
      { ...invoice, totals: { ...invoice.totals, total: { currency: currency("USD"), minor: 1 } } },
      { when: "per-line", mode: "half-up" }
    )
    expect(Result.isFailure(outcome) && outcome.failure._tag).toBe("CurrencyMismatch")
  })

  it("a stated tax line the lines do not produce, and a missing one, are both reported", () => {
    const lines = [line(1, "1", "100", "19", { taxCode: "S" })]
    const found = Result.getOrThrow(
      checkStatedTotals(
        {
          currency: EUR,
          lines,
          taxLines: [
            {
              code: "R",
              rate: decimal("7"),
              taxable: { currency: EUR, minor: 10000 },
              tax: { currency: EUR, minor: 700 }
            }
          ],
          totals: {
            net: { currency: EUR, minor: 10000 },
            tax: { currency: EUR, minor: 700 },
            total: { currency: EUR, minor: 10700 }
          }
        },
        { when: "per-line", mode: "half-up" }
      )
    )
    expect(found.map((d) => [d.figure, d.taxCode ?? "", d.stated.minor, d.computed.minor])).toEqual([
      ["tax-line-taxable", "R", 10000, 0],
      ["tax-line-tax", "R", 700, 0],
      ["tax-line-taxable", "S", 0, 10000],
      ["tax-line-tax", "S", 0, 1900],
      ["tax", "", 700, 1900],
      ["total", "", 10700, 11900]
    ])
  })

  it("an amount beyond 2^53 minor units is an AmountOverflow", () => {
    const outcome = computeTotals(
      { currency: EUR, lines: [line(1, "999999999999999999", "999999999999", "0")] },
      { when: "per-line", mode: "half-up" }
    )
    expect(Result.isFailure(outcome) && outcome.failure._tag).toBe("AmountOverflow")
  })
})
