// Workers that run queued jobs: each loop claims one job at a time, keeps its lease alive while the handler
// runs, and records success, a retry with back-off, or a dead letter. A scoped layer: when it closes, the
// loops stop claiming, in-flight jobs get `shutdownTimeout` to finish, then are interrupted (their leases
// expire and another process takes them over).
import { randomUUID } from "node:crypto"
import { Cause, Deferred, Duration, Effect, Exit, Fiber, Layer, Option, Schedule } from "effect"
import { JobHandlers } from "./JobHandlers.ts"
import { type ClaimedJob, JobQueue } from "./JobQueue.ts"

/** How the workers of this process behave. */
export interface JobWorkerOptions {
  /** Names this process's workers in `locked_by` (default: a random id). */
  readonly workerId?: string
  /** How many jobs this process runs at once (default 1). */
  readonly concurrency?: number
  /** How often an idle worker looks for due jobs enqueued elsewhere (default 5 seconds). */
  readonly pollInterval?: Duration.Input
  /** How long a closing layer lets running jobs finish before interrupting them (default 30 seconds). */
  readonly shutdownTimeout?: Duration.Input
}

/** Describes a failed run for `last_error`: the error's message (and tag), or the defect. */
const describe = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.squash(cause)
  if (typeof error === "object" && error !== null) {
    const tag = "_tag" in error && typeof error._tag === "string" ? error._tag : undefined
    const message = "message" in error && typeof error.message === "string" ? error.message : undefined
    if (tag !== undefined || message !== undefined) return [tag, message].filter((x) => x !== undefined).join(": ")
  }
  return Cause.pretty(cause).slice(0, 2000)
}

/** Runs one claimed job to its recorded outcome; interruption leaves the row to its lease. */
const runClaimed = Effect.fnUntraced(function* (claimed: ClaimedJob) {
  const queue = yield* JobQueue
  const handlers = yield* JobHandlers
  const { job } = claimed
  const handler = handlers.get(job.kind)
  if (handler === undefined) {
    // claim only asks for registered kinds, so this is a registry that changed under a running worker
    return yield* Effect.asVoid(
      queue.fail(claimed, `no handler for job kind ${job.kind}`, {
        maxAttempts: 1,
        base: 0,
        factor: 1,
        max: 0
      })
    )
  }
  const heartbeat = yield* queue
    .heartbeat(claimed, handler.leaseMillis)
    .pipe(
      Effect.ignore,
      Effect.repeat(Schedule.spaced(Duration.millis(Math.max(1, Math.floor(handler.leaseMillis / 3))))),
      Effect.forkChild
    )
  const exit = yield* Effect.exit(
    handler.run(job.payload, {
      jobId: job.id,
      kind: job.kind,
      attempt: job.attempts,
      maxAttempts: job.maxAttempts,
      dedupeKey: job.dedupeKey
    })
  )
  yield* Fiber.interrupt(heartbeat)
  if (Exit.isSuccess(exit)) {
    yield* queue.complete(claimed)
  } else {
    const outcome = yield* queue.fail(claimed, describe(exit.cause), handler.retry)
    yield* Effect.logWarning(`job ${job.kind} ${job.id} attempt ${job.attempts} failed`).pipe(
      Effect.annotateLogs({ outcome: outcome._tag })
    )
  }
})

/**
 * Claims one due job for `workerId` and runs it to its recorded outcome; false when none was due. What the
 * loops run, and what tests and operator commands call to step the queue deterministically.
 */
export const runNext = Effect.fnUntraced(function* (workerId: string) {
  const queue = yield* JobQueue
  const handlers = yield* JobHandlers
  const leaseOf = (kind: string) => handlers.get(kind)?.leaseMillis ?? 300_000
  const claimed = yield* queue.claim(workerId, handlers.kinds, leaseOf)
  if (Option.isNone(claimed)) return false
  yield* runClaimed(claimed.value)
  return true
})

/** One worker loop: claim, run, repeat; idle until the poll interval passes or a job is enqueued here. */
const loop = (workerId: string, pollInterval: Duration.Duration, stop: Deferred.Deferred<void>) =>
  Effect.gen(function* () {
    const queue = yield* JobQueue
    while (!(yield* Deferred.isDone(stop))) {
      const enqueued = yield* queue.nextEnqueue
      const ran = yield* runNext(workerId).pipe(
        Effect.catch((error) => Effect.as(Effect.logWarning("a job queue call failed", error.message), false))
      )
      if (!ran) {
        yield* Effect.raceFirst(Effect.raceFirst(enqueued, Effect.sleep(pollInterval)), Deferred.await(stop))
      }
    }
  })

/**
 * Starts `concurrency` worker loops for the kinds in `JobHandlers`, until the layer's scope closes.
 * Needs `JobQueue` (over the store) and `JobHandlers`.
 */
export const layer = (options: JobWorkerOptions = {}): Layer.Layer<never, never, JobQueue | JobHandlers> =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const workerId = options.workerId ?? `worker-${randomUUID()}`
      const pollInterval = Duration.fromInputUnsafe(options.pollInterval ?? "5 seconds")
      const shutdownTimeout = Duration.fromInputUnsafe(options.shutdownTimeout ?? "30 seconds")
      const stop = yield* Deferred.make<void>()
      const concurrency = Math.max(1, options.concurrency ?? 1)
      yield* Effect.acquireRelease(
        Effect.forEach(
          Array.from({ length: concurrency }, (_, i) => i),
          (i) => Effect.forkDetach(loop(`${workerId}#${i}`, pollInterval, stop))
        ),
        (fibers) =>
          Effect.gen(function* () {
            yield* Deferred.succeed(stop, undefined)
            const drained = yield* Effect.timeoutOption(Fiber.awaitAll(fibers), shutdownTimeout)
            if (Option.isNone(drained)) yield* Fiber.interruptAll(fibers)
          })
      )
    })
  )

/** Runs jobs with `runNext` until none is due; gives how many ran. */
export const drain = Effect.fnUntraced(function* (workerId: string) {
  let ran = 0
  while (yield* runNext(workerId)) ran += 1
  return ran
})
