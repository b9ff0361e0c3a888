// Where the payer's forms may send the browser: the configured provider's hosted checkout, and the origin of
// a provider reached at another address (a test server); nothing for settings that do not decode.
import { assert, describe, it } from "@effect/vitest"
import { checkoutOriginsOf } from "../../../plugins/payments/CheckoutOrigins.ts"

const stripe = { kind: "stripe", secretKey: "sk_test_1", webhookSecret: "whsec_1" }
const mollie = { kind: "mollie", apiKey: "test_1", webhookUrl: "https://portal.example/webhooks/payments/mollie" }

describe("checkoutOriginsOf", () => {
  it("is the provider's hosted checkout", () => {
    assert.deepStrictEqual(checkoutOriginsOf({ provider: stripe }), ["https://checkout.stripe.com"])
    assert.deepStrictEqual(checkoutOriginsOf({ provider: mollie }), ["https://www.mollie.com"])
  })

  it("adds the origin of a provider at another address, without its path", () => {
    assert.deepStrictEqual(checkoutOriginsOf({ provider: { ...stripe, apiBaseUrl: "http://127.0.0.1:4321/api/" } }), [
      "https://checkout.stripe.com",
      "http://127.0.0.1:4321"
    ])
    assert.deepStrictEqual(checkoutOriginsOf({ provider: { ...mollie, apiBaseUrl: "https://api.mollie.com" } }), [
      "https://www.mollie.com",
      "https://api.mollie.com"
    ])
  })

  it("adds no base URL that is not a plain origin", () => {
    const base = (apiBaseUrl: string) => checkoutOriginsOf({ provider: { ...stripe, apiBaseUrl } })
    for (const bad of ["http://[::1", "http://user@host;script-src/", "https://checkout.stripe.com/"]) {
      assert.deepStrictEqual(base(bad), ["https://checkout.stripe.com"], bad)
    }
  })

  it("gives none for settings that do not decode (the plugin fails start-up itself)", () => {
    assert.deepStrictEqual(checkoutOriginsOf({ provider: { kind: "paypal" } }), [])
    assert.deepStrictEqual(checkoutOriginsOf(undefined), [])
  })
})
