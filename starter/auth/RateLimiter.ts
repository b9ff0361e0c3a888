// Sign-in attempt limits kept in PostgreSQL (a fixed window per bucket), so they hold across processes
// and restarts. Buckets are named by purpose and a sha256 of the key, so no e-mail address is stored.
import { Clock, Context, Duration, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { Store } from "../../core/store/Store.ts"
import type { RateLimit } from "./AuthSettings.ts"
import { sha256Hex } from "./internal/crypto.ts"
import { asSystem } from "./internal/system.ts"

/** Too many attempts in the current window. */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  bucket: Schema.String,
  retryAfterSeconds: Schema.Int
}) {
  override get message(): string {
    return `too many attempts; retry in ${this.retryAfterSeconds} s`
  }
}

const Row = Schema.Struct({ hits: Schema.Number, window_start: Schema.Date })
const decode = Schema.decodeUnknownSync(Schema.Array(Row))

/** Counts attempts per bucket in the database. */
export class RateLimiter extends Context.Service<
  RateLimiter,
  {
    /**
     * Counts one attempt in `purpose`/`key` and fails with RateLimited when the window's count exceeds the
     * limit (the attempt is still counted, so hammering keeps the bucket closed).
     */
    readonly hit: (purpose: string, key: string, limit: RateLimit) => Effect.Effect<void, RateLimited | SqlError>
    /**
     * Fails with RateLimited when the bucket is already full, without counting: for limits that count only
     * failures (`peek` before the attempt, `hit` after a failed one).
     */
    readonly peek: (purpose: string, key: string, limit: RateLimit) => Effect.Effect<void, RateLimited | SqlError>
  }
>()("portico/starter/RateLimiter") {
  static readonly layer = Layer.effect(
    RateLimiter,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const run = asSystem(yield* Store, "sign-in rate limit")
      const hit = Effect.fn("RateLimiter.hit")(function* (purpose: string, key: string, limit: RateLimit) {
        const now = yield* Clock.currentTimeMillis
        const windowMillis = Duration.toMillis(limit.window)
        const bucket = `${purpose}:${sha256Hex(key)}`
        const cutoff = new Date(now - windowMillis)
        const rows = yield* run(
          sql`insert into portico.auth_rate_limits as b (bucket, window_start, hits) values (${bucket}, ${new Date(now)}, 1)
            on conflict (bucket) do update set
              hits = case when b.window_start <= ${cutoff} then 1 else b.hits + 1 end,
              window_start = case when b.window_start <= ${cutoff} then ${new Date(now)} else b.window_start end
            returning hits, window_start`
        )
        const row = decode(rows)[0]
        if (row !== undefined && row.hits > limit.limit) {
          const retryAfterSeconds = Math.max(1, Math.ceil((row.window_start.getTime() + windowMillis - now) / 1000))
          return yield* new RateLimited({ bucket: purpose, retryAfterSeconds })
        }
      })
      const peek = Effect.fn("RateLimiter.peek")(function* (purpose: string, key: string, limit: RateLimit) {
        const now = yield* Clock.currentTimeMillis
        const windowMillis = Duration.toMillis(limit.window)
        const rows = yield* run(
          sql`select hits, window_start from portico.auth_rate_limits
            where bucket = ${`${purpose}:${sha256Hex(key)}`} and window_start > ${new Date(now - windowMillis)}`
        )
        const row = decode(rows)[0]
        if (row !== undefined && row.hits >= limit.limit) {
          const retryAfterSeconds = Math.max(1, Math.ceil((row.window_start.getTime() + windowMillis - now) / 1000))
          return yield* new RateLimited({ bucket: purpose, retryAfterSeconds })
        }
      })

      return RateLimiter.of({ hit, peek })
    })
  )
}
