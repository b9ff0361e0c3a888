// Recurring jobs: a cron expression (effect's Cron) or a fixed interval. Each process runs the scheduler;
// every tick enqueues one job with the dedupe key `schedule:<name>:<tick>`, so however many processes see
// the tick, the queue holds exactly one job for it.
import { Clock, Cron, Duration, Effect, Layer, Result, Schema } from "effect"
import { handlerOf, type JobDefinition, type JobHandler } from "./Job.ts"
import { JobQueue } from "./JobQueue.ts"

/** When a schedule fires: cron ticks (in a time zone, UTC by default) or every `interval` since the epoch. */
export type Recurrence =
  | { readonly _tag: "Cron"; readonly cron: Cron.Cron; readonly expression: string }
  | { readonly _tag: "Every"; readonly intervalMillis: number }

/** A recurring job: a name (unique per application), when, and the job it enqueues. */
export interface RecurringSchedule<R = never> {
  readonly name: string
  readonly recurrence: Recurrence
  readonly job: JobHandler<R>
  readonly payload: unknown
}

/** A cron expression that does not parse. */
export class InvalidRecurrence extends Schema.TaggedError<InvalidRecurrence>()("InvalidRecurrence", {
  schedule: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `schedule "${this.schedule}": ${this.detail}`
  }
}

/**
 * A recurring schedule: `cron` ("0 6 * * *", five or six fields, in `timeZone`, default UTC) or `every`
 * (a fixed interval, ticks aligned to the Unix epoch so every process agrees on them).
 */
export const recurring = <P, E, R>(options: {
  readonly name: string
  readonly job: JobDefinition<P, E, R>
  readonly payload: P
  readonly cron?: string
  readonly timeZone?: string
  readonly every?: Duration.Input
}): Result.Result<RecurringSchedule<R>, InvalidRecurrence> => {
  const base = { name: options.name, job: handlerOf(options.job), payload: options.payload }
  if (options.cron !== undefined) {
    return Result.match(Cron.parse(options.cron, options.timeZone ?? "UTC"), {
      onFailure: (error) => Result.fail(new InvalidRecurrence({ schedule: options.name, detail: error.message })),
      onSuccess: (cron) =>
        Result.succeed({ ...base, recurrence: { _tag: "Cron", cron, expression: options.cron ?? "" } as const })
    })
  }
  const intervalMillis = options.every === undefined ? 0 : Duration.toMillis(Duration.fromInputUnsafe(options.every))
  if (!(intervalMillis >= 1000) || !Number.isFinite(intervalMillis)) {
    return Result.fail(
      new InvalidRecurrence({
        schedule: options.name,
        detail: "needs a cron expression or an interval of at least 1 second"
      })
    )
  }
  return Result.succeed({ ...base, recurrence: { _tag: "Every", intervalMillis } })
}

/** The first tick strictly after `afterMillis`. */
export const nextTick = (recurrence: Recurrence, afterMillis: number): number => {
  switch (recurrence._tag) {
    case "Cron":
      return Cron.next(recurrence.cron, new Date(afterMillis)).getTime()
    case "Every":
      return (Math.floor(afterMillis / recurrence.intervalMillis) + 1) * recurrence.intervalMillis
  }
}

/** The dedupe key of one tick: the same in every process. */
export const tickKey = (name: string, tickMillis: number): string =>
  `schedule:${name}:${new Date(tickMillis).toISOString()}`

/** Enqueues the job of one tick (a no-op when another process already did). */
export const enqueueTick = Effect.fnUntraced(function* <R>(schedule: RecurringSchedule<R>, tickMillis: number) {
  const queue = yield* JobQueue
  return yield* queue.enqueueWith(schedule.job, schedule.payload, {
    runAt: new Date(tickMillis),
    dedupeKey: tickKey(schedule.name, tickMillis)
  })
})

/** Sleeps until each tick and enqueues its job, forever; a failed enqueue is logged and the next tick tried. */
const runSchedule = <R>(schedule: RecurringSchedule<R>) =>
  Effect.gen(function* () {
    let after = (yield* Clock.currentTimeMillis) - 1
    while (true) {
      const tick = nextTick(schedule.recurrence, after)
      const now = yield* Clock.currentTimeMillis
      if (tick > now) yield* Effect.sleep(Duration.millis(tick - now))
      yield* enqueueTick(schedule, tick).pipe(
        Effect.catch((error) => Effect.logWarning(`schedule ${schedule.name}: enqueue failed`, error.message))
      )
      after = tick
    }
  })

/** Runs the schedules in this process until the layer's scope closes (enqueues only; workers run the jobs). */
export const layer = <R>(schedules: ReadonlyArray<RecurringSchedule<R>>): Layer.Layer<never, never, JobQueue> =>
  Layer.effectDiscard(Effect.forEach(schedules, (schedule) => Effect.forkScoped(runSchedule(schedule))))
