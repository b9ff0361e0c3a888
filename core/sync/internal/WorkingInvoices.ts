// The invoices a batch touches, as the batch changes them: their stored state replayed from recorded events,
// payments settled against them on copies (all or nothing per payment), and what changed for the store and
// the domain event bus.
import { Result } from "effect"
import {
  baseStatus,
  type InvoiceEvent,
  type IssuedInvoice,
  isIssued,
  replay
} from "../../billing/InvoiceStateMachine.ts"
import type { AccountId, InvoiceId } from "../../domain/Ids.ts"
import type { Payment } from "../../domain/Payment.ts"
import type { DomainEvent } from "../../events/DomainEvents.ts"
import type { StoredInvoice } from "../../store/SyncReads.ts"
import { settlePayment } from "../InvoiceLedger.ts"

/** The working states of stored invoices, as the batch changes them. */
export class Ledger {
  readonly states = new Map<string, IssuedInvoice>()
  readonly stored = new Map<string, StoredInvoice>()
  constructor(stored: ReadonlyMap<string, StoredInvoice>) {
    for (const [id, invoice] of stored) {
      const state = replay(invoice.events)
      if (!isIssued(state)) continue
      this.states.set(id, state)
      this.stored.set(id, invoice)
    }
  }
  accountOf(invoiceId: string): string | undefined {
    return this.stored.get(invoiceId)?.accountId
  }
  /** Invoices whose state gained events in this batch, with the new events. */
  changed(): ReadonlyArray<Changed> {
    return [...this.states].flatMap(([invoiceId, state]) => {
      const invoice = this.stored.get(invoiceId)
      if (invoice === undefined) return []
      const recorded = new Set(invoice.events.map((e) => e.eventId))
      const fresh = state.history.filter((e) => !recorded.has(e.eventId))
      return fresh.length === 0 ? [] : [{ invoiceId, accountId: invoice.accountId, invoice, state, fresh }]
    })
  }
}

export interface Changed {
  readonly invoiceId: string
  readonly accountId: string
  readonly invoice: StoredInvoice
  readonly state: IssuedInvoice
  readonly fresh: ReadonlyArray<InvoiceEvent>
}

export const invoiceChanges = (changed: ReadonlyArray<Changed>): ReadonlyArray<DomainEvent> =>
  changed.map((c) => ({
    _tag: "InvoiceChanged",
    change: "updated",
    invoiceId: c.state.invoiceId,
    accountId: c.accountId as AccountId, // safe: the store's account_id, written from a decoded AccountId
    source: { source: c.invoice.source, externalId: c.invoice.externalId },
    status: baseStatus(c.state),
    open: c.state.open,
    events: c.fresh
  }))

/**
 * Brings every invoice the payment touches (now, or before: `previously`) to the ERP's allocation, on copies
 * of the ledger's states. Gives the new states, or why the payment cannot be applied.
 */
export const settleAll = (
  ledger: Ledger,
  payment: Payment,
  previously: ReadonlyArray<string>
): ReadonlyMap<string, IssuedInvoice> | string => {
  const targets = new Map<string, number>(payment.allocations.map((a) => [a.invoiceId, a.amount.minor]))
  const next = new Map<string, IssuedInvoice>()
  for (const allocation of payment.allocations) {
    const state = ledger.states.get(allocation.invoiceId)
    if (state === undefined) return `allocated to invoice ${allocation.invoiceId}, which is not in the store`
    if (state.currency !== allocation.amount.currency) {
      return `allocated in ${allocation.amount.currency} to invoice ${allocation.invoiceId}, which is in ${state.currency}`
    }
    if (ledger.accountOf(allocation.invoiceId) !== payment.accountId) {
      return `allocated to invoice ${allocation.invoiceId} of another account`
    }
  }
  for (const invoiceId of new Set([...targets.keys(), ...previously])) {
    const state = ledger.states.get(invoiceId)
    if (state === undefined) continue
    const settled = settlePayment(state, payment.id, targets.get(invoiceId) ?? 0, payment.receivedDate)
    if (Result.isFailure(settled)) return `cannot be applied to invoice ${invoiceId}: ${settled.failure.message}`
    next.set(invoiceId as InvoiceId, settled.success.state)
  }
  return next
}
