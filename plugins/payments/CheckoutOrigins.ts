// The origins the payer's browser is sent to from the portal's forms: the configured provider's hosted
// checkout. The portal's Content-Security-Policy (`form-action`) has to allow them, or the browser stops the
// form's redirect to the checkout.
import { Result, Schema } from "effect"
import { PaymentsConfig, type ProviderSettings } from "./PaymentsConfig.ts"
import * as MollieProvider from "./providers/MollieProvider.ts"
import * as StripeProvider from "./providers/StripeProvider.ts"

/** An http(s) origin and nothing else, so it cannot add a source, keyword or directive to a policy. */
const plainOrigin = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/

/**
 * The provider's hosted checkout origin and, when `apiBaseUrl` is set, that server's origin too: a provider
 * reached at another address (a test server such as the fake Stripe) hands out checkout URLs there.
 */
export const checkoutOrigins = (provider: ProviderSettings): ReadonlyArray<string> => {
  const hosted = provider.kind === "stripe" ? StripeProvider.hostedCheckoutOrigin : MollieProvider.hostedCheckoutOrigin
  const base = provider.apiBaseUrl === undefined ? undefined : URL.parse(provider.apiBaseUrl)?.origin
  return base === undefined || base === hosted || !plainOrigin.test(base) ? [hosted] : [hosted, base]
}

const decodeConfig = Schema.decodeUnknownResult(PaymentsConfig)

/**
 * `checkoutOrigins` for the plugin's raw settings (its section of a config file), for a host building its
 * policy before the plugins start. Settings that do not decode give none: the plugin then fails start-up
 * itself, naming the field.
 */
export const checkoutOriginsOf = (settings: unknown): ReadonlyArray<string> =>
  Result.match(decodeConfig(settings ?? {}), {
    onFailure: () => [],
    onSuccess: (config) => checkoutOrigins(config.provider)
  })
