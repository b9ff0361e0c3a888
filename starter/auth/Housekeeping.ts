// Removes what sign-in no longer needs, every hour: rate-limit buckets whose window is long over, used or
// expired e-mail tokens, and sessions that ended more than 30 days ago (kept that long for investigations;
// the audit log keeps the events for good).
import { Clock, Context, Duration, Effect, Layer, Schedule } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { Store } from "../../core/store/Store.ts"
import { AuthSettings } from "./AuthSettings.ts"
import { asSystem } from "./internal/system.ts"

/** How many rows one sweep removed. */
export interface SweepReport {
  readonly buckets: number
  readonly tokens: number
  readonly sessions: number
}

const sessionRetention = Duration.days(30)

/** The sweep, and a layer that runs it hourly for as long as the portal runs. */
export class AuthHousekeeping extends Context.Service<
  AuthHousekeeping,
  { readonly sweep: Effect.Effect<SweepReport, SqlError> }
>()("portico/starter/AuthHousekeeping") {
  static readonly layer = Layer.effect(
    AuthHousekeeping,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const settings = yield* AuthSettings
      const run = asSystem(yield* Store, "sign-in housekeeping")
      const longestWindow = Math.max(
        Duration.toMillis(settings.rateLimits.perEmail.window),
        Duration.toMillis(settings.rateLimits.perIp.window)
      )
      const sweep = Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        return yield* run(
          Effect.gen(function* () {
            const buckets = yield* sql`delete from portico.auth_rate_limits
              where window_start < ${new Date(now - longestWindow)} returning bucket`
            const tokens = yield* sql`delete from portico.auth_login_tokens
              where expires_at < ${new Date(now)} or used_at is not null returning token_hash`
            const sessions = yield* sql`delete from portico.auth_sessions
              where coalesce(revoked_at, expires_at) < ${new Date(now - Duration.toMillis(sessionRetention))}
              returning id_hash`
            return { buckets: buckets.length, tokens: tokens.length, sessions: sessions.length }
          })
        )
      })
      yield* Effect.forkScoped(
        sweep.pipe(
          Effect.catchCause((cause) => Effect.logWarning("sign-in housekeeping failed", cause)),
          Effect.repeat(Schedule.spaced(Duration.hours(1)))
        )
      )
      return AuthHousekeeping.of({ sweep })
    })
  )
}
