// Signed links as stored records (the token format is core/access/SignedLink.ts): issued links with their
// scope and expiry, revocation, and the store's implementation of the RevokedLinks port.
import { Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { Permission } from "../access/Permission.ts"
import { CurrentPrincipal, system } from "../access/Principal.ts"
import { type LinkGrant, RevocationUnavailable, RevokedLinks } from "../access/SignedLink.ts"
import { AccountId, ContactId, InvoiceId } from "../domain/Ids.ts"
import { decodeRows } from "./internal/rows.ts"
import { Store, serviceScope } from "./Store.ts"
import { NotFound } from "./StoreErrors.ts"

/** A stored link: its grant, when it was issued and when (if ever) it was revoked. */
export interface StoredLink {
  readonly grant: LinkGrant
  readonly createdAt: Date
  readonly revokedAt: Date | null
}

const Row = Schema.Struct({
  id: Schema.String,
  account_id: AccountId,
  invoice_id: Schema.NullOr(InvoiceId),
  contact_id: Schema.NullOr(ContactId),
  permissions: Schema.Array(Permission),
  created_at: Schema.Date,
  expires_at: Schema.Date,
  revoked_at: Schema.NullOr(Schema.Date)
})
const decode = decodeRows(Row)

const toStored = (row: typeof Row.Type): StoredLink => ({
  grant: {
    id: row.id,
    accountId: row.account_id,
    ...(row.invoice_id === null ? {} : { invoiceId: row.invoice_id }),
    ...(row.contact_id === null ? {} : { contactId: row.contact_id }),
    permissions: row.permissions,
    expiresAt: row.expires_at.getTime()
  },
  createdAt: row.created_at,
  revokedAt: row.revoked_at
})

type Scoped<A, E = never> = Effect.Effect<A, E | SqlError, CurrentPrincipal>

/** Stored signed links. Writes need a principal the database lets write them (the system). */
export class SignedLinkStore extends Context.Service<
  SignedLinkStore,
  {
    /** Records an issued link (idempotent on its id). */
    readonly insert: (grant: LinkGrant) => Scoped<void>
    /** One link; NotFound when it does not exist or is outside the scope. */
    readonly find: (id: string) => Scoped<StoredLink, NotFound>
    /** An account's links, newest first. */
    readonly forAccount: (accountId: AccountId) => Scoped<ReadonlyArray<StoredLink>>
    /** Revokes a link at `at` (a second revocation keeps the first time); NotFound when unknown. */
    readonly revoke: (id: string, at: Date) => Scoped<void, NotFound>
  }
>()("portico/core/store/SignedLinkStore") {
  static readonly layer = Layer.effect(
    SignedLinkStore,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store
      const columns = sql`id, account_id, invoice_id, contact_id, permissions, created_at, expires_at, revoked_at`
      const inScope = Effect.map(serviceScope, (scope) =>
        scope === undefined ? sql`true` : sql`account_id = any(${scope.accountIds}::text[])`
      )

      const insert = Effect.fn("SignedLinkStore.insert")(function* (grant: LinkGrant) {
        yield* store.withScope(
          sql`insert into portico.signed_links (id, account_id, invoice_id, contact_id, permissions, expires_at)
            values (${grant.id}, ${grant.accountId}, ${grant.invoiceId ?? null}, ${grant.contactId ?? null},
              ${grant.permissions}::text[], ${new Date(grant.expiresAt).toISOString()}::timestamptz)
            on conflict (id) do nothing`
        )
      })

      const find = Effect.fn("SignedLinkStore.find")(function* (id: string) {
        return yield* store.withScope(
          Effect.gen(function* () {
            const where = yield* inScope
            const rows =
              yield* sql`select ${columns} from portico.signed_links where ${sql.and([where, sql`id = ${id}`])}`
            const row = decode(rows)[0]
            if (row === undefined) return yield* new NotFound({ kind: "signed-link", id })
            return toStored(row)
          })
        )
      })

      const forAccount = Effect.fn("SignedLinkStore.forAccount")(function* (accountId: AccountId) {
        return yield* store.withScope(
          Effect.gen(function* () {
            const where = yield* inScope
            const rows = yield* sql`select ${columns} from portico.signed_links
              where ${sql.and([where, sql`account_id = ${accountId}`])} order by created_at desc, id`
            return decode(rows).map(toStored)
          })
        )
      })

      const revoke = Effect.fn("SignedLinkStore.revoke")(function* (id: string, at: Date) {
        return yield* store.withScope(
          Effect.gen(function* () {
            const rows =
              yield* sql`update portico.signed_links set revoked_at = coalesce(revoked_at, ${at.toISOString()}::timestamptz)
              where id = ${id} returning id`
            if (rows.length === 0) return yield* new NotFound({ kind: "signed-link", id })
          })
        )
      })

      return SignedLinkStore.of({ insert, find, forAccount, revoke })
    })
  )

  /**
   * The RevokedLinks port backed by the `signed_links` table: a link is revoked when its row has a
   * `revoked_at`. Reads as the system (the link's holder is not yet a principal); a database failure is
   * RevocationUnavailable, so a link is never honoured when revocation cannot be checked.
   */
  static readonly revokedLinks = Layer.effect(
    RevokedLinks,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store
      const principal = system("signed link revocation check")
      return RevokedLinks.of({
        isRevoked: (linkId) =>
          store
            .withScope(
              sql<{
                revoked: boolean
              }>`select revoked_at is not null as revoked from portico.signed_links where id = ${linkId}`
            )
            .pipe(
              Effect.map((rows) => rows[0]?.revoked === true),
              Effect.provideService(CurrentPrincipal, principal),
              Effect.mapError((cause) => new RevocationUnavailable({ cause }))
            )
      })
    })
  )
}
