// Signed links: a compact HMAC-signed token that lets someone without an account open one account's or one
// invoice's pages until it expires or is revoked. Time always comes from the caller or the Clock.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import { Clock, Context, Duration, Effect, Layer, Redacted, Result, Schema } from "effect"
import { AccountId, ContactId, InvoiceId } from "../domain/Ids.ts"
import { Permission } from "./Permission.ts"
import { LinkPrincipal } from "./Principal.ts"

/** What a link grants: one account (or one invoice of it), some permissions, until `expiresAt`. */
export const LinkGrant = Schema.Struct({
  /** The link's id: what revocation and the audit log refer to. */
  id: Schema.String.check(Schema.isPattern(/^[A-Za-z0-9_-]{1,64}$/)),
  accountId: AccountId,
  /** When set, the link opens this invoice and nothing else. */
  invoiceId: Schema.optionalKey(InvoiceId),
  /** The contact the link was sent to, if any. */
  contactId: Schema.optionalKey(ContactId),
  permissions: Schema.Array(Permission),
  /** Epoch milliseconds; the link is refused from this instant on. */
  expiresAt: Schema.Int
})
export type LinkGrant = typeof LinkGrant.Type

/** One HMAC key. The id is written into every token so verification knows which key to use. */
export const SigningKey = Schema.Struct({
  id: Schema.String.check(Schema.isPattern(/^[A-Za-z0-9_-]{1,32}$/)),
  /** At least 32 characters of secret. */
  secret: Schema.RedactedFromValue(Schema.String.check(Schema.isMinLength(32)))
})
export type SigningKey = typeof SigningKey.Type

/**
 * The keys in force, newest first: tokens are signed with the first and verified with whichever key their
 * id names, so a new key can be put in front while links signed with the old one keep working until the
 * old key is dropped from the list.
 */
export const SigningKeys = Schema.NonEmptyArray(SigningKey)
export type SigningKeys = typeof SigningKeys.Type

/** The token is not a token: wrong shape, wrong characters, or a payload that does not decode. */
export class LinkMalformed extends Schema.TaggedError<LinkMalformed>()("LinkMalformed", {}) {
  override get message(): string {
    return "the link is malformed"
  }
}

/** The signature does not match (the token was changed, or was signed with a key no longer in force). */
export class LinkTampered extends Schema.TaggedError<LinkTampered>()("LinkTampered", {}) {
  override get message(): string {
    return "the link's signature is not valid"
  }
}

/** The link was valid but its time is up. */
export class LinkExpired extends Schema.TaggedError<LinkExpired>()("LinkExpired", {
  linkId: Schema.String,
  expiresAt: Schema.Int
}) {
  override get message(): string {
    return `the link ${this.linkId} expired at ${new Date(this.expiresAt).toISOString()}`
  }
}

/** The link was valid but has been revoked. */
export class LinkRevoked extends Schema.TaggedError<LinkRevoked>()("LinkRevoked", { linkId: Schema.String }) {
  override get message(): string {
    return `the link ${this.linkId} has been revoked`
  }
}

/** The revocation list could not be read, so the link cannot be honoured. */
export class RevocationUnavailable extends Schema.TaggedError<RevocationUnavailable>()("RevocationUnavailable", {
  cause: Schema.Defect()
}) {}

/** Any reason a token is refused before revocation is looked at. */
export type LinkRejected = LinkMalformed | LinkTampered | LinkExpired

/**
 * The revocation list: a port, implemented by the store (its `signed_links` table) and in memory for tests.
 */
export class RevokedLinks extends Context.Service<
  RevokedLinks,
  { readonly isRevoked: (linkId: string) => Effect.Effect<boolean, RevocationUnavailable> }
>()("portico/core/access/RevokedLinks") {
  /** A fixed revocation list held in memory. */
  static readonly layerMemory = (revoked: Iterable<string>): Layer.Layer<RevokedLinks> => {
    const ids = new Set(revoked)
    return Layer.succeed(RevokedLinks, { isRevoked: (linkId) => Effect.succeed(ids.has(linkId)) })
  }
}

const GrantJson = Schema.fromJsonString(LinkGrant)
const encodeGrant = Schema.encodeSync(GrantJson)
const decodeGrant = Schema.decodeUnknownResult(GrantJson)

const segment = /^[A-Za-z0-9_-]+$/
const macLength = 43 // 32 bytes of HMAC-SHA256 in unpadded base64url
const maxTokenLength = 4096

// The MAC covers the key id and the payload exactly as written, so no character of either can change
// without the MAC input changing.
const mac = (key: SigningKey, keyId: string, payload: string): string =>
  createHmac("sha256", Redacted.value(key.secret)).update(`${keyId}.${payload}`).digest("base64url")

/** Signs a grant with the first key: `<key id>.<payload base64url>.<HMAC-SHA256 base64url>`. */
export const sign = (keys: SigningKeys, grant: LinkGrant): string => {
  const key = keys[0]
  const payload = Buffer.from(encodeGrant(grant), "utf8").toString("base64url")
  return `${key.id}.${payload}.${mac(key, key.id, payload)}`
}

/**
 * Checks a token's shape, signature and expiry at `nowMillis` (expired from `expiresAt` on, inclusive).
 * Does not look at revocation: see `verify`.
 */
export const decode = (keys: SigningKeys, token: string, nowMillis: number): Result.Result<LinkGrant, LinkRejected> => {
  if (token.length > maxTokenLength) return Result.fail(new LinkMalformed())
  const parts = token.split(".")
  const [keyId, payload, signature] = parts
  if (
    parts.length !== 3 ||
    keyId === undefined ||
    payload === undefined ||
    signature === undefined ||
    !segment.test(keyId) ||
    !segment.test(payload) ||
    !segment.test(signature) ||
    signature.length !== macLength
  ) {
    return Result.fail(new LinkMalformed())
  }
  const key = keys.find((candidate) => candidate.id === keyId)
  if (key === undefined) return Result.fail(new LinkTampered())
  // Comparing the encoded strings (not decoded bytes) refuses non-canonical base64url spellings of the MAC.
  const expected = Buffer.from(mac(key, keyId, payload), "ascii")
  if (!timingSafeEqual(expected, Buffer.from(signature, "ascii"))) return Result.fail(new LinkTampered())
  const grant = decodeGrant(Buffer.from(payload, "base64url").toString("utf8"))
  if (Result.isFailure(grant)) return Result.fail(new LinkMalformed())
  if (nowMillis >= grant.success.expiresAt) {
    return Result.fail(new LinkExpired({ linkId: grant.success.id, expiresAt: grant.success.expiresAt }))
  }
  return Result.succeed(grant.success)
}

/** The principal a verified grant stands for. */
export const principalOf = (grant: LinkGrant): LinkPrincipal =>
  LinkPrincipal.make({
    linkId: grant.id,
    accountId: grant.accountId,
    permissions: grant.permissions,
    ...(grant.invoiceId === undefined ? {} : { invoiceId: grant.invoiceId }),
    ...(grant.contactId === undefined ? {} : { contactId: grant.contactId })
  })

/** A fresh, unguessable link id (96 random bits). */
export const newLinkId = (): string => randomBytes(12).toString("base64url")

/** Issuing and verifying signed links with the configured keys. */
export class SignedLinks extends Context.Service<
  SignedLinks,
  {
    /** Signs a link valid for `ttl` from the Clock's now; gives the token and the grant it carries. */
    readonly issue: (
      scope: Omit<LinkGrant, "id" | "expiresAt">,
      ttl: Duration.Input
    ) => Effect.Effect<{ readonly token: string; readonly grant: LinkGrant }>
    /** Verifies a token at the Clock's now, then checks revocation; gives the link's principal. */
    readonly verify: (token: string) => Effect.Effect<LinkPrincipal, LinkRejected | LinkRevoked | RevocationUnavailable>
  }
>()("portico/core/access/SignedLinks") {
  /** Signed links with these keys, checking revocation with `RevokedLinks`. */
  static readonly layer = (keys: SigningKeys): Layer.Layer<SignedLinks, never, RevokedLinks> =>
    Layer.effect(
      SignedLinks,
      Effect.gen(function* () {
        const revoked = yield* RevokedLinks
        const issue = Effect.fn("SignedLinks.issue")(function* (
          scope: Omit<LinkGrant, "id" | "expiresAt">,
          ttl: Duration.Input
        ) {
          const now = yield* Clock.currentTimeMillis
          const grant: LinkGrant = { ...scope, id: newLinkId(), expiresAt: now + Duration.toMillis(ttl) }
          return { token: sign(keys, grant), grant }
        })
        const verify = Effect.fn("SignedLinks.verify")(function* (token: string) {
          const now = yield* Clock.currentTimeMillis
          const grant = yield* Effect.fromResult(decode(keys, token, now))
          if (yield* revoked.isRevoked(grant.id)) return yield* new LinkRevoked({ linkId: grant.id })
          return principalOf(grant)
        })
        return { issue, verify }
      })
    )
}
