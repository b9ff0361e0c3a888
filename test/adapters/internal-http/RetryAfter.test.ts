// Retry-After as delay-seconds or an HTTP-date, relative to the Clock's now.
import { assert, describe, it } from "@effect/vitest"
import { Duration } from "effect"
import { parseRetryAfter } from "../../../adapters/internal-http/RetryAfter.ts"

const millis = (duration: Duration.Duration | undefined) =>
  duration === undefined ? undefined : Duration.toMillis(duration)

describe("parseRetryAfter", () => {
  it("reads delay-seconds", () => {
    assert.strictEqual(millis(parseRetryAfter("120", 0)), 120_000)
    assert.strictEqual(millis(parseRetryAfter(" 0 ", 0)), 0)
  })

  it("reads an HTTP-date relative to now, and a past date as zero", () => {
    const now = Date.UTC(2015, 9, 21, 7, 28, 0)
    assert.strictEqual(millis(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now)), 30_000)
    assert.strictEqual(millis(parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now)), 0)
  })

  it("ignores an absent or malformed header", () => {
    assert.isUndefined(parseRetryAfter(undefined, 0))
    assert.isUndefined(parseRetryAfter("soon", 0))
    assert.isUndefined(parseRetryAfter("-5", 0))
    assert.isUndefined(parseRetryAfter("1.5", 0))
  })
})
