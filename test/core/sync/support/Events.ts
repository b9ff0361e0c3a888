// Observing the domain event bus in tests without waiting on time: subscribe, run, then publish a marker;
// everything before the marker was published by the run.
import { Effect, Schema, Stream } from "effect"
import { DomainEvent, DomainEvents } from "../../../../core/events/index.ts"

const marker: DomainEvent = Schema.decodeUnknownSync(DomainEvent)({
  _tag: "CreditNoteChanged",
  change: "inserted",
  creditNoteId: "marker",
  accountId: "marker",
  source: { source: "marker", externalId: "marker" },
  total: { currency: "EUR", minor: 0 }
})

/** Runs `effect` and gives its result with the domain events published while it ran, in order. */
export const withPublished = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.scoped(
    Effect.gen(function* () {
      const bus = yield* DomainEvents
      const events = yield* bus.subscription
      const result = yield* effect
      yield* bus.publish(marker)
      const seen = yield* events.pipe(
        Stream.takeUntil((event) => event === marker),
        Stream.runCollect
      )
      return { result, published: seen.filter((event) => event !== marker) }
    })
  )
