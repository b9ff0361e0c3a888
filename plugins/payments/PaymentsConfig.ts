// The payments plugin's settings: which provider (Stripe or Mollie, each with its API base URL), the
// smallest partial payment per currency, whether advance payments are taken, the receipt's format and
// locale, and when AutoPay runs. Secrets are Redacted; a bad setting fails at start naming its field.
import { Cron, Result, Schema } from "effect"
import { MollieConfig } from "./providers/MollieProvider.ts"
import { StripeConfig } from "./providers/StripeProvider.ts"

/** The provider and its settings, chosen by `kind`. */
export const ProviderSettings = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("stripe"), ...StripeConfig.fields }),
  Schema.Struct({ kind: Schema.Literal("mollie"), ...MollieConfig.fields })
])
export type ProviderSettings = typeof ProviderSettings.Type

/** A decimal amount in major units ("10.00"). */
const DecimalAmount = Schema.String.check(Schema.isPattern(/^\d+(\.\d+)?$/, { expected: 'an amount such as "10.00"' }))

/** The plugin's settings. */
export const PaymentsConfig = Schema.Struct({
  provider: ProviderSettings,
  /**
   * The smallest amount a partial payment of an invoice may be, per currency (`{ "EUR": "10.00" }`); paying
   * an invoice's whole open balance is always allowed. Absent currencies have no minimum.
   */
  // keys are checked as currency codes when the settings resolve: a record with refined keys would drop a typo
  minimumPartialPayment: Schema.optionalKey(Schema.Record(Schema.String, DecimalAmount)),
  /** Whether customers may pay more than they owe, the rest becoming account credit (default true). */
  advancePayments: Schema.optionalKey(Schema.Boolean),
  /** The renderer format receipts are made in (default "pdf"). */
  receiptFormat: Schema.optionalKey(Schema.String),
  /** The receipt's locale (default "en"). */
  receiptLocale: Schema.optionalKey(Schema.String),
  /** When AutoPay charges what is due: a cron expression (default "0 6 * * *", daily at 06:00) and zone. */
  autoPaySchedule: Schema.optionalKey(
    Schema.String.check(
      Schema.makeFilter((value: string) => Result.isSuccess(Cron.parse(value)) || "a cron expression such as 0 6 * * *")
    )
  ),
  autoPayTimeZone: Schema.optionalKey(Schema.String),
  /**
   * The portal's public URL ("https://billing.example.com"), where the provider sends the payer back after a
   * hosted checkout. Absent: the origin of the payer's own request (the host it reached the portal on).
   */
  portalUrl: Schema.optionalKey(
    Schema.String.check(
      Schema.makeFilter(
        (value: string) =>
          /^https?:\/\/[^/?#\s]+\/?$/.test(value) || "an http(s) origin such as https://billing.example.com"
      )
    )
  )
})
export type PaymentsConfig = typeof PaymentsConfig.Type
