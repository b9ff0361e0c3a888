// Allocation: every plan reconciles to the minor unit for every currency exponent, oldest-first pays in order,
// chosen targets are honoured exactly, and each refusal has its typed error.
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import {
  type AllocationPlan,
  type AllocationTarget,
  allocateOldestFirst,
  allocateToChosen,
  type OpenInvoice,
  oldestDueFirst
} from "../../../core/billing/Allocation.ts"
import {
  decide,
  evolve,
  type InvoiceCommand,
  type InvoiceState,
  type IssuedInvoice,
  isIssued
} from "../../../core/billing/InvoiceStateMachine.ts"
import { type CurrencyCode, currency } from "../../../core/domain/Currency.ts"
import { EventId, InvoiceId, PaymentId } from "../../../core/domain/Ids.ts"
import { addDays, localDate } from "../../../core/domain/LocalDate.ts"
import type { Money } from "../../../core/domain/Money.ts"
import { arbCurrency, arbDecidedHistory, arbMoneyIn } from "../../arbitraries/index.ts"

/** Open invoices in one currency, some with nothing open, with due-date ties and issue-date ties likely. */
const arbOpenInvoices = (code: CurrencyCode): fc.Arbitrary<ReadonlyArray<OpenInvoice>> =>
  fc
    .array(
      fc.record({
        issued: fc.integer({ min: 0, max: 20 }),
        terms: fc.constantFrom(0, 10, 30),
        open: fc.oneof(
          fc.constant(0),
          arbMoneyIn(code, { maxMajor: 5_000 }).map((m) => m.minor)
        )
      }),
      { maxLength: 10 }
    )
    .map((rows) =>
      rows.map(
        (row, i): OpenInvoice => ({
          id: InvoiceId.make(`inv-${i + 1}`),
          number: `INV-${String(i + 1).padStart(3, "0")}`,
          issueDate: addDays(localDate("2026-01-01"), row.issued),
          dueDate: addDays(localDate("2026-01-01"), row.issued + row.terms),
          open: { currency: code, minor: row.open }
        })
      )
    )

const arbCase = arbCurrency.chain((code) =>
  fc.tuple(fc.constant(code), arbOpenInvoices(code), arbMoneyIn(code, { maxMajor: 30_000 }))
)

const expectReconciles = (plan: AllocationPlan, amount: Money): void => {
  const allocated = plan.allocations.reduce((s, a) => s + a.amount.minor, 0)
  expect(allocated + plan.unallocated.minor).toBe(amount.minor)
  expect(plan.unallocated.minor).toBeGreaterThanOrEqual(0)
  expect(plan.unallocated.currency).toBe(amount.currency)
  for (const allocation of plan.allocations) {
    expect(allocation.amount.currency).toBe(amount.currency)
    expect(allocation.amount.minor).toBeGreaterThan(0)
  }
  expect(new Set(plan.allocations.map((a) => a.invoiceId)).size).toBe(plan.allocations.length)
}

describe("allocate oldest due first", () => {
  it("reconciles exactly, pays in due order, and leaves credit only when everything is paid", () => {
    fc.assert(
      fc.property(arbCase, ([, invoices, amount]) => {
        const plan = Result.getOrThrow(allocateOldestFirst(amount, invoices))
        expectReconciles(plan, amount)
        const byId = new Map(invoices.map((i) => [i.id, i]))
        const payable = invoices.filter((i) => i.open.minor > 0).sort(oldestDueFirst)
        // a prefix of the payable invoices, every one but the last paid in full
        expect(plan.allocations.map((a) => a.invoiceId)).toEqual(
          payable.slice(0, plan.allocations.length).map((i) => i.id)
        )
        plan.allocations.forEach((allocation, index) => {
          const open = byId.get(allocation.invoiceId)?.open.minor ?? -1
          if (index < plan.allocations.length - 1) expect(allocation.amount.minor).toBe(open)
          else expect(allocation.amount.minor).toBeLessThanOrEqual(open)
        })
        const totalOpen = payable.reduce((s, i) => s + i.open.minor, 0)
        expect(plan.unallocated.minor).toBe(Math.max(0, amount.minor - totalOpen))
      }),
      { numRuns: 3000 }
    )
  })

  it("ignores invoices in other currencies", () => {
    const jpy = currency("JPY")
    const plan = Result.getOrThrow(
      allocateOldestFirst({ currency: jpy, minor: 500 }, [
        openInvoice("A", "2026-01-01", { currency: currency("EUR"), minor: 100 })
      ])
    )
    expect(plan.allocations).toEqual([])
    expect(plan.unallocated).toEqual({ currency: jpy, minor: 500 })
  })

  it("breaks due-date ties by issue date, then number", () => {
    const eur = currency("EUR")
    const invoices = [
      openInvoice("C", "2026-02-01", { currency: eur, minor: 100 }, "2026-01-05", "INV-3"),
      openInvoice("B", "2026-02-01", { currency: eur, minor: 100 }, "2026-01-01", "INV-2"),
      openInvoice("A", "2026-02-01", { currency: eur, minor: 100 }, "2026-01-05", "INV-1"),
      openInvoice("D", "2026-01-15", { currency: eur, minor: 100 }, "2026-01-10", "INV-9")
    ]
    const plan = Result.getOrThrow(allocateOldestFirst({ currency: eur, minor: 250 }, invoices))
    expect(plan.allocations.map((a) => [a.invoiceId, a.amount.minor])).toEqual([
      ["D", 100],
      ["B", 100],
      ["A", 50]
    ])
    expect(plan.unallocated.minor).toBe(0)
  })
})

const openInvoice = (
  id: string,
  dueDate: string,
  open: Money,
  issueDate = "2026-01-01",
  number = `INV-${id}`
): OpenInvoice => ({
  id: InvoiceId.make(id),
  number,
  issueDate: localDate(issueDate),
  dueDate: localDate(dueDate),
  open
})

describe("allocate to chosen invoices", () => {
  it("reconciles exactly and honours explicit amounts, for JPY, EUR and BHD alike", () => {
    fc.assert(
      fc.property(
        arbCase.chain(([code, invoices, amount]) =>
          fc.tuple(
            fc.constant(amount),
            fc.constant(invoices),
            fc.shuffledSubarray([...invoices]).chain((chosen) =>
              fc.tuple(
                ...chosen.map((invoice) =>
                  fc.oneof(
                    fc.constant<AllocationTarget>({ invoiceId: invoice.id }),
                    fc
                      .integer({ min: 0, max: Math.max(0, invoice.open.minor) })
                      .map((minor): AllocationTarget => ({ invoiceId: invoice.id, amount: { currency: code, minor } }))
                  )
                )
              )
            )
          )
        ),
        ([amount, invoices, targets]) => {
          const outcome = allocateToChosen(amount, targets, invoices)
          const explicit = targets.reduce((s, t) => s + (t.amount?.minor ?? 0), 0)
          if (Result.isFailure(outcome)) {
            // the only refusal possible here: explicit amounts beyond what the payment has left
            expect(outcome.failure._tag).toBe("AllocationExceedsPayment")
            expect(explicit).toBeGreaterThan(0)
            return
          }
          const plan = outcome.success
          expectReconciles(plan, amount)
          const given = new Map(plan.allocations.map((a) => [a.invoiceId, a.amount.minor]))
          const order = targets.map((t) => t.invoiceId).filter((id) => given.has(id))
          expect(plan.allocations.map((a) => a.invoiceId)).toEqual(order)
          for (const target of targets) {
            const open = invoices.find((i) => i.id === target.invoiceId)?.open.minor ?? 0
            const got = given.get(target.invoiceId) ?? 0
            expect(got).toBeLessThanOrEqual(open)
            if (target.amount !== undefined) expect(got).toBe(target.amount.minor)
          }
        }
      ),
      { numRuns: 3000 }
    )
  })

  const eur = currency("EUR")
  const e = (minor: number): Money => ({ currency: eur, minor })
  const invoices = [openInvoice("A", "2026-01-31", e(10_000)), openInvoice("B", "2026-02-28", e(5_000))]

  it("partial amounts, then the rest as credit", () => {
    const plan = Result.getOrThrow(
      allocateToChosen(
        e(20_000),
        [{ invoiceId: InvoiceId.make("B"), amount: e(2_000) }, { invoiceId: InvoiceId.make("A") }],
        invoices
      )
    )
    expect(plan.allocations).toEqual([
      { invoiceId: "B", amount: e(2_000) },
      { invoiceId: "A", amount: e(10_000) }
    ])
    expect(plan.unallocated).toEqual(e(8_000))
  })

  it("a short payment fills the chosen invoices in order", () => {
    const plan = Result.getOrThrow(
      allocateToChosen(e(12_000), [{ invoiceId: InvoiceId.make("A") }, { invoiceId: InvoiceId.make("B") }], invoices)
    )
    expect(plan.allocations.map((a) => a.amount.minor)).toEqual([10_000, 2_000])
    expect(plan.unallocated.minor).toBe(0)
  })

  const refusals: ReadonlyArray<readonly [string, Money, ReadonlyArray<AllocationTarget>]> = [
    ["CurrencyMismatch", { currency: currency("USD"), minor: 100 }, [{ invoiceId: InvoiceId.make("A") }]],
    ["CurrencyMismatch", e(100), [{ invoiceId: InvoiceId.make("A"), amount: { currency: currency("USD"), minor: 1 } }]],
    ["NegativeAllocationAmount", e(-1), []],
    ["NegativeAllocationAmount", e(100), [{ invoiceId: InvoiceId.make("A"), amount: e(-1) }]],
    ["UnknownInvoice", e(100), [{ invoiceId: InvoiceId.make("Z") }]],
    ["DuplicateAllocationTarget", e(100), [{ invoiceId: InvoiceId.make("A") }, { invoiceId: InvoiceId.make("A") }]],
    ["AllocationExceedsOpenBalance", e(20_000), [{ invoiceId: InvoiceId.make("B"), amount: e(5_001) }]],
    ["AllocationExceedsPayment", e(1_000), [{ invoiceId: InvoiceId.make("A"), amount: e(1_001) }]]
  ]
  for (const [tag, amount, targets] of refusals) {
    it(`refuses with ${tag}`, () => {
      const outcome = allocateToChosen(amount, targets, invoices)
      expect(Result.isFailure(outcome) && outcome.failure._tag).toBe(tag)
      expect(Result.isFailure(outcome) && outcome.failure.message.length).toBeGreaterThan(10)
    })
  }

  it("oldest-first refuses a negative payment", () => {
    const outcome = allocateOldestFirst(e(-5), invoices)
    expect(Result.isFailure(outcome) && outcome.failure._tag).toBe("NegativeAllocationAmount")
  })
})

describe("allocation agrees with the state machine", () => {
  it("every allocation of a plan is a payment the invoice accepts, and none creates an overpayment", () => {
    fc.assert(
      fc.property(
        arbCurrency.chain((code) =>
          fc.tuple(
            fc.tuple(
              arbDecidedHistory({ currency: code, invoiceId: InvoiceId.make("A"), maxSteps: 6 }),
              arbDecidedHistory({ currency: code, invoiceId: InvoiceId.make("B"), maxSteps: 6 }),
              arbDecidedHistory({ currency: code, invoiceId: InvoiceId.make("C"), maxSteps: 6 })
            ),
            arbMoneyIn(code, { maxMajor: 300_000 })
          )
        ),
        ([histories, amount]) => {
          const states = new Map<InvoiceId, IssuedInvoice>()
          for (const history of histories) if (isIssued(history.state)) states.set(history.invoiceId, history.state)
          const invoices = [...states.values()].map(
            (s): OpenInvoice => ({
              id: s.invoiceId,
              number: s.invoiceId,
              issueDate: s.issuedOn,
              dueDate: s.dueDate,
              open: s.open
            })
          )
          const plan = Result.getOrThrow(allocateOldestFirst(amount, invoices))
          for (const allocation of plan.allocations) {
            const state = states.get(allocation.invoiceId)
            if (state === undefined) throw new Error("allocated to an unknown invoice")
            const command: InvoiceCommand = {
              _tag: "ApplyPayment",
              eventId: EventId.make(`alloc-${allocation.invoiceId}`),
              paymentId: PaymentId.make("P-new"),
              amount: allocation.amount
            }
            const events = Result.getOrThrow(decide(state, command, state.dueDate))
            const after = events.reduce<InvoiceState>(evolve, state)
            if (!isIssued(after)) throw new Error("not issued")
            expect(after.excess.minor).toBe(0)
            expect(after.open.minor).toBe(state.open.minor - allocation.amount.minor)
          }
        }
      ),
      { numRuns: 1000 }
    )
  })
})
