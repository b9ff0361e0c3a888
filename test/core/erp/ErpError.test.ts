import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Ref } from "effect"
import { TestClock } from "effect/testing"
import { type ErpError, ErpErrors, retryErp, retryPolicy } from "../../../core/erp/index.ts"

describe("ErpError", () => {
  it("each reason says whether a retry can help", () => {
    const cases: ReadonlyArray<[ErpError, boolean]> = [
      [ErpErrors.connection({ message: "refused" }), true],
      [ErpErrors.authentication({ message: "401" }), false],
      [ErpErrors.rateLimited({ message: "429" }), true],
      [ErpErrors.notFound({ message: "no company" }), false],
      [ErpErrors.schemaMismatch({ message: "no column" }), false],
      [ErpErrors.timeout({ message: "30 s" }), true],
      [ErpErrors.unknown({ message: "500", transient: true }), true],
      [ErpErrors.unknown({ message: "weird", transient: false }), false]
    ]
    for (const [error, retryable] of cases) assert.strictEqual(error.retryable, retryable, error.reason._tag)
  })

  it("says what went wrong and where", () => {
    const error = ErpErrors.notFound({ message: "company EPIC06 does not exist", operation: "GET /ARInvoices" })
    assert.strictEqual(error.message, "NotFound during GET /ARInvoices: company EPIC06 does not exist")
    assert.strictEqual(
      ErpErrors.rateLimited({ message: "slow", retryAfter: Duration.seconds(3) }).retryAfter?.toString(),
      Duration.seconds(3).toString()
    )
  })
})

describe("retryPolicy", () => {
  const failing = (error: ErpError, attempts: Ref.Ref<number>, succeedAfter = Number.POSITIVE_INFINITY) =>
    Ref.updateAndGet(attempts, (n) => n + 1).pipe(
      Effect.flatMap((n) => (n > succeedAfter ? Effect.succeed(n) : Effect.fail(error)))
    )

  it.effect("retries retryable errors with backoff until they succeed", () =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const fiber = yield* Effect.forkChild(
        failing(ErpErrors.timeout({ message: "slow" }), attempts, 3).pipe(retryErp({ base: "100 millis" }))
      )
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(yield* Fiber.join(fiber), 4)
    })
  )

  it.effect("gives up after maxRetries", () =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const fiber = yield* Effect.forkChild(
        Effect.flip(
          failing(ErpErrors.connection({ message: "down" }), attempts).pipe(
            retryErp({ base: "10 millis", maxRetries: 2 })
          )
        )
      )
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error.reason._tag, "Connection")
      assert.strictEqual(yield* Ref.get(attempts), 3)
    })
  )

  it.effect("does not retry errors a retry cannot help", () =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const error = yield* Effect.flip(
        failing(ErpErrors.authentication({ message: "bad key" }), attempts).pipe(retryErp())
      )
      assert.strictEqual(error.reason._tag, "Authentication")
      assert.strictEqual(yield* Ref.get(attempts), 1)
    })
  )

  it.effect("waits at least the source's Retry-After", () =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const limited = ErpErrors.rateLimited({ message: "429", retryAfter: Duration.seconds(10) })
      const fiber = yield* Effect.forkChild(
        failing(limited, attempts, 1).pipe(Effect.retry(retryPolicy({ base: "1 millis" })))
      )
      yield* TestClock.adjust("9 seconds")
      assert.strictEqual(yield* Ref.get(attempts), 1)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* Fiber.join(fiber), 2)
    })
  )

  it.effect("caps the delay", () =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const fiber = yield* Effect.forkChild(
        failing(ErpErrors.timeout({ message: "slow" }), attempts, 8).pipe(
          retryErp({ base: "1 second", cap: "2 seconds", maxRetries: 10 })
        )
      )
      // Uncapped, 8 retries from 1 s would wait over 4 minutes; capped at 2 s (+20% jitter) it is under 20 s.
      yield* TestClock.adjust("20 seconds")
      assert.strictEqual(yield* Fiber.join(fiber), 9)
    })
  )
})
