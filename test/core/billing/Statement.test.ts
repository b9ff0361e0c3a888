// Statements: the identity closing = opening + invoiced - paid - credited, continuity across any period boundary,
// open items that sum to the closing balance, and the input checks.
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import { isIssued } from "../../../core/billing/InvoiceStateMachine.ts"
import {
  adjustmentsFromInvoiceEvents,
  balanceForwardStatement,
  openItemStatement,
  type StatementCreditNote,
  type StatementDocuments,
  type StatementPayment,
  statementCurrencies
} from "../../../core/billing/Statement.ts"
import { currency } from "../../../core/domain/Currency.ts"
import { AccountId, CreditNoteId, EventId, InvoiceId, PaymentId } from "../../../core/domain/Ids.ts"
import { addDays, type LocalDate, localDate } from "../../../core/domain/LocalDate.ts"
import {
  arbAccountDocuments,
  arbDecidedHistory,
  arbLocalDate,
  arbMoneyIn,
  type DecidedHistory
} from "../../arbitraries/index.ts"

const year = { min: localDate("2025-12-01"), max: localDate("2027-02-28") }

/** Three dates a <= b < c, so [a, b] and [b + 1, c] are adjacent periods. */
const arbBoundaries = fc
  .tuple(arbLocalDate(year), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 200 }))
  .map(([a, x, y]) => ({ a, b: addDays(a, x), c: addDays(a, x + y) }))

const ok = <A, E>(result: Result.Result<A, E>): A => {
  if (Result.isFailure(result)) throw new Error(`unexpected failure: ${String(result.failure)}`)
  return result.success
}

describe("statement laws", () => {
  it("closing = opening + invoiced - paid - credited, the lines run from opening to closing, open items sum to closing", () => {
    fc.assert(
      fc.property(arbAccountDocuments({ maxLines: 1 }), arbBoundaries, (docs, { a, c }) => {
        for (const code of statementCurrencies(docs)) {
          const period = { currency: code, from: a, to: c }
          const forward = ok(balanceForwardStatement(docs, period))
          const items = ok(openItemStatement(docs, period))
          const { opening, invoiced, paid, credited, closing } = forward
          expect(closing.minor).toBe(opening.minor + invoiced.minor - paid.minor - credited.minor)
          const broken: Array<string> = []
          let running = opening.minor
          for (const line of forward.lines) {
            if (line.debit.minor !== 0 && line.credit.minor !== 0) broken.push(`${line.documentId}: debit and credit`)
            running += line.debit.minor - line.credit.minor
            if (line.balance.minor !== running) broken.push(`${line.documentId}: running balance`)
            if (line.date < a || line.date > c) broken.push(`${line.documentId}: outside the period`)
          }
          for (const item of items.items) {
            const owed = item.kind === "invoice" || item.kind === "uncovered-reversal"
            if (item.open.minor === 0) broken.push(`${item.documentId}: a zero open item`)
            if (item.open.minor > 0 !== owed) broken.push(`${item.documentId}: ${item.kind} has the wrong sign`)
          }
          expect(broken).toEqual([])
          expect(running).toBe(closing.minor)
          expect(items.closing).toEqual(closing)
          expect(items.items.reduce((s, item) => s + item.open.minor, 0)).toBe(closing.minor)
        }
      }),
      { numRuns: 2000 }
    )
  })

  it("the closing of [a, b] is the opening of [b + 1, c], and the two periods add up to [a, c]", () => {
    fc.assert(
      fc.property(arbAccountDocuments({ maxLines: 1 }), arbBoundaries, (docs, { a, b, c }) => {
        for (const code of statementCurrencies(docs)) {
          const first = ok(balanceForwardStatement(docs, { currency: code, from: a, to: b }))
          const second = ok(balanceForwardStatement(docs, { currency: code, from: addDays(b, 1), to: c }))
          const whole = ok(balanceForwardStatement(docs, { currency: code, from: a, to: c }))
          expect(second.opening).toEqual(first.closing)
          expect(whole.opening).toEqual(first.opening)
          expect(whole.closing).toEqual(second.closing)
          for (const figure of ["invoiced", "paid", "credited"] as const) {
            expect(whole[figure].minor).toBe(first[figure].minor + second[figure].minor)
          }
          expect(whole.lines).toHaveLength(first.lines.length + second.lines.length)
          const firstItems = ok(openItemStatement(docs, { currency: code, from: a, to: b }))
          expect(firstItems.items.reduce((s, i) => s + i.open.minor, 0)).toBe(second.opening.minor)
        }
      }),
      { numRuns: 2000 }
    )
  })

  it("one currency's statement never sees another's documents", () => {
    fc.assert(
      fc.property(arbAccountDocuments({ maxLines: 1 }), arbBoundaries, (docs, { a, c }) => {
        for (const code of statementCurrencies(docs)) {
          const forward = ok(balanceForwardStatement(docs, { currency: code, from: a, to: c }))
          for (const line of forward.lines) {
            expect([line.debit.currency, line.credit.currency, line.balance.currency]).toEqual([code, code, code])
          }
          const only: StatementDocuments = {
            invoices: docs.invoices.filter((i) => i.currency === code),
            creditNotes: docs.creditNotes.filter((n) => n.currency === code),
            payments: docs.payments.filter((p) => p.amount.currency === code),
            adjustments: docs.adjustments.filter((x) =>
              x.kind === "void"
                ? docs.invoices.some((i) => i.id === x.invoiceId && i.currency === code)
                : x.amount.currency === code
            )
          }
          const alone = ok(balanceForwardStatement(only, { currency: code, from: a, to: c }))
          expect(alone).toEqual(forward)
        }
      }),
      { numRuns: 500 }
    )
  })
})

// ---- examples ----

const EUR = currency("EUR")
const eur = (minor: number) => ({ currency: EUR, minor })
const d = localDate
const account = AccountId.make("acct-1")
const source = (id: string) => ({ source: "test-erp", externalId: id })

const invoice = (id: string, number: string, issueDate: LocalDate, dueDate: LocalDate, total: number) => ({
  id: InvoiceId.make(id),
  accountId: account,
  source: source(id),
  number,
  issueDate,
  dueDate,
  currency: EUR,
  lines: [],
  taxLines: [],
  totals: { net: eur(total), tax: eur(0), total: eur(total) }
})

const docs: StatementDocuments = {
  invoices: [
    invoice("i1", "INV-1", d("2026-01-10"), d("2026-02-09"), 100_00),
    invoice("i2", "INV-2", d("2026-02-05"), d("2026-03-07"), 50_00),
    invoice("i3", "INV-3", d("2026-02-20"), d("2026-03-22"), 30_00)
  ],
  creditNotes: [
    {
      id: CreditNoteId.make("c1"),
      number: "CN-1",
      issueDate: d("2026-02-12"),
      currency: EUR,
      invoiceId: InvoiceId.make("i2"),
      totals: { total: eur(10_00) }
    }
  ],
  payments: [
    {
      id: PaymentId.make("p1"),
      reference: "BANK-77",
      receivedDate: d("2026-02-15"),
      amount: eur(120_00),
      allocations: [{ invoiceId: InvoiceId.make("i1"), amount: eur(100_00) }]
    }
  ],
  adjustments: [
    { kind: "void", invoiceId: InvoiceId.make("i3"), date: d("2026-02-25") },
    { kind: "chargeback", paymentId: PaymentId.make("p1"), date: d("2026-02-27"), amount: eur(5_00) }
  ]
}

describe("statement examples", () => {
  it("balance-forward for February", () => {
    const s = ok(balanceForwardStatement(docs, { currency: EUR, from: d("2026-02-01"), to: d("2026-02-28") }))
    expect([s.opening, s.invoiced, s.paid, s.credited, s.closing].map((m) => m.minor)).toEqual([
      100_00, 50_00, 115_00, 10_00, 25_00
    ])
    expect(s.lines.map((l) => [l.date, l.kind, l.reference, l.debit.minor, l.credit.minor, l.balance.minor])).toEqual([
      ["2026-02-05", "invoice", "INV-2", 50_00, 0, 150_00],
      ["2026-02-12", "credit-note", "CN-1", 0, 10_00, 140_00],
      ["2026-02-15", "payment", "BANK-77", 0, 120_00, 20_00],
      ["2026-02-20", "invoice", "INV-3", 30_00, 0, 50_00],
      ["2026-02-25", "void", "INV-3", 0, 30_00, 20_00],
      ["2026-02-27", "chargeback", "BANK-77", 5_00, 0, 25_00]
    ])
  })

  it("open items at the end of February sum to the closing balance", () => {
    const s = ok(openItemStatement(docs, { currency: EUR, from: d("2026-02-01"), to: d("2026-02-28") }))
    expect(s.items.map((i) => [i.kind, i.reference, i.open.minor])).toEqual([
      ["invoice", "INV-2", 40_00],
      ["unallocated-payment", "BANK-77", -15_00]
    ])
    expect(s.closing.minor).toBe(25_00)
  })

  it("adjustments can be read off an invoice's events", () => {
    const adjustments = adjustmentsFromInvoiceEvents(InvoiceId.make("i1"), [
      {
        _tag: "PaymentReversed",
        eventId: EventId.make("e1"),
        occurredOn: d("2026-03-01"),
        paymentId: PaymentId.make("p1"),
        amount: eur(5_00),
        kind: "refund"
      },
      { _tag: "Voided", eventId: EventId.make("e2"), occurredOn: d("2026-03-02"), reason: "duplicate" }
    ])
    expect(adjustments).toEqual([
      { kind: "refund", paymentId: "p1", date: "2026-03-01", amount: eur(5_00), invoiceId: "i1" },
      { kind: "void", invoiceId: "i1", date: "2026-03-02" }
    ])
  })

  it("refuses periods that end before they start, and documents that do not add up", () => {
    const period = { currency: EUR, from: d("2026-03-01"), to: d("2026-02-01") }
    const backwards = balanceForwardStatement(docs, period)
    expect(Result.isFailure(backwards) && backwards.failure._tag).toBe("InvalidPeriod")
    const bad: ReadonlyArray<readonly [string, StatementDocuments]> = [
      [
        "voided twice",
        {
          ...docs,
          adjustments: [
            ...(docs.adjustments ?? []),
            { kind: "void", invoiceId: InvoiceId.make("i3"), date: d("2026-03-01") }
          ]
        }
      ],
      [
        "reversals exceed the payment",
        {
          ...docs,
          adjustments: [{ kind: "refund", paymentId: PaymentId.make("p1"), date: d("2026-03-01"), amount: eur(120_01) }]
        }
      ],
      ["allocations exceed the payment", { ...docs, payments: [{ ...docs.payments[0]!, amount: eur(99_99) }] }],
      [
        "a write-off of an unknown invoice",
        {
          ...docs,
          adjustments: [{ kind: "write-off", invoiceId: InvoiceId.make("nope"), date: d("2026-03-01"), amount: eur(1) }]
        }
      ],
      [
        "a refund before receipt",
        {
          ...docs,
          adjustments: [{ kind: "refund", paymentId: PaymentId.make("p1"), date: d("2026-02-14"), amount: eur(1) }]
        }
      ]
    ]
    for (const [reason, input] of bad) {
      const outcome = balanceForwardStatement(input, { currency: EUR, from: d("2026-01-01"), to: d("2026-12-31") })
      expect(Result.isFailure(outcome) && outcome.failure._tag).toBe("InvalidStatementInput")
      expect(Result.isFailure(outcome) && outcome.failure.message).toContain(reason)
    }
  })

  it("an empty account has a zero statement", () => {
    fc.assert(
      fc.property(arbMoneyIn(EUR), arbLocalDate(), (_, from) => {
        const s = ok(
          balanceForwardStatement({ invoices: [], creditNotes: [], payments: [] }, { currency: EUR, from, to: from })
        )
        expect([s.opening.minor, s.closing.minor, s.lines.length]).toEqual([0, 0, 0])
      }),
      { numRuns: 50 }
    )
  })
})

describe("the generator is not vacuous", () => {
  it("generated accounts produce every line kind and every open-item kind", () => {
    const lineKinds = new Set<string>()
    const itemKinds = new Set<string>()
    for (const docs of fc.sample(arbAccountDocuments({ maxLines: 1 }), { numRuns: 1000, seed: 7 })) {
      for (const code of statementCurrencies(docs)) {
        const period = { currency: code, from: d("2026-01-01"), to: d("2027-03-31") }
        for (const line of ok(balanceForwardStatement(docs, period)).lines) lineKinds.add(line.kind)
        for (const item of ok(openItemStatement(docs, period)).items) itemKinds.add(item.kind)
      }
    }
    expect([...lineKinds].sort()).toEqual([
      "chargeback",
      "credit-note",
      "invoice",
      "payment",
      "refund",
      "void",
      "write-off"
    ])
    expect([...itemKinds].sort()).toEqual([
      "credit-note",
      "invoice",
      "overpaid-invoice",
      "unallocated-payment",
      "uncovered-reversal"
    ])
  })
})

/** The documents an invoice's decided history stands for: its payments, linked credit notes and adjustments. */
const documentsOf = (history: DecidedHistory): StatementDocuments => {
  const issued = history.events.find((e) => e._tag === "InvoiceIssued")
  if (issued?._tag !== "InvoiceIssued") throw new Error("the history has no issue")
  const payments = new Map<string, StatementPayment>()
  const creditNotes: Array<StatementCreditNote> = []
  for (const event of history.events) {
    if (event._tag === "PaymentApplied") {
      const before = payments.get(event.paymentId)
      const minor = (before?.amount.minor ?? 0) + event.amount.minor
      payments.set(event.paymentId, {
        id: event.paymentId,
        reference: event.paymentId,
        receivedDate: before?.receivedDate ?? event.occurredOn,
        amount: { ...event.amount, minor },
        allocations: [{ invoiceId: history.invoiceId, amount: { ...event.amount, minor } }]
      })
    }
    if (event._tag === "CreditApplied") {
      creditNotes.push({
        id: CreditNoteId.make(`cn-${event.eventId}`),
        number: `CN-${event.eventId}`,
        issueDate: event.occurredOn,
        currency: history.currency,
        invoiceId: history.invoiceId,
        totals: { total: event.amount }
      })
    }
  }
  return {
    invoices: [
      {
        id: history.invoiceId,
        number: "INV-1",
        issueDate: history.issuedOn,
        dueDate: issued.dueDate,
        currency: history.currency,
        totals: { total: issued.total }
      }
    ],
    creditNotes,
    payments: [...payments.values()],
    adjustments: adjustmentsFromInvoiceEvents(history.invoiceId, history.events)
  }
}

describe("statements agree with the state machine", () => {
  it("an invoice's open item is its open balance, or its excess as credit", () => {
    fc.assert(
      fc.property(arbDecidedHistory(), (history) => {
        const state = history.state
        if (!isIssued(state)) return
        const last = history.events.at(-1)?.occurredOn ?? history.issuedOn
        const period = { currency: history.currency, from: history.issuedOn, to: last }
        const statement = ok(openItemStatement(documentsOf(history), period))
        const item = statement.items.find((i) => i.documentId === history.invoiceId)
        expect(item?.open.minor ?? 0).toBe(state.open.minor - state.excess.minor)
        expect(item?.kind).toBe(
          state.open.minor > 0 ? "invoice" : state.excess.minor > 0 ? "overpaid-invoice" : undefined
        )
        expect(statement.closing.minor).toBe(state.open.minor - state.excess.minor)
        expect(statement.opening.minor).toBe(0)
      }),
      { numRuns: 2000 }
    )
  })
})
