// Back-off delays and recurrence ticks: pure functions, checked with examples and a property.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Result, Schema } from "effect"
import * as fc from "fast-check"
import { backoffMillis, defineJob } from "../../../core/jobs/Job.ts"
import { nextTick, recurring, tickKey } from "../../../core/jobs/RecurringSchedule.ts"

const job = defineJob({ kind: "test/noop", payload: Schema.Struct({}), run: () => Effect.void })

describe("backoffMillis", () => {
  it("doubles from the base and stops at the cap", () => {
    const policy = { maxAttempts: 10, base: "10 seconds", factor: 2, max: "1 minute" } as const
    assert.deepStrictEqual(
      [1, 2, 3, 4, 5].map((attempt) => backoffMillis(policy, attempt)),
      [10_000, 20_000, 40_000, 60_000, 60_000]
    )
  })

  it("never decreases and never exceeds the cap", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 5_000 }), (attempt, base) => {
        const policy = { maxAttempts: 99, base, factor: 2, max: 3_600_000 }
        const now = backoffMillis(policy, attempt)
        const later = backoffMillis(policy, attempt + 1)
        return later >= now && later <= 3_600_000
      })
    )
  })
})

describe("recurrences", () => {
  it("cron ticks come strictly after the given instant, in UTC by default", () => {
    const daily = Result.getOrThrow(recurring({ name: "daily", job, payload: {}, cron: "0 6 * * *" }))
    const at = Date.parse("2026-11-21T06:00:00.000Z")
    assert.strictEqual(new Date(nextTick(daily.recurrence, at - 1)).toISOString(), "2026-11-21T06:00:00.000Z")
    assert.strictEqual(new Date(nextTick(daily.recurrence, at)).toISOString(), "2026-11-22T06:00:00.000Z")
  })

  it("interval ticks are aligned to the epoch, so every process computes the same ones", () => {
    const hourly = Result.getOrThrow(recurring({ name: "hourly", job, payload: {}, every: "1 hour" }))
    assert.strictEqual(nextTick(hourly.recurrence, 5_000), 3_600_000)
    assert.strictEqual(nextTick(hourly.recurrence, 3_600_000), 7_200_000)
    assert.strictEqual(tickKey("hourly", 3_600_000), "schedule:hourly:1970-01-01T01:00:00.000Z")
  })

  it("refuses a bad cron expression or a missing interval, naming the schedule", () => {
    const bad = recurring({ name: "broken", job, payload: {}, cron: "61 * * * *" })
    assert.isTrue(Result.isFailure(bad))
    if (Result.isFailure(bad)) assert.match(bad.failure.message, /^schedule "broken": /)
    const none = recurring({ name: "never", job, payload: {} })
    assert.isTrue(Result.isFailure(none))
  })
})
