// Properties of the payment service's allocation steps: every plan reconciles to the minor unit, never puts
// more on an invoice than it has open, pays oldest due first where it chooses, and respects the partial
// minimum; a confirmed intent allocated after balances moved still reconciles.
import { assert, describe, it } from "@effect/vitest"
import { Redacted, Result } from "effect"
import * as fc from "fast-check"
import { CurrencyCode } from "../../../../core/domain/Currency.ts"
import { InvoiceId } from "../../../../core/domain/Ids.ts"
import { localDate } from "../../../../core/domain/LocalDate.ts"
import { PluginConfigInvalid } from "../../../../core/plugin/PluginErrors.ts"
import { allocateConfirmed, planSelection } from "../../../../plugins/payments/internal/plans.ts"
import type { PayableInvoice } from "../../../../plugins/payments/PaymentLedger.ts"
import type { PaySelection } from "../../../../plugins/payments/Payments.ts"
import { paymentsPlugin } from "../../../../plugins/payments/PaymentsPlugin.ts"
import { resolveSettings } from "../../../../plugins/payments/PaymentsSettings.ts"

const EUR = CurrencyCode.make("EUR")
const settings = { minimumPartial: new Map([["EUR", { currency: EUR, minor: 1_000 }]]), advancePayments: true }

const invoices = fc
  .array(
    fc.record({
      open: fc.integer({ min: 1, max: 1_000_000 }),
      day: fc.integer({ min: 1, max: 28 }),
      disputed: fc.boolean()
    }),
    {
      minLength: 1,
      maxLength: 8
    }
  )
  .map((specs) =>
    specs.map(
      (spec, i): PayableInvoice => ({
        id: InvoiceId.make(`inv-${i}`),
        number: `INV-${i}`,
        issueDate: localDate("2026-01-01"),
        dueDate: localDate(`2026-02-${String(spec.day).padStart(2, "0")}`),
        open: { currency: EUR, minor: spec.open },
        status: spec.disputed ? "disputed" : "open"
      })
    )
  )

const selection = (open: ReadonlyArray<PayableInvoice>): fc.Arbitrary<PaySelection> =>
  fc.oneof(
    fc.constant<PaySelection>({ _tag: "AllOpen", currency: EUR }),
    fc
      .integer({ min: 1, max: 5_000_000 })
      .map((minor): PaySelection => ({ _tag: "Amount", amount: { currency: EUR, minor } })),
    fc.subarray([...open], { minLength: 1 }).chain((chosen) =>
      fc.tuple(...chosen.map((invoice) => fc.option(fc.integer({ min: 1, max: invoice.open.minor })))).map(
        (parts): PaySelection => ({
          _tag: "Invoices",
          invoices: chosen.map((invoice, i) => {
            const part = parts[i]
            return part === null || part === undefined
              ? { invoiceId: invoice.id }
              : { invoiceId: invoice.id, amount: { currency: EUR, minor: part } }
          })
        })
      )
    )
  )

const cases = invoices.chain((open) => fc.tuple(fc.constant(open), selection(open)))

describe("planSelection", () => {
  it("reconciles to the minor unit and never exceeds an invoice's open balance", () => {
    fc.assert(
      fc.property(cases, ([open, chosen]) => {
        const planned = planSelection(chosen, open, settings)
        if (Result.isFailure(planned)) return planned.failure._tag === "PartialBelowMinimum"
        const { plan } = planned.success
        const allocated = plan.allocations.reduce((sum, a) => sum + a.amount.minor, 0)
        const byId = new Map(open.map((i) => [i.id as string, i.open.minor]))
        return (
          allocated + plan.unallocated.minor === plan.amount.minor &&
          plan.allocations.every((a) => a.amount.minor > 0 && a.amount.minor <= (byId.get(a.invoiceId) ?? 0))
        )
      }),
      { numRuns: 2000 }
    )
  })

  it("refuses exactly the partial payments below the minimum", () => {
    fc.assert(
      fc.property(cases, ([open, chosen]) => {
        const planned = planSelection(chosen, open, settings)
        const below =
          chosen._tag === "Invoices" &&
          chosen.invoices.some((t) => {
            const invoice = open.find((i) => i.id === t.invoiceId)
            return (
              t.amount !== undefined &&
              invoice !== undefined &&
              t.amount.minor < invoice.open.minor &&
              t.amount.minor < 1_000
            )
          })
        return Result.isFailure(planned) === below
      }),
      { numRuns: 2000 }
    )
  })

  it("everything open pays every undisputed invoice in full, leaving no credit", () => {
    fc.assert(
      fc.property(invoices, (open) => {
        const planned = planSelection({ _tag: "AllOpen", currency: EUR }, open, settings)
        if (Result.isFailure(planned)) return false
        const payable = open.filter((i) => i.status !== "disputed")
        return (
          planned.success.plan.unallocated.minor === 0 &&
          planned.success.plan.amount.minor === payable.reduce((sum, i) => sum + i.open.minor, 0)
        )
      })
    )
  })

  it("an amount pays oldest due first: only the last invoice it reaches may be paid in part", () => {
    fc.assert(
      fc.property(invoices, fc.integer({ min: 1, max: 5_000_000 }), (open, minor) => {
        const planned = planSelection({ _tag: "Amount", amount: { currency: EUR, minor } }, open, settings)
        if (Result.isFailure(planned)) return false
        const allocations = planned.success.plan.allocations
        const full = allocations.slice(0, -1)
        return full.every((a) => a.amount.minor === open.find((i) => i.id === a.invoiceId)?.open.minor)
      })
    )
  })

  it("refuses more than is owed when advance payments are off", () => {
    const open = [
      {
        id: InvoiceId.make("inv-0"),
        number: "INV-0",
        issueDate: localDate("2026-01-01"),
        dueDate: localDate("2026-01-31"),
        open: { currency: EUR, minor: 500 },
        status: "open"
      }
    ]
    const planned = planSelection({ _tag: "Amount", amount: { currency: EUR, minor: 501 } }, open, {
      ...settings,
      advancePayments: false
    })
    assert.isTrue(Result.isFailure(planned) && planned.failure._tag === "PaymentRequestInvalid")
  })
})

describe("allocateConfirmed", () => {
  it("still reconciles when balances fell between checkout and confirmation", () => {
    fc.assert(
      fc.property(
        cases,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }),
        ([open, chosen], falls) => {
          const planned = planSelection(chosen, open, settings)
          if (Result.isFailure(planned)) return true
          const { kind, plan } = planned.success
          const later = open
            .map((i, n) => ({ ...i, open: { currency: EUR, minor: Math.floor(i.open.minor * (falls[n] ?? 1)) } }))
            .filter((i) => i.open.minor > 0)
          const intent = {
            id: "pi-1",
            accountId: "acme",
            kind,
            amount: plan.amount,
            targets: plan.allocations.map((a) => ({ invoiceId: a.invoiceId as string, amountMinor: a.amount.minor })),
            providerRef: "cs_1",
            status: "pending",
            paymentId: null,
            checkoutUrl: null
          }
          const confirmed = allocateConfirmed(intent, plan.amount, later)
          if (Result.isFailure(confirmed)) return false
          const allocated = confirmed.success.allocations.reduce((sum, a) => sum + a.amount.minor, 0)
          const byId = new Map(later.map((i) => [i.id as string, i.open.minor]))
          return (
            allocated + confirmed.success.unallocated.minor === plan.amount.minor &&
            confirmed.success.allocations.every((a) => a.amount.minor <= (byId.get(a.invoiceId) ?? 0))
          )
        }
      ),
      { numRuns: 2000 }
    )
  })
})

describe("payments settings", () => {
  it("refuse a minimum that is not an amount of its currency, naming the field", () => {
    const typo = resolveSettings({
      provider: { kind: "stripe", secretKey: Redacted.make("sk"), webhookSecret: Redacted.make("wh") },
      minimumPartialPayment: { EURO: "10.00" }
    })
    assert.isTrue(Result.isFailure(typo))
    if (Result.isFailure(typo)) {
      assert.strictEqual(
        typo.failure.message,
        'plugin "payments": invalid config at minimumPartialPayment.EURO: not a currency code'
      )
    }
    const malformed = paymentsPlugin.build({
      provider: { kind: "stripe", secretKey: "sk", webhookSecret: "wh" },
      minimumPartialPayment: { EUR: "ten" }
    })
    assert.isTrue(malformed instanceof PluginConfigInvalid)
    if (malformed instanceof PluginConfigInvalid) assert.strictEqual(malformed.field, "minimumPartialPayment.EUR")
    const decimals = resolveSettings({
      provider: { kind: "stripe", secretKey: Redacted.make("sk"), webhookSecret: Redacted.make("wh") },
      minimumPartialPayment: { [EUR]: "10.001" }
    })
    assert.isTrue(Result.isFailure(decimals))
    if (Result.isFailure(decimals)) {
      assert.strictEqual(
        decimals.failure.message,
        'plugin "payments": invalid config at minimumPartialPayment.EUR: "10.001" is not a valid EUR amount: EUR has 2 decimal places'
      )
    }
  })
})
