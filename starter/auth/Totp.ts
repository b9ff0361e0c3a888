// TOTP second factor for contacts who turn it on (RFC 6238, 6 digits, 30 s, SHA-1: what authenticator apps
// expect), with ten single-use recovery codes. Secrets are sealed at rest; a code is accepted once (the
// last used time step is kept), and recovery codes are stored as keyed hashes.
import { randomInt } from "node:crypto"
import { Clock, Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import * as OTPAuth from "otpauth"
import QRCode from "qrcode"
import type { ContactId } from "../../core/domain/Ids.ts"
import { Store } from "../../core/store/Store.ts"
import { AuthSettings, deriveKey } from "./AuthSettings.ts"
import { mac } from "./internal/crypto.ts"
import { open, seal } from "./internal/seal.ts"
import { asSystem } from "./internal/system.ts"

/** A wrong, reused or expired code, or no second factor to check it against. */
export class TotpRejected extends Schema.TaggedError<TotpRejected>()("TotpRejected", {
  reason: Schema.Literals(["wrong-code", "not-enrolled", "already-enabled"])
}) {}

/** What the enrolment page shows: the secret for manual entry, the otpauth URI, and a QR code of it. */
export interface Enrolment {
  readonly secretBase32: string
  readonly uri: string
  /** A `data:image/png;base64,...` URL (the CSP allows `img-src data:`). */
  readonly qrDataUrl: string
}

const period = 30
const recoveryCodeCount = 10
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

const Row = Schema.Struct({
  secret_sealed: Schema.String,
  enabled_at: Schema.NullOr(Schema.Date),
  last_step: Schema.NullOr(Schema.Union([Schema.Number, Schema.String, Schema.BigInt]))
})
const decodeRows = Schema.decodeUnknownSync(Schema.Array(Row))

/** A recovery code as shown: `xxxxx-xxxxx` (about 50 bits). */
const newRecoveryCode = (): string => {
  const chars = Array.from({ length: 10 }, () => recoveryAlphabet[randomInt(recoveryAlphabet.length)] ?? "a")
  return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`
}

const normalizeRecoveryCode = (code: string): string => code.toLowerCase().replace(/[^a-z0-9]/g, "")

/** TOTP enrolment and verification. */
export class Totp extends Context.Service<
  Totp,
  {
    readonly enabled: (contactId: ContactId) => Effect.Effect<boolean, SqlError>
    /** Starts (or restarts) enrolment with a new secret; fails when TOTP is already on. */
    readonly begin: (contactId: ContactId, label: string) => Effect.Effect<Enrolment, TotpRejected | SqlError>
    /** Confirms enrolment with a code from the app; turns TOTP on and gives the recovery codes (shown once). */
    readonly confirm: (
      contactId: ContactId,
      code: string
    ) => Effect.Effect<ReadonlyArray<string>, TotpRejected | SqlError>
    /** Checks a code for sign-in; each time step is accepted once. */
    readonly verify: (contactId: ContactId, code: string) => Effect.Effect<void, TotpRejected | SqlError>
    /** Uses up one recovery code. */
    readonly useRecoveryCode: (contactId: ContactId, code: string) => Effect.Effect<void, TotpRejected | SqlError>
  }
>()("portico/starter/Totp") {
  static readonly layer = Layer.effect(
    Totp,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const settings = yield* AuthSettings
      const run = asSystem(yield* Store, "two-factor sign-in")
      const sealKey = deriveKey(settings.secret, "seal")
      const issuer = settings.publicUrl.hostname

      const rowOf = (contactId: ContactId) =>
        Effect.map(
          sql`select secret_sealed, enabled_at, last_step from portico.auth_totp where contact_id = ${contactId}`,
          (rows) => decodeRows(rows)[0]
        )

      const enabled = Effect.fn("Totp.enabled")(function* (contactId: ContactId) {
        const row = yield* run(rowOf(contactId))
        return row !== undefined && row.enabled_at !== null
      })

      const begin = Effect.fn("Totp.begin")(function* (contactId: ContactId, label: string) {
        const now = new Date(yield* Clock.currentTimeMillis)
        const secret = new OTPAuth.Secret({ size: 20 })
        const totp = new OTPAuth.TOTP({ issuer, label, secret, period, digits: 6, algorithm: "SHA1" })
        const stored = yield* run(
          sql`insert into portico.auth_totp (contact_id, secret_sealed, created_at) values (${contactId},
              ${seal(sealKey, secret.base32)}, ${now})
            on conflict (contact_id) do update set secret_sealed = excluded.secret_sealed, created_at = excluded.created_at,
              last_step = null
            where portico.auth_totp.enabled_at is null
            returning contact_id`
        )
        if (stored.length === 0) return yield* new TotpRejected({ reason: "already-enabled" })
        const uri = totp.toString()
        const qrDataUrl = yield* Effect.promise(() => QRCode.toDataURL(uri, { errorCorrectionLevel: "M", margin: 2 }))
        return { secretBase32: secret.base32, uri, qrDataUrl }
      })

      // The accepted time step for `code`, or undefined: within one step of now, and after the last one used.
      const matchingStep = (sealed: string, code: string, lastStep: number | undefined, now: number) => {
        const base32 = open(sealKey, sealed)
        if (base32 === undefined || !/^\d{6}$/.test(code)) return undefined
        const totp = new OTPAuth.TOTP({
          secret: OTPAuth.Secret.fromBase32(base32),
          period,
          digits: 6,
          algorithm: "SHA1"
        })
        const delta = totp.validate({ token: code, timestamp: now, window: 1 })
        if (delta === null) return undefined
        const step = totp.counter({ timestamp: now }) + delta
        return lastStep !== undefined && step <= lastStep ? undefined : step
      }

      const confirm = Effect.fn("Totp.confirm")(function* (contactId: ContactId, code: string) {
        const now = yield* Clock.currentTimeMillis
        return yield* run(
          Effect.gen(function* () {
            const row = yield* rowOf(contactId)
            if (row === undefined) return yield* new TotpRejected({ reason: "not-enrolled" })
            if (row.enabled_at !== null) return yield* new TotpRejected({ reason: "already-enabled" })
            const step = matchingStep(row.secret_sealed, code.trim(), undefined, now)
            if (step === undefined) return yield* new TotpRejected({ reason: "wrong-code" })
            yield* sql`update portico.auth_totp set enabled_at = ${new Date(now)}, last_step = ${step}
              where contact_id = ${contactId}`
            yield* sql`delete from portico.auth_recovery_codes where contact_id = ${contactId}`
            const codes = Array.from({ length: recoveryCodeCount }, newRecoveryCode)
            for (const recovery of codes) {
              yield* sql`insert into portico.auth_recovery_codes (contact_id, code_hash)
                values (${contactId}, ${recoveryHash(contactId, recovery)})`
            }
            return codes
          })
        )
      })

      const recoveryHash = (contactId: ContactId, code: string) =>
        mac(sealKey, `recovery|${contactId}|${normalizeRecoveryCode(code)}`)

      const verify = Effect.fn("Totp.verify")(function* (contactId: ContactId, code: string) {
        const now = yield* Clock.currentTimeMillis
        yield* run(
          Effect.gen(function* () {
            const row = yield* rowOf(contactId)
            if (row === undefined || row.enabled_at === null) return yield* new TotpRejected({ reason: "not-enrolled" })
            const last = row.last_step === null ? undefined : Number(row.last_step)
            const step = matchingStep(row.secret_sealed, code.trim(), last, now)
            if (step === undefined) return yield* new TotpRejected({ reason: "wrong-code" })
            // Conditional on the step read, so two concurrent uses of one code cannot both pass.
            const updated = yield* sql`update portico.auth_totp set last_step = ${step}
              where contact_id = ${contactId} and (last_step is null or last_step < ${step}) returning contact_id`
            if (updated.length === 0) return yield* new TotpRejected({ reason: "wrong-code" })
          })
        )
      })

      const useRecoveryCode = Effect.fn("Totp.useRecoveryCode")(function* (contactId: ContactId, code: string) {
        const now = new Date(yield* Clock.currentTimeMillis)
        const used = yield* run(
          sql`update portico.auth_recovery_codes set used_at = ${now}
            where contact_id = ${contactId} and code_hash = ${recoveryHash(contactId, code)} and used_at is null
            returning contact_id`
        )
        if (used.length === 0) return yield* new TotpRejected({ reason: "wrong-code" })
      })

      return Totp.of({ enabled, begin, confirm, verify, useRecoveryCode })
    })
  )
}
