// Where the current request comes from, for the audit entries the use cases write. Routes set it per
// request; background callers leave the default (no address, no user agent).
import { Context } from "effect"

/** The client of the current request. */
export interface AuditClient {
  readonly ip?: string | undefined
  readonly userAgent?: string | undefined
}

/** The current request's client; empty outside a request. */
export const AuditContext = Context.Reference<AuditClient>("portico/core/portal/AuditContext", {
  defaultValue: () => ({})
})
