// Scoped reads of accounts and contacts: an account's header, its contacts with their roles, and finding a
// contact by e-mail (for sign-in, as the system: nobody is signed in yet).
import { Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { CurrentPrincipal } from "../access/Principal.ts"
import { Account, Address } from "../domain/Account.ts"
import { type Contact, ContactRole, Contact as ContactSchema } from "../domain/Contact.ts"
import { AccountId, type ContactId } from "../domain/Ids.ts"
import { DbText, decodeRows } from "./internal/rows.ts"
import { Store, serviceScope } from "./Store.ts"
import { NotFound } from "./StoreErrors.ts"

type Scoped<A, E = never> = Effect.Effect<A, E | SqlError, CurrentPrincipal>

const AccountRow = Schema.Struct({
  id: Schema.String,
  source: Schema.String,
  external_id: Schema.String,
  number: Schema.String,
  name: Schema.String,
  tier: Schema.String,
  currency: Schema.String,
  email: DbText,
  tax_id: DbText,
  billing_address: Schema.NullOr(Schema.Unknown)
})
const decodeAccountRows = decodeRows(AccountRow)
const decodeAccount = Schema.decodeUnknownSync(Account)
const decodeAddress = Schema.decodeUnknownSync(Address)

const ContactRow = Schema.Struct({
  id: Schema.String,
  source: Schema.String,
  external_id: Schema.String,
  email: Schema.String,
  name: Schema.String,
  phone: DbText,
  links: Schema.Array(Schema.Struct({ accountId: AccountId, role: ContactRole }))
})
const decodeContactRows = decodeRows(ContactRow)
const decodeContact = Schema.decodeUnknownSync(ContactSchema)

const toContact = (row: typeof ContactRow.Type): Contact =>
  decodeContact({
    id: row.id,
    source: { source: row.source, externalId: row.external_id },
    email: row.email,
    name: row.name,
    ...(row.phone === null ? {} : { phone: row.phone }),
    links: row.links
  })

/** Scoped account and contact reads. */
export class Accounts extends Context.Service<
  Accounts,
  {
    /** The account; NotFound when it is outside the scope. */
    readonly get: (id: AccountId) => Scoped<Account, NotFound>
    /** The accounts the principal reaches, by name. */
    readonly list: Scoped<ReadonlyArray<Account>>
    /** The account's contacts with all their links; NotFound when the account is outside the scope. */
    readonly contacts: (id: AccountId) => Scoped<ReadonlyArray<Contact>, NotFound>
    /** The contact with this e-mail (case-insensitive) and its links; NotFound when there is none in scope. */
    readonly contactByEmail: (email: string) => Scoped<Contact, NotFound>
    /** The contact and its links; NotFound when it is outside the scope. */
    readonly contact: (id: ContactId) => Scoped<Contact, NotFound>
  }
>()("portico/core/store/Accounts") {
  static readonly layer = Layer.effect(
    Accounts,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store

      const accountScope = Effect.map(serviceScope, (scope) =>
        scope === undefined ? sql`true` : sql`a.id = any(${scope.accountIds}::text[])`
      )

      const selectAccounts = (where: ReturnType<typeof sql.and>) =>
        sql`select a.id, a.source, a.external_id, a.number, a.name, a.tier, a.currency, a.email, a.tax_id,
          a.billing_address from portico.accounts a where ${where} order by a.name, a.id`.pipe(
          Effect.map((rows) =>
            decodeAccountRows(rows).map((row) =>
              decodeAccount({
                id: row.id,
                source: { source: row.source, externalId: row.external_id },
                number: row.number,
                name: row.name,
                tier: row.tier,
                currency: row.currency,
                ...(row.email === null ? {} : { email: row.email }),
                ...(row.tax_id === null ? {} : { taxId: row.tax_id }),
                ...(row.billing_address === null ? {} : { billingAddress: decodeAddress(row.billing_address) })
              })
            )
          )
        )

      const get = Effect.fn("Accounts.get")(function* (id: AccountId) {
        const found = yield* store.withScope(
          Effect.flatMap(accountScope, (scope) => selectAccounts(sql.and([scope, sql`a.id = ${id}`])))
        )
        const account = found[0]
        if (account === undefined) return yield* new NotFound({ kind: "account", id })
        return account
      })

      const list = store.withScope(Effect.flatMap(accountScope, (scope) => selectAccounts(sql.and([scope]))))

      const contactColumns = sql`c.id, c.source, c.external_id, c.email, c.name, c.phone,
        coalesce((select jsonb_agg(jsonb_build_object('accountId', l.account_id, 'role', l.role)
          order by l.account_id) from portico.contact_account_links l where l.contact_id = c.id), '[]'::jsonb) as links`

      const contacts = Effect.fn("Accounts.contacts")(function* (id: AccountId) {
        yield* get(id)
        return yield* store.withScope(
          Effect.gen(function* () {
            const rows = yield* sql`select ${contactColumns} from portico.contacts c
              where exists (select 1 from portico.contact_account_links l where l.contact_id = c.id and l.account_id = ${id})
              order by c.name, c.id`
            return decodeContactRows(rows).map(toContact)
          })
        )
      })

      const findContact = (kind: "id" | "email", value: string) =>
        store.withScope(
          Effect.gen(function* () {
            const scope = yield* serviceScope
            const visible =
              scope === undefined
                ? sql`true`
                : sql`exists (select 1 from portico.contact_account_links l
                    where l.contact_id = c.id and l.account_id = any(${scope.accountIds}::text[]))`
            const match = kind === "id" ? sql`c.id = ${value}` : sql`lower(c.email) = lower(${value})`
            const rows = yield* sql`select ${contactColumns} from portico.contacts c where ${sql.and([visible, match])}`
            const row = decodeContactRows(rows)[0]
            if (row === undefined) return yield* new NotFound({ kind: "contact", id: value })
            return toContact(row)
          })
        )

      const contactByEmail = Effect.fn("Accounts.contactByEmail")(function* (email: string) {
        return yield* findContact("email", email)
      })
      const contact = Effect.fn("Accounts.contact")(function* (id: ContactId) {
        return yield* findContact("id", id)
      })

      return Accounts.of({ get, list, contacts, contactByEmail, contact })
    })
  )
}
