// Live status is scoped: a principal's stream carries an event exactly when the event is of one of its
// accounts (and, for a one-invoice link, touches that invoice); the system sees everything.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Schema, Stream } from "effect"
import * as fc from "fast-check"
import { ContactPrincipal, CurrentPrincipal, LinkPrincipal } from "../../../core/access/Principal.ts"
import { CurrencyCode } from "../../../core/domain/Currency.ts"
import { AccountId, ContactId, InvoiceId, PaymentId } from "../../../core/domain/Ids.ts"
import { type DomainEvent, DomainEvents } from "../../../core/events/DomainEvents.ts"
import { liveChange, liveChanges, visibleTo } from "../../../core/portal/LiveStatus.ts"

const accounts = ["a1", "a2", "a3"].map((id) => AccountId.make(id))
const invoices = ["i1", "i2", "i3", "i4"].map((id) => InvoiceId.make(id))
const source = { source: "erp", externalId: "x" }
const EUR = Schema.decodeUnknownSync(CurrencyCode)("EUR")

const arbAccount = fc.constantFrom(...accounts)
const arbInvoice = fc.constantFrom(...invoices)

const arbEvent: fc.Arbitrary<DomainEvent> = fc.oneof(
  fc.record({ accountId: arbAccount, invoiceId: arbInvoice }).map(
    ({ accountId, invoiceId }): DomainEvent => ({
      _tag: "InvoiceChanged",
      change: "updated",
      invoiceId,
      accountId,
      source,
      status: "paid",
      open: { currency: EUR, minor: 0 },
      events: []
    })
  ),
  fc.record({ accountId: arbAccount, invoiceIds: fc.uniqueArray(arbInvoice, { maxLength: 3 }) }).map(
    ({ accountId, invoiceIds }): DomainEvent => ({
      _tag: "PaymentChanged",
      change: "inserted",
      paymentId: PaymentId.make("p1"),
      accountId,
      source,
      amount: { currency: EUR, minor: 100 },
      invoiceIds
    })
  )
)

describe("LiveStatus", () => {
  it("a contact sees exactly the events of its linked accounts", () =>
    fc.assert(
      fc.property(fc.subarray(accounts, { minLength: 1 }), arbEvent, (linked, event) => {
        const principal = ContactPrincipal.make({
          contactId: ContactId.make("c1"),
          links: linked.map((accountId) => ({ accountId, role: "viewer" as const })),
          activeAccountId: linked[0] ?? AccountId.make("a1")
        })
        assert.strictEqual(visibleTo(principal, event), linked.includes(event.accountId))
      })
    ))

  it("a one-invoice link sees only events of its account that touch its invoice", () =>
    fc.assert(
      fc.property(arbAccount, arbInvoice, arbEvent, (accountId, invoiceId, event) => {
        const link = LinkPrincipal.make({ linkId: "l1", accountId, invoiceId, permissions: ["view-invoices"] })
        const touches = liveChange(event).invoiceIds.includes(invoiceId)
        assert.strictEqual(visibleTo(link, event), event.accountId === accountId && touches)
      })
    ))

  it.effect("the stream delivers the principal's events and drops the others", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const bus = yield* DomainEvents
        const principal = ContactPrincipal.make({
          contactId: ContactId.make("c1"),
          links: [{ accountId: AccountId.make("a1"), role: "viewer" }],
          activeAccountId: AccountId.make("a1")
        })
        const stream = yield* liveChanges.pipe(Effect.provideService(CurrentPrincipal, principal))
        const taken = yield* Effect.forkChild(Stream.runCollect(Stream.take(stream, 1)))
        const foreign: DomainEvent = {
          _tag: "InvoiceChanged",
          change: "updated",
          invoiceId: InvoiceId.make("i9"),
          accountId: AccountId.make("a2"),
          source,
          status: "paid",
          open: { currency: EUR, minor: 0 },
          events: []
        }
        const own: DomainEvent = { ...foreign, invoiceId: InvoiceId.make("i1"), accountId: AccountId.make("a1") }
        yield* bus.publishAll([foreign, own])
        const received = yield* Fiber.join(taken)
        assert.deepStrictEqual(received, [liveChange(own)])
        assert.deepStrictEqual(received[0]?.invoiceIds, ["i1"])
      })
    ).pipe(Effect.provide(Layer.fresh(DomainEvents.layer)))
  )
})
