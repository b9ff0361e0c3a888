// Who may do what where: the role table for contacts, the grants of signed links, and the typed denial.
import { Effect, Schema } from "effect"
import type { ContactRole } from "../domain/Contact.ts"
import { AccountId, InvoiceId } from "../domain/Ids.ts"
import { allPermissions, Permission } from "./Permission.ts"
import { CurrentPrincipal, type Principal } from "./Principal.ts"

/**
 * What each contact role may do on an account it is linked to. `admin` may do everything;
 * `finance-approver` views, downloads, pays and reads statements; `ap-contact` views, downloads and reads
 * statements; `viewer` only views.
 */
export const rolePermissions: { readonly [R in ContactRole]: ReadonlyArray<Permission> } = {
  admin: allPermissions,
  "finance-approver": ["view-invoices", "download", "pay", "view-statements"],
  "ap-contact": ["view-invoices", "download", "view-statements"],
  viewer: ["view-invoices"]
}

/** True when the role's row of the table holds the permission. */
export const roleGrants = (role: ContactRole, permission: Permission): boolean =>
  rolePermissions[role].includes(permission)

/**
 * Whether the principal may use `permission` on `accountId` (and, when given, on the one invoice
 * `invoiceId` of it).
 *
 * - A contact needs a link to the account whose role grants the permission (any link, not only the active
 *   account: the active account is what the UI shows, not a limit on rights).
 * - A signed link needs its own account and its own permission list; a link to one invoice answers only for
 *   that invoice, so an account-wide check (no `invoiceId`) or another invoice is refused. A link never
 *   manages contacts, whatever it lists: whoever holds a forwarded URL must not gain control of the account.
 * - The system may do everything.
 */
export const can = (
  principal: Principal,
  permission: Permission,
  accountId: AccountId,
  invoiceId?: InvoiceId
): boolean => {
  switch (principal._tag) {
    case "ContactPrincipal":
      return principal.links.some((link) => link.accountId === accountId && roleGrants(link.role, permission))
    case "LinkPrincipal":
      return (
        permission !== "manage-contacts" &&
        principal.accountId === accountId &&
        principal.permissions.includes(permission) &&
        (principal.invoiceId === undefined || principal.invoiceId === invoiceId)
      )
    case "SystemPrincipal":
      return true
  }
}

/** A principal tried something it may not do. Carries no secrets: the kind of principal, never a token. */
export class PermissionDenied extends Schema.TaggedError<PermissionDenied>()("PermissionDenied", {
  principal: Schema.Literals(["ContactPrincipal", "LinkPrincipal", "SystemPrincipal"]),
  permission: Permission,
  accountId: AccountId,
  invoiceId: Schema.optionalKey(InvoiceId)
}) {
  override get message(): string {
    const target = this.invoiceId === undefined ? `account ${this.accountId}` : `invoice ${this.invoiceId}`
    return `${this.principal} may not ${this.permission} on ${target}`
  }
}

/** Succeeds when `can` allows it, fails with `PermissionDenied` otherwise. */
export const authorize = (
  principal: Principal,
  permission: Permission,
  accountId: AccountId,
  invoiceId?: InvoiceId
): Effect.Effect<void, PermissionDenied> =>
  can(principal, permission, accountId, invoiceId)
    ? Effect.void
    : Effect.fail(
        new PermissionDenied({
          principal: principal._tag,
          permission,
          accountId,
          ...(invoiceId === undefined ? {} : { invoiceId })
        })
      )

/** `authorize` for the current principal. */
export const requirePermission = Effect.fn("Permissions.requirePermission")(function* (
  permission: Permission,
  accountId: AccountId,
  invoiceId?: InvoiceId
) {
  const principal = yield* CurrentPrincipal
  return yield* authorize(principal, permission, accountId, invoiceId)
})
