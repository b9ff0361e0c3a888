// The payments plugin's settings, resolved once at start (defaults filled in, minimums parsed to money)
// and provided as a service to the payment service and the jobs.
import { Context, Layer, Result, Schema } from "effect"
import { CurrencyCode } from "../../core/domain/Currency.ts"
import { fromDecimal, type Money } from "../../core/domain/Money.ts"
import type { PaymentsConfig } from "./PaymentsConfig.ts"

/** Resolved settings. */
export interface ResolvedPaymentsSettings {
  readonly provider: "stripe" | "mollie"
  /** The smallest partial payment per currency code. */
  readonly minimumPartial: ReadonlyMap<string, Money>
  readonly advancePayments: boolean
  readonly receiptFormat: string
  readonly receiptLocale: string
  readonly autoPaySchedule: string
  readonly autoPayTimeZone: string
  /** The portal's public origin for the provider's return URLs; absent: the request's own origin. */
  readonly portalUrl?: string
}

/** A minimum that is not an amount in its currency (too many decimals, an unknown code). */
export class InvalidMinimum extends Schema.TaggedError<InvalidMinimum>()("InvalidMinimum", {
  currency: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `plugin "payments": invalid config at minimumPartialPayment.${this.currency}: ${this.detail}`
  }
}

const decodeCurrency = Schema.decodeUnknownResult(CurrencyCode)

/** Fills in defaults and parses the minimums. */
export const resolveSettings = (config: PaymentsConfig): Result.Result<ResolvedPaymentsSettings, InvalidMinimum> => {
  const minimumPartial = new Map<string, Money>()
  for (const [code, value] of Object.entries(config.minimumPartialPayment ?? {})) {
    const currency = decodeCurrency(code)
    if (Result.isFailure(currency))
      return Result.fail(new InvalidMinimum({ currency: code, detail: "not a currency code" }))
    const amount = fromDecimal(currency.success, value)
    if (Result.isFailure(amount))
      return Result.fail(new InvalidMinimum({ currency: code, detail: amount.failure.message }))
    minimumPartial.set(code, amount.success)
  }
  return Result.succeed({
    provider: config.provider.kind,
    minimumPartial,
    advancePayments: config.advancePayments ?? true,
    receiptFormat: config.receiptFormat ?? "pdf",
    receiptLocale: config.receiptLocale ?? "en",
    autoPaySchedule: config.autoPaySchedule ?? "0 6 * * *",
    autoPayTimeZone: config.autoPayTimeZone ?? "UTC",
    ...(config.portalUrl === undefined ? {} : { portalUrl: config.portalUrl.replace(/\/$/, "") })
  })
}

/** The settings in force. */
export class PaymentsSettings extends Context.Service<PaymentsSettings, ResolvedPaymentsSettings>()(
  "portico/plugins/payments/PaymentsSettings"
) {
  static readonly layer = (settings: ResolvedPaymentsSettings): Layer.Layer<PaymentsSettings> =>
    Layer.succeed(PaymentsSettings, settings)
}
