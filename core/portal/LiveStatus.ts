// Live status for the pages a customer has open: the domain events the sync engine publishes, narrowed to
// the principal's scope (its accounts; for a one-invoice link, that invoice) and reduced to what a page
// needs to know to refresh: which invoice changed and how it stands now.
import { Effect, type Scope, Stream } from "effect"
import { CurrentPrincipal, type Principal, scopeOf } from "../access/Principal.ts"
import { type DomainEvent, DomainEvents } from "../events/DomainEvents.ts"

/** A change a page can show: the invoices it touched, with the new status and open amount when known. */
export interface LiveChange {
  readonly kind: "invoice" | "payment" | "credit-note" | "comment"
  readonly accountId: string
  readonly invoiceIds: ReadonlyArray<string>
  /** For an invoice change: its base status afterwards ("paid", "partially-paid"...). */
  readonly status?: string
  /** For an invoice change: its open amount afterwards, in minor units, with its currency. */
  readonly open?: { readonly currency: string; readonly minor: number }
}

/** The invoices an event touches. */
const invoicesOf = (event: DomainEvent): ReadonlyArray<string> => {
  switch (event._tag) {
    case "InvoiceChanged":
      return [event.invoiceId]
    case "PaymentChanged":
      return event.invoiceIds
    case "CreditNoteChanged":
      return event.invoiceId === undefined ? [] : [event.invoiceId]
    case "CommentAdded":
      return [event.invoiceId]
  }
}

/** Whether a principal may see an event: an event of one of its accounts, and of its one invoice for such a link. */
export const visibleTo = (principal: Principal, event: DomainEvent): boolean => {
  const scope = scopeOf(principal)
  if (scope === "system") return true
  if (!scope.accountIds.includes(event.accountId)) return false
  return scope.invoiceId === undefined || invoicesOf(event).includes(scope.invoiceId)
}

/** What a page is told about an event. */
export const liveChange = (event: DomainEvent): LiveChange => {
  switch (event._tag) {
    case "InvoiceChanged":
      return {
        kind: "invoice",
        accountId: event.accountId,
        invoiceIds: [event.invoiceId],
        status: event.status,
        open: { currency: event.open.currency, minor: event.open.minor }
      }
    case "PaymentChanged":
      return { kind: "payment", accountId: event.accountId, invoiceIds: event.invoiceIds }
    case "CreditNoteChanged":
      return { kind: "credit-note", accountId: event.accountId, invoiceIds: invoicesOf(event) }
    case "CommentAdded":
      return { kind: "comment", accountId: event.accountId, invoiceIds: [event.invoiceId] }
  }
}

/**
 * The current principal's changes from now on. The subscription is taken when this effect runs (in the
 * caller's scope), so nothing published after it is missed.
 */
export const liveChanges: Effect.Effect<
  Stream.Stream<LiveChange>,
  never,
  CurrentPrincipal | DomainEvents | Scope.Scope
> = Effect.gen(function* () {
  const principal = yield* CurrentPrincipal
  const bus = yield* DomainEvents
  const events = yield* bus.subscription
  return events.pipe(
    // A comment changes no figure the pages show (their script would ask for a reload for nothing).
    Stream.filter((event) => event._tag !== "CommentAdded" && visibleTo(principal, event)),
    Stream.map(liveChange)
  )
})
