// The durable queue on PGlite and PostgreSQL: idempotent enqueue, exactly-once runs with concurrent workers,
// a worker killed mid-job (retried after its lease), a restart that finishes pending jobs once, back-off
// then dead letters and re-queue, and one job per schedule tick across processes. Time is the TestClock.
import { assert, describe, it } from "@effect/vitest"
import { Context, Deferred, Effect, Exit, Fiber, Layer, Queue, Ref, Result, Schema, Scope } from "effect"
import { TestClock } from "effect/testing"
import { defineJob, handlerOf } from "../../../core/jobs/Job.ts"
import type { JobHandlers } from "../../../core/jobs/JobHandlers.ts"
import { JobQueue } from "../../../core/jobs/JobQueue.ts"
import * as JobWorker from "../../../core/jobs/JobWorker.ts"
import * as RecurringSchedule from "../../../core/jobs/RecurringSchedule.ts"
import { postgresAvailability } from "../../support/Requirements.ts"
import { queueLayer, type SharedDatabase, sharedPglite, sharedPostgres } from "./support/JobDatabases.ts"

const postgres = await postgresAvailability()
const backends: ReadonlyArray<{
  readonly name: string
  readonly available: boolean
  readonly database: Effect.Effect<SharedDatabase, unknown, Scope.Scope>
}> = [
  { name: "pglite", available: true, database: sharedPglite },
  { name: "postgres", available: postgres.available, database: sharedPostgres }
]

const Numbered = Schema.Struct({ n: Schema.Number })

/** Counts runs per job id; `block` makes attempts that match it wait forever (a job "in progress"). */
const recorder = Effect.gen(function* () {
  const runs = yield* Ref.make(new Map<string, number>())
  const finished = yield* Queue.unbounded<string>()
  const job = defineJob({
    kind: "test/record",
    payload: Numbered,
    run: (_payload, context) =>
      Effect.gen(function* () {
        yield* Ref.update(runs, (map) => new Map(map).set(context.jobId, (map.get(context.jobId) ?? 0) + 1))
        yield* Effect.yieldNow
        yield* Queue.offer(finished, context.jobId)
      })
  })
  return { runs, finished, job }
})

/** Builds a "process" (a connection, the queue and handlers) in the current scope. */
const process = (database: SharedDatabase, handlers: Parameters<typeof queueLayer>[1]) =>
  Layer.build(queueLayer(database.connect(), handlers))

type Process = Context.Context<JobQueue | JobHandlers>

for (const backend of backends) {
  describe.skipIf(!backend.available)(`durable jobs on ${backend.name}`, () => {
    it.effect(
      "an enqueue with a dedupe key is idempotent, and the job runs once",
      () =>
        Effect.gen(function* () {
          const database = yield* backend.database
          const { runs, job } = yield* recorder
          const ctx: Process = yield* process(database, [handlerOf(job)])
          const run = <A, E>(effect: Effect.Effect<A, E, JobQueue | JobHandlers>) => Effect.provideContext(effect, ctx)
          const queue = Context.get(ctx, JobQueue)
          const first = yield* queue.enqueue(job, { n: 1 }, { dedupeKey: "once" })
          const second = yield* queue.enqueue(job, { n: 1 }, { dedupeKey: "once" })
          assert.isTrue(first.created)
          assert.isFalse(second.created)
          assert.strictEqual(second.id, first.id)
          assert.strictEqual(yield* run(JobWorker.drain("w")), 1)
          assert.strictEqual(yield* run(JobWorker.drain("w")), 0)
          assert.strictEqual((yield* Ref.get(runs)).get(first.id), 1)
          const stored = yield* queue.get(first.id)
          assert.strictEqual(stored.status, "succeeded")
          assert.strictEqual(stored.attempts, 1)
          assert.deepStrictEqual(stored.payload, { n: 1 })
        }).pipe(Effect.scoped),
      60_000
    )

    it.effect(
      "two workers with separate connections never run the same job twice",
      () =>
        Effect.gen(function* () {
          const database = yield* backend.database
          const { runs, job } = yield* recorder
          const a: Process = yield* process(database, [handlerOf(job)])
          // PGlite serves one connection at a time: the second worker is a second fiber on the same client.
          const b: Process = backend.name === "pglite" ? a : yield* process(database, [handlerOf(job)])
          const queue = Context.get(a, JobQueue)
          const ids = yield* Effect.forEach(
            Array.from({ length: 30 }, (_, n) => n),
            (n) => Effect.map(queue.enqueue(job, { n }), (enqueued) => enqueued.id)
          )
          const [ranA, ranB] = yield* Effect.all(
            [Effect.provideContext(JobWorker.drain("a"), a), Effect.provideContext(JobWorker.drain("b"), b)],
            { concurrency: 2 }
          )
          const counts = yield* Ref.get(runs)
          assert.strictEqual(ranA + ranB, 30)
          assert.deepStrictEqual(
            ids.map((id) => counts.get(id)),
            ids.map(() => 1)
          )
        }).pipe(Effect.scoped),
      60_000
    )

    it.effect(
      "a worker killed mid-job leaves the job to its lease; after the lease another worker runs it",
      () =>
        Effect.gen(function* () {
          const database = yield* backend.database
          const started = yield* Deferred.make<void>()
          const attempts = yield* Ref.make<ReadonlyArray<number>>([])
          const job = defineJob({
            kind: "test/slow",
            payload: Numbered,
            lease: "1 minute",
            run: (_payload, context) =>
              Effect.gen(function* () {
                yield* Ref.update(attempts, (all) => [...all, context.attempt])
                if (context.attempt === 1) {
                  yield* Deferred.succeed(started, undefined)
                  return yield* Effect.never
                }
              })
          })
          const ctx: Process = yield* process(database, [handlerOf(job)])
          const queue = Context.get(ctx, JobQueue)
          const { id } = yield* queue.enqueue(job, { n: 1 })
          const doomed = yield* Effect.forkChild(Effect.provideContext(JobWorker.runNext("doomed"), ctx))
          yield* Deferred.await(started)
          yield* Fiber.interrupt(doomed)
          const abandoned = yield* queue.get(id)
          assert.strictEqual(abandoned.status, "running")
          assert.strictEqual(abandoned.attempts, 1)
          assert.isFalse(yield* Effect.provideContext(JobWorker.runNext("rescuer"), ctx), "still leased")
          yield* TestClock.adjust("61 seconds")
          assert.isTrue(yield* Effect.provideContext(JobWorker.runNext("rescuer"), ctx))
          const done = yield* queue.get(id)
          assert.strictEqual(done.status, "succeeded")
          assert.strictEqual(done.attempts, 2)
          assert.deepStrictEqual(yield* Ref.get(attempts), [1, 2])
        }).pipe(Effect.scoped),
      60_000
    )

    it.effect(
      "after a restart (a new layer over the same database) pending jobs finish, each once",
      () =>
        Effect.gen(function* () {
          const database = yield* backend.database
          const { runs, job, finished } = yield* recorder
          const ids = yield* Effect.scoped(
            Effect.gen(function* () {
              const before: Process = yield* process(database, [handlerOf(job)])
              const queue = Context.get(before, JobQueue)
              const enqueued = yield* Effect.forEach([1, 2, 3], (n) => queue.enqueue(job, { n }))
              assert.isTrue(yield* Effect.provideContext(JobWorker.runNext("before"), before))
              return enqueued.map((e) => e.id)
            })
          )
          const after: Process = yield* process(database, [handlerOf(job)])
          // the restarted process's background workers pick the rest up on their first poll; closing their
          // layer lets the jobs in hand finish recording before the statuses are read
          const rest = yield* Effect.scoped(
            Effect.gen(function* () {
              yield* Layer.build(
                JobWorker.layer({ workerId: "after", concurrency: 2 }).pipe(Layer.provide(Layer.succeedContext(after)))
              )
              return [yield* Queue.take(finished), yield* Queue.take(finished), yield* Queue.take(finished)]
            })
          )
          assert.strictEqual(new Set(rest).size, 3)
          const counts = yield* Ref.get(runs)
          assert.deepStrictEqual(
            ids.map((id) => counts.get(id)),
            [1, 1, 1]
          )
          const queue = Context.get(after, JobQueue)
          const statuses = yield* Effect.forEach(ids, (id) => Effect.map(queue.get(id), (job) => job.status))
          assert.deepStrictEqual(statuses, ["succeeded", "succeeded", "succeeded"])
        }).pipe(Effect.scoped),
      60_000
    )

    it.effect(
      "closing the worker layer lets the running job finish and record its outcome, then claims nothing more",
      () =>
        Effect.gen(function* () {
          const database = yield* backend.database
          const started = yield* Deferred.make<void>()
          const release = yield* Deferred.make<void>()
          const job = defineJob({
            kind: "test/held",
            payload: Numbered,
            run: (payload) =>
              payload.n === 1
                ? Effect.andThen(Deferred.succeed(started, undefined), Deferred.await(release))
                : Effect.void
          })
          const ctx: Process = yield* process(database, [handlerOf(job)])
          const queue = Context.get(ctx, JobQueue)
          const workers = yield* Scope.make()
          yield* Layer.buildWithScope(
            JobWorker.layer({ workerId: "graceful" }).pipe(Layer.provide(Layer.succeedContext(ctx))),
            workers
          )
          const { id } = yield* queue.enqueue(job, { n: 1 })
          yield* Deferred.await(started)
          const closing = yield* Effect.forkChild(Scope.close(workers, Exit.void))
          assert.strictEqual((yield* queue.get(id)).status, "running")
          yield* Deferred.succeed(release, undefined)
          yield* Fiber.join(closing)
          const done = yield* queue.get(id)
          assert.strictEqual(done.status, "succeeded")
          assert.strictEqual(done.attempts, 1)
          const later = yield* queue.enqueue(job, { n: 2 })
          assert.strictEqual((yield* queue.get(later.id)).status, "queued", "a closed worker claims nothing")
        }).pipe(Effect.scoped),
      60_000
    )

    it.effect(
      "a failing job is retried with exponential back-off, then dead-lettered with its error, then re-queued",
      () =>
        Effect.gen(function* () {
          const database = yield* backend.database
          const healed = yield* Ref.make(false)
          const job = defineJob({
            kind: "test/flaky",
            payload: Numbered,
            retry: { maxAttempts: 3, base: "10 seconds", factor: 2, max: "1 hour" },
            run: (payload) =>
              Effect.flatMap(Ref.get(healed), (ok) =>
                ok ? Effect.void : Effect.fail(new Error(`upstream refused ${payload.n}`))
              )
          })
          const ctx: Process = yield* process(database, [handlerOf(job)])
          const queue = Context.get(ctx, JobQueue)
          const step = Effect.provideContext(JobWorker.runNext("w"), ctx)
          const { id } = yield* queue.enqueue(job, { n: 7 })
          assert.isTrue(yield* step)
          const first = yield* queue.get(id)
          assert.strictEqual(first.status, "queued")
          assert.strictEqual(first.runAt.getTime(), 10_000)
          assert.strictEqual(first.lastError, "upstream refused 7")
          assert.isFalse(yield* step, "not due before the back-off")
          yield* TestClock.adjust("10 seconds")
          assert.isTrue(yield* step)
          assert.strictEqual((yield* queue.get(id)).runAt.getTime(), 30_000)
          yield* TestClock.adjust("20 seconds")
          assert.isTrue(yield* step)
          const dead = yield* queue.get(id)
          assert.strictEqual(dead.status, "dead")
          assert.strictEqual(dead.attempts, 3)
          assert.strictEqual(dead.lastError, "upstream refused 7")
          assert.deepStrictEqual(
            (yield* queue.deadLetters()).map((job) => job.id),
            [id]
          )
          yield* TestClock.adjust("1 hour")
          assert.isFalse(yield* step, "dead jobs are not retried")
          yield* Ref.set(healed, true)
          const requeued = yield* queue.requeue(id)
          assert.strictEqual(requeued.status, "queued")
          assert.strictEqual(requeued.attempts, 0)
          assert.isTrue(yield* step)
          assert.strictEqual((yield* queue.get(id)).status, "succeeded")
          assert.deepStrictEqual(yield* queue.deadLetters(), [])
          const notDead = yield* Effect.flip(queue.requeue(id))
          assert.strictEqual(notDead._tag, "JobNotDead")
        }).pipe(Effect.scoped),
      60_000
    )

    it.effect(
      "a schedule tick enqueues exactly one job however many processes see it",
      () =>
        Effect.gen(function* () {
          const database = yield* backend.database
          const { job } = yield* recorder
          const schedule = Result.getOrThrow(
            RecurringSchedule.recurring({ name: "hourly", job, payload: { n: 0 }, every: "1 hour" })
          )
          const a: Process = yield* process(database, [handlerOf(job)])
          const b: Process = backend.name === "pglite" ? a : yield* process(database, [handlerOf(job)])
          const tick = RecurringSchedule.nextTick(schedule.recurrence, 0)
          assert.strictEqual(tick, 3_600_000)
          const [fromA, fromB] = yield* Effect.all(
            [
              Effect.provideContext(RecurringSchedule.enqueueTick(schedule, tick), a),
              Effect.provideContext(RecurringSchedule.enqueueTick(schedule, tick), b)
            ],
            { concurrency: 2 }
          )
          assert.strictEqual(fromA.id, fromB.id)
          assert.strictEqual([fromA.created, fromB.created].filter(Boolean).length, 1)
          const queue = Context.get(a, JobQueue)
          const jobs = yield* queue.list({ kind: "test/record" })
          assert.deepStrictEqual(
            jobs.map((job) => [job.dedupeKey, job.runAt.getTime()]),
            [["schedule:hourly:1970-01-01T01:00:00.000Z", 3_600_000]]
          )
        }).pipe(Effect.scoped),
      60_000
    )

    it.effect(
      "the scheduler layer enqueues on each tick; the worker layer runs what was enqueued",
      () =>
        Effect.gen(function* () {
          const database = yield* backend.database
          const { job, finished } = yield* recorder
          const schedule = Result.getOrThrow(
            RecurringSchedule.recurring({ name: "every-minute", job, payload: { n: 1 }, cron: "* * * * *" })
          )
          const ctx: Process = yield* process(database, [handlerOf(job)])
          yield* TestClock.setTime(30_000)
          const first = yield* Effect.scoped(
            Effect.gen(function* () {
              yield* Layer.build(
                Layer.mergeAll(RecurringSchedule.layer([schedule]), JobWorker.layer({ workerId: "w" })).pipe(
                  Layer.provide(Layer.succeedContext(ctx))
                )
              )
              yield* Effect.yieldNow
              yield* Effect.yieldNow
              yield* TestClock.adjust("30 seconds")
              return yield* Queue.take(finished)
            })
          )
          const queue = Context.get(ctx, JobQueue)
          const stored = yield* queue.get(first)
          assert.strictEqual(stored.dedupeKey, "schedule:every-minute:1970-01-01T00:01:00.000Z")
          assert.strictEqual(stored.status, "succeeded")
        }).pipe(Effect.scoped),
      60_000
    )
  })
}
