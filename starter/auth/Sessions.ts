// Server-side sessions: the cookie carries a random id with an HMAC; the table keeps the id's sha256, the
// principal it stands for, its stage (waiting for a second factor, or complete) and its expiry. A session
// is refused once revoked, expired, or when the signed link it came from is revoked.
import { Clock, Context, Duration, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { Permission } from "../../core/access/Permission.ts"
import { ContactPrincipal, CurrentPrincipal, LinkPrincipal, system } from "../../core/access/Principal.ts"
import type { LinkGrant } from "../../core/access/SignedLink.ts"
import { AccountLink } from "../../core/domain/Contact.ts"
import { AccountId, ContactId, InvoiceId } from "../../core/domain/Ids.ts"
import { Store } from "../../core/store/Store.ts"
import { AuthSettings, deriveKey } from "./AuthSettings.ts"
import type { ClientInfo } from "./ClientInfo.ts"
import { mac, randomToken, sameString, sha256Hex } from "./internal/crypto.ts"

/** A session's stage: signed in, or waiting for the contact's second factor (TOTP or a recovery code). */
export type SessionStage = "second-factor" | "complete"

/** A live session. */
export interface Session {
  /** sha256 of the session id: how the server names the session (revocation, audit). */
  readonly idHash: string
  readonly principal: ContactPrincipal | LinkPrincipal
  readonly stage: SessionStage
  /** Where to go once signed in (a validated local path), if the sign-in started from a deep link. */
  readonly returnTo: string | undefined
  readonly expiresAt: Date
}

/** Who a new session is for. */
export type SessionSubject =
  | { readonly kind: "contact"; readonly contactId: ContactId; readonly activeAccountId?: AccountId }
  | { readonly kind: "link"; readonly grant: LinkGrant }

const Row = Schema.Struct({
  id_hash: Schema.String,
  kind: Schema.Literals(["contact", "link"]),
  contact_id: Schema.NullOr(ContactId),
  link_id: Schema.NullOr(Schema.String),
  account_id: AccountId,
  invoice_id: Schema.NullOr(InvoiceId),
  permissions: Schema.Array(Permission),
  stage: Schema.Literals(["second-factor", "complete"]),
  return_to: Schema.NullOr(Schema.String),
  expires_at: Schema.Date,
  revoked_at: Schema.NullOr(Schema.Date),
  link_revoked: Schema.Boolean,
  links: Schema.Array(AccountLink)
})
const decodeRows = Schema.decodeUnknownSync(Schema.Array(Row))
const decodeLinks = Schema.decodeUnknownSync(Schema.Array(AccountLink))

const toPrincipal = (row: typeof Row.Type): ContactPrincipal | LinkPrincipal | undefined => {
  if (row.kind === "link") {
    if (row.link_id === null || row.link_revoked) return undefined
    return LinkPrincipal.make({
      linkId: row.link_id,
      accountId: row.account_id,
      permissions: row.permissions,
      ...(row.invoice_id === null ? {} : { invoiceId: row.invoice_id })
    })
  }
  const first = row.links[0]
  if (row.contact_id === null || first === undefined) return undefined
  // The contact may have lost the active account in a sync since: fall back to one it still has.
  const active = row.links.some((link) => link.accountId === row.account_id) ? row.account_id : first.accountId
  return ContactPrincipal.make({ contactId: row.contact_id, links: row.links, activeAccountId: active })
}

/** The session cookie's value: `<id>.<HMAC of id>`; anything else is ignored without a database read. */
export const cookieValueOf = (key: Buffer, id: string): string => `${id}.${mac(key, id)}`

const idFromCookie = (key: Buffer, value: string): string | undefined => {
  const [id, signature, extra] = value.split(".")
  if (id === undefined || signature === undefined || extra !== undefined || id.length !== 43) return undefined
  return sameString(mac(key, id), signature) ? id : undefined
}

/** The contact has no account link any more (a session for it would see nothing). */
export class NoAccount extends Schema.TaggedError<NoAccount>()("NoAccount", { contactId: Schema.String }) {}

/** Server-side sessions. */
export class Sessions extends Context.Service<
  Sessions,
  {
    /** Opens a session; gives the cookie value to set and the session. */
    readonly create: (
      subject: SessionSubject,
      options: { readonly stage: SessionStage; readonly returnTo?: string | undefined; readonly client: ClientInfo }
    ) => Effect.Effect<{ readonly cookie: string; readonly session: Session }, SqlError | NoAccount>
    /** The live session a cookie value names, if any (a bad MAC, revoked or expired session gives none). */
    readonly resolve: (cookie: string) => Effect.Effect<Option.Option<Session>, SqlError>
    /** Whether a cookie value carries a valid MAC (a forged one is refused without a database read). */
    readonly authentic: (cookie: string) => boolean
    /** Revokes one session now. */
    readonly revoke: (idHash: string) => Effect.Effect<void, SqlError>
    /** Revokes every session of a contact (sign out everywhere). */
    readonly revokeContact: (contactId: ContactId) => Effect.Effect<number, SqlError>
    /** Marks a second-factor session complete. */
    readonly complete: (idHash: string) => Effect.Effect<void, SqlError>
    /** Changes a contact session's active account (the caller checks the contact is linked to it). */
    readonly setActiveAccount: (idHash: string, accountId: AccountId) => Effect.Effect<void, SqlError>
  }
>()("portico/starter/Sessions") {
  static readonly layer = Layer.effect(
    Sessions,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store
      const settings = yield* AuthSettings
      const key = deriveKey(settings.secret, "session")
      const asSystem = <A, E>(effect: Effect.Effect<A, E, CurrentPrincipal>) =>
        store.withScope(effect).pipe(Effect.provideService(CurrentPrincipal, system("portal sign-in sessions")))

      const linksOf = (contactId: ContactId) =>
        sql`select account_id as "accountId", role from portico.contact_account_links
          where contact_id = ${contactId} order by account_id`

      const create = Effect.fn("Sessions.create")(function* (
        subject: SessionSubject,
        options: { readonly stage: SessionStage; readonly returnTo?: string | undefined; readonly client: ClientInfo }
      ) {
        const now = yield* Clock.currentTimeMillis
        const id = randomToken()
        const idHash = sha256Hex(id)
        const sessionEnd = now + Duration.toMillis(settings.sessionTtl)
        const returnTo = options.returnTo ?? null
        const principal = yield* asSystem(
          Effect.gen(function* () {
            if (subject.kind === "link") {
              const grant = subject.grant
              // A link session never outlives the link.
              const until = Math.min(sessionEnd, grant.expiresAt)
              yield* sql`insert into portico.auth_sessions (id_hash, kind, link_id, account_id, invoice_id, permissions,
                  stage, return_to, ip, user_agent, created_at, expires_at)
                values (${idHash}, 'link', ${grant.id}, ${grant.accountId}, ${grant.invoiceId ?? null},
                  ${grant.permissions}::text[], ${options.stage}, ${returnTo}, ${options.client.ip ?? null},
                  ${options.client.userAgent ?? null}, ${new Date(now)}, ${new Date(until)})`
              const link = LinkPrincipal.make({
                linkId: grant.id,
                accountId: grant.accountId,
                permissions: grant.permissions,
                ...(grant.invoiceId === undefined ? {} : { invoiceId: grant.invoiceId })
              })
              return { principal: link, until }
            }
            const links = decodeLinks(yield* linksOf(subject.contactId))
            const active =
              subject.activeAccountId !== undefined && links.some((l) => l.accountId === subject.activeAccountId)
                ? subject.activeAccountId
                : links[0]?.accountId
            if (active === undefined) return yield* new NoAccount({ contactId: subject.contactId })
            yield* sql`insert into portico.auth_sessions (id_hash, kind, contact_id, account_id, stage, return_to, ip,
                user_agent, created_at, expires_at)
              values (${idHash}, 'contact', ${subject.contactId}, ${active}, ${options.stage}, ${returnTo},
                ${options.client.ip ?? null}, ${options.client.userAgent ?? null}, ${new Date(now)}, ${new Date(sessionEnd)})`
            const contact = ContactPrincipal.make({ contactId: subject.contactId, links, activeAccountId: active })
            return { principal: contact, until: sessionEnd }
          })
        )
        const session: Session = {
          idHash,
          principal: principal.principal,
          stage: options.stage,
          returnTo: options.returnTo,
          expiresAt: new Date(principal.until)
        }
        return { cookie: cookieValueOf(key, id), session }
      })

      const resolveId = (id: string) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const rows = yield* asSystem(
            sql`select s.id_hash, s.kind, s.contact_id, s.link_id, s.account_id, s.invoice_id, s.permissions, s.stage,
                s.return_to, s.expires_at, s.revoked_at,
                coalesce((select l.revoked_at is not null from portico.signed_links l where l.id = s.link_id), false)
                  as link_revoked,
                coalesce((select jsonb_agg(jsonb_build_object('accountId', c.account_id, 'role', c.role)
                  order by c.account_id) from portico.contact_account_links c where c.contact_id = s.contact_id),
                  '[]'::jsonb) as links
              from portico.auth_sessions s where s.id_hash = ${sha256Hex(id)}`
          )
          const row = decodeRows(rows)[0]
          if (row === undefined || row.revoked_at !== null || row.expires_at.getTime() <= now) return Option.none()
          const principal = toPrincipal(row)
          if (principal === undefined) return Option.none()
          return Option.some<Session>({
            idHash: row.id_hash,
            principal,
            stage: row.stage,
            returnTo: row.return_to ?? undefined,
            expiresAt: row.expires_at
          })
        })

      const resolve = Effect.fn("Sessions.resolve")(function* (cookie: string) {
        const id = idFromCookie(key, cookie)
        if (id === undefined) return Option.none<Session>()
        return yield* resolveId(id)
      })

      const revoke = Effect.fn("Sessions.revoke")(function* (idHash: string) {
        const now = yield* Clock.currentTimeMillis
        yield* asSystem(
          sql`update portico.auth_sessions set revoked_at = coalesce(revoked_at, ${new Date(now)}) where id_hash = ${idHash}`
        )
      })

      const revokeContact = Effect.fn("Sessions.revokeContact")(function* (contactId: ContactId) {
        const now = yield* Clock.currentTimeMillis
        const rows = yield* asSystem(
          sql`update portico.auth_sessions set revoked_at = ${new Date(now)}
            where contact_id = ${contactId} and revoked_at is null returning id_hash`
        )
        return rows.length
      })

      const complete = Effect.fn("Sessions.complete")(function* (idHash: string) {
        yield* asSystem(sql`update portico.auth_sessions set stage = 'complete' where id_hash = ${idHash}`)
      })

      const setActiveAccount = Effect.fn("Sessions.setActiveAccount")(function* (idHash: string, accountId: AccountId) {
        yield* asSystem(
          sql`update portico.auth_sessions set account_id = ${accountId} where id_hash = ${idHash} and kind = 'contact'`
        )
      })

      const authentic = (cookie: string) => idFromCookie(key, cookie) !== undefined

      return Sessions.of({ create, resolve, authentic, revoke, revokeContact, complete, setActiveAccount })
    })
  )
}
