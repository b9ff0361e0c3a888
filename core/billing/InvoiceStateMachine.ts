// The invoice state machine as a pure decider: decide(state, command, now) → events or a typed refusal;
// evolve(state, event) → state. One set of rules (checkEvent) serves both, so evolve never applies an event
// that decide would have refused, whatever order or duplicates the events arrive in.
import { Result, Schema } from "effect"
import type { CurrencyCode } from "../domain/Currency.ts"
import type { EventId, InvoiceId, PaymentId } from "../domain/Ids.ts"
import { daysBetween, type LocalDate } from "../domain/LocalDate.ts"
import { AmountOverflow, CurrencyMismatch, type Money } from "../domain/Money.ts"
import type { InvoiceCommand, InvoiceEvent } from "./InvoiceEvents.ts"
import {
  AlreadyDisputed,
  AlreadyIssued,
  AmountNotPositive,
  CreditExceedsOpenBalance,
  DueBeforeIssue,
  InvoiceIsVoid,
  InvoiceIsWrittenOff,
  InvoiceNotIssued,
  type InvoiceRuleViolation,
  NegativeTotal,
  NoOpenBalance,
  NotDisputed,
  PaymentNotApplied,
  ReversalExceedsPayment,
  VoidWithSettlements,
  WriteOffExceedsOpenBalance
} from "./InvoiceRuleViolation.ts"

export * from "./InvoiceEvents.ts"
export * from "./InvoiceRuleViolation.ts"

/** Before InvoiceIssued: nothing but issuing is possible. */
export interface UnissuedInvoice {
  readonly _tag: "Unissued"
  readonly appliedEventIds: ReadonlySet<EventId>
  readonly history: ReadonlyArray<InvoiceEvent>
}

/**
 * An issued invoice. Always: `paid`, `credited`, `writtenOff`, `open` and `excess` are non-negative;
 * `credited + writtenOff <= total`; `open - excess = total - paid - credited - writtenOff` (0 when void), and at
 * most one of `open` and `excess` is non-zero. `excess` is overpayment: it belongs to the account as credit,
 * it is never shown as a negative balance on the invoice.
 */
export interface IssuedInvoice {
  readonly _tag: "Issued"
  readonly invoiceId: InvoiceId
  readonly currency: CurrencyCode
  readonly issuedOn: LocalDate
  readonly dueDate: LocalDate
  readonly total: Money
  /** Payments applied, net of refunds and chargebacks. */
  readonly paid: Money
  readonly credited: Money
  readonly writtenOff: Money
  readonly open: Money
  readonly excess: Money
  /** What each payment has applied to this invoice, net of its reversals. */
  readonly payments: ReadonlyMap<PaymentId, Money>
  readonly disputed: boolean
  readonly voided: boolean
  /** The ids of every event applied; an event whose id is here changes nothing. */
  readonly appliedEventIds: ReadonlySet<EventId>
  /** The events applied, in order: `replay(history)` gives this state back. */
  readonly history: ReadonlyArray<InvoiceEvent>
}

/** An invoice's state: unissued, or issued with its balances. */
export type InvoiceState = UnissuedInvoice | IssuedInvoice

/** The state before any event. */
export const initialInvoiceState: InvoiceState = { _tag: "Unissued", appliedEventIds: new Set(), history: [] }

/** True once the invoice has been issued. */
export const isIssued = (state: InvoiceState): state is IssuedInvoice => state._tag === "Issued"

/** The statuses the store persists: they depend on the history only, never on the date. */
export const InvoiceStatus = Schema.Literals([
  "open",
  "partially-paid",
  "paid",
  "credited",
  "disputed",
  "void",
  "written-off"
])
export type InvoiceStatus = typeof InvoiceStatus.Type

/** A status as of a date: the base statuses plus "overdue". */
export const InvoiceStatusAsOf = Schema.Literals([...InvoiceStatus.literals, "overdue"])
export type InvoiceStatusAsOf = typeof InvoiceStatusAsOf.Type

/** Settled with a write-off in it: closed to payments and credits. */
const isWrittenOff = (state: IssuedInvoice): boolean => state.open.minor === 0 && state.writtenOff.minor > 0

/**
 * The date-free status. In order of precedence: "void"; "disputed" while a dispute is open (whatever has been
 * paid); with something open, "open" if nothing was settled yet, else "partially-paid" (payments, credits and
 * partial write-offs all count as settling); with nothing open, "written-off" if any of it was written off, else
 * "paid" if any payment is applied (a mix of payment and credit is "paid"), else "credited" (credits alone).
 * A zero-total invoice with nothing applied is "paid": nothing is owed.
 */
export const baseStatus = (state: IssuedInvoice): InvoiceStatus => {
  if (state.voided) return "void"
  if (state.disputed) return "disputed"
  if (state.open.minor > 0) {
    const settled = state.paid.minor + state.credited.minor + state.writtenOff.minor
    return settled === 0 ? "open" : "partially-paid"
  }
  if (state.writtenOff.minor > 0) return "written-off"
  if (state.paid.minor > 0) return "paid"
  if (state.credited.minor > 0) return "credited"
  return "paid"
}

/** Days past the due date as of `asOf` (zero or negative when not yet due). */
export const daysPastDue = (state: IssuedInvoice, asOf: LocalDate): number => daysBetween(state.dueDate, asOf)

/**
 * The status as of a date: "overdue" when the base status is "open" or "partially-paid" and the due date is
 * before `asOf` (an invoice due today is not overdue). Disputed invoices are not overdue: collection is paused.
 */
export const statusAsOf = (state: IssuedInvoice, asOf: LocalDate): InvoiceStatusAsOf => {
  const base = baseStatus(state)
  return (base === "open" || base === "partially-paid") && state.dueDate < asOf ? "overdue" : base
}

const verbs: Record<InvoiceEvent["_tag"], string> = {
  InvoiceIssued: "issue the invoice",
  PaymentApplied: "apply a payment",
  PaymentReversed: "reverse a payment",
  CreditApplied: "apply a credit",
  Disputed: "open a dispute",
  DisputeResolved: "resolve a dispute",
  Voided: "void the invoice",
  WrittenOff: "write off"
}

const checkAmount = (state: IssuedInvoice, field: string, amount: Money): InvoiceRuleViolation | undefined => {
  if (amount.currency !== state.currency)
    return new CurrencyMismatch({ expected: state.currency, actual: amount.currency })
  return amount.minor > 0 ? undefined : new AmountNotPositive({ field, amount })
}

const violation = (state: InvoiceState, event: InvoiceEvent): InvoiceRuleViolation | undefined => {
  if (event._tag === "InvoiceIssued") {
    if (state._tag === "Issued") return new AlreadyIssued({ invoiceId: state.invoiceId })
    if (event.total.currency !== event.currency) {
      return new CurrencyMismatch({ expected: event.currency, actual: event.total.currency })
    }
    if (event.total.minor < 0) return new NegativeTotal({ total: event.total })
    if (event.dueDate < event.occurredOn)
      return new DueBeforeIssue({ issuedOn: event.occurredOn, dueDate: event.dueDate })
    return undefined
  }
  const command = verbs[event._tag]
  if (state._tag === "Unissued") return new InvoiceNotIssued({ command })
  if (state.voided) return new InvoiceIsVoid({ command })
  switch (event._tag) {
    case "PaymentApplied": {
      const invalid = checkAmount(state, "payment amount", event.amount)
      if (invalid !== undefined) return invalid
      if (isWrittenOff(state)) return new InvoiceIsWrittenOff({ command })
      return Number.isSafeInteger(state.paid.minor + event.amount.minor)
        ? undefined
        : new AmountOverflow({ currency: state.currency })
    }
    case "PaymentReversed": {
      const invalid = checkAmount(state, "reversal amount", event.amount)
      if (invalid !== undefined) return invalid
      const applied = state.payments.get(event.paymentId)
      if (applied === undefined) return new PaymentNotApplied({ paymentId: event.paymentId })
      return event.amount.minor <= applied.minor
        ? undefined
        : new ReversalExceedsPayment({ paymentId: event.paymentId, requested: event.amount, applied })
    }
    case "CreditApplied": {
      const invalid = checkAmount(state, "credit amount", event.amount)
      if (invalid !== undefined) return invalid
      if (isWrittenOff(state)) return new InvoiceIsWrittenOff({ command })
      return event.amount.minor <= state.open.minor
        ? undefined
        : new CreditExceedsOpenBalance({ requested: event.amount, open: state.open })
    }
    case "WrittenOff": {
      const invalid = checkAmount(state, "write-off amount", event.amount)
      if (invalid !== undefined) return invalid
      if (isWrittenOff(state)) return new InvoiceIsWrittenOff({ command })
      return event.amount.minor <= state.open.minor
        ? undefined
        : new WriteOffExceedsOpenBalance({ requested: event.amount, open: state.open })
    }
    case "Disputed":
      if (state.disputed) return new AlreadyDisputed()
      if (isWrittenOff(state)) return new InvoiceIsWrittenOff({ command })
      return state.open.minor > 0 ? undefined : new NoOpenBalance({ command })
    case "DisputeResolved":
      return state.disputed ? undefined : new NotDisputed()
    case "Voided":
      return state.paid.minor === 0 && state.credited.minor === 0 && state.writtenOff.minor === 0
        ? undefined
        : new VoidWithSettlements({ paid: state.paid, credited: state.credited, writtenOff: state.writtenOff })
  }
}

/**
 * Whether `event` may apply to `state`: the rules `decide` enforces and `evolve` obeys. Event ids are not
 * checked here (a seen id is a no-op, not an error).
 */
export const checkEvent = (state: InvoiceState, event: InvoiceEvent): Result.Result<void, InvoiceRuleViolation> => {
  const refused = violation(state, event)
  return refused === undefined ? Result.void : Result.fail(refused)
}

const money = (currency: CurrencyCode, minor: number): Money => ({ currency, minor })

/** Recomputes `open` and `excess` from the running sums (credits and write-offs never exceed the total). */
const settle = (state: IssuedInvoice): IssuedInvoice => {
  const due = state.total.minor - state.credited.minor - state.writtenOff.minor
  const balance = state.voided ? 0 : due - state.paid.minor
  return {
    ...state,
    open: money(state.currency, Math.max(0, balance)),
    excess: money(state.currency, Math.max(0, -balance))
  }
}

/** Applies an event that checkEvent accepted. */
const apply = (state: InvoiceState, event: InvoiceEvent): InvoiceState => {
  const appliedEventIds = new Set(state.appliedEventIds).add(event.eventId)
  const history = [...state.history, event]
  if (event._tag === "InvoiceIssued") {
    const zero = money(event.currency, 0)
    return settle({
      _tag: "Issued",
      invoiceId: event.invoiceId,
      currency: event.currency,
      issuedOn: event.occurredOn,
      dueDate: event.dueDate,
      total: event.total,
      paid: zero,
      credited: zero,
      writtenOff: zero,
      open: zero,
      excess: zero,
      payments: new Map(),
      disputed: false,
      voided: false,
      appliedEventIds,
      history
    })
  }
  if (state._tag === "Unissued") return state
  const next: IssuedInvoice = { ...state, appliedEventIds, history }
  const plus = (a: Money, minor: number): Money => money(a.currency, a.minor + minor)
  switch (event._tag) {
    case "PaymentApplied": {
      const before = state.payments.get(event.paymentId)?.minor ?? 0
      const payments = new Map(state.payments).set(event.paymentId, money(state.currency, before + event.amount.minor))
      return settle({ ...next, paid: plus(state.paid, event.amount.minor), payments })
    }
    case "PaymentReversed": {
      const before = state.payments.get(event.paymentId)?.minor ?? 0
      const payments = new Map(state.payments).set(event.paymentId, money(state.currency, before - event.amount.minor))
      return settle({ ...next, paid: plus(state.paid, -event.amount.minor), payments })
    }
    case "CreditApplied":
      return settle({ ...next, credited: plus(state.credited, event.amount.minor) })
    case "WrittenOff":
      return settle({ ...next, writtenOff: plus(state.writtenOff, event.amount.minor) })
    case "Disputed":
      return { ...next, disputed: true }
    case "DisputeResolved":
      return { ...next, disputed: false }
    case "Voided":
      // voiding closes any open dispute with it: there is nothing left to dispute
      return settle({ ...next, voided: true, disputed: false })
  }
}

/**
 * Folds one event into the state. Total: an event whose id was already applied changes nothing, and an event
 * the rules refuse (see checkEvent: before issue, after void, wrong currency, more than open...) changes
 * nothing either, so no sequence of events, however ordered or repeated, breaks the balances' invariants.
 */
export const evolve = (state: InvoiceState, event: InvoiceEvent): InvoiceState => {
  if (state.appliedEventIds.has(event.eventId)) return state
  return violation(state, event) === undefined ? apply(state, event) : state
}

/** The state after `events`, from the initial state. */
export const replay = (events: Iterable<InvoiceEvent>): InvoiceState => {
  let state: InvoiceState = initialInvoiceState
  for (const event of events) state = evolve(state, event)
  return state
}

const toEvent = (command: InvoiceCommand, now: LocalDate): InvoiceEvent => {
  const envelope = { eventId: command.eventId, occurredOn: now }
  switch (command._tag) {
    case "IssueInvoice":
      return {
        _tag: "InvoiceIssued",
        ...envelope,
        invoiceId: command.invoiceId,
        total: command.total,
        dueDate: command.dueDate,
        currency: command.total.currency
      }
    case "ApplyPayment":
      return { _tag: "PaymentApplied", ...envelope, paymentId: command.paymentId, amount: command.amount }
    case "ReversePayment":
      return {
        _tag: "PaymentReversed",
        ...envelope,
        paymentId: command.paymentId,
        amount: command.amount,
        kind: command.kind
      }
    case "ApplyCredit":
      return { _tag: "CreditApplied", ...envelope, creditNoteId: command.creditNoteId, amount: command.amount }
    case "OpenDispute":
      return { _tag: "Disputed", ...envelope, reason: command.reason }
    case "ResolveDispute":
      return { _tag: "DisputeResolved", ...envelope }
    case "VoidInvoice":
      return { _tag: "Voided", ...envelope, reason: command.reason }
    case "WriteOff":
      return { _tag: "WrittenOff", ...envelope, amount: command.amount, reason: command.reason }
  }
}

/**
 * Decides what a command means for the invoice: the events to record (dated `now`: today, or the ERP's posting
 * date when syncing), or the rule it breaks. A command whose event id was already applied yields no events, so
 * a retried command is harmless. Every event returned is one `evolve` applies.
 */
export const decide = (
  state: InvoiceState,
  command: InvoiceCommand,
  now: LocalDate
): Result.Result<ReadonlyArray<InvoiceEvent>, InvoiceRuleViolation> => {
  if (state.appliedEventIds.has(command.eventId)) return Result.succeed([])
  const event = toEvent(command, now)
  return Result.map(checkEvent(state, event), () => [event])
}
