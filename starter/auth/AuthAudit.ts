// Audit entries for sign-in events (sign-in, failed attempts, denials, sign-out, account switches, links),
// with the request's IP address and user agent.
import { Context, Effect, Layer } from "effect"
import type { HttpServerRequest } from "effect/http"
import type { SqlError } from "effect/sql/SqlError"
import { CurrentPrincipal, type Principal, system } from "../../core/access/Principal.ts"
import type { AuditOutcome, AuditRecord } from "../../core/audit/AuditEntry.ts"
import { AuditLog } from "../../core/audit/AuditLog.ts"
import type { AccountId } from "../../core/domain/Ids.ts"
import type { AuthSettings } from "./AuthSettings.ts"
import { clientInfo } from "./ClientInfo.ts"

/** The sign-in actions this module records. */
export type AuthAction =
  | "sign-in"
  | "sign-in-requested"
  | "second-factor"
  | "sign-out"
  | "account-switch"
  | "session-refused"
  | "csrf-refused"
  | "link-created"
  | "link-revoked"
  | "totp-enabled"
  | "api-key-refused"

/** One sign-in event. */
export interface AuthEvent {
  readonly action: AuthAction
  readonly outcome: AuditOutcome
  readonly reason?: string
  /** Who acted; the system ("portal sign-in") when nobody is signed in yet. */
  readonly principal?: Principal
  /** The account the event concerns; the principal's active account by default, else the system chain. */
  readonly accountId?: AccountId
  readonly records?: ReadonlyArray<AuditRecord>
}

/** Records sign-in events in the audit log. */
export class AuthAudit extends Context.Service<
  AuthAudit,
  {
    readonly record: (
      event: AuthEvent
    ) => Effect.Effect<void, SqlError, HttpServerRequest.HttpServerRequest | AuthSettings>
  }
>()("portico/starter/AuthAudit") {
  static readonly layer = Layer.effect(
    AuthAudit,
    Effect.gen(function* () {
      const audit = yield* AuditLog
      const record = Effect.fn("AuthAudit.record")(function* (event: AuthEvent) {
        const client = yield* clientInfo
        yield* audit
          .append({
            action: event.action,
            outcome: event.outcome,
            ...(event.reason === undefined ? {} : { reason: event.reason }),
            ...(event.accountId === undefined ? {} : { accountId: event.accountId }),
            ...(event.records === undefined ? {} : { records: event.records }),
            ...(client.ip === undefined ? {} : { ip: client.ip }),
            ...(client.userAgent === undefined ? {} : { userAgent: client.userAgent })
          })
          .pipe(Effect.provideService(CurrentPrincipal, event.principal ?? system("portal sign-in")))
      })
      return AuthAudit.of({ record })
    })
  )
}
