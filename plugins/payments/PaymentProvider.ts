// The payment-provider port: hosted checkouts for an amount with our references and an idempotency key,
// the provider's current view of a payment, webhook verification, refunds, and saved methods (a setup
// checkout, then off-session charges). Stripe and Mollie implement it; the payment service uses only this.
import { Context, type Effect, Schema } from "effect"
import type { Money } from "../../core/domain/Money.ts"

/** Why a provider call failed; `retryable` says whether trying again may help. */
export class ProviderError extends Schema.TaggedError<ProviderError>()("ProviderError", {
  provider: Schema.String,
  operation: Schema.String,
  status: Schema.optionalKey(Schema.Number),
  detail: Schema.String,
  retryable: Schema.Boolean
}) {
  override get message(): string {
    return `${this.provider} ${this.operation} failed${this.status === undefined ? "" : ` (${this.status})`}: ${this.detail}`
  }
}

/** A webhook that is not the provider's: a bad or missing signature, a stale timestamp, an unreadable body. */
export class WebhookRejected extends Schema.TaggedError<WebhookRejected>()("WebhookRejected", {
  provider: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.provider} webhook refused: ${this.reason}`
  }
}

/** What to collect in a hosted checkout. */
export interface CheckoutRequest {
  readonly amount: Money
  /** Shown to the payer ("Invoices INV-1, INV-2"). */
  readonly description: string
  /** Our payment intent's id; the provider stores it and gives it back with the payment. */
  readonly reference: string
  /** The invoice numbers paid, stored with the payment for the business's reconciliation. */
  readonly invoiceNumbers: ReadonlyArray<string>
  readonly returnUrl: string
  readonly cancelUrl: string
  /** The same key for a retried request: the provider answers with the checkout it created the first time. */
  readonly idempotencyKey: string
  /** The email the provider pre-fills. */
  readonly email?: string
}

/** A created checkout: where to send the payer, and the provider's reference to fetch the payment by. */
export interface Checkout {
  readonly providerRef: string
  readonly url: string
}

/** The provider's state of a payment. */
export type ProviderPaymentStatus = "pending" | "succeeded" | "failed" | "canceled"

/** A payment as the provider reports it now. */
export interface ProviderPayment {
  readonly providerRef: string
  readonly status: ProviderPaymentStatus
  readonly amount: Money
  /** Our reference, as given at checkout (absent: not a payment Portico started). */
  readonly reference?: string
  /** "card", "sepa_debit", "ideal"... */
  readonly method?: string
  /** A payment method saved with it (setup checkouts and first payments): the customer and method refs. */
  readonly saved?: SavedMethodRef
}

/** A payment method the provider keeps; Portico stores only these references. */
export interface SavedMethodRef {
  readonly customerRef: string
  readonly methodRef: string
  /** A human label ("visa •••• 4242"). */
  readonly label: string
}

/** A verified webhook: which payment it concerns (the service fetches its current state). */
export interface WebhookNotice {
  /** The provider's event id, or the payment ref for providers whose webhooks carry only an id. */
  readonly eventId: string
  readonly providerRef: string
}

/** A request to save a payment method for later off-session charges. */
export interface SetupRequest {
  readonly reference: string
  readonly customer: { readonly email: string; readonly name: string; readonly existingRef?: string }
  readonly currency: Money["currency"]
  readonly returnUrl: string
  readonly cancelUrl: string
  readonly idempotencyKey: string
}

/** An off-session charge on a saved method. */
export interface OffSessionCharge {
  readonly amount: Money
  readonly description: string
  readonly reference: string
  readonly method: SavedMethodRef
  readonly idempotencyKey: string
}

/** The port. */
export interface PaymentProviderShape {
  /** "stripe", "mollie". */
  readonly id: string
  readonly createCheckout: (request: CheckoutRequest) => Effect.Effect<Checkout, ProviderError>
  readonly fetchPayment: (providerRef: string) => Effect.Effect<ProviderPayment, ProviderError>
  /** Verifies a webhook from its raw body and headers; `nowSeconds` for timestamp tolerance. */
  readonly verifyWebhook: (input: {
    readonly headers: Readonly<Record<string, string | undefined>>
    readonly body: Uint8Array
    readonly nowSeconds: number
  }) => Effect.Effect<WebhookNotice, WebhookRejected>
  readonly refund: (providerRef: string, amount: Money, idempotencyKey: string) => Effect.Effect<string, ProviderError>
  /** A hosted checkout that saves a payment method (Stripe setup session; Mollie first payment). */
  readonly createSetup: (request: SetupRequest) => Effect.Effect<Checkout, ProviderError>
  /** Charges a saved method without the payer present; the result may still be pending. */
  readonly chargeOffSession: (charge: OffSessionCharge) => Effect.Effect<ProviderPayment, ProviderError>
}

/** The configured provider. */
export class PaymentProvider extends Context.Service<PaymentProvider, PaymentProviderShape>()(
  "portico/plugins/payments/PaymentProvider"
) {}
