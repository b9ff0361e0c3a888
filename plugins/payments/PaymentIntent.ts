// A payment intent: what a checkout (or an AutoPay charge, or a method-saving setup) is for — the account,
// the amount, the invoices targeted — and where it stands with the provider. Rows of `portico.payment_intents`.
import { createHash } from "node:crypto"
import { Schema } from "effect"
import { CurrencyCode } from "../../core/domain/Currency.ts"
import type { Money } from "../../core/domain/Money.ts"

/** A stored intent. */
export interface IntentRecord {
  readonly id: string
  readonly accountId: string
  readonly kind: string
  readonly amount: Money
  readonly targets: ReadonlyArray<{ readonly invoiceId: string; readonly amountMinor: number }>
  readonly providerRef: string | null
  readonly status: string
  readonly paymentId: string | null
  readonly checkoutUrl: string | null
}

const Minor = Schema.Union([Schema.BigInt, Schema.String, Schema.Number])
const IntentRow = Schema.Struct({
  id: Schema.String,
  account_id: Schema.String,
  kind: Schema.String,
  currency: CurrencyCode,
  amount_minor: Minor,
  targets: Schema.Array(Schema.Struct({ invoiceId: Schema.String, amountMinor: Schema.Number })),
  provider_ref: Schema.NullOr(Schema.String),
  status: Schema.String,
  payment_id: Schema.NullOr(Schema.String),
  checkout_url: Schema.NullOr(Schema.String)
})
const decodeIntents = Schema.decodeUnknownSync(Schema.Array(IntentRow))
/** A decoded row as a record. */
export const toIntent = (row: typeof IntentRow.Type): IntentRecord => ({
  id: row.id,
  accountId: row.account_id,
  kind: row.kind,
  amount: { currency: row.currency, minor: Number(row.amount_minor) },
  targets: row.targets,
  providerRef: row.provider_ref,
  status: row.status,
  paymentId: row.payment_id,
  checkoutUrl: row.checkout_url
})
/** Decodes intent rows (a row that does not decode is a defect: the schema and the SQL disagree). */
export const readIntents = (rows: ReadonlyArray<unknown>) => decodeIntents(rows).map(toIntent)

/**
 * The intent id of an attempt the client keyed (`pi` checkouts, `setup` method savings): the same account and
 * key give the same id, so a page can name its return URL before the checkout exists and a repeated submit
 * finds the first checkout.
 */
export const keyedIntentId = (prefix: "pi" | "setup", accountId: string, key: string): string =>
  `${prefix}-${createHash("sha256").update(`${accountId}\u001f${key}`).digest("hex").slice(0, 32)}`
