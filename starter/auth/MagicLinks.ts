// Magic links for host apps: signed links (core/access/SignedLink) for a contact, an account or one invoice,
// recorded in the store's `signed_links` so they can be listed and revoked. A contact link signs the contact
// in (once: it is single-use); an account or invoice link opens a link session limited to what it names,
// until it expires or is revoked.
import { Clock, Context, Duration, Effect, Layer, Result, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { Permission } from "../../core/access/Permission.ts"
import { rolePermissions } from "../../core/access/Permissions.ts"
import {
  decode,
  type LinkGrant,
  type LinkRejected,
  LinkRevoked,
  newLinkId,
  type RevocationUnavailable,
  RevokedLinks,
  sign
} from "../../core/access/SignedLink.ts"
import { ContactRole } from "../../core/domain/Contact.ts"
import { AccountId, type ContactId, type InvoiceId } from "../../core/domain/Ids.ts"
import { SignedLinkStore, type StoredLink } from "../../core/store/SignedLinkStore.ts"
import { Store } from "../../core/store/Store.ts"
import type { NotFound } from "../../core/store/StoreErrors.ts"
import { AuthSettings } from "./AuthSettings.ts"
import { asSystem } from "./internal/system.ts"
import { paths } from "./Paths.ts"

/** What a host app asks a link for. Give `contactId`, or `accountId`, or `invoiceId` (with or without the others). */
export interface LinkRequest {
  readonly contactId?: ContactId | undefined
  readonly accountId?: AccountId | undefined
  readonly invoiceId?: InvoiceId | undefined
  readonly ttl: Duration.Duration
  /** For account and invoice links (default: view, download, statements, pay; an invoice link gets no statements). */
  readonly permissions?: ReadonlyArray<Permission> | undefined
  /** A portal path to open after signing in (validated by the caller). */
  readonly returnTo?: string | undefined
}

/** An issued link: the URL to send the visitor to, and what it grants. */
export interface IssuedLink {
  readonly url: string
  readonly grant: LinkGrant
  readonly kind: "contact" | "account" | "invoice"
}

/** The request does not name something that exists together (a contact of that account, an invoice of it). */
export class LinkRequestInvalid extends Schema.TaggedError<LinkRequestInvalid>()("LinkRequestInvalid", {
  detail: Schema.String
}) {}

/** A single-use (contact) link was used before. */
export class LinkAlreadyUsed extends Schema.TaggedError<LinkAlreadyUsed>()("LinkAlreadyUsed", {
  linkId: Schema.String
}) {}

/** Longest lifetimes: contact links sign someone in, so they are short. */
export const maxContactLinkTtl = Duration.hours(24)
export const maxLinkTtl = Duration.days(90)

const accountLinkPermissions: ReadonlyArray<Permission> = ["view-invoices", "download", "view-statements", "pay"]
const invoiceLinkPermissions: ReadonlyArray<Permission> = ["view-invoices", "download", "pay"]

const ContactLinkRow = Schema.Struct({ account_id: AccountId, role: ContactRole })
const decodeContactLinks = Schema.decodeUnknownSync(Schema.Array(ContactLinkRow))
const decodeAccountRows = Schema.decodeUnknownSync(Schema.Array(Schema.Struct({ account_id: AccountId })))

/** What following a link gives: the grant and whether it signs a contact in. */
export interface FollowedLink {
  readonly grant: LinkGrant
  readonly signsInContact: ContactId | undefined
}

/** Issuing, listing, revoking and following magic links. */
export class MagicLinks extends Context.Service<
  MagicLinks,
  {
    readonly create: (request: LinkRequest) => Effect.Effect<IssuedLink, LinkRequestInvalid | SqlError>
    readonly list: (accountId: AccountId) => Effect.Effect<ReadonlyArray<StoredLink>, SqlError>
    readonly find: (id: string) => Effect.Effect<StoredLink, NotFound | SqlError>
    readonly revoke: (id: string) => Effect.Effect<StoredLink, NotFound | SqlError>
    /** Verifies a token (signature, expiry, revocation) and, for a contact link, uses it up. */
    readonly follow: (
      token: string
    ) => Effect.Effect<FollowedLink, LinkRejected | LinkRevoked | RevocationUnavailable | LinkAlreadyUsed | SqlError>
    /** The URL that follows `token` (and then opens `returnTo`). */
    readonly urlFor: (token: string, returnTo: string | undefined) => string
  }
>()("portico/starter/MagicLinks") {
  static readonly layer = Layer.effect(
    MagicLinks,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const settings = yield* AuthSettings
      const links = yield* SignedLinkStore
      const revoked = yield* RevokedLinks
      const run = asSystem(yield* Store, "magic links")

      const urlFor = (token: string, returnTo: string | undefined) => {
        const url = new URL(paths.link, settings.publicUrl)
        url.searchParams.set("token", token)
        if (returnTo !== undefined) url.searchParams.set("return_to", returnTo)
        return url.toString()
      }

      const create = Effect.fn("MagicLinks.create")(function* (request: LinkRequest) {
        const now = yield* Clock.currentTimeMillis
        const invoiceAccount =
          request.invoiceId === undefined
            ? undefined
            : decodeAccountRows(
                yield* run(sql`select account_id from portico.invoices where id = ${request.invoiceId}`)
              )[0]?.account_id
        if (request.invoiceId !== undefined && invoiceAccount === undefined) {
          return yield* new LinkRequestInvalid({ detail: "no such invoice" })
        }
        const contactLinks =
          request.contactId === undefined
            ? undefined
            : decodeContactLinks(
                yield* run(
                  sql`select account_id, role from portico.contact_account_links where contact_id = ${request.contactId}
                    order by account_id`
                )
              )
        if (contactLinks !== undefined && contactLinks.length === 0) {
          return yield* new LinkRequestInvalid({ detail: "no such contact, or it has no account" })
        }
        const accountId = invoiceAccount ?? request.accountId ?? contactLinks?.[0]?.account_id
        if (accountId === undefined) {
          return yield* new LinkRequestInvalid({ detail: "give a contactId, an accountId or an invoiceId" })
        }
        if (invoiceAccount === undefined && contactLinks === undefined) {
          const known = yield* run(sql`select id from portico.accounts where id = ${accountId}`)
          if (known.length === 0) return yield* new LinkRequestInvalid({ detail: "no such account" })
        }
        if (request.accountId !== undefined && request.accountId !== accountId) {
          return yield* new LinkRequestInvalid({ detail: "the invoice is not one of that account's" })
        }
        if (contactLinks !== undefined && !contactLinks.some((link) => link.account_id === accountId)) {
          return yield* new LinkRequestInvalid({ detail: "the contact is not linked to that account" })
        }
        const kind =
          request.invoiceId !== undefined ? "invoice" : request.contactId !== undefined ? "contact" : "account"
        const role = contactLinks?.find((link) => link.account_id === accountId)?.role
        const permissions =
          kind === "contact" && role !== undefined
            ? rolePermissions[role]
            : (request.permissions ?? (kind === "invoice" ? invoiceLinkPermissions : accountLinkPermissions))
        const max = kind === "contact" ? maxContactLinkTtl : maxLinkTtl
        const ttl = Duration.min(request.ttl, max)
        const grant: LinkGrant = {
          id: newLinkId(),
          accountId,
          permissions,
          expiresAt: now + Duration.toMillis(ttl),
          ...(request.invoiceId === undefined ? {} : { invoiceId: request.invoiceId }),
          ...(request.contactId === undefined ? {} : { contactId: request.contactId })
        }
        yield* run(links.insert(grant))
        const returnTo =
          request.returnTo ?? (request.invoiceId === undefined ? undefined : paths.invoice(request.invoiceId))
        return { url: urlFor(sign(settings.linkKeys, grant), returnTo), grant, kind } satisfies IssuedLink
      })

      const list = Effect.fn("MagicLinks.list")(function* (accountId: AccountId) {
        return yield* run(links.forAccount(accountId))
      })

      const find = Effect.fn("MagicLinks.find")(function* (id: string) {
        return yield* run(links.find(id))
      })

      const revoke = Effect.fn("MagicLinks.revoke")(function* (id: string) {
        const now = yield* Clock.currentTimeMillis
        yield* run(links.revoke(id, new Date(now)))
        return yield* run(links.find(id))
      })

      const follow = Effect.fn("MagicLinks.follow")(function* (token: string) {
        const now = yield* Clock.currentTimeMillis
        const decoded = decode(settings.linkKeys, token, now)
        if (Result.isFailure(decoded)) return yield* Effect.fail(decoded.failure)
        const grant = decoded.success
        if (yield* revoked.isRevoked(grant.id)) return yield* new LinkRevoked({ linkId: grant.id })
        const signsIn = grant.invoiceId === undefined ? grant.contactId : undefined
        if (signsIn !== undefined) {
          const first = yield* run(
            sql`insert into portico.auth_link_uses (link_id, used_at) values (${grant.id}, ${new Date(now)})
              on conflict (link_id) do nothing returning link_id`
          )
          if (first.length === 0) return yield* new LinkAlreadyUsed({ linkId: grant.id })
        }
        return { grant, signsInContact: signsIn } satisfies FollowedLink
      })

      return MagicLinks.of({ create, list, find, revoke, follow, urlFor })
    })
  )
}
