// "Comment added", announced after the comment's transaction committed. The core bus's DomainEvent union has
// no member for it yet, so the plugin carries its own bus with the same publish/subscribe shape.
import { Context, Effect, Layer, PubSub, Schema, type Scope, Stream } from "effect"
import { AccountId, InvoiceId } from "../../core/domain/Ids.ts"
import { EntryKind, Side } from "./Comment.ts"

/** A thread entry was written: a comment by either side, or the business marking the thread resolved. */
export const CommentAdded = Schema.TaggedStruct("CommentAdded", {
  commentId: Schema.String,
  invoiceId: InvoiceId,
  accountId: AccountId,
  kind: EntryKind,
  side: Side,
  /** Whether the invoice waits for the business after this entry. */
  needsAttention: Schema.Boolean
})
export type CommentAdded = typeof CommentAdded.Type

/** Publish and subscribe to CommentAdded; subscribers see what is published after they subscribed. */
export class CommentEvents extends Context.Service<
  CommentEvents,
  {
    readonly publish: (event: CommentAdded) => Effect.Effect<void>
    /** A stream of the events from now on; the subscription is taken when this effect runs. */
    readonly subscription: Effect.Effect<Stream.Stream<CommentAdded>, never, Scope.Scope>
  }
>()("portico/plugins/comments/CommentEvents") {
  /** An in-memory bus (sliding, 1024 pending events per subscriber), shut down with its layer. */
  static readonly layer = Layer.effect(
    CommentEvents,
    Effect.gen(function* () {
      const pubsub = yield* Effect.acquireRelease(PubSub.sliding<CommentAdded>(1024), PubSub.shutdown)
      return CommentEvents.of({
        publish: (event) => Effect.asVoid(PubSub.publish(pubsub, event)),
        subscription: Effect.map(PubSub.subscribe(pubsub), (sub) => Stream.fromSubscription(sub))
      })
    })
  )
}
