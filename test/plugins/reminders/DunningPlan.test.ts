// The dunning rules as properties: with a run every day, each step goes out on its own day and at most once;
// a payment stops the sequence; the plan made beforehand is exactly what the runs send before the payment.
import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import { addDays, compareDates, fromEpochDay, type LocalDate } from "../../../core/domain/LocalDate.ts"
import { decide, plan, stepsFor } from "../../../plugins/reminders/index.ts"

const date = fc.integer({ min: 19_000, max: 22_000 }).map(fromEpochDay)
const sequence = fc.uniqueArray(fc.integer({ min: -30, max: 30 }), { maxLength: 6 })

/** Daily runs from `start` for `days` days, the invoice paid on `paidOn` (before that day's run). */
const simulate = (
  dueDate: LocalDate,
  offsets: ReadonlyArray<number>,
  start: LocalDate,
  days: number,
  paidOn: LocalDate
) => {
  const done = new Set<number>()
  const sent: Array<{ offsetDays: number; sendOn: LocalDate }> = []
  for (let day = 0; day < days; day++) {
    const asOf = addDays(start, day)
    if (compareDates(asOf, paidOn) >= 0) break
    const decision = decide(dueDate, offsets, done, asOf)
    for (const offset of decision.skip) done.add(offset)
    if (decision.send !== undefined) {
      done.add(decision.send)
      sent.push({ offsetDays: decision.send, sendOn: asOf })
    }
  }
  return sent
}

describe("DunningPlan", () => {
  it("sends what was planned before the payment day, each step at most once, never before its day", () =>
    fc.assert(
      fc.property(
        date,
        sequence,
        fc.integer({ min: -40, max: 20 }),
        fc.integer({ min: 0, max: 80 }),
        (dueDate, offsets, startShift, paidAfter) => {
          const start = addDays(dueDate, startShift)
          const paidOn = addDays(start, paidAfter)
          const sent = simulate(dueDate, offsets, start, 90, paidOn)
          assert.deepStrictEqual(sent, plan(dueDate, offsets, new Set(), start, paidAfter))
          const offsetsSent = sent.map((s) => s.offsetDays)
          assert.strictEqual(new Set(offsetsSent).size, offsetsSent.length)
          for (const s of sent) {
            assert.isTrue(compareDates(addDays(dueDate, s.offsetDays), s.sendOn) <= 0)
            assert.isTrue(compareDates(s.sendOn, paidOn) < 0)
          }
          // Every step whose day falls between the first run and the payment goes out on exactly that day.
          const expected = stepsFor(dueDate, offsets).filter(
            (step) => compareDates(step.sendOn, start) >= 0 && compareDates(step.sendOn, paidOn) < 0
          )
          for (const step of expected) assert.deepInclude(sent, step)
        }
      ),
      { numRuns: 500 }
    ))

  it("a run after missed days sends only the latest step that has come and skips the earlier ones", () => {
    const due = fromEpochDay(20_000)
    const decision = decide(due, [-3, 1, 7, 14], new Set([-3]), addDays(due, 9))
    assert.deepStrictEqual(decision, { send: 7, skip: [1] })
    assert.deepStrictEqual(decide(due, [-3, 1, 7, 14], new Set([-3, 1, 7]), addDays(due, 9)), {
      send: undefined,
      skip: []
    })
    assert.deepStrictEqual(decide(due, [], new Set(), addDays(due, 9)), { send: undefined, skip: [] })
  })
})
