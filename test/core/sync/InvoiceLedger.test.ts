// Laws of driving the invoice state machine from ERP data: a payment's share of an invoice always ends at
// what the ERP allocates, the same data yields the same event ids, and syncing it again records nothing.
import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import { replay } from "../../../core/billing/InvoiceStateMachine.ts"
import { LocalDate, PaymentId } from "../../../core/domain/index.ts"
import { invoiceState, issuedEvent, settlePayment, syncEventId } from "../../../core/sync/InvoiceLedger.ts"
import { invoice } from "./support/Dataset.ts"

const inv = invoice("erp", 1, 1).value // total 23.80 EUR
const paymentId = Schema.decodeUnknownSync(PaymentId)("erp:P-1")
const received = LocalDate.localDate("2026-03-15")

const issue = () => {
  const state = invoiceState(inv, [])
  if (Result.isFailure(state)) throw state.failure
  return state.success
}

/** Applies the ERP's successive allocations of one payment to the invoice. */
const settleAll = (targets: ReadonlyArray<number>) => {
  let state = issue()
  for (const target of targets) {
    const settled = settlePayment(state, paymentId, target, received)
    if (Result.isFailure(settled)) throw settled.failure
    state = settled.success.state
  }
  return state
}

describe("InvoiceLedger", () => {
  it("event ids are short, prefixed and deterministic", () => {
    assert.strictEqual(syncEventId("x", "a", 1), syncEventId("x", "a", 1))
    assert.notStrictEqual(syncEventId("x", "a", 1), syncEventId("x", "a1"))
    assert.match(syncEventId("issued", "s".repeat(500)), /^issued:[0-9a-f]{32}$/)
    assert.strictEqual(issuedEvent(inv).eventId, issuedEvent({ ...inv }).eventId)
    assert.notStrictEqual(
      issuedEvent(inv).eventId,
      issuedEvent({ ...inv, dueDate: LocalDate.localDate("2026-04-30") }).eventId
    )
  })

  it("an invoice due before it is issued is refused", () => {
    const state = invoiceState({ ...inv, dueDate: LocalDate.localDate("2026-02-01") }, [])
    assert.isTrue(Result.isFailure(state))
  })

  it("property: after any sequence of allocations the payment's net share is the last one, and re-settling adds nothing", () =>
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 8 }), (targets) => {
        const state = settleAll(targets)
        const last = targets.at(-1) ?? 0
        assert.strictEqual(state.payments.get(paymentId)?.minor ?? 0, last)
        assert.strictEqual(state.paid.minor, last)
        assert.strictEqual(state.open.minor, Math.max(0, inv.totals.total.minor - last))
        assert.strictEqual(state.excess.minor, Math.max(0, last - inv.totals.total.minor))
        // the same data again: the same ids, so the same history
        assert.deepStrictEqual(
          settleAll(targets).history.map((e) => e.eventId),
          state.history.map((e) => e.eventId)
        )
        // syncing the last allocation again records nothing
        const again = settlePayment(state, paymentId, last, received)
        assert.isTrue(Result.isSuccess(again) && again.success.events.length === 0)
        // the recorded events replay to the same balances, and ids never repeat
        assert.deepStrictEqual(replay(state.history), state)
        assert.strictEqual(new Set(state.history.map((e) => e.eventId)).size, state.history.length)
      })
    ))

  it("property: a restated invoice keeps the payments recorded against it", () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 1, max: 9 }), (paid, quantity) => {
        const before = settleAll([paid])
        const restated = invoice("erp", 1, 1, { quantity }).value
        const state = invoiceState(restated, before.history)
        assert.isTrue(Result.isSuccess(state))
        if (Result.isSuccess(state)) {
          assert.strictEqual(state.success.total.minor, restated.totals.total.minor)
          assert.strictEqual(state.success.paid.minor, paid)
        }
      })
    ))
})
