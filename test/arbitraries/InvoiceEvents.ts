// fast-check arbitraries for invoice histories: random command plans run through `decide` (the accepted ones
// become the events), and raw event sequences (out of order, duplicated, invalid) for evolve's robustness.
import { Result } from "effect"
import * as fc from "fast-check"
import {
  decide,
  evolve,
  type InvoiceCommand,
  type InvoiceEvent,
  type InvoiceRuleViolation,
  type InvoiceState,
  initialInvoiceState,
  type ReversalKind
} from "../../core/billing/InvoiceStateMachine.ts"
import { type CurrencyCode, minorUnitExponent } from "../../core/domain/Currency.ts"
import { CreditNoteId, EventId, InvoiceId, PaymentId } from "../../core/domain/Ids.ts"
import { addDays, type LocalDate, localDate } from "../../core/domain/LocalDate.ts"
import type { Money } from "../../core/domain/Money.ts"
import { arbLocalDate } from "./Dates.ts"
import { arbCurrency, arbMinor, sampleCurrencies } from "./Money.ts"

/** The kinds of step a generated plan takes. */
export const stepKinds = ["pay", "reverse", "credit", "dispute", "resolve", "void", "writeOff", "issue"] as const
export type StepKind = (typeof stepKinds)[number]

/**
 * One step of a plan, resolved against the state when it runs: amounts are a percentage (`share`) of the
 * open balance (payments, credits, write-offs) or of what the chosen payment has applied (reversals), so
 * plans hit both the accepted and the refused side of every rule.
 */
export interface PlanStep {
  readonly kind: StepKind
  readonly share: number
  readonly paymentSlot: number
  readonly reversalKind: ReversalKind
  readonly daysLater: number
  /** Send the amount in another currency (refused with CurrencyMismatch). */
  readonly wrongCurrency: boolean
  /** Retry the previous command's event id (a no-op when it was accepted). */
  readonly retry: boolean
}

const arbStep: fc.Arbitrary<PlanStep> = fc.record({
  kind: fc.oneof(
    { weight: 6, arbitrary: fc.constant<StepKind>("pay") },
    { weight: 4, arbitrary: fc.constant<StepKind>("reverse") },
    { weight: 3, arbitrary: fc.constant<StepKind>("credit") },
    { weight: 2, arbitrary: fc.constant<StepKind>("dispute") },
    { weight: 2, arbitrary: fc.constant<StepKind>("resolve") },
    { weight: 1, arbitrary: fc.constant<StepKind>("void") },
    { weight: 1, arbitrary: fc.constant<StepKind>("writeOff") },
    { weight: 1, arbitrary: fc.constant<StepKind>("issue") }
  ),
  share: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 100 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 250 }) },
    { weight: 1, arbitrary: fc.constant(100) }
  ),
  paymentSlot: fc.integer({ min: 0, max: 2 }),
  reversalKind: fc.constantFrom<ReversalKind>("refund", "chargeback"),
  daysLater: fc.integer({ min: 0, max: 40 }),
  wrongCurrency: fc.boolean().chain((b) => (b ? fc.boolean().map((c) => b && c) : fc.constant(false))),
  retry: fc.integer({ min: 0, max: 9 }).map((n) => n === 0)
})

/** What a plan produced: every command with its date and outcome, the accepted events, and the final state. */
export interface DecidedHistory {
  readonly invoiceId: InvoiceId
  readonly currency: CurrencyCode
  readonly issuedOn: LocalDate
  readonly steps: ReadonlyArray<{
    readonly command: InvoiceCommand
    readonly now: LocalDate
    readonly outcome: Result.Result<ReadonlyArray<InvoiceEvent>, InvoiceRuleViolation>
  }>
  readonly events: ReadonlyArray<InvoiceEvent>
  readonly state: InvoiceState
}

const share = (minor: number, percent: number): number => Math.floor((minor * percent) / 100)

const otherCurrency = (currency: CurrencyCode): CurrencyCode => sampleCurrencies.find((c) => c !== currency) ?? currency

const commandFor = (
  step: PlanStep,
  state: InvoiceState,
  context: {
    readonly invoiceId: InvoiceId
    readonly total: Money
    readonly termsDays: number
    readonly now: LocalDate
  },
  eventId: EventId
): InvoiceCommand => {
  const currency = context.total.currency
  const amount = (minor: number): Money => ({
    currency: step.wrongCurrency ? otherCurrency(currency) : currency,
    minor
  })
  const open = state._tag === "Issued" ? state.open.minor : context.total.minor
  const paymentId = PaymentId.make(`pay-${step.paymentSlot}`)
  switch (step.kind) {
    case "issue":
      return {
        _tag: "IssueInvoice",
        eventId,
        invoiceId: context.invoiceId,
        total: context.total,
        dueDate: addDays(context.now, context.termsDays)
      }
    case "pay":
      return {
        _tag: "ApplyPayment",
        eventId,
        paymentId,
        amount: amount(share(open > 0 ? open : context.total.minor, step.share))
      }
    case "reverse": {
      // a payment never applied here is reversed against the total, to meet PaymentNotApplied
      const applied = state._tag === "Issued" ? state.payments.get(paymentId)?.minor : undefined
      return {
        _tag: "ReversePayment",
        eventId,
        paymentId,
        amount: amount(share(applied ?? context.total.minor, step.share)),
        kind: step.reversalKind
      }
    }
    case "credit":
      return {
        _tag: "ApplyCredit",
        eventId,
        creditNoteId: CreditNoteId.make(`cn-${eventId}`),
        amount: amount(share(open, step.share))
      }
    case "writeOff":
      return { _tag: "WriteOff", eventId, amount: amount(share(open, step.share)), reason: "uncollectable" }
    case "dispute":
      return { _tag: "OpenDispute", eventId, reason: "goods not received" }
    case "resolve":
      return { _tag: "ResolveDispute", eventId }
    case "void":
      return { _tag: "VoidInvoice", eventId, reason: "issued in error" }
  }
}

/** Runs plan steps through `decide` after an IssueInvoice, collecting every outcome and the accepted events. */
export const runPlan = (
  start: {
    readonly invoiceId: InvoiceId
    readonly total: Money
    readonly issuedOn: LocalDate
    readonly termsDays: number
    /** Prefix of event ids, to keep several invoices' events apart. */
    readonly eventPrefix?: string
  },
  plan: ReadonlyArray<PlanStep>
): DecidedHistory => {
  const prefix = start.eventPrefix ?? `${start.invoiceId}-e`
  let state: InvoiceState = initialInvoiceState
  let now = start.issuedOn
  let lastId = EventId.make(`${prefix}0`)
  const steps: Array<DecidedHistory["steps"][number]> = []
  const events: Array<InvoiceEvent> = []
  const issue: PlanStep = {
    kind: "issue",
    share: 100,
    paymentSlot: 0,
    reversalKind: "refund",
    daysLater: 0,
    wrongCurrency: false,
    retry: false
  }
  for (const [index, step] of [issue, ...plan].entries()) {
    now = addDays(now, step.daysLater)
    const eventId = step.retry ? lastId : EventId.make(`${prefix}${index}`)
    const command = commandFor(step, state, { ...start, now }, eventId)
    const outcome = decide(state, command, now)
    steps.push({ command, now, outcome })
    if (Result.isSuccess(outcome)) {
      for (const event of outcome.success) {
        events.push(event)
        state = evolve(state, event)
      }
    }
    lastId = eventId
  }
  return { invoiceId: start.invoiceId, currency: start.total.currency, issuedOn: start.issuedOn, steps, events, state }
}

/** Options for generated histories. */
export interface HistoryOptions {
  readonly currency?: CurrencyCode
  readonly invoiceId?: InvoiceId
  readonly maxSteps?: number
  readonly issuedFrom?: LocalDate
  readonly issuedTo?: LocalDate
}

/** A history made by running a random plan through `decide`: every event in it was accepted. */
export const arbDecidedHistory = (options: HistoryOptions = {}): fc.Arbitrary<DecidedHistory> =>
  fc
    .record({
      currency: options.currency === undefined ? arbCurrency : fc.constant(options.currency),
      issuedOn: arbLocalDate({
        ...(options.issuedFrom === undefined ? {} : { min: options.issuedFrom }),
        ...(options.issuedTo === undefined ? {} : { max: options.issuedTo })
      }),
      termsDays: fc.constantFrom(0, 14, 30, 60),
      plan: fc.array(arbStep, { maxLength: options.maxSteps ?? 16 })
    })
    .chain((r) =>
      fc
        .oneof(
          { weight: 1, arbitrary: fc.constant(0) },
          { weight: 9, arbitrary: arbMinor(r.currency, { maxMajor: 100_000 }) }
        )
        .map((minor) =>
          runPlan(
            {
              invoiceId: options.invoiceId ?? InvoiceId.make("inv-1"),
              total: { currency: r.currency, minor },
              issuedOn: r.issuedOn,
              termsDays: r.termsDays
            },
            r.plan
          )
        )
    )

/** `events` with some of them delivered again at later positions (same event ids). */
export const arbWithRedeliveries = <A>(events: ReadonlyArray<A>): fc.Arbitrary<ReadonlyArray<A>> =>
  events.length === 0
    ? fc.constant(events)
    : fc.array(fc.tuple(fc.nat(events.length - 1), fc.nat()), { maxLength: events.length }).map((copies) => {
        // each copy lands somewhere after its original: sort by position, originals first on ties
        const placed = events.map((event, index) => ({ key: index, order: 0, event }))
        copies.forEach(([from, at], n) => {
          const event = events[from]
          if (event !== undefined) placed.push({ key: from + 1 + (at % (events.length - from)), order: n + 1, event })
        })
        return placed.sort((x, y) => x.key - y.key || x.order - y.order).map((p) => p.event)
      })

/**
 * Raw event sequences, not produced by `decide`: every event type, in every order, event ids from a small pool (so
 * ids repeat with different content), amounts of any sign up to twice the total, now and then in another
 * currency. `evolve` must stay total and keep every balance non-negative on them.
 */
export const arbRawEvents = (
  options: { readonly currency?: CurrencyCode; readonly maxLength?: number } = {}
): fc.Arbitrary<ReadonlyArray<InvoiceEvent>> =>
  (options.currency === undefined ? arbCurrency : fc.constant(options.currency)).chain((currency) => {
    const factor = 10 ** minorUnitExponent(currency)
    const arbAmount: fc.Arbitrary<Money> = fc
      .tuple(fc.integer({ min: -10 * factor, max: 2_000 * factor }), fc.integer({ min: 0, max: 19 }))
      .map(([minor, pick]) => ({ currency: pick === 0 ? otherCurrency(currency) : currency, minor }))
    const envelope = fc.record({
      eventId: fc.integer({ min: 0, max: 24 }).map((n) => EventId.make(`raw-${n}`)),
      occurredOn: arbLocalDate({ min: localDate("2026-01-01"), max: localDate("2026-12-31") })
    })
    const paymentId = fc.integer({ min: 0, max: 2 }).map((n) => PaymentId.make(`pay-${n}`))
    const issued: fc.Arbitrary<InvoiceEvent> = fc
      .tuple(envelope, fc.integer({ min: 0, max: 1_000 * factor }), fc.integer({ min: -5, max: 60 }))
      .map(
        ([e, minor, terms]): InvoiceEvent => ({
          _tag: "InvoiceIssued",
          ...e,
          invoiceId: InvoiceId.make("inv-raw"),
          total: { currency, minor },
          dueDate: addDays(e.occurredOn, terms),
          currency
        })
      )
    const event: fc.Arbitrary<InvoiceEvent> = fc.oneof(
      issued,
      fc
        .tuple(envelope, paymentId, arbAmount)
        .map(([e, p, amount]): InvoiceEvent => ({ _tag: "PaymentApplied", ...e, paymentId: p, amount })),
      fc
        .tuple(envelope, paymentId, arbAmount, fc.constantFrom<ReversalKind>("refund", "chargeback"))
        .map(([e, p, amount, kind]): InvoiceEvent => ({ _tag: "PaymentReversed", ...e, paymentId: p, amount, kind })),
      fc.tuple(envelope, arbAmount).map(
        ([e, amount]): InvoiceEvent => ({
          _tag: "CreditApplied",
          ...e,
          creditNoteId: CreditNoteId.make("cn-raw"),
          amount
        })
      ),
      fc
        .tuple(envelope, arbAmount)
        .map(([e, amount]): InvoiceEvent => ({ _tag: "WrittenOff", ...e, amount, reason: "raw" })),
      envelope.map((e): InvoiceEvent => ({ _tag: "Disputed", ...e, reason: "raw" })),
      envelope.map((e): InvoiceEvent => ({ _tag: "DisputeResolved", ...e })),
      envelope.map((e): InvoiceEvent => ({ _tag: "Voided", ...e, reason: "raw" }))
    )
    // most sequences start with an issue, so the rules after issuing get exercised too
    return fc
      .tuple(fc.option(issued, { freq: 4, nil: undefined }), fc.array(event, { maxLength: options.maxLength ?? 30 }))
      .map(([first, rest]) => (first === undefined ? rest : [first, ...rest]))
  })
