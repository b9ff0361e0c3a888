// Backoff for adapter operations: exponential with jitter, capped, honouring a RateLimited reason's
// retryAfter, and retrying only errors whose reason says a retry can help.
import { Duration, Effect, Schedule } from "effect"
import type { ErpError } from "./ErpError.ts"

/** Tuning for `retryPolicy`. */
export interface RetryOptions {
  /** The first delay (default 200 ms); each retry doubles it. */
  readonly base?: Duration.Input
  /** No delay is longer than this (default 30 s), except a source's own Retry-After. */
  readonly cap?: Duration.Input
  /** Give up after this many retries (default 5). */
  readonly maxRetries?: number
}

/**
 * A retry schedule for ErpError: stops at once on a non-retryable reason; waits at least a RateLimited
 * reason's `retryAfter`. Use with `Effect.retry(effect, retryPolicy())` or `retryErp(effect)`.
 */
export const retryPolicy = (options: RetryOptions = {}): Schedule.Schedule<Duration.Duration, ErpError> => {
  const cap = Duration.fromInputUnsafe(options.cap ?? "30 seconds")
  const maxRetries = options.maxRetries ?? 5
  return Schedule.exponential(options.base ?? "200 millis").pipe(
    Schedule.setInputType<ErpError>(),
    Schedule.jittered,
    Schedule.modifyDelay(({ duration, input }) => {
      const capped = Duration.min(duration, cap)
      const asked = input.retryAfter
      return Effect.succeed(asked === undefined ? capped : Duration.max(capped, asked))
    }),
    Schedule.while(({ input, attempt }) => input.retryable && attempt <= maxRetries)
  )
}

/** Retries an adapter effect with `retryPolicy(options)`; non-retryable errors fail immediately. */
export const retryErp =
  (options: RetryOptions = {}) =>
  <A, R>(self: Effect.Effect<A, ErpError, R>): Effect.Effect<A, ErpError, R> =>
    Effect.retry(self, retryPolicy(options))
