// The things a principal may be allowed to do in the portal; the vocabulary shared by roles and signed links.
import { Schema } from "effect"

/**
 * One permission. `view-invoices` lists and opens invoices; `download` fetches documents and exports;
 * `pay` starts a payment; `view-statements` reads statements and the account summary; `manage-contacts`
 * invites and removes the account's contacts.
 */
export const Permission = Schema.Literals(["view-invoices", "download", "pay", "view-statements", "manage-contacts"])
export type Permission = typeof Permission.Type

/** Every permission, in a stable order. */
export const allPermissions: ReadonlyArray<Permission> = Permission.literals
