// A person at a customer, linked to one or more accounts with a role on each.
import { Schema } from "effect"
import { AccountId, ContactId, SourceRef } from "./Ids.ts"

/**
 * What a contact is to an account. `admin` manages the account's contacts and may do everything;
 * `finance-approver` pays; `ap-contact` (accounts payable) views, downloads and reads statements;
 * `viewer` only views.
 */
export const ContactRole = Schema.Literals(["admin", "finance-approver", "ap-contact", "viewer"])
export type ContactRole = typeof ContactRole.Type

/** One contact-to-account link. */
export const AccountLink = Schema.Struct({ accountId: AccountId, role: ContactRole })
export type AccountLink = typeof AccountLink.Type

/** An e-mail address, compared case-insensitively (stored lower-cased). */
export const Email = Schema.String.check(
  Schema.isMaxLength(254),
  Schema.isPattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { expected: "an e-mail address" })
).pipe(Schema.brand("Email"))
export type Email = typeof Email.Type

/** A contact person. */
export const Contact = Schema.Struct({
  id: ContactId,
  source: SourceRef,
  email: Email,
  name: Schema.String,
  phone: Schema.optionalKey(Schema.String),
  links: Schema.Array(AccountLink)
})
export type Contact = typeof Contact.Type
