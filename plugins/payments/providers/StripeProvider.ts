// Stripe: Checkout Sessions (mode "payment" to pay, mode "setup" to save a card), PaymentIntents for
// off-session charges, refunds; form-encoded requests with an `Idempotency-Key` on every POST; webhooks
// verified exactly as Stripe specifies (`Stripe-Signature: t=..,v1=..`, HMAC-SHA256 of `${t}.${rawBody}`,
// rejected when older than the tolerance). Amounts are Stripe's "smallest currency unit", which is ISO's
// minor unit, except that three-decimal currencies (BHD, KWD...) must end in 0.
import { createHmac, timingSafeEqual } from "node:crypto"
import { Effect, Layer, Redacted, Schema } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import { CurrencyCode, minorUnitExponent } from "../../../core/domain/Currency.ts"
import type { Money } from "../../../core/domain/Money.ts"
import { providerApi } from "../internal/providerHttp.ts"
import {
  type Checkout,
  PaymentProvider,
  type PaymentProviderShape,
  ProviderError,
  type ProviderPayment,
  type ProviderPaymentStatus,
  WebhookRejected
} from "../PaymentProvider.ts"

/** Stripe settings. */
export const StripeConfig = Schema.Struct({
  /** `sk_live_...` / `sk_test_...`. */
  secretKey: Schema.RedactedFromValue(Schema.String.check(Schema.isNonEmpty())),
  /** The endpoint's signing secret, `whsec_...`. */
  webhookSecret: Schema.RedactedFromValue(Schema.String.check(Schema.isNonEmpty())),
  /** Default https://api.stripe.com (a test server in tests). */
  apiBaseUrl: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^https?:\/\/[^\s]+$/))),
  /** How old a signed webhook may be, in seconds (Stripe's default: 300). */
  webhookToleranceSeconds: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)))
})
export type StripeConfig = typeof StripeConfig.Type

const provider = "stripe"

/** Where Stripe hosts Checkout Sessions (`url` of a session): the payer's browser is sent there. */
export const hostedCheckoutOrigin = "https://checkout.stripe.com"

const Session = Schema.Struct({
  id: Schema.String,
  url: Schema.NullOr(Schema.String),
  status: Schema.NullOr(Schema.String),
  payment_status: Schema.String,
  amount_total: Schema.NullOr(Schema.Number),
  currency: Schema.NullOr(Schema.String),
  payment_intent: Schema.NullOr(Schema.String),
  setup_intent: Schema.optionalKey(Schema.NullOr(Schema.String)),
  customer: Schema.optionalKey(Schema.NullOr(Schema.String)),
  client_reference_id: Schema.NullOr(Schema.String)
})
const Intent = Schema.Struct({
  id: Schema.String,
  status: Schema.String,
  amount: Schema.Number,
  currency: Schema.String,
  metadata: Schema.Record(Schema.String, Schema.String),
  payment_method: Schema.optionalKey(Schema.NullOr(Schema.String)),
  customer: Schema.optionalKey(Schema.NullOr(Schema.String))
})
const SetupIntent = Schema.Struct({ id: Schema.String, payment_method: Schema.NullOr(Schema.String) })
const PaymentMethod = Schema.Struct({
  id: Schema.String,
  type: Schema.String,
  card: Schema.optionalKey(Schema.Struct({ brand: Schema.String, last4: Schema.String }))
})
const Customer = Schema.Struct({ id: Schema.String })
const Refund = Schema.Struct({ id: Schema.String })
const Event = Schema.Struct({
  id: Schema.String,
  type: Schema.String,
  data: Schema.Struct({ object: Schema.Struct({ id: Schema.String, object: Schema.String }) })
})
const decodeEvent = Schema.decodeUnknownResult(Schema.fromJsonString(Event))
const decodeCurrency = Schema.decodeUnknownSync(CurrencyCode)

const money = (minor: number, currency: string): Money => ({ currency: decodeCurrency(currency.toUpperCase()), minor })

/** The amount as Stripe takes it; fails for a three-decimal amount whose last digit is not 0. */
const stripeAmount = (amount: Money, operation: string): Effect.Effect<string, ProviderError> =>
  minorUnitExponent(amount.currency) === 3 && amount.minor % 10 !== 0
    ? Effect.fail(
        new ProviderError({
          provider,
          operation,
          detail: `Stripe charges ${amount.currency} in multiples of 10 minor units (got ${amount.minor})`,
          retryable: false
        })
      )
    : Effect.succeed(String(amount.minor))

/** The Stripe-Signature check: the newest-scheme (v1) signatures over `${t}.${body}`, not older than tolerance. */
export const verifyStripeSignature = (input: {
  readonly header: string | undefined
  readonly body: Uint8Array
  readonly secret: string
  readonly nowSeconds: number
  readonly toleranceSeconds: number
}): string | undefined => {
  if (input.header === undefined) return "missing Stripe-Signature header"
  const pairs = input.header.split(",").map((part) => {
    const at = part.indexOf("=")
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const
  })
  const timestamp = pairs.find(([key]) => key === "t")?.[1]
  const signatures = pairs.filter(([key]) => key === "v1").map(([, value]) => value)
  if (timestamp === undefined || !/^\d+$/.test(timestamp)) return "no timestamp in the signature header"
  if (signatures.length === 0) return "no v1 signature in the signature header"
  const expected = createHmac("sha256", input.secret).update(`${timestamp}.`, "utf8").update(input.body).digest()
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature, "hex")
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
  if (!matches) return "no signature matches the payload"
  if (Number(timestamp) < input.nowSeconds - input.toleranceSeconds) return "timestamp outside the tolerance zone"
  return undefined
}

/** Signs a payload as Stripe does (for test servers and tools): the `Stripe-Signature` header value. */
export const stripeSignatureHeader = (body: string, secret: string, timestampSeconds: number): string =>
  `t=${timestampSeconds},v1=${createHmac("sha256", secret).update(`${timestampSeconds}.${body}`, "utf8").digest("hex")}`

const sessionStatus = (session: typeof Session.Type): ProviderPaymentStatus =>
  session.payment_status === "paid" || session.payment_status === "no_payment_required"
    ? session.status === "complete"
      ? "succeeded"
      : "pending"
    : session.status === "expired"
      ? "canceled"
      : "pending"

const intentStatus = (status: string): ProviderPaymentStatus =>
  status === "succeeded"
    ? "succeeded"
    : status === "canceled"
      ? "canceled"
      : status === "requires_payment_method"
        ? "failed"
        : "pending"

/** Builds the provider over an HttpClient. */
export const make = Effect.fnUntraced(function* (config: StripeConfig) {
  const client = yield* HttpClient.HttpClient
  const tolerance = config.webhookToleranceSeconds ?? 300
  const api = providerApi(client, {
    provider,
    base: config.apiBaseUrl ?? "https://api.stripe.com",
    key: config.secretKey
  })
  const post = <A, I>(
    path: string,
    params: ReadonlyArray<readonly [string, string]>,
    idempotencyKey: string,
    schema: Schema.Codec<A, I>,
    operation: string
  ) => api.post(path, HttpClientRequest.bodyUrlParams(params), idempotencyKey, schema, operation)
  const get = api.get

  const savedFrom = Effect.fnUntraced(function* (customer: string | null | undefined, methodId: string | null) {
    if (customer === null || customer === undefined || methodId === null) return undefined
    const method = yield* get(`/v1/payment_methods/${methodId}`, PaymentMethod, "fetch payment method")
    const label = method.card === undefined ? method.type : `${method.card.brand} •••• ${method.card.last4}`
    return { customerRef: customer, methodRef: method.id, label }
  })

  const fromIntent = (intent: typeof Intent.Type): ProviderPayment => ({
    providerRef: intent.id,
    status: intentStatus(intent.status),
    amount: money(intent.amount, intent.currency),
    ...(intent.metadata.reference === undefined ? {} : { reference: intent.metadata.reference }),
    method: "card"
  })

  const fetchPayment = Effect.fn("StripeProvider.fetchPayment")(function* (providerRef: string) {
    if (providerRef.startsWith("pi_")) {
      return fromIntent(yield* get(`/v1/payment_intents/${providerRef}`, Intent, "fetch payment intent"))
    }
    const session = yield* get(`/v1/checkout/sessions/${providerRef}`, Session, "fetch checkout session")
    const setupIntentId = session.setup_intent ?? null
    if (setupIntentId !== null) {
      const setup = yield* get(`/v1/setup_intents/${setupIntentId}`, SetupIntent, "fetch setup intent")
      const saved = yield* savedFrom(session.customer, setup.payment_method)
      return {
        providerRef: session.id,
        status: session.status === "complete" ? "succeeded" : session.status === "expired" ? "canceled" : "pending",
        amount: money(0, session.currency ?? "eur"),
        ...(session.client_reference_id === null ? {} : { reference: session.client_reference_id }),
        ...(saved === undefined ? {} : { saved })
      } satisfies ProviderPayment
    }
    return {
      providerRef: session.id,
      status: sessionStatus(session),
      amount: money(session.amount_total ?? 0, session.currency ?? "eur"),
      ...(session.client_reference_id === null ? {} : { reference: session.client_reference_id }),
      method: "card"
    } satisfies ProviderPayment
  })

  const checkoutOf = (session: typeof Session.Type, operation: string): Effect.Effect<Checkout, ProviderError> =>
    session.url === null
      ? Effect.fail(new ProviderError({ provider, operation, detail: "the session has no URL", retryable: false }))
      : Effect.succeed({ providerRef: session.id, url: session.url })

  const shape: PaymentProviderShape = {
    id: provider,
    createCheckout: Effect.fn("StripeProvider.createCheckout")(function* (request) {
      const amount = yield* stripeAmount(request.amount, "create checkout")
      const session = yield* post(
        "/v1/checkout/sessions",
        [
          ["mode", "payment"],
          ["success_url", request.returnUrl],
          ["cancel_url", request.cancelUrl],
          ["client_reference_id", request.reference],
          ["line_items[0][quantity]", "1"],
          ["line_items[0][price_data][currency]", request.amount.currency.toLowerCase()],
          ["line_items[0][price_data][unit_amount]", amount],
          ["line_items[0][price_data][product_data][name]", request.description],
          ["metadata[reference]", request.reference],
          ["metadata[invoices]", request.invoiceNumbers.join(",")],
          ["payment_intent_data[metadata][reference]", request.reference],
          ...(request.email === undefined ? [] : [["customer_email", request.email] as const])
        ],
        request.idempotencyKey,
        Session,
        "create checkout"
      )
      return yield* checkoutOf(session, "create checkout")
    }),
    fetchPayment,
    verifyWebhook: ({ headers, body, nowSeconds }) => {
      const problem = verifyStripeSignature({
        header: headers["stripe-signature"],
        body,
        secret: Redacted.value(config.webhookSecret),
        nowSeconds,
        toleranceSeconds: tolerance
      })
      if (problem !== undefined) return Effect.fail(new WebhookRejected({ provider, reason: problem }))
      const event = decodeEvent(new TextDecoder().decode(body))
      if (event._tag === "Failure") {
        return Effect.fail(new WebhookRejected({ provider, reason: "the body is not a Stripe event" }))
      }
      const object = event.success.data.object
      const relevant = object.object === "checkout.session" || object.object === "payment_intent"
      return Effect.succeed({ eventId: event.success.id, providerRef: relevant ? object.id : "" })
    },
    refund: Effect.fn("StripeProvider.refund")(function* (providerRef, amount, idempotencyKey) {
      const intent = providerRef.startsWith("pi_")
        ? providerRef
        : (yield* get(`/v1/checkout/sessions/${providerRef}`, Session, "fetch checkout session")).payment_intent
      if (intent === null) {
        return yield* new ProviderError({ provider, operation: "refund", detail: "nothing was paid", retryable: false })
      }
      const value = yield* stripeAmount(amount, "refund")
      const refund = yield* post(
        "/v1/refunds",
        [
          ["payment_intent", intent],
          ["amount", value]
        ],
        idempotencyKey,
        Refund,
        "refund"
      )
      return refund.id
    }),
    createSetup: Effect.fn("StripeProvider.createSetup")(function* (request) {
      const customer =
        request.customer.existingRef ??
        (yield* post(
          "/v1/customers",
          [
            ["email", request.customer.email],
            ["name", request.customer.name],
            ["metadata[reference]", request.reference]
          ],
          `${request.idempotencyKey}:customer`,
          Customer,
          "create customer"
        )).id
      const session = yield* post(
        "/v1/checkout/sessions",
        [
          ["mode", "setup"],
          ["customer", customer],
          ["currency", request.currency.toLowerCase()],
          ["success_url", request.returnUrl],
          ["cancel_url", request.cancelUrl],
          ["client_reference_id", request.reference],
          ["metadata[reference]", request.reference]
        ],
        request.idempotencyKey,
        Session,
        "create setup"
      )
      return yield* checkoutOf(session, "create setup")
    }),
    chargeOffSession: Effect.fn("StripeProvider.chargeOffSession")(function* (charge) {
      const amount = yield* stripeAmount(charge.amount, "charge off-session")
      const intent = yield* post(
        "/v1/payment_intents",
        [
          ["amount", amount],
          ["currency", charge.amount.currency.toLowerCase()],
          ["customer", charge.method.customerRef],
          ["payment_method", charge.method.methodRef],
          ["off_session", "true"],
          ["confirm", "true"],
          ["description", charge.description],
          ["metadata[reference]", charge.reference]
        ],
        charge.idempotencyKey,
        Intent,
        "charge off-session"
      )
      return fromIntent(intent)
    })
  }
  return shape
})

/** The Stripe provider as the PaymentProvider, over fetch. */
export const layer = (config: StripeConfig): Layer.Layer<PaymentProvider> =>
  Layer.effect(PaymentProvider, make(config)).pipe(Layer.provide(FetchHttpClient.layer))
