// What a durable job is: a kind with a payload Schema and a handler, a retry policy (exponential back-off
// capped at a maximum), and the record the queue keeps of each job (status, attempts, lease, last error).
import { Duration, Effect, Schema } from "effect"

/** A job kind: namespaced kebab-case, "payments/autopay-charge", "reminders/send". */
export const JobKind = Schema.String.check(
  Schema.isPattern(/^[a-z][a-z0-9-]*(\/[a-z][a-z0-9-]*)*$/, { expected: "a kind such as payments/autopay-charge" })
)
export type JobKind = typeof JobKind.Type

/**
 * Where a job is: `queued` (waiting for its `runAt`), `running` (claimed, under a lease), `succeeded`,
 * `dead` (failed `maxAttempts` times; kept with its last error until re-queued).
 */
export const JobStatus = Schema.Literals(["queued", "running", "succeeded", "dead"])
export type JobStatus = typeof JobStatus.Type

/** Exponential back-off: `base × factor^(attempt-1)`, capped at `max`. */
export interface RetryPolicy {
  readonly maxAttempts: number
  readonly base: Duration.Input
  readonly factor: number
  readonly max: Duration.Input
}

/** Five attempts, 10 s, 20 s, 40 s, 80 s apart (at most an hour). */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, base: "10 seconds", factor: 2, max: "1 hour" }

/** The delay before attempt `attempt + 1`, after `attempt` (1-based) failed attempts. */
export const backoffMillis = (policy: RetryPolicy, attempt: number): number => {
  const base = Duration.toMillis(Duration.fromInputUnsafe(policy.base))
  const max = Duration.toMillis(Duration.fromInputUnsafe(policy.max))
  const delay = base * policy.factor ** Math.max(0, attempt - 1)
  return Math.round(Math.min(max, delay))
}

/** What a handler learns about the run it is in. */
export interface JobContext {
  readonly jobId: string
  readonly kind: string
  /** 1 on the first run. */
  readonly attempt: number
  readonly maxAttempts: number
  /** The job's dedupe key, when it was enqueued with one. */
  readonly dedupeKey: string | null
}

/**
 * A kind of job: its payload Schema (stored as JSON) and its handler. A handler may run more than once for
 * one job (a worker that dies mid-job leaves it to be retried after the lease), so it must be idempotent.
 */
export interface JobDefinition<Payload, E, R> {
  readonly kind: JobKind
  readonly payload: Schema.Codec<Payload, unknown>
  readonly retry?: Partial<RetryPolicy>
  /** How long a claim lasts before another worker may take the job over (default 5 minutes). */
  readonly lease?: Duration.Input
  readonly run: (payload: Payload, context: JobContext) => Effect.Effect<void, E, R>
}

/**
 * A job kind with its payload type erased: decodes the stored JSON and runs the handler. What workers and
 * plugin lists hold, since definitions of different payloads cannot share one array type.
 */
export interface JobHandler<R = never> {
  readonly kind: JobKind
  readonly retry: RetryPolicy
  readonly leaseMillis: number
  readonly run: (payload: unknown, context: JobContext) => Effect.Effect<void, unknown, R>
  /** Encodes a payload for the queue (fails when it does not match the kind's Schema). */
  readonly encode: (payload: unknown) => Effect.Effect<unknown, JobPayloadInvalid>
}

/** Declares a job kind (checks the kind at definition time: definitions are literals in code). */
export const defineJob = <Payload, E, R>(definition: JobDefinition<Payload, E, R>): JobDefinition<Payload, E, R> => {
  Schema.decodeUnknownSync(JobKind)(definition.kind)
  return definition
}

/** The default lease: a job claimed by a worker that then vanishes is taken over after 5 minutes. */
export const defaultLease: Duration.Input = "5 minutes"

/** The definition as a handler: its payload decoded from the stored JSON before the handler runs. */
export const handlerOf = <Payload, E, R>(definition: JobDefinition<Payload, E, R>): JobHandler<R> => {
  const decode = Schema.decodeUnknownEffect(definition.payload)
  const encode = Schema.encodeUnknownEffect(definition.payload)
  const invalid = (error: { readonly message: string }) =>
    new JobPayloadInvalid({ kind: definition.kind, detail: error.message })
  return {
    kind: definition.kind,
    retry: { ...defaultRetryPolicy, ...definition.retry },
    leaseMillis: Duration.toMillis(Duration.fromInputUnsafe(definition.lease ?? defaultLease)),
    run: (payload, context) =>
      Effect.flatMap(Effect.mapError(decode(payload), invalid), (decoded) => definition.run(decoded, context)),
    encode: (payload) => Effect.mapError(encode(payload), invalid)
  }
}

/** One job as the queue holds it. */
export interface JobRecord {
  readonly id: string
  readonly kind: string
  readonly payload: unknown
  readonly status: JobStatus
  readonly runAt: Date
  readonly attempts: number
  readonly maxAttempts: number
  readonly lockedBy: string | null
  readonly lockedUntil: Date | null
  readonly lastError: string | null
  readonly dedupeKey: string | null
  readonly createdAt: Date
  readonly finishedAt: Date | null
}

/** No job has this id. */
export class JobNotFound extends Schema.TaggedError<JobNotFound>()("JobNotFound", { jobId: Schema.String }) {
  override get message(): string {
    return `job ${this.jobId} not found`
  }
}

/** Only dead jobs can be re-queued. */
export class JobNotDead extends Schema.TaggedError<JobNotDead>()("JobNotDead", {
  jobId: Schema.String,
  status: Schema.String
}) {
  override get message(): string {
    return `job ${this.jobId} is ${this.status}, only dead jobs can be re-queued`
  }
}

/** A job's payload does not match its kind's Schema (on enqueue, or when a worker reads it back). */
export class JobPayloadInvalid extends Schema.TaggedError<JobPayloadInvalid>()("JobPayloadInvalid", {
  kind: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `invalid payload for job kind ${this.kind}: ${this.detail}`
  }
}
