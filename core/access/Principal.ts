// Who is acting: a signed-in contact, the holder of a signed link, or the system; and the scope each one reaches.
import { Context, Schema } from "effect"
import { AccountLink } from "../domain/Contact.ts"
import { AccountId, ContactId, InvoiceId } from "../domain/Ids.ts"
import { Permission } from "./Permission.ts"

/** A signed-in contact. Its scope is every account it is linked to; `activeAccountId` is the one it is looking at. */
export const ContactPrincipal = Schema.TaggedStruct("ContactPrincipal", {
  contactId: ContactId,
  links: Schema.Array(AccountLink),
  activeAccountId: AccountId
})
export type ContactPrincipal = typeof ContactPrincipal.Type

/**
 * The holder of a verified signed link. The link reaches one account, or only one invoice of it when
 * `invoiceId` is set, and grants exactly `permissions` there.
 */
export const LinkPrincipal = Schema.TaggedStruct("LinkPrincipal", {
  linkId: Schema.String.check(Schema.isNonEmpty()),
  accountId: AccountId,
  invoiceId: Schema.optionalKey(InvoiceId),
  /** The contact the link was sent to, when it was sent to one (recorded in the audit log). */
  contactId: Schema.optionalKey(ContactId),
  permissions: Schema.Array(Permission)
})
export type LinkPrincipal = typeof LinkPrincipal.Type

/** A background job or an operator command; unscoped, so every use must say why. */
export const SystemPrincipal = Schema.TaggedStruct("SystemPrincipal", {
  reason: Schema.String.check(Schema.isNonEmpty())
})
export type SystemPrincipal = typeof SystemPrincipal.Type

/** Anyone who can act on the store. */
export const Principal = Schema.Union([ContactPrincipal, LinkPrincipal, SystemPrincipal]).pipe(
  Schema.toTaggedUnion("_tag")
)
export type Principal = typeof Principal.Type

/**
 * The principal of the current request or job. Repositories require it, so a customer query without a
 * principal does not type-check; jobs provide a `SystemPrincipal` explicitly.
 */
export class CurrentPrincipal extends Context.Service<CurrentPrincipal, Principal>()(
  "portico/core/access/CurrentPrincipal"
) {}

/**
 * What a principal may read: a set of accounts, optionally narrowed to one invoice, or "system" (no
 * restriction). This is what the store writes into the transaction's settings for row-level security.
 */
export type Scope = { readonly accountIds: ReadonlyArray<AccountId>; readonly invoiceId?: InvoiceId } | "system"

/** The data scope of a principal. A contact reaches all its linked accounts (deduplicated, in link order). */
export const scopeOf = (principal: Principal): Scope => {
  switch (principal._tag) {
    case "ContactPrincipal":
      return { accountIds: [...new Set(principal.links.map((link) => link.accountId))] }
    case "LinkPrincipal":
      return principal.invoiceId === undefined
        ? { accountIds: [principal.accountId] }
        : { accountIds: [principal.accountId], invoiceId: principal.invoiceId }
    case "SystemPrincipal":
      return "system"
  }
}

/** A system principal for a named job or command. */
export const system = (reason: string): SystemPrincipal => SystemPrincipal.make({ reason })
