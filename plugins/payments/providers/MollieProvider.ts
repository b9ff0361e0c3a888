// Mollie: the Payments API (JSON, amounts as decimal strings, `Idempotency-Key` on creates), customers and
// mandates for saved methods (a "first" payment creates the mandate, "recurring" payments charge it), and
// refunds. Mollie's webhooks are unsigned and carry only `id=tr_...`: the payment is always fetched from the
// API, so a forged id finds nothing and a real one tells the truth whatever the webhook claimed.
import { Effect, Layer, Result, Schema } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import { CurrencyCode } from "../../../core/domain/Currency.ts"
import { fromDecimal, type Money, toDecimal } from "../../../core/domain/Money.ts"
import { providerApi } from "../internal/providerHttp.ts"
import {
  PaymentProvider,
  type PaymentProviderShape,
  ProviderError,
  type ProviderPayment,
  type ProviderPaymentStatus,
  WebhookRejected
} from "../PaymentProvider.ts"

/** Mollie settings. */
export const MollieConfig = Schema.Struct({
  /** `live_...` / `test_...`. */
  apiKey: Schema.RedactedFromValue(Schema.String.check(Schema.isNonEmpty())),
  /** Where Mollie posts status changes (the portal's `/webhooks/payments/mollie`). */
  webhookUrl: Schema.String.check(Schema.isPattern(/^https?:\/\/[^\s]+$/)),
  /** Default https://api.mollie.com (a test server in tests). */
  apiBaseUrl: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^https?:\/\/[^\s]+$/)))
})
export type MollieConfig = typeof MollieConfig.Type

const provider = "mollie"

/** Where Mollie hosts its checkout (a payment's `_links.checkout`): the payer's browser is sent there. */
export const hostedCheckoutOrigin = "https://www.mollie.com"

const Amount = Schema.Struct({ currency: Schema.String, value: Schema.String })
const Payment = Schema.Struct({
  id: Schema.String,
  status: Schema.String,
  amount: Amount,
  method: Schema.optionalKey(Schema.NullOr(Schema.String)),
  metadata: Schema.optionalKey(Schema.NullOr(Schema.Record(Schema.String, Schema.String))),
  customerId: Schema.optionalKey(Schema.NullOr(Schema.String)),
  mandateId: Schema.optionalKey(Schema.NullOr(Schema.String)),
  _links: Schema.optionalKey(
    Schema.Struct({ checkout: Schema.optionalKey(Schema.NullOr(Schema.Struct({ href: Schema.String }))) })
  )
})
type Payment = typeof Payment.Type
const Customer = Schema.Struct({ id: Schema.String })
const Refund = Schema.Struct({ id: Schema.String })
const decodeCurrency = Schema.decodeUnknownSync(CurrencyCode)

const amountOf = (money: Money) => ({ currency: money.currency, value: toDecimal(money) })

const statusOf = (status: string): ProviderPaymentStatus =>
  status === "paid"
    ? "succeeded"
    : status === "failed"
      ? "failed"
      : status === "canceled" || status === "expired"
        ? "canceled"
        : "pending"

/** Builds the provider over an HttpClient. */
export const make = Effect.fnUntraced(function* (config: MollieConfig) {
  const client = yield* HttpClient.HttpClient
  const api = providerApi(client, { provider, base: config.apiBaseUrl ?? "https://api.mollie.com", key: config.apiKey })
  const post = <A, I>(
    path: string,
    body: unknown,
    idempotencyKey: string,
    schema: Schema.Codec<A, I>,
    operation: string
  ) => api.post(path, HttpClientRequest.bodyJsonUnsafe(body), idempotencyKey, schema, operation)
  const get = api.get

  const toPayment = (payment: Payment, operation: string): Effect.Effect<ProviderPayment, ProviderError> => {
    const amount = fromDecimal(decodeCurrency(payment.amount.currency), payment.amount.value)
    if (Result.isFailure(amount)) {
      return Effect.fail(new ProviderError({ provider, operation, detail: amount.failure.message, retryable: false }))
    }
    const reference = payment.metadata?.reference
    const saved =
      payment.customerId && payment.mandateId && payment.status === "paid"
        ? { customerRef: payment.customerId, methodRef: payment.mandateId, label: payment.method ?? "mandate" }
        : undefined
    return Effect.succeed({
      providerRef: payment.id,
      status: statusOf(payment.status),
      amount: amount.success,
      ...(reference === undefined ? {} : { reference }),
      ...(payment.method === undefined || payment.method === null ? {} : { method: payment.method }),
      ...(saved === undefined ? {} : { saved })
    })
  }

  const checkoutUrl = (payment: Payment, operation: string) => {
    const href = payment._links?.checkout?.href
    return href === undefined
      ? Effect.fail(
          new ProviderError({ provider, operation, detail: "the payment has no checkout link", retryable: false })
        )
      : Effect.succeed({ providerRef: payment.id, url: href })
  }

  const shape: PaymentProviderShape = {
    id: provider,
    createCheckout: Effect.fn("MollieProvider.createCheckout")(function* (request) {
      const payment = yield* post(
        "/v2/payments",
        {
          amount: amountOf(request.amount),
          description: request.description,
          redirectUrl: request.returnUrl,
          cancelUrl: request.cancelUrl,
          webhookUrl: config.webhookUrl,
          metadata: { reference: request.reference, invoices: request.invoiceNumbers.join(",") }
        },
        request.idempotencyKey,
        Payment,
        "create payment"
      )
      return yield* checkoutUrl(payment, "create payment")
    }),
    fetchPayment: Effect.fn("MollieProvider.fetchPayment")(function* (providerRef) {
      if (!/^tr_\w+$/.test(providerRef)) {
        return yield* new ProviderError({
          provider,
          operation: "fetch payment",
          status: 404,
          detail: "not a payment id",
          retryable: false
        })
      }
      return yield* toPayment(yield* get(`/v2/payments/${providerRef}`, Payment, "fetch payment"), "fetch payment")
    }),
    verifyWebhook: ({ body }) => {
      const id = new URLSearchParams(new TextDecoder().decode(body)).get("id")
      return id !== null && /^tr_\w+$/.test(id)
        ? Effect.succeed({ eventId: id, providerRef: id })
        : Effect.fail(new WebhookRejected({ provider, reason: "the body carries no payment id" }))
    },
    refund: Effect.fn("MollieProvider.refund")(function* (providerRef, amount, idempotencyKey) {
      const refund = yield* post(
        `/v2/payments/${providerRef}/refunds`,
        { amount: amountOf(amount) },
        idempotencyKey,
        Refund,
        "refund"
      )
      return refund.id
    }),
    createSetup: Effect.fn("MollieProvider.createSetup")(function* (request) {
      const customer =
        request.customer.existingRef ??
        (yield* post(
          "/v2/customers",
          { name: request.customer.name, email: request.customer.email, metadata: { reference: request.reference } },
          `${request.idempotencyKey}:customer`,
          Customer,
          "create customer"
        )).id
      // A zero-amount "first" card payment creates the mandate without charging anything.
      const payment = yield* post(
        "/v2/payments",
        {
          amount: amountOf({ currency: request.currency, minor: 0 }),
          description: "Save a card for AutoPay",
          redirectUrl: request.returnUrl,
          cancelUrl: request.cancelUrl,
          webhookUrl: config.webhookUrl,
          customerId: customer,
          sequenceType: "first",
          method: "creditcard",
          metadata: { reference: request.reference }
        },
        request.idempotencyKey,
        Payment,
        "create setup"
      )
      return yield* checkoutUrl(payment, "create setup")
    }),
    chargeOffSession: Effect.fn("MollieProvider.chargeOffSession")(function* (charge) {
      const payment = yield* post(
        "/v2/payments",
        {
          amount: amountOf(charge.amount),
          description: charge.description,
          webhookUrl: config.webhookUrl,
          customerId: charge.method.customerRef,
          mandateId: charge.method.methodRef,
          sequenceType: "recurring",
          metadata: { reference: charge.reference }
        },
        charge.idempotencyKey,
        Payment,
        "charge off-session"
      )
      return yield* toPayment(payment, "charge off-session")
    })
  }
  return shape
})

/** The Mollie provider as the PaymentProvider, over fetch. */
export const layer = (config: MollieConfig): Layer.Layer<PaymentProvider> =>
  Layer.effect(PaymentProvider, make(config)).pipe(Layer.provide(FetchHttpClient.layer))
