// The one error every ERP adapter fails with. Like effect's SqlError, the `reason` says what went wrong
// and whether a retry can help; messages never contain secrets (see Secrets.ts).
import { type Duration, Predicate, Schema } from "effect"

const ReasonFields = {
  /** What went wrong, for a person; never contains credentials. */
  message: Schema.String,
  /** What the adapter was doing ("check", "read invoices", "GET /ARInvoices"). */
  operation: Schema.optionalKey(Schema.String),
  /** The underlying failure, for debugging; must not carry credentials (no request objects with headers). */
  cause: Schema.optionalKey(Schema.Defect())
}

/** The source could not be reached: DNS, refused, reset, TLS, a file that cannot be opened now. Retryable. */
export class Connection extends Schema.TaggedError<Connection>()("Connection", ReasonFields) {
  get retryable(): boolean {
    return true
  }
}

/** The credentials were refused (401/403, bad API key, wrong password). Not retryable. */
export class Authentication extends Schema.TaggedError<Authentication>()("Authentication", ReasonFields) {
  get retryable(): boolean {
    return false
  }
}

/** The source asked us to slow down (429). Retryable, after `retryAfter` when the source said. */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  ...ReasonFields,
  retryAfter: Schema.optionalKey(Schema.Duration)
}) {
  get retryable(): boolean {
    return true
  }
}

/** A configured resource does not exist (company, endpoint, file, table). Not retryable. */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", ReasonFields) {
  get retryable(): boolean {
    return false
  }
}

/** The source's data or a stored cursor is not in the shape the adapter expects as a whole. Not retryable. */
export class SchemaMismatch extends Schema.TaggedError<SchemaMismatch>()("SchemaMismatch", ReasonFields) {
  get retryable(): boolean {
    return false
  }
}

/** The source did not answer in time. Retryable. */
export class Timeout extends Schema.TaggedError<Timeout>()("Timeout", ReasonFields) {
  get retryable(): boolean {
    return true
  }
}

/** Anything else; `transient` says whether the adapter believes a retry can help (a 5xx: yes). */
export class Unknown extends Schema.TaggedError<Unknown>()("Unknown", {
  ...ReasonFields,
  transient: Schema.Boolean
}) {
  get retryable(): boolean {
    return this.transient
  }
}

/** Why an adapter operation failed. */
export const ErpErrorReason = Schema.Union([
  Connection,
  Authentication,
  RateLimited,
  NotFound,
  SchemaMismatch,
  Timeout,
  Unknown
])
export type ErpErrorReason = typeof ErpErrorReason.Type

/** The error of every adapter operation (`check`, `discover`, `read`, `writeBack`). */
export class ErpError extends Schema.TaggedError<ErpError>()("ErpError", {
  reason: ErpErrorReason
}) {
  override get message(): string {
    const operation = this.reason.operation === undefined ? "" : ` during ${this.reason.operation}`
    return `${this.reason._tag}${operation}: ${this.reason.message}`
  }
  /** Whether retrying the operation can help. */
  get retryable(): boolean {
    return this.reason.retryable
  }
  /** How long the source asked us to wait, for a RateLimited reason that said. */
  get retryAfter(): Duration.Duration | undefined {
    return this.reason._tag === "RateLimited" ? this.reason.retryAfter : undefined
  }
}

/** Whether a value is an ErpError. */
export const isErpError = (u: unknown): u is ErpError => Predicate.isTagged(u, "ErpError")

type ReasonInput = { readonly message: string; readonly operation?: string; readonly cause?: unknown }

/** Shorthands: `ErpErrors.connection({ message, operation })` builds an ErpError with that reason. */
export const ErpErrors = {
  connection: (input: ReasonInput) => new ErpError({ reason: new Connection(input) }),
  authentication: (input: ReasonInput) => new ErpError({ reason: new Authentication(input) }),
  rateLimited: (input: ReasonInput & { readonly retryAfter?: Duration.Duration }) =>
    new ErpError({ reason: new RateLimited(input) }),
  notFound: (input: ReasonInput) => new ErpError({ reason: new NotFound(input) }),
  schemaMismatch: (input: ReasonInput) => new ErpError({ reason: new SchemaMismatch(input) }),
  timeout: (input: ReasonInput) => new ErpError({ reason: new Timeout(input) }),
  unknown: (input: ReasonInput & { readonly transient: boolean }) => new ErpError({ reason: new Unknown(input) })
} as const
