// The job kinds this process can run, by kind: built from handler lists (a plugin's, the application's),
// each handler's requirements provided when the layer is built, so workers hold plain runnable handlers.
import { Context, Effect, Layer, Schema } from "effect"
import type { JobContext, JobHandler } from "./Job.ts"

/** Two handlers claim one kind: the composition is wrong. */
export class DuplicateJobKind extends Schema.TaggedError<DuplicateJobKind>()("DuplicateJobKind", {
  kind: Schema.String
}) {
  override get message(): string {
    return `two handlers are registered for job kind "${this.kind}"`
  }
}

/** The registered handlers, their requirements already provided. */
export class JobHandlers extends Context.Service<
  JobHandlers,
  {
    readonly kinds: ReadonlyArray<string>
    readonly get: (kind: string) => JobHandler | undefined
  }
>()("portico/core/jobs/JobHandlers") {
  /** The handlers of `handlers`, with what they require taken from the layer's context. */
  static readonly layer = <R>(handlers: ReadonlyArray<JobHandler<R>>): Layer.Layer<JobHandlers, DuplicateJobKind, R> =>
    Layer.effect(JobHandlers, JobHandlers.make(handlers))

  /** Builds the registry, providing the handlers' requirements from the current context. */
  static readonly make = Effect.fnUntraced(function* <R>(handlers: ReadonlyArray<JobHandler<R>>) {
    const context = yield* Effect.context<R>()
    const byKind = new Map<string, JobHandler>()
    for (const handler of handlers) {
      if (byKind.has(handler.kind)) return yield* new DuplicateJobKind({ kind: handler.kind })
      byKind.set(handler.kind, {
        ...handler,
        run: (payload: unknown, jobContext: JobContext) =>
          Effect.provideContext(handler.run(payload, jobContext), context)
      })
    }
    return JobHandlers.of({ kinds: [...byKind.keys()], get: (kind) => byKind.get(kind) })
  })
}
