// The payment service: a contact starts a hosted checkout for one invoice, chosen invoices, everything open
// or any amount (the rest becoming account credit); the provider's confirmation (a webhook, or the payer's
// return) settles it once: allocation, PaymentApplied events, the payment row, the audit entry, and the
// receipt and ERP write-back jobs, all in one transaction. Open credit can be applied to invoices later.
import { Clock, Context, Effect, Layer, Option, Result, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { FeatureDisabled, FeatureGates, isEnabled } from "../../core/access/FeatureGates.ts"
import { authorize, PermissionDenied } from "../../core/access/Permissions.ts"
import { CurrentPrincipal, system } from "../../core/access/Principal.ts"
import { AuditLog } from "../../core/audit/AuditLog.ts"
import { type AllocationError, allocateOldestFirst } from "../../core/billing/Allocation.ts"
import type { InvoiceRuleViolation } from "../../core/billing/InvoiceStateMachine.ts"
import { Tier } from "../../core/domain/Account.ts"
import { type CurrencyCode, CurrencyCode as CurrencyCodeSchema } from "../../core/domain/Currency.ts"
import { AccountId, type InvoiceId, PaymentId } from "../../core/domain/Ids.ts"
import { fromEpochDay } from "../../core/domain/LocalDate.ts"
import type { Money } from "../../core/domain/Money.ts"
import type { Payment } from "../../core/domain/Payment.ts"
import { DomainEvents } from "../../core/events/DomainEvents.ts"
import { JobQueue } from "../../core/jobs/JobQueue.ts"
import { Store } from "../../core/store/Store.ts"
import { allocateConfirmed, mergeAllocations, planSelection, refundFrom, targetsOf } from "./internal/plans.ts"
import {
  NothingToPay,
  type PartialBelowMinimum,
  PaymentRecordNotFound,
  PaymentRequestInvalid
} from "./PaymentErrors.ts"
import { type IntentRecord, keyedIntentId, readIntents } from "./PaymentIntent.ts"
import { receiptJob, writeBackJob } from "./PaymentJobs.ts"
import { type PayableInvoice, PaymentLedger, portalPaymentSource } from "./PaymentLedger.ts"
import { PaymentProvider, type ProviderError, type ProviderPayment, WebhookRejected } from "./PaymentProvider.ts"
import { PaymentsSettings } from "./PaymentsSettings.ts"

/** What a checkout pays for. */
export type PaySelection =
  /** Chosen invoices, each in full or (with `amount`) in part. */
  | {
      readonly _tag: "Invoices"
      readonly invoices: ReadonlyArray<{ readonly invoiceId: InvoiceId; readonly amount?: Money }>
    }
  /** Everything open in a currency (disputed invoices excepted). */
  | { readonly _tag: "AllOpen"; readonly currency: CurrencyCode }
  /** Any amount: oldest due first, the rest account credit (an advance payment when nothing is open). */
  | { readonly _tag: "Amount"; readonly amount: Money }

/** A checkout request. */
export interface PayRequest {
  readonly accountId: AccountId
  readonly selection: PaySelection
  readonly returnUrl: string
  readonly cancelUrl: string
  /** The client's key for this attempt: the same key gives back the same checkout. */
  readonly idempotencyKey?: string
}

/** A started checkout. */
export interface CheckoutStarted {
  readonly intentId: string
  readonly checkoutUrl: string
  readonly amount: Money
}

/** What a confirmation did. */
export type Settlement =
  | { readonly _tag: "Settled"; readonly intentId: string; readonly payment: Payment }
  | { readonly _tag: "AlreadySettled"; readonly intentId: string; readonly paymentId: string | null }
  | { readonly _tag: "MethodSaved"; readonly intentId: string; readonly methodId: string }
  | { readonly _tag: "NotPaid"; readonly intentId: string; readonly status: string }
  | { readonly _tag: "Unknown"; readonly providerRef: string }

/** The errors of starting a checkout. */
export type CheckoutError =
  | PermissionDenied
  | FeatureDisabled
  | AllocationError
  | PartialBelowMinimum
  | NothingToPay
  | PaymentRequestInvalid
  | PaymentRecordNotFound
  | ProviderError
  | SqlError

/** What an account can pay now, for the payer's page. */
export interface Payable {
  /** The account's own currency (what an advance payment is taken in). */
  readonly currency: CurrencyCode
  /** Its invoices with something open, oldest due first (disputed ones included, marked by `status`). */
  readonly invoices: ReadonlyArray<PayableInvoice>
  /** Its open credit per currency. */
  readonly credit: ReadonlyArray<Money>
}

const AccountTerms = Schema.Struct({ tier: Tier, currency: CurrencyCodeSchema })

/** The payment service. */
export class Payments extends Context.Service<
  Payments,
  {
    /** The account's open invoices and credit, for a principal who may pay on it (its tier needs "payments"). */
    readonly payable: (
      accountId: AccountId
    ) => Effect.Effect<Payable, PermissionDenied | FeatureDisabled | PaymentRecordNotFound | SqlError, CurrentPrincipal>
    /** Starts a hosted checkout for the principal (who needs "pay" on the account, whose tier needs "payments"). */
    readonly startCheckout: (request: PayRequest) => Effect.Effect<CheckoutStarted, CheckoutError, CurrentPrincipal>
    /** Fetches the provider's payment and settles its intent, once (what webhooks and return pages call). */
    readonly confirm: (
      providerRef: string
    ) => Effect.Effect<Settlement, ProviderError | SqlError | InvoiceRuleViolation | AllocationError>
    /** Settles from a payment the provider reported (an off-session charge's answer). */
    readonly settle: (
      payment: ProviderPayment
    ) => Effect.Effect<Settlement, SqlError | InvoiceRuleViolation | AllocationError>
    /**
     * Verifies and handles a provider webhook. A forged one (bad signature, or an id the provider does not
     * know) is refused and audited; a repeated, late or out-of-order one changes nothing.
     */
    readonly handleWebhook: (input: {
      readonly headers: Readonly<Record<string, string | undefined>>
      readonly body: Uint8Array
    }) => Effect.Effect<
      Settlement | { readonly _tag: "Ignored" },
      WebhookRejected | ProviderError | SqlError | InvoiceRuleViolation | AllocationError
    >
    /** The account's open credit per currency (the unallocated rest of its portal payments). */
    readonly openCredit: (
      accountId: AccountId
    ) => Effect.Effect<ReadonlyArray<Money>, PermissionDenied | SqlError, CurrentPrincipal>
    /** Applies open credit in `currency` to the chosen invoices (or oldest due first); gives what was applied. */
    readonly applyCredit: (
      accountId: AccountId,
      currency: CurrencyCode,
      invoiceIds?: ReadonlyArray<InvoiceId>
    ) => Effect.Effect<Money, PermissionDenied | SqlError | InvoiceRuleViolation | AllocationError, CurrentPrincipal>
    readonly intent: (intentId: string) => Effect.Effect<IntentRecord, PaymentRecordNotFound | SqlError>
    /**
     * Refunds part or all of a portal payment through the provider (the business acts: a SystemPrincipal).
     * The refund comes out of the payment's unallocated credit first, then off its invoices (last allocated
     * first) as PaymentReversed events; the same `idempotencyKey` never refunds twice.
     */
    readonly refund: (request: {
      readonly paymentId: string
      readonly amount: Money
      readonly idempotencyKey: string
    }) => Effect.Effect<
      Payment,
      | PaymentRecordNotFound
      | PaymentRequestInvalid
      | PermissionDenied
      | ProviderError
      | SqlError
      | InvoiceRuleViolation,
      CurrentPrincipal
    >
    /** The stored receipt of a payment (rendered by the receipt job), for a principal who may view the account. */
    readonly receipt: (paymentId: string) => Effect.Effect<
      {
        readonly accountId: AccountId
        readonly fileName: string
        readonly contentType: string
        readonly content: Uint8Array
      },
      PaymentRecordNotFound | PermissionDenied | SqlError,
      CurrentPrincipal
    >
  }
>()("portico/plugins/payments/Payments") {
  static readonly layer = Layer.effect(
    Payments,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store
      const ledger = yield* PaymentLedger
      const provider = yield* PaymentProvider
      const settings = yield* PaymentsSettings
      const audit = yield* AuditLog
      const jobs = yield* JobQueue
      const bus = yield* Effect.serviceOption(DomainEvents)
      const gates = yield* Effect.serviceOption(FeatureGates)
      const asSystem = <A, E>(effect: Effect.Effect<A, E, CurrentPrincipal>) =>
        store.withScope(effect).pipe(Effect.provideService(CurrentPrincipal, system("payments")))
      const today = Effect.map(Clock.currentTimeMillis, (millis) => fromEpochDay(Math.floor(millis / 86_400_000)))

      const accountOf = Effect.fnUntraced(function* (accountId: string) {
        const rows = yield* asSystem(
          sql<{ tier: string; currency: string }>`select tier, currency from portico.accounts where id = ${accountId}`
        )
        const row = rows[0]
        if (row === undefined) return yield* new PaymentRecordNotFound({ kind: "account", id: accountId })
        return Schema.decodeUnknownSync(AccountTerms)(row)
      })

      /** The account's terms, once the principal may pay on it and its tier has payments. */
      const checkAccess = Effect.fnUntraced(function* (accountId: AccountId) {
        yield* authorize(yield* CurrentPrincipal, "pay", accountId)
        const account = yield* accountOf(accountId)
        if (Option.isSome(gates) && !isEnabled(gates.value, account.tier, "payments")) {
          return yield* new FeatureDisabled({ tier: account.tier, feature: "payments" })
        }
        return account
      })

      const startCheckout = Effect.fn("Payments.startCheckout")(function* (request: PayRequest) {
        yield* checkAccess(request.accountId)
        const principal = yield* CurrentPrincipal
        const intentId =
          request.idempotencyKey === undefined
            ? `pi-${crypto.randomUUID()}`
            : keyedIntentId("pi", request.accountId, request.idempotencyKey)
        const existing = yield* asSystem(sql`select * from portico.payment_intents where id = ${intentId}`)
        const previous = readIntents(existing)[0]
        if (previous?.checkoutUrl) {
          return { intentId, checkoutUrl: previous.checkoutUrl, amount: previous.amount }
        }
        const open = yield* asSystem(ledger.openInvoices(request.accountId))
        const planned = planSelection(request.selection, open, settings)
        if (Result.isFailure(planned)) return yield* planned.failure
        const { kind, plan } = planned.success
        if (plan.amount.minor <= 0) return yield* new NothingToPay({ detail: "the amount to pay is zero" })
        const numbers = plan.allocations.map((a) => open.find((i) => i.id === a.invoiceId)?.number ?? a.invoiceId)
        const now = yield* Clock.currentTimeMillis
        yield* asSystem(
          sql`insert into portico.payment_intents (id, account_id, contact_id, kind, currency, amount_minor, targets,
              provider, status, created_at)
            values (${intentId}, ${request.accountId},
              ${principal._tag === "ContactPrincipal" ? principal.contactId : null}, ${kind}, ${plan.amount.currency},
              ${plan.amount.minor}, ${JSON.stringify(targetsOf(plan))}::jsonb, ${provider.id}, 'created',
              ${new Date(now).toISOString()}::timestamptz)
            on conflict (id) do nothing`
        )
        const checkout = yield* provider.createCheckout({
          amount: plan.amount,
          description: numbers.length === 0 ? "Account credit" : `Invoices ${numbers.join(", ")}`,
          reference: intentId,
          invoiceNumbers: numbers,
          returnUrl: request.returnUrl,
          cancelUrl: request.cancelUrl,
          idempotencyKey: intentId
        })
        yield* audit.audited(
          {
            action: "payment-started",
            accountId: request.accountId,
            records: [
              { kind: "payment-intent", id: intentId },
              ...plan.allocations.map((a) => ({ kind: "invoice", id: a.invoiceId }))
            ]
          },
          // recorded as the payer; the intent table is the system's to write
          asSystem(
            sql`update portico.payment_intents set provider_ref = ${checkout.providerRef},
                  checkout_url = ${checkout.url}, status = 'pending'
                where id = ${intentId}`
          )
        )
        return { intentId, checkoutUrl: checkout.url, amount: plan.amount }
      })

      const settle = Effect.fn("Payments.settle")(function* (reported: ProviderPayment) {
        const result = yield* asSystem(
          Effect.gen(function* () {
            const rows = yield* sql`select * from portico.payment_intents
              where (provider = ${provider.id} and provider_ref = ${reported.providerRef})
                or id = ${reported.reference ?? ""}
              order by (provider_ref = ${reported.providerRef}) desc limit 1 for update`
            const intent = readIntents(rows)[0]
            if (intent === undefined)
              return { settlement: { _tag: "Unknown", providerRef: reported.providerRef } as const, changed: [] }
            if (intent.status === "succeeded" || intent.status === "mismatch") {
              return {
                settlement: { _tag: "AlreadySettled", intentId: intent.id, paymentId: intent.paymentId } as const,
                changed: []
              }
            }
            if (reported.status !== "succeeded") {
              yield* sql`update portico.payment_intents set status = ${reported.status}, provider_ref = ${reported.providerRef}
                where id = ${intent.id}`
              return {
                settlement: { _tag: "NotPaid", intentId: intent.id, status: reported.status } as const,
                changed: []
              }
            }
            if (intent.kind === "setup") {
              if (reported.saved === undefined) {
                return {
                  settlement: { _tag: "NotPaid", intentId: intent.id, status: "no-method" } as const,
                  changed: []
                }
              }
              const methodId = `pm-${intent.id}`
              yield* sql`insert into portico.saved_payment_methods (id, account_id, contact_id, provider, customer_ref,
                  method_ref, label, created_at)
                select ${methodId}, account_id, contact_id, provider, ${reported.saved.customerRef},
                  ${reported.saved.methodRef}, ${reported.saved.label}, now()
                from portico.payment_intents where id = ${intent.id}
                on conflict do nothing`
              yield* sql`update portico.payment_intents set status = 'succeeded', provider_ref = ${reported.providerRef},
                  settled_at = now() where id = ${intent.id}`
              yield* audit.append({
                action: "payment-method-saved",
                accountId: AccountId.make(intent.accountId),
                records: [{ kind: "payment-method", id: methodId }],
                outcome: "success"
              })
              return { settlement: { _tag: "MethodSaved", intentId: intent.id, methodId } as const, changed: [] }
            }
            if (reported.amount.currency !== intent.amount.currency || reported.amount.minor !== intent.amount.minor) {
              yield* sql`update portico.payment_intents set status = 'mismatch' where id = ${intent.id}`
              yield* audit.append({
                action: "payment",
                accountId: AccountId.make(intent.accountId),
                records: [{ kind: "payment-intent", id: intent.id }],
                outcome: "error",
                reason: `amount mismatch: ${reported.amount.minor} ${reported.amount.currency} reported for ${intent.amount.minor} ${intent.amount.currency}`
              })
              return { settlement: { _tag: "NotPaid", intentId: intent.id, status: "mismatch" } as const, changed: [] }
            }
            const open = yield* ledger.openInvoices(intent.accountId)
            const plan = allocateConfirmed(intent, reported.amount, open)
            if (Result.isFailure(plan)) return yield* plan.failure
            const payment: Payment = {
              id: PaymentId.make(`portal-${intent.id}`),
              accountId: AccountId.make(intent.accountId),
              source: { source: portalPaymentSource, externalId: reported.providerRef },
              reference: reported.providerRef,
              receivedDate: yield* today,
              amount: reported.amount,
              ...(reported.method === undefined ? {} : { method: reported.method }),
              allocations: plan.success.allocations
            }
            const changed = yield* ledger.record(payment)
            yield* sql`update portico.payment_intents set status = 'succeeded', payment_id = ${payment.id},
                provider_ref = ${reported.providerRef}, settled_at = now()
              where id = ${intent.id}`
            yield* audit.append({
              action: "payment",
              accountId: payment.accountId,
              records: [
                { kind: "payment", id: payment.id },
                ...payment.allocations.map((a) => ({ kind: "invoice", id: a.invoiceId }))
              ],
              outcome: "success",
              reason: `${provider.id} ${reported.providerRef}`
            })
            yield* jobs.enqueue(receiptJob, { paymentId: payment.id }, { dedupeKey: `payments/receipt:${payment.id}` })
            yield* jobs.enqueue(
              writeBackJob,
              { paymentId: payment.id },
              { dedupeKey: `payments/write-back:${payment.id}` }
            )
            return { settlement: { _tag: "Settled", intentId: intent.id, payment } as const, changed }
          })
        ).pipe(Effect.catchTag("JobPayloadInvalid", Effect.die))
        if (result.settlement._tag === "Settled" && Option.isSome(bus)) {
          const payment = result.settlement.payment
          yield* bus.value.publishAll([
            ...result.changed,
            {
              _tag: "PaymentChanged",
              change: "inserted",
              paymentId: payment.id,
              accountId: payment.accountId,
              source: payment.source,
              amount: payment.amount,
              invoiceIds: payment.allocations.map((a) => a.invoiceId)
            }
          ])
        }
        return result.settlement
      })

      const confirm = Effect.fn("Payments.confirm")(function* (providerRef: string) {
        return yield* settle(yield* provider.fetchPayment(providerRef))
      })

      const refuse = (reason: string) =>
        audit
          .append({ action: "payment-webhook", outcome: "denied", reason: `${provider.id}: ${reason}` })
          .pipe(Effect.provideService(CurrentPrincipal, system("payments-webhook")))

      const handleWebhook = Effect.fn("Payments.handleWebhook")(function* (input: {
        readonly headers: Readonly<Record<string, string | undefined>>
        readonly body: Uint8Array
      }) {
        const nowSeconds = Math.floor((yield* Clock.currentTimeMillis) / 1000)
        const notice = yield* provider
          .verifyWebhook({ ...input, nowSeconds })
          .pipe(Effect.tapError((rejected) => refuse(rejected.reason)))
        yield* asSystem(
          sql`insert into portico.payment_webhook_events (provider, event_id, received_at, outcome)
            values (${provider.id}, ${notice.eventId}, now(), 'received') on conflict do nothing`
        )
        if (notice.providerRef === "") return { _tag: "Ignored" } as const
        const reported = yield* provider
          .fetchPayment(notice.providerRef)
          .pipe(
            Effect.catchTag(
              "ProviderError",
              (error): Effect.Effect<ProviderPayment, ProviderError | WebhookRejected | SqlError> =>
                error.status === 404
                  ? Effect.flatMap(refuse(`no such payment ${notice.providerRef}`), () =>
                      Effect.fail(new WebhookRejected({ provider: provider.id, reason: "unknown payment" }))
                    )
                  : Effect.fail(error)
            )
          )
        return yield* settle(reported)
      })

      /** The unallocated rest of the account's portal payments, per currency (read as the system). */
      const creditTotals = Effect.fnUntraced(function* (accountId: AccountId) {
        const sources = yield* asSystem(ledger.credit(accountId))
        const totals = new Map<string, Money>()
        for (const { unallocated } of sources) {
          const before = totals.get(unallocated.currency)?.minor ?? 0
          totals.set(unallocated.currency, { currency: unallocated.currency, minor: before + unallocated.minor })
        }
        return [...totals.values()]
      })

      const openCredit = Effect.fn("Payments.openCredit")(function* (accountId: AccountId) {
        yield* authorize(yield* CurrentPrincipal, "view-statements", accountId)
        return yield* creditTotals(accountId)
      })

      const payable = Effect.fn("Payments.payable")(function* (accountId: AccountId) {
        const account = yield* checkAccess(accountId)
        return {
          currency: account.currency,
          invoices: yield* asSystem(ledger.openInvoices(accountId)),
          credit: yield* creditTotals(accountId)
        }
      })

      const applyCredit = Effect.fn("Payments.applyCredit")(function* (
        accountId: AccountId,
        currency: CurrencyCode,
        invoiceIds?: ReadonlyArray<InvoiceId>
      ) {
        yield* authorize(yield* CurrentPrincipal, "pay", accountId)
        const { applied, changed } = yield* asSystem(
          Effect.gen(function* () {
            let open = yield* ledger.openInvoices(accountId)
            const sources = (yield* ledger.credit(accountId)).filter((s) => s.unallocated.currency === currency)
            let applied = 0
            const changed = []
            for (const source of sources) {
              const chosen: ReadonlyArray<PayableInvoice> =
                invoiceIds === undefined
                  ? open.filter((i) => i.status !== "disputed" && i.open.currency === currency)
                  : open.filter((i) => invoiceIds.includes(i.id) && i.open.currency === currency)
              const plan = allocateOldestFirst(source.unallocated, chosen)
              if (Result.isFailure(plan)) return yield* plan.failure
              if (plan.success.allocations.length === 0) continue
              const merged = mergeAllocations(source.payment, plan.success)
              changed.push(...(yield* ledger.record(merged)))
              applied += source.unallocated.minor - plan.success.unallocated.minor
              open = yield* ledger.openInvoices(accountId)
            }
            if (applied > 0) {
              yield* audit.append({
                action: "credit-applied",
                accountId,
                records: changed.map((c) => ({ kind: "invoice", id: c.invoiceId })),
                outcome: "success",
                reason: `${applied} ${currency}`
              })
            }
            return { applied, changed }
          })
        )
        if (Option.isSome(bus)) yield* bus.value.publishAll(changed)
        return { currency, minor: applied }
      })

      const intent = Effect.fn("Payments.intent")(function* (intentId: string) {
        const found = readIntents(yield* asSystem(sql`select * from portico.payment_intents where id = ${intentId}`))[0]
        if (found === undefined) return yield* new PaymentRecordNotFound({ kind: "payment intent", id: intentId })
        return found
      })

      const refund = Effect.fn("Payments.refund")(function* (request: {
        readonly paymentId: string
        readonly amount: Money
        readonly idempotencyKey: string
      }) {
        const principal = yield* CurrentPrincipal
        const found = yield* asSystem(
          Effect.gen(function* () {
            const intent = readIntents(
              yield* sql`select * from portico.payment_intents where payment_id = ${request.paymentId}`
            )[0]
            const refunded = yield* sql<{ refunded_minor: string | number }>`select refunded_minor
              from portico.payment_intents where payment_id = ${request.paymentId}`
            return {
              intent,
              refunded: Number(refunded[0]?.refunded_minor ?? 0),
              payment: yield* ledger.payment(request.paymentId)
            }
          })
        )
        const { intent, payment } = found
        if (intent === undefined || payment === undefined || intent.providerRef === null) {
          return yield* new PaymentRecordNotFound({ kind: "payment", id: request.paymentId })
        }
        if (principal._tag !== "SystemPrincipal") {
          return yield* new PermissionDenied({
            principal: principal._tag,
            permission: "pay",
            accountId: payment.accountId
          })
        }
        if (request.amount.currency !== payment.amount.currency || request.amount.minor <= 0) {
          return yield* new PaymentRequestInvalid({ detail: "a refund is a positive amount in the payment's currency" })
        }
        if (request.amount.minor > payment.amount.minor) {
          return yield* new PaymentRequestInvalid({
            detail: `only ${payment.amount.minor} of the payment is left to refund (${found.refunded} refunded)`
          })
        }
        const refundId = yield* provider.refund(intent.providerRef, request.amount, request.idempotencyKey)
        const { after, changed } = yield* asSystem(
          Effect.gen(function* () {
            // a second call with the same key got the provider's first answer: record the refund once
            const fresh =
              yield* sql`insert into portico.payment_webhook_events (provider, event_id, received_at, outcome)
              values (${provider.id}, ${`refund:${refundId}`}, now(), 'refunded') on conflict do nothing returning event_id`
            const current = yield* ledger.payment(request.paymentId)
            if (fresh.length === 0 || current === undefined) return { after: current ?? payment, changed: [] }
            const after = refundFrom(current, request.amount.minor)
            const changed = yield* ledger.record(after)
            yield* sql`update portico.payment_intents set refunded_minor = refunded_minor + ${request.amount.minor}
              where payment_id = ${request.paymentId}`
            yield* audit.append({
              action: "payment-refunded",
              accountId: payment.accountId,
              records: [
                { kind: "payment", id: payment.id },
                ...changed.map((c) => ({ kind: "invoice", id: c.invoiceId }))
              ],
              outcome: "success",
              reason: `${provider.id} ${refundId}: ${request.amount.minor} ${request.amount.currency}`
            })
            return { after, changed }
          })
        )
        if (Option.isSome(bus)) yield* bus.value.publishAll(changed)
        return after
      })

      const receipt = Effect.fn("Payments.receipt")(function* (paymentId: string) {
        const rows = yield* asSystem(
          sql<{ account_id: string; file_name: string; content_type: string; content: Uint8Array }>`
            select account_id, file_name, content_type, content from portico.payment_receipts
            where payment_id = ${paymentId}`
        )
        const row = rows[0]
        if (row === undefined) return yield* new PaymentRecordNotFound({ kind: "receipt", id: paymentId })
        const accountId = AccountId.make(row.account_id)
        yield* authorize(yield* CurrentPrincipal, "view-invoices", accountId)
        return { accountId, fileName: row.file_name, contentType: row.content_type, content: row.content }
      })

      return Payments.of({
        payable,
        startCheckout,
        confirm,
        settle,
        handleWebhook,
        openCredit,
        applyCredit,
        intent,
        refund,
        receipt
      })
    })
  )
}
