// The customer company whose invoices a portal shows; the unit of data isolation.
import { Schema } from "effect"
import { CurrencyCode } from "./Currency.ts"
import { AccountId, SourceRef } from "./Ids.ts"

/** A postal address as the ERP gives it; every part optional because ERPs differ. */
export const Address = Schema.Struct({
  lines: Schema.Array(Schema.String),
  city: Schema.optionalKey(Schema.String),
  region: Schema.optionalKey(Schema.String),
  postalCode: Schema.optionalKey(Schema.String),
  /** ISO 3166-1 alpha-2. */
  country: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^[A-Z]{2}$/)))
})
export type Address = typeof Address.Type

/** A billing tier names the feature set the business sells to this customer ("standard", "premium"). */
export const Tier = Schema.String.check(Schema.isPattern(/^[a-z][a-z0-9-]{0,39}$/)).pipe(Schema.brand("Tier"))
export type Tier = typeof Tier.Type

/** A customer account. */
export const Account = Schema.Struct({
  id: AccountId,
  source: SourceRef,
  /** The customer number the business uses on its documents. */
  number: Schema.String.check(Schema.isNonEmpty()),
  name: Schema.String.check(Schema.isNonEmpty()),
  tier: Tier,
  /** The currency the account is usually billed in; invoices may still use others. */
  currency: CurrencyCode,
  email: Schema.optionalKey(Schema.String),
  taxId: Schema.optionalKey(Schema.String),
  billingAddress: Schema.optionalKey(Address)
})
export type Account = typeof Account.Type
