// The in-process domain event bus: what the sync engine, the portal and plugins announce after a commit, for
// plugins (mail, payments, webhooks out) to subscribe to. Events are published only after the transaction
// that recorded them committed, so a subscriber never sees a fact the store does not hold. Every event names
// its account, so the plugin composition can hold an event back from a plugin the account's tier lacks.
import { Context, Effect, Layer, PubSub, Schema, type Scope, Stream } from "effect"
import { InvoiceEvent } from "../billing/InvoiceEvents.ts"
import { InvoiceStatus } from "../billing/InvoiceStateMachine.ts"
import { AccountId, CreditNoteId, InvoiceId, PaymentId, SourceRef } from "../domain/Ids.ts"
import { Money } from "../domain/Money.ts"

/** Whether a synced record was new to the store or a changed version of one it held. */
export const RecordChange = Schema.Literals(["inserted", "updated"])
export type RecordChange = typeof RecordChange.Type

/**
 * An invoice was written: new from the ERP, changed by the ERP, or changed by payments and credits applied to
 * it. `events` are the invoice state machine events recorded in the same transaction (none when only the
 * invoice's own fields changed); `status` is its base status afterwards.
 */
export const InvoiceChanged = Schema.TaggedStruct("InvoiceChanged", {
  change: RecordChange,
  invoiceId: InvoiceId,
  accountId: AccountId,
  source: SourceRef,
  status: InvoiceStatus,
  open: Money,
  events: Schema.Array(InvoiceEvent)
})
export type InvoiceChanged = typeof InvoiceChanged.Type

/** A payment was written (new or changed), with the invoices its allocations touch. */
export const PaymentChanged = Schema.TaggedStruct("PaymentChanged", {
  change: RecordChange,
  paymentId: PaymentId,
  accountId: AccountId,
  source: SourceRef,
  amount: Money,
  invoiceIds: Schema.Array(InvoiceId)
})
export type PaymentChanged = typeof PaymentChanged.Type

/** A credit note was written (new or changed). */
export const CreditNoteChanged = Schema.TaggedStruct("CreditNoteChanged", {
  change: RecordChange,
  creditNoteId: CreditNoteId,
  accountId: AccountId,
  source: SourceRef,
  total: Money,
  invoiceId: Schema.optionalKey(InvoiceId)
})
export type CreditNoteChanged = typeof CreditNoteChanged.Type

/**
 * An entry was written to an invoice's comment thread (the comments plugin): a comment by either side, or the
 * business marking the thread resolved. Opening or resolving a dispute is an `InvoiceChanged` (its events
 * are Disputed / DisputeResolved), since it changes the invoice's status.
 */
export const CommentAdded = Schema.TaggedStruct("CommentAdded", {
  commentId: Schema.String,
  invoiceId: InvoiceId,
  accountId: AccountId,
  /** "comment": a message; "resolved": the business marked the thread handled. */
  kind: Schema.Literals(["comment", "resolved"]),
  /** The customer (a contact or a signed link) or the business. */
  side: Schema.Literals(["customer", "business"]),
  /** Whether the invoice waits for the business after this entry. */
  needsAttention: Schema.Boolean
})
export type CommentAdded = typeof CommentAdded.Type

/** Everything the bus carries. */
export const DomainEvent = Schema.Union([InvoiceChanged, PaymentChanged, CreditNoteChanged, CommentAdded]).pipe(
  Schema.toTaggedUnion("_tag")
)
export type DomainEvent = typeof DomainEvent.Type

/** Publish and subscribe to domain events. Subscribers see the events published after they subscribed. */
export class DomainEvents extends Context.Service<
  DomainEvents,
  {
    readonly publish: (event: DomainEvent) => Effect.Effect<void>
    readonly publishAll: (events: ReadonlyArray<DomainEvent>) => Effect.Effect<void>
    /**
     * A stream of the events published from now on. Subscribe in a scope (the subscription is taken when
     * the stream starts); a slow subscriber does not block publishers beyond the bus's capacity of 4096
     * pending events, after which the oldest pending events for that subscriber are dropped.
     */
    readonly subscribe: Stream.Stream<DomainEvent>
    /** Like `subscribe`, but the subscription is taken when this effect runs, so nothing is missed after it. */
    readonly subscription: Effect.Effect<Stream.Stream<DomainEvent>, never, Scope.Scope>
  }
>()("portico/core/events/DomainEvents") {
  /** An in-memory bus, shut down with its layer. */
  static readonly layer = Layer.effect(
    DomainEvents,
    Effect.gen(function* () {
      const pubsub = yield* Effect.acquireRelease(PubSub.sliding<DomainEvent>(4096), PubSub.shutdown)
      const publish = Effect.fn("DomainEvents.publish")(function* (event: DomainEvent) {
        yield* PubSub.publish(pubsub, event)
      })
      const publishAll = Effect.fn("DomainEvents.publishAll")(function* (events: ReadonlyArray<DomainEvent>) {
        if (events.length > 0) yield* PubSub.publishAll(pubsub, events)
      })
      const subscription = Effect.map(PubSub.subscribe(pubsub), (sub) => Stream.fromSubscription(sub))
      return DomainEvents.of({ publish, publishAll, subscribe: Stream.fromPubSub(pubsub), subscription })
    })
  )
}
