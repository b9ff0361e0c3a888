// The invoice decider: balance laws over generated histories (decided and raw), idempotence, replay, status as
// a function of history and date, and one example per status and per refusal.
import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import {
  baseStatus,
  decide,
  evolve,
  InvoiceCommand,
  InvoiceEvent,
  InvoiceRuleViolation,
  type InvoiceState,
  type IssuedInvoice,
  initialInvoiceState,
  isIssued,
  replay,
  statusAsOf
} from "../../../core/billing/InvoiceStateMachine.ts"
import { currency } from "../../../core/domain/Currency.ts"
import { CreditNoteId, EventId, InvoiceId, PaymentId } from "../../../core/domain/Ids.ts"
import { addDays, localDate } from "../../../core/domain/LocalDate.ts"
import type { Money } from "../../../core/domain/Money.ts"
import { arbDecidedHistory, arbLocalDate, arbRawEvents, arbWithRedeliveries } from "../../arbitraries/index.ts"

/**
 * Every invariant an issued invoice keeps, checked against sums recomputed from its history: the broken ones, by
 * name (plain checks, one `expect` per state: this runs for every event of thousands of histories).
 */
const brokenInvariants = (state: InvoiceState): ReadonlyArray<string> => {
  if (!isIssued(state)) return state.history.length === 0 ? [] : ["an unissued state has history"]
  const broken: Array<string> = []
  const check = (holds: boolean, name: string) => {
    if (!holds) broken.push(name)
  }
  for (const [name, m] of Object.entries({
    paid: state.paid,
    credited: state.credited,
    writtenOff: state.writtenOff,
    open: state.open,
    excess: state.excess
  })) {
    check(m.currency === state.currency, `${name} is in the invoice's currency`)
    check(m.minor >= 0, `${name} >= 0`)
  }
  check(state.open.minor === 0 || state.excess.minor === 0, "open and excess are not both non-zero")
  check(state.credited.minor + state.writtenOff.minor <= state.total.minor, "credited + writtenOff <= total")
  let paid = 0
  let credited = 0
  let writtenOff = 0
  for (const event of state.history) {
    if (event._tag === "PaymentApplied") paid += event.amount.minor
    if (event._tag === "PaymentReversed") paid -= event.amount.minor
    if (event._tag === "CreditApplied") credited += event.amount.minor
    if (event._tag === "WrittenOff") writtenOff += event.amount.minor
  }
  check(state.paid.minor === paid, "paid = Σ payments - Σ reversals")
  check(state.credited.minor === credited, "credited = Σ credits")
  check(state.writtenOff.minor === writtenOff, "writtenOff = Σ write-offs")
  const balance = state.total.minor - paid - credited - writtenOff
  if (state.voided) {
    check(state.open.minor === 0, "a void invoice has nothing open")
    check(paid === 0 && credited === 0 && writtenOff === 0, "a void invoice has nothing settled")
  } else {
    check(state.open.minor === Math.max(0, balance), "open = max(0, total - paid - credited - writtenOff)")
    check(state.excess.minor === Math.max(0, -balance), "excess = max(0, paid + credited + writtenOff - total)")
  }
  for (const applied of state.payments.values()) check(applied.minor >= 0, "each payment's net is >= 0")
  check(state.appliedEventIds.size === state.history.length, "one applied id per history entry")
  return broken
}

const expectInvariants = (state: InvoiceState): void => {
  expect(brokenInvariants(state)).toEqual([])
}

const runs = { decided: 5000, raw: 5000 }

describe("laws over histories made by decide", () => {
  it("no accepted sequence makes a balance negative; open = total - paid - credited - written off", () => {
    fc.assert(
      fc.property(arbDecidedHistory(), (history) => {
        expectInvariants(history.state)
        // every event decide returned was applied by evolve
        expect(history.state.history).toEqual(history.events)
      }),
      { numRuns: runs.decided }
    )
  })

  it("a refused command changes nothing, and a retried command yields no events", () => {
    fc.assert(
      fc.property(arbDecidedHistory(), (history) => {
        let state: InvoiceState = initialInvoiceState
        for (const step of history.steps) {
          if (Result.isSuccess(step.outcome)) {
            for (const event of step.outcome.success) state = evolve(state, event)
            expect(Result.getOrThrow(decide(state, step.command, step.now))).toEqual([])
          } else {
            expect(replay(state.history)).toEqual(state)
          }
        }
        expect(state).toEqual(history.state)
      }),
      { numRuns: 1000 }
    )
  })

  it("replaying the events, or receiving them again, gives the same state", () => {
    fc.assert(
      fc.property(
        arbDecidedHistory().chain((h) => fc.tuple(fc.constant(h), arbWithRedeliveries(h.events))),
        ([history, redelivered]) => {
          expect(replay(history.events)).toEqual(history.state)
          expect(replay(redelivered)).toEqual(history.state)
        }
      ),
      { numRuns: runs.decided }
    )
  })

  it("status is a function of the history and the date, however the history was delivered", () => {
    fc.assert(
      fc.property(
        arbDecidedHistory().chain((h) =>
          fc.tuple(fc.constant(h), arbWithRedeliveries(h.events), arbLocalDate({ min: h.issuedOn }))
        ),
        ([history, redelivered, asOf]) => {
          const a = replay(history.events)
          const b = replay(redelivered)
          if (!isIssued(a) || !isIssued(b)) return
          expect(baseStatus(b)).toBe(baseStatus(a))
          expect(statusAsOf(b, asOf)).toBe(statusAsOf(a, asOf))
          const base = baseStatus(a)
          const asOfStatus = statusAsOf(a, asOf)
          if (asOfStatus === "overdue") {
            expect(["open", "partially-paid"]).toContain(base)
            expect(a.dueDate < asOf).toBe(true)
            // once overdue, overdue on every later day
            expect(statusAsOf(a, addDays(asOf, 1))).toBe("overdue")
          } else {
            expect(asOfStatus).toBe(base)
          }
          // the base status follows from the balances as documented
          const expected = a.voided
            ? "void"
            : a.disputed
              ? "disputed"
              : a.open.minor > 0
                ? a.paid.minor + a.credited.minor + a.writtenOff.minor === 0
                  ? "open"
                  : "partially-paid"
                : a.writtenOff.minor > 0
                  ? "written-off"
                  : a.paid.minor > 0 || a.credited.minor === 0
                    ? "paid"
                    : "credited"
          expect(base).toBe(expected)
        }
      ),
      { numRuns: runs.decided }
    )
  })
})

describe("laws over raw event sequences (any order, duplicates, invalid events)", () => {
  it("evolve is total and keeps every invariant", () => {
    fc.assert(
      fc.property(arbRawEvents(), (events) => {
        let state: InvoiceState = initialInvoiceState
        const broken: Array<string> = []
        for (const event of events) {
          state = evolve(state, event)
          broken.push(...brokenInvariants(state))
        }
        expect(broken).toEqual([])
      }),
      { numRuns: runs.raw }
    )
  })

  it("applying an event twice is applying it once, and the state is the replay of its own history", () => {
    fc.assert(
      fc.property(arbRawEvents(), (events) => {
        let state: InvoiceState = initialInvoiceState
        let twiceChanged = 0
        for (const event of events) {
          const once = evolve(state, event)
          if (evolve(once, event) !== once) twiceChanged++
          state = once
        }
        expect(twiceChanged).toBe(0)
        const replayed = replay(state.history)
        expect(replayed).toEqual(state)
        if (isIssued(state) && isIssued(replayed)) expect(baseStatus(replayed)).toBe(baseStatus(state))
      }),
      { numRuns: runs.raw }
    )
  })

  it("evolve applies exactly the events decide would accept", () => {
    fc.assert(
      fc.property(arbRawEvents(), (events) => {
        let state: InvoiceState = initialInvoiceState
        const disagreements: Array<string> = []
        for (const event of events) {
          const next = evolve(state, event)
          const applied = next !== state
          if (state.appliedEventIds.has(event.eventId)) {
            if (applied) disagreements.push(`${event.eventId} applied twice`)
          } else {
            const decided = decide(state, commandOf(event), event.occurredOn)
            if (Result.isSuccess(decided) !== applied) disagreements.push(`${event._tag} ${event.eventId}`)
            if (Result.isSuccess(decided) && JSON.stringify(decided.success) !== JSON.stringify([event])) {
              disagreements.push(`${event.eventId} decided differently`)
            }
          }
          state = next
        }
        expect(disagreements).toEqual([])
      }),
      { numRuns: runs.raw }
    )
  })
})

/** The command that would produce `event` (for events whose currency field matches their total). */
const commandOf = (event: InvoiceEvent): InvoiceCommand => {
  const eventId = event.eventId
  switch (event._tag) {
    case "InvoiceIssued":
      return { _tag: "IssueInvoice", eventId, invoiceId: event.invoiceId, total: event.total, dueDate: event.dueDate }
    case "PaymentApplied":
      return { _tag: "ApplyPayment", eventId, paymentId: event.paymentId, amount: event.amount }
    case "PaymentReversed":
      return { _tag: "ReversePayment", eventId, paymentId: event.paymentId, amount: event.amount, kind: event.kind }
    case "CreditApplied":
      return { _tag: "ApplyCredit", eventId, creditNoteId: event.creditNoteId, amount: event.amount }
    case "Disputed":
      return { _tag: "OpenDispute", eventId, reason: event.reason }
    case "DisputeResolved":
      return { _tag: "ResolveDispute", eventId }
    case "Voided":
      return { _tag: "VoidInvoice", eventId, reason: event.reason }
    case "WrittenOff":
      return { _tag: "WriteOff", eventId, amount: event.amount, reason: event.reason }
  }
}

// ---- examples ----

const EUR = currency("EUR")
const USD = currency("USD")
const eur = (minor: number): Money => ({ currency: EUR, minor })
const issuedOn = localDate("2026-03-01")
const dueDate = localDate("2026-03-31")
let counter = 0
const id = () => EventId.make(`ex-${++counter}`)

const issue = (total = eur(10_000)): InvoiceCommand => ({
  _tag: "IssueInvoice",
  eventId: id(),
  invoiceId: InvoiceId.make("INV-1"),
  total,
  dueDate
})
const pay = (amount: Money, payment = "P1"): InvoiceCommand => ({
  _tag: "ApplyPayment",
  eventId: id(),
  paymentId: PaymentId.make(payment),
  amount
})
const reverse = (amount: Money, payment = "P1", kind: "refund" | "chargeback" = "refund"): InvoiceCommand => ({
  _tag: "ReversePayment",
  eventId: id(),
  paymentId: PaymentId.make(payment),
  amount,
  kind
})
const credit = (amount: Money): InvoiceCommand => ({
  _tag: "ApplyCredit",
  eventId: id(),
  creditNoteId: CreditNoteId.make("CN-1"),
  amount
})
const dispute = (): InvoiceCommand => ({ _tag: "OpenDispute", eventId: id(), reason: "short delivery" })
const resolve = (): InvoiceCommand => ({ _tag: "ResolveDispute", eventId: id() })
const voidIt = (): InvoiceCommand => ({ _tag: "VoidInvoice", eventId: id(), reason: "duplicate" })
const writeOff = (amount: Money): InvoiceCommand => ({ _tag: "WriteOff", eventId: id(), amount, reason: "insolvent" })

/** The state after commands that must all be accepted. */
const given = (...commands: ReadonlyArray<InvoiceCommand>): IssuedInvoice => {
  let state: InvoiceState = initialInvoiceState
  for (const command of commands) {
    for (const event of Result.getOrThrow(decide(state, command, issuedOn))) state = evolve(state, event)
  }
  if (!isIssued(state)) throw new Error("the example never issued the invoice")
  return state
}

/** The refusal `command` meets after `commands`. */
const refusal = (commands: ReadonlyArray<InvoiceCommand>, command: InvoiceCommand) => {
  let state: InvoiceState = initialInvoiceState
  for (const c of commands) {
    for (const event of Result.getOrThrow(decide(state, c, issuedOn))) state = evolve(state, event)
  }
  const outcome = decide(state, command, issuedOn)
  if (Result.isSuccess(outcome)) throw new Error(`expected a refusal of ${command._tag}`)
  return outcome.failure
}

describe("statuses", () => {
  it("open: issued, nothing settled; overdue only after the due date", () => {
    const state = given(issue())
    expect(baseStatus(state)).toBe("open")
    expect(statusAsOf(state, dueDate)).toBe("open")
    expect(statusAsOf(state, addDays(dueDate, 1))).toBe("overdue")
    expect(state.open).toEqual(eur(10_000))
  })

  it("partially-paid, and overdue when past due", () => {
    const state = given(issue(), pay(eur(4_000)))
    expect(baseStatus(state)).toBe("partially-paid")
    expect(state.open).toEqual(eur(6_000))
    expect(statusAsOf(state, addDays(dueDate, 10))).toBe("overdue")
  })

  it("paid, including when settled by a mix of payment and credit", () => {
    expect(baseStatus(given(issue(), pay(eur(10_000))))).toBe("paid")
    const mixed = given(issue(), credit(eur(3_000)), pay(eur(7_000)))
    expect(baseStatus(mixed)).toBe("paid")
    expect([mixed.open.minor, mixed.excess.minor]).toEqual([0, 0])
    expect(statusAsOf(mixed, addDays(dueDate, 100))).toBe("paid")
  })

  it("credited: settled by credits alone", () => {
    const state = given(issue(), credit(eur(10_000)))
    expect(baseStatus(state)).toBe("credited")
    expect(state.credited).toEqual(eur(10_000))
  })

  it("disputed: over a partially paid invoice the balances stay, and it is never overdue", () => {
    const state = given(issue(), pay(eur(2_500)), dispute())
    expect(baseStatus(state)).toBe("disputed")
    expect(statusAsOf(state, addDays(dueDate, 60))).toBe("disputed")
    expect(state.open).toEqual(eur(7_500))
    const paidWhileDisputed = given(issue(), dispute(), pay(eur(10_000)))
    expect(baseStatus(paidWhileDisputed)).toBe("disputed")
    const resolved = given(issue(), pay(eur(2_500)), dispute(), credit(eur(7_500)), resolve())
    expect(baseStatus(resolved)).toBe("paid")
  })

  it("void: owes nothing, and voiding closes a dispute", () => {
    const state = given(issue(), dispute(), voidIt())
    expect(baseStatus(state)).toBe("void")
    expect(statusAsOf(state, addDays(dueDate, 365))).toBe("void")
    expect([state.open.minor, state.disputed]).toEqual([0, false])
  })

  it("written-off: a write-off closed it, even after a part payment; a partial write-off is partially-paid", () => {
    const state = given(issue(), pay(eur(6_000)), writeOff(eur(4_000)))
    expect(baseStatus(state)).toBe("written-off")
    expect(state.writtenOff).toEqual(eur(4_000))
    expect(baseStatus(given(issue(), writeOff(eur(1_000))))).toBe("partially-paid")
  })

  it("a zero-total invoice is paid: nothing is owed", () => {
    expect(baseStatus(given(issue(eur(0))))).toBe("paid")
  })
})

describe("overpayment and reversals", () => {
  it("an overpayment is excess (account credit), never a negative balance", () => {
    const state = given(issue(), pay(eur(12_500)))
    expect([state.open.minor, state.excess.minor, state.paid.minor]).toEqual([0, 2_500, 12_500])
    expect(baseStatus(state)).toBe("paid")
  })

  it("refunding an overpayment takes the excess first, then reopens the invoice", () => {
    const overpaid = given(issue(), pay(eur(12_500)))
    const refunded = given(issue(), pay(eur(12_500)), reverse(eur(2_500)))
    expect([refunded.open.minor, refunded.excess.minor, baseStatus(refunded)]).toEqual([0, 0, "paid"])
    const charged = given(issue(), pay(eur(12_500)), reverse(eur(5_000), "P1", "chargeback"))
    expect([charged.open.minor, charged.excess.minor, baseStatus(charged)]).toEqual([2_500, 0, "partially-paid"])
    expect(overpaid.payments.get(PaymentId.make("P1"))).toEqual(eur(12_500))
    expect(charged.payments.get(PaymentId.make("P1"))).toEqual(eur(7_500))
  })

  it("a chargeback after a write-off reopens what the payment had covered", () => {
    const state = given(issue(), pay(eur(6_000)), writeOff(eur(4_000)), reverse(eur(6_000), "P1", "chargeback"))
    expect([state.open.minor, baseStatus(state)]).toEqual([6_000, "partially-paid"])
  })

  it("the same event id twice is applied once", () => {
    const command = pay(eur(1_000))
    const state = given(issue(), command)
    expect(Result.getOrThrow(decide(state, command, issuedOn))).toEqual([])
    const [event] = state.history.slice(-1)
    if (event === undefined) throw new Error("no event")
    expect(evolve(state, event)).toBe(state)
    expect(state.paid).toEqual(eur(1_000))
  })
})

describe("refusals", () => {
  const cases: ReadonlyArray<
    readonly [string, ReadonlyArray<InvoiceCommand>, InvoiceCommand, Record<string, unknown>]
  > = [
    ["InvoiceNotIssued", [], pay(eur(1)), { command: "apply a payment" }],
    ["AlreadyIssued", [issue()], issue(), { invoiceId: "INV-1" }],
    ["InvoiceIsVoid", [issue(), voidIt()], pay(eur(1)), { command: "apply a payment" }],
    ["InvoiceIsWrittenOff", [issue(), writeOff(eur(10_000))], pay(eur(1)), { command: "apply a payment" }],
    ["AmountNotPositive", [issue()], pay(eur(0)), { field: "payment amount" }],
    ["NegativeTotal", [], issue(eur(-1)), { total: eur(-1) }],
    [
      "DueBeforeIssue",
      [],
      {
        _tag: "IssueInvoice",
        eventId: id(),
        invoiceId: InvoiceId.make("INV-2"),
        total: eur(1),
        dueDate: addDays(issuedOn, -1)
      },
      { issuedOn, dueDate: addDays(issuedOn, -1) }
    ],
    [
      "CreditExceedsOpenBalance",
      [issue(), pay(eur(9_000))],
      credit(eur(1_001)),
      { requested: eur(1_001), open: eur(1_000) }
    ],
    [
      "WriteOffExceedsOpenBalance",
      [issue(), pay(eur(9_000))],
      writeOff(eur(1_001)),
      { requested: eur(1_001), open: eur(1_000) }
    ],
    ["PaymentNotApplied", [issue()], reverse(eur(1), "P9"), { paymentId: "P9" }],
    [
      "ReversalExceedsPayment",
      [issue(), pay(eur(500))],
      reverse(eur(501)),
      { paymentId: "P1", requested: eur(501), applied: eur(500) }
    ],
    ["AlreadyDisputed", [issue(), dispute()], dispute(), {}],
    ["NotDisputed", [issue()], resolve(), {}],
    ["NoOpenBalance", [issue(), pay(eur(10_000))], dispute(), { command: "open a dispute" }],
    ["VoidWithSettlements", [issue(), credit(eur(1))], voidIt(), { credited: eur(1), paid: eur(0) }],
    ["CurrencyMismatch", [issue()], pay({ currency: USD, minor: 100 }), { expected: "EUR", actual: "USD" }],
    ["AmountOverflow", [issue(), pay(eur(Number.MAX_SAFE_INTEGER))], pay(eur(1)), { currency: "EUR" }]
  ]

  for (const [tag, before, command, fields] of cases) {
    it(`${tag}`, () => {
      const failure = refusal(before, command)
      expect(failure._tag).toBe(tag)
      expect(failure).toMatchObject(fields)
      expect(failure.message.length).toBeGreaterThan(10)
    })
  }

  it("a credit note may settle the open balance exactly, not one minor unit more", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 12_000 }), (paid, amount) => {
        const before = paid === 0 ? [issue()] : [issue(), pay(eur(paid))]
        const state = given(...before)
        const outcome = decide(state, credit(eur(amount)), issuedOn)
        expect(Result.isSuccess(outcome)).toBe(amount <= 10_000 - paid)
      }),
      { numRuns: 500 }
    )
  })
})

describe("schemas", () => {
  it("events and commands survive a JSON round trip through their Schemas", () => {
    const encodeEvent = Schema.encodeSync(InvoiceEvent)
    const decodeEvent = Schema.decodeUnknownSync(InvoiceEvent)
    const encodeCommand = Schema.encodeSync(InvoiceCommand)
    const decodeCommand = Schema.decodeUnknownSync(InvoiceCommand)
    fc.assert(
      fc.property(arbDecidedHistory(), (history) => {
        for (const event of history.events) {
          expect(decodeEvent(JSON.parse(JSON.stringify(encodeEvent(event))))).toEqual(event)
        }
        for (const step of history.steps) {
          expect(decodeCommand(JSON.parse(JSON.stringify(encodeCommand(step.command))))).toEqual(step.command)
        }
      }),
      { numRuns: 300 }
    )
  })

  it("refusals survive a round trip through the InvoiceRuleViolation Schema", () => {
    const encode = Schema.encodeSync(InvoiceRuleViolation)
    const decode = Schema.decodeUnknownSync(InvoiceRuleViolation)
    fc.assert(
      fc.property(arbDecidedHistory(), (history) => {
        for (const step of history.steps) {
          if (Result.isSuccess(step.outcome)) continue
          const back = decode(JSON.parse(JSON.stringify(encode(step.outcome.failure))))
          expect(back._tag).toBe(step.outcome.failure._tag)
          expect(back.message).toBe(step.outcome.failure.message)
        }
      }),
      { numRuns: 300 }
    )
  })

  it("an event with an impossible date or an unknown currency does not decode", () => {
    const decode = Schema.decodeUnknownResult(InvoiceEvent)
    const base = { _tag: "Disputed", eventId: "e1", occurredOn: "2026-02-30", reason: "x" }
    expect(Result.isFailure(decode(base))).toBe(true)
    expect(Result.isSuccess(decode({ ...base, occurredOn: "2026-02-28" }))).toBe(true)
    expect(
      Result.isFailure(
        decode({
          _tag: "PaymentApplied",
          eventId: "e2",
          occurredOn: "2026-02-28",
          paymentId: "p",
          amount: { currency: "EURO", minor: 1 }
        })
      )
    ).toBe(true)
  })
})

describe("the generators are not vacuous", () => {
  it("decided histories reach every status and every refusal a plan can meet", () => {
    const statuses = new Set<string>()
    const outcomes = new Set<string>()
    for (const history of fc.sample(arbDecidedHistory(), { numRuns: 3000, seed: 42 })) {
      if (isIssued(history.state)) {
        statuses.add(baseStatus(history.state))
        statuses.add(statusAsOf(history.state, addDays(history.state.dueDate, 1)))
      }
      for (const step of history.steps) {
        outcomes.add(Result.isSuccess(step.outcome) ? `ok:${step.command._tag}` : step.outcome.failure._tag)
      }
    }
    expect([...statuses].sort()).toEqual(
      ["credited", "disputed", "open", "overdue", "paid", "partially-paid", "void", "written-off"].sort()
    )
    for (const expected of [
      "ok:IssueInvoice",
      "ok:ApplyPayment",
      "ok:ReversePayment",
      "ok:ApplyCredit",
      "ok:OpenDispute",
      "ok:ResolveDispute",
      "ok:VoidInvoice",
      "ok:WriteOff",
      "AlreadyIssued",
      "InvoiceIsVoid",
      "InvoiceIsWrittenOff",
      "AmountNotPositive",
      "CreditExceedsOpenBalance",
      "WriteOffExceedsOpenBalance",
      "PaymentNotApplied",
      "ReversalExceedsPayment",
      "AlreadyDisputed",
      "NotDisputed",
      "NoOpenBalance",
      "VoidWithSettlements",
      "CurrencyMismatch"
    ]) {
      expect(outcomes, expected).toContain(expected)
    }
  })
})
