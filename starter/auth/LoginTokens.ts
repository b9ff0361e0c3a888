// Single-use, short-lived e-mail sign-in tokens: the mail carries the token, the table keeps its sha256,
// and consuming it is one conditional UPDATE, so two clicks cannot both sign in.
import { Clock, Context, Duration, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { ContactId } from "../../core/domain/Ids.ts"
import { Store } from "../../core/store/Store.ts"
import { AuthSettings } from "./AuthSettings.ts"
import { randomToken, sha256Hex } from "./internal/crypto.ts"
import { asSystem } from "./internal/system.ts"

/** The token is unknown, already used, or expired. */
export class LoginTokenRejected extends Schema.TaggedError<LoginTokenRejected>()("LoginTokenRejected", {
  reason: Schema.Literals(["unknown", "used", "expired"])
}) {}

const Consumed = Schema.Struct({ contact_id: ContactId, return_to: Schema.NullOr(Schema.String) })
const decodeConsumed = Schema.decodeUnknownSync(Schema.Array(Consumed))
const State = Schema.Struct({ used_at: Schema.NullOr(Schema.Date), expires_at: Schema.Date })
const decodeState = Schema.decodeUnknownSync(Schema.Array(State))

/** E-mail sign-in tokens. */
export class LoginTokens extends Context.Service<
  LoginTokens,
  {
    /** A new token for the contact, valid for the configured e-mail link lifetime. */
    readonly issue: (contactId: ContactId, returnTo: string | undefined) => Effect.Effect<string, SqlError>
    /** Uses the token up; gives the contact and the return-to path it was issued with. */
    readonly consume: (
      token: string
    ) => Effect.Effect<
      { readonly contactId: ContactId; readonly returnTo: string | undefined },
      LoginTokenRejected | SqlError
    >
  }
>()("portico/starter/LoginTokens") {
  static readonly layer = Layer.effect(
    LoginTokens,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const settings = yield* AuthSettings
      const run = asSystem(yield* Store, "e-mail sign-in tokens")

      const issue = Effect.fn("LoginTokens.issue")(function* (contactId: ContactId, returnTo: string | undefined) {
        const now = yield* Clock.currentTimeMillis
        const token = randomToken()
        const expires = new Date(now + Duration.toMillis(settings.emailLinkTtl))
        yield* run(
          sql`insert into portico.auth_login_tokens (token_hash, contact_id, return_to, created_at, expires_at)
            values (${sha256Hex(token)}, ${contactId}, ${returnTo ?? null}, ${new Date(now)}, ${expires})`
        )
        return token
      })

      const consume = Effect.fn("LoginTokens.consume")(function* (token: string) {
        const now = new Date(yield* Clock.currentTimeMillis)
        const hash = sha256Hex(token)
        return yield* run(
          Effect.gen(function* () {
            const rows = decodeConsumed(
              yield* sql`update portico.auth_login_tokens set used_at = ${now}
                where token_hash = ${hash} and used_at is null and expires_at > ${now}
                returning contact_id, return_to`
            )
            const row = rows[0]
            if (row !== undefined) return { contactId: row.contact_id, returnTo: row.return_to ?? undefined }
            const state = decodeState(
              yield* sql`select used_at, expires_at from portico.auth_login_tokens where token_hash = ${hash}`
            )[0]
            const reason = state === undefined ? "unknown" : state.used_at !== null ? "used" : "expired"
            return yield* new LoginTokenRejected({ reason })
          })
        )
      })

      return LoginTokens.of({ issue, consume })
    })
  )
}
