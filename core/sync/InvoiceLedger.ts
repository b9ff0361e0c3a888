// Drives the invoice state machine from ERP data: the InvoiceIssued event of an invoice as the ERP states
// it, PaymentApplied / PaymentReversed to bring a payment's share of an invoice to what the ERP allocates,
// and CreditApplied for a linked credit note. Event ids are derived from the data, so syncing the same data
// again yields the same ids, which the state machine ignores: re-syncs and resumed runs record nothing twice.
import { createHash } from "node:crypto"
import { Result } from "effect"
import {
  type CreditApplied,
  checkEvent,
  evolve,
  type InvoiceEvent,
  type InvoiceIssued,
  InvoiceNotIssued,
  type InvoiceRuleViolation,
  type IssuedInvoice,
  initialInvoiceState,
  isIssued,
  type PaymentApplied,
  type PaymentReversed,
  replay
} from "../billing/InvoiceStateMachine.ts"
import type { CreditNoteId, EventId, InvoiceId, PaymentId } from "../domain/Ids.ts"
import type { CreditNote, Invoice } from "../domain/Invoice.ts"
import type { LocalDate } from "../domain/LocalDate.ts"

/** A deterministic event id: `<kind>:<first 32 hex digits of sha256 over the parts>`. */
export const syncEventId = (kind: string, ...parts: ReadonlyArray<string | number>): EventId =>
  `${kind}:${createHash("sha256").update(parts.map(String).join("\u001f"), "utf8").digest("hex").slice(0, 32)}` as EventId // safe: non-empty and < 200 characters, as EventId requires

/**
 * The invoice's InvoiceIssued event as the ERP states it now. Its id covers the figures the event carries,
 * so a restated invoice (another total or due date) is issued anew rather than silently keeping the old ones.
 */
export const issuedEvent = (invoice: Invoice): InvoiceIssued => ({
  _tag: "InvoiceIssued",
  eventId: syncEventId(
    "issued",
    invoice.source.source,
    invoice.source.externalId,
    invoice.currency,
    invoice.totals.total.minor,
    invoice.issueDate,
    invoice.dueDate
  ),
  occurredOn: invoice.issueDate,
  invoiceId: invoice.id,
  total: invoice.totals.total,
  dueDate: invoice.dueDate,
  currency: invoice.currency
})

/**
 * The invoice's state: issued as the ERP states it now, followed by the payments, reversals and credits
 * recorded before (`recorded`, in order; earlier InvoiceIssued events are superseded). Fails when the ERP's
 * invoice itself breaks a rule (a negative total, due before issue).
 */
export const invoiceState = (
  invoice: Invoice,
  recorded: ReadonlyArray<InvoiceEvent>
): Result.Result<IssuedInvoice, InvoiceRuleViolation> => {
  const issued = issuedEvent(invoice)
  const valid = checkEvent(initialInvoiceState, issued)
  if (Result.isFailure(valid)) return Result.fail(valid.failure)
  const state = replay([issued, ...recorded.filter((event) => event._tag !== "InvoiceIssued")])
  // unreachable: a valid InvoiceIssued always issues; the check keeps the type honest
  return isIssued(state) ? Result.succeed(state) : Result.fail(new InvoiceNotIssued({ command: "issue the invoice" }))
}

/** A state and the events that led to it from the one before. */
export interface Settled {
  readonly state: IssuedInvoice
  readonly events: ReadonlyArray<InvoiceEvent>
}

const applyChecked = (state: IssuedInvoice, event: InvoiceEvent): Result.Result<Settled, InvoiceRuleViolation> => {
  if (state.appliedEventIds.has(event.eventId)) return Result.succeed({ state, events: [] })
  const checked = checkEvent(state, event)
  if (Result.isFailure(checked)) return Result.fail(checked.failure)
  const next = evolve(state, event)
  return isIssued(next) ? Result.succeed({ state: next, events: [event] }) : Result.succeed({ state, events: [] })
}

/**
 * Brings what `paymentId` has applied to the invoice to `targetMinor` (the ERP's allocation now; 0 when the
 * allocation disappeared): a PaymentApplied for an increase, a PaymentReversed (kind "refund") for a
 * decrease, nothing when it already matches. The id counts the payment's earlier events on this invoice, so
 * an allocation that goes 100 → 50 → 100 records three distinct events, and the same history gives the same ids.
 */
export const settlePayment = (
  state: IssuedInvoice,
  paymentId: PaymentId,
  targetMinor: number,
  occurredOn: LocalDate
): Result.Result<Settled, InvoiceRuleViolation> => {
  const current = state.payments.get(paymentId)?.minor ?? 0
  const delta = targetMinor - current
  if (delta === 0) return Result.succeed({ state, events: [] })
  const earlier = state.history.filter(
    (event) => (event._tag === "PaymentApplied" || event._tag === "PaymentReversed") && event.paymentId === paymentId
  ).length
  const amount = { currency: state.currency, minor: Math.abs(delta) }
  const eventId = syncEventId("payment", paymentId, state.invoiceId, earlier, targetMinor)
  const event: PaymentApplied | PaymentReversed =
    delta > 0
      ? { _tag: "PaymentApplied", eventId, occurredOn, paymentId, amount }
      : { _tag: "PaymentReversed", eventId, occurredOn, paymentId, amount, kind: "refund" }
  return applyChecked(state, event)
}

/**
 * Applies a credit note to the invoice it credits, once: the id is the note's and the invoice's, so a
 * credit already applied yields nothing. Fails when the credit exceeds the open balance or the invoice is
 * closed to credits.
 */
export const applyCredit = (
  state: IssuedInvoice,
  note: CreditNote & { readonly invoiceId: InvoiceId }
): Result.Result<Settled, InvoiceRuleViolation> => {
  const event: CreditApplied = {
    _tag: "CreditApplied",
    eventId: syncEventId("credit", note.id as CreditNoteId, note.invoiceId),
    occurredOn: note.issueDate,
    creditNoteId: note.id,
    amount: note.totals.total
  }
  return applyChecked(state, event)
}
