// Saved payment methods and AutoPay. The provider keeps the card or mandate, Portico keeps its reference. A
// contact enrols an account with a saved method and a maximum; each day's run charges the account's open
// invoices due by then (oldest first, whole invoices, up to the maximum) off-session, once per account and
// day across processes; leaving is immediate. Paying early simply leaves less open for AutoPay to charge.
import { Clock, Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { authorize, type PermissionDenied } from "../../core/access/Permissions.ts"
import { CurrentPrincipal, system } from "../../core/access/Principal.ts"
import { AuditLog } from "../../core/audit/AuditLog.ts"
import type { AllocationError } from "../../core/billing/Allocation.ts"
import type { InvoiceRuleViolation } from "../../core/billing/InvoiceStateMachine.ts"
import { CurrencyCode } from "../../core/domain/Currency.ts"
import type { AccountId } from "../../core/domain/Ids.ts"
import { fromEpochDay, LocalDate } from "../../core/domain/LocalDate.ts"
import type { Money } from "../../core/domain/Money.ts"
import { defineJob } from "../../core/jobs/Job.ts"
import { JobQueue } from "../../core/jobs/JobQueue.ts"
import { Store } from "../../core/store/Store.ts"
import { PaymentRecordNotFound, PaymentRequestInvalid } from "./PaymentErrors.ts"
import { keyedIntentId, readIntents } from "./PaymentIntent.ts"
import { PaymentLedger } from "./PaymentLedger.ts"
import { PaymentProvider, type ProviderError } from "./PaymentProvider.ts"
import { Payments, type Settlement } from "./Payments.ts"

/** A saved payment method of an account. */
export interface SavedMethod {
  readonly id: string
  readonly label: string
  readonly provider: string
  readonly createdAt: Date
}

/** An account's AutoPay enrolment. */
export interface Enrolment {
  readonly accountId: string
  readonly contactId: string
  readonly methodId: string
  readonly maxAmount: Money
}

const MethodRow = Schema.Struct({
  id: Schema.String,
  label: Schema.String,
  provider: Schema.String,
  customer_ref: Schema.String,
  method_ref: Schema.String,
  created_at: Schema.Date
})
const decodeMethods = Schema.decodeUnknownSync(Schema.Array(MethodRow))
const EnrolmentRow = Schema.Struct({
  account_id: Schema.String,
  contact_id: Schema.String,
  method_id: Schema.String,
  currency: CurrencyCode,
  max_amount_minor: Schema.Union([Schema.BigInt, Schema.String, Schema.Number])
})
const decodeEnrolments = Schema.decodeUnknownSync(Schema.Array(EnrolmentRow))
const toEnrolment = (row: typeof EnrolmentRow.Type): Enrolment => ({
  accountId: row.account_id,
  contactId: row.contact_id,
  methodId: row.method_id,
  maxAmount: { currency: row.currency, minor: Number(row.max_amount_minor) }
})

/** The day's AutoPay charge of one account. */
export const AutoPayCharge = Schema.Struct({ accountId: Schema.String, date: LocalDate })

/** Saved methods and AutoPay. */
export class AutoPay extends Context.Service<
  AutoPay,
  {
    /**
     * A hosted checkout that saves a payment method for the account (needs "pay"). With `attemptKey`, the
     * intent's id is `keyedIntentId("setup", accountId, attemptKey)` and the same key gives the same checkout.
     */
    readonly startSaveMethod: (request: {
      readonly accountId: AccountId
      readonly returnUrl: string
      readonly cancelUrl: string
      readonly attemptKey?: string
    }) => Effect.Effect<
      { readonly intentId: string; readonly checkoutUrl: string },
      PermissionDenied | PaymentRecordNotFound | ProviderError | SqlError,
      CurrentPrincipal
    >
    readonly methods: (
      accountId: AccountId
    ) => Effect.Effect<ReadonlyArray<SavedMethod>, PermissionDenied | SqlError, CurrentPrincipal>
    /** Removes a saved method (and the enrolment that uses it). */
    readonly removeMethod: (
      accountId: AccountId,
      methodId: string
    ) => Effect.Effect<void, PermissionDenied | SqlError, CurrentPrincipal>
    /** Enrols the account (replacing an earlier enrolment) with a saved method and a maximum per run. */
    readonly enrol: (request: {
      readonly accountId: AccountId
      readonly methodId: string
      readonly maxAmount: Money
    }) => Effect.Effect<
      Enrolment,
      PermissionDenied | PaymentRecordNotFound | PaymentRequestInvalid | SqlError,
      CurrentPrincipal
    >
    /** Leaves AutoPay at once. */
    readonly leave: (accountId: AccountId) => Effect.Effect<void, PermissionDenied | SqlError, CurrentPrincipal>
    readonly enrolment: (
      accountId: AccountId
    ) => Effect.Effect<Enrolment | undefined, PermissionDenied | SqlError, CurrentPrincipal>
    /** Enqueues today's charge job of every enrolled account (one per account and day). */
    readonly runDue: Effect.Effect<number, SqlError>
    /** Charges what the account has due by `date`, up to its maximum; nothing when nothing is due. */
    readonly charge: (
      accountId: string,
      date: LocalDate
    ) => Effect.Effect<Settlement | undefined, SqlError | ProviderError | InvoiceRuleViolation | AllocationError>
  }
>()("portico/plugins/payments/AutoPay") {
  static readonly layer = Layer.effect(
    AutoPay,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store
      const provider = yield* PaymentProvider
      const ledger = yield* PaymentLedger
      const payments = yield* Payments
      const audit = yield* AuditLog
      const jobs = yield* JobQueue
      const asSystem = <A, E>(effect: Effect.Effect<A, E, CurrentPrincipal>) =>
        store.withScope(effect).pipe(Effect.provideService(CurrentPrincipal, system("payments-autopay")))
      const may = Effect.fnUntraced(function* (accountId: AccountId) {
        yield* authorize(yield* CurrentPrincipal, "pay", accountId)
      })
      const activeMethods = (accountId: string) =>
        Effect.map(
          sql`select id, label, provider, customer_ref, method_ref, created_at from portico.saved_payment_methods
            where account_id = ${accountId} and removed_at is null order by created_at, id`,
          decodeMethods
        )

      const startSaveMethod = Effect.fn("AutoPay.startSaveMethod")(function* (request: {
        readonly accountId: AccountId
        readonly returnUrl: string
        readonly cancelUrl: string
        readonly attemptKey?: string
      }) {
        yield* may(request.accountId)
        const intentId =
          request.attemptKey === undefined
            ? `setup-${crypto.randomUUID()}`
            : keyedIntentId("setup", request.accountId, request.attemptKey)
        const previous = readIntents(
          yield* asSystem(sql`select * from portico.payment_intents where id = ${intentId}`)
        )[0]
        if (previous?.checkoutUrl) return { intentId, checkoutUrl: previous.checkoutUrl }
        const principal = yield* CurrentPrincipal
        const contactId = principal._tag === "ContactPrincipal" ? principal.contactId : null
        const found = yield* asSystem(
          Effect.gen(function* () {
            const account = yield* sql<{ name: string; currency: string; email: string | null }>`
              select name, currency, email from portico.accounts where id = ${request.accountId}`
            const contact =
              contactId === null
                ? []
                : yield* sql<{ email: string }>`select email from portico.contacts where id = ${contactId}`
            const existing = (yield* activeMethods(request.accountId)).find((m) => m.provider === provider.id)
            return { account: account[0], email: contact[0]?.email, existing }
          })
        )
        if (found.account === undefined)
          return yield* new PaymentRecordNotFound({ kind: "account", id: request.accountId })
        const now = yield* Clock.currentTimeMillis
        const currency = Schema.decodeUnknownSync(CurrencyCode)(found.account.currency)
        yield* asSystem(
          sql`insert into portico.payment_intents (id, account_id, contact_id, kind, currency, amount_minor, provider,
              status, created_at)
            values (${intentId}, ${request.accountId}, ${contactId}, 'setup', ${currency}, 0, ${provider.id}, 'created',
              ${new Date(now).toISOString()}::timestamptz)
            on conflict (id) do nothing`
        )
        const checkout = yield* provider.createSetup({
          reference: intentId,
          customer: {
            email: found.email ?? found.account.email ?? "",
            name: found.account.name,
            ...(found.existing === undefined ? {} : { existingRef: found.existing.customer_ref })
          },
          currency,
          returnUrl: request.returnUrl,
          cancelUrl: request.cancelUrl,
          idempotencyKey: intentId
        })
        yield* asSystem(
          sql`update portico.payment_intents set provider_ref = ${checkout.providerRef}, checkout_url = ${checkout.url},
              status = 'pending' where id = ${intentId}`
        )
        return { intentId, checkoutUrl: checkout.url }
      })

      const methods = Effect.fn("AutoPay.methods")(function* (accountId: AccountId) {
        yield* may(accountId)
        const rows = yield* asSystem(activeMethods(accountId))
        return rows.map((row) => ({ id: row.id, label: row.label, provider: row.provider, createdAt: row.created_at }))
      })

      const removeMethod = Effect.fn("AutoPay.removeMethod")(function* (accountId: AccountId, methodId: string) {
        yield* may(accountId)
        yield* audit.audited(
          { action: "payment-method-removed", accountId, records: [{ kind: "payment-method", id: methodId }] },
          asSystem(
            Effect.gen(function* () {
              yield* sql`delete from portico.autopay_enrolments where account_id = ${accountId} and method_id = ${methodId}`
              yield* sql`update portico.saved_payment_methods set removed_at = now()
                where id = ${methodId} and account_id = ${accountId}`
            })
          )
        )
      })

      const enrol = Effect.fn("AutoPay.enrol")(function* (request: {
        readonly accountId: AccountId
        readonly methodId: string
        readonly maxAmount: Money
      }) {
        yield* may(request.accountId)
        const principal = yield* CurrentPrincipal
        if (principal._tag !== "ContactPrincipal") {
          return yield* new PaymentRequestInvalid({ detail: "a contact enrols an account in AutoPay" })
        }
        if (request.maxAmount.minor <= 0)
          return yield* new PaymentRequestInvalid({ detail: "the maximum must be positive" })
        const method = (yield* asSystem(activeMethods(request.accountId))).find((m) => m.id === request.methodId)
        if (method === undefined)
          return yield* new PaymentRecordNotFound({ kind: "payment method", id: request.methodId })
        yield* audit.audited(
          {
            action: "autopay-enrolled",
            accountId: request.accountId,
            records: [{ kind: "payment-method", id: method.id }]
          },
          asSystem(sql`insert into portico.autopay_enrolments (account_id, contact_id, method_id, currency, max_amount_minor,
              enrolled_at)
            values (${request.accountId}, ${principal.contactId}, ${method.id}, ${request.maxAmount.currency},
              ${request.maxAmount.minor}, now())
            on conflict (account_id) do update set contact_id = excluded.contact_id, method_id = excluded.method_id,
              currency = excluded.currency, max_amount_minor = excluded.max_amount_minor, enrolled_at = now()`)
        )
        return {
          accountId: request.accountId,
          contactId: principal.contactId,
          methodId: method.id,
          maxAmount: request.maxAmount
        }
      })

      const leave = Effect.fn("AutoPay.leave")(function* (accountId: AccountId) {
        yield* may(accountId)
        yield* audit.audited(
          { action: "autopay-left", accountId },
          asSystem(sql`delete from portico.autopay_enrolments where account_id = ${accountId}`)
        )
      })

      const enrolmentOf = (accountId: string) =>
        Effect.map(
          sql`select * from portico.autopay_enrolments where account_id = ${accountId}`,
          (rows) => decodeEnrolments(rows).map(toEnrolment)[0]
        )

      const enrolment = Effect.fn("AutoPay.enrolment")(function* (accountId: AccountId) {
        yield* may(accountId)
        return yield* asSystem(enrolmentOf(accountId))
      })

      const runDue = Effect.gen(function* () {
        const date = fromEpochDay(Math.floor((yield* Clock.currentTimeMillis) / 86_400_000))
        const accounts = yield* asSystem(sql<{ account_id: string }>`select account_id from portico.autopay_enrolments`)
        for (const { account_id } of accounts) {
          yield* jobs
            .enqueue(
              autoPayChargeJob,
              { accountId: account_id, date },
              { dedupeKey: `payments/autopay:${account_id}:${date}` }
            )
            .pipe(Effect.catchTag("JobPayloadInvalid", Effect.die))
        }
        return accounts.length
      })

      const charge = Effect.fn("AutoPay.charge")(function* (accountId: string, date: LocalDate) {
        const intentId = `autopay-${accountId}-${date}`
        const prepared = yield* asSystem(
          Effect.gen(function* () {
            const existing = readIntents(yield* sql`select * from portico.payment_intents where id = ${intentId}`)[0]
            if (existing !== undefined) return { intent: existing, method: undefined }
            const enrolled = yield* enrolmentOf(accountId)
            if (enrolled === undefined) return undefined
            const method = (yield* activeMethods(accountId)).find((m) => m.id === enrolled.methodId)
            if (method === undefined) return undefined
            const due = (yield* ledger.openInvoices(accountId)).filter(
              (i) => i.status !== "disputed" && i.dueDate <= date && i.open.currency === enrolled.maxAmount.currency
            )
            const chosen = []
            let total = 0
            for (const invoice of due) {
              if (total + invoice.open.minor > enrolled.maxAmount.minor) continue
              chosen.push({ invoiceId: invoice.id as string, amountMinor: invoice.open.minor })
              total += invoice.open.minor
            }
            if (total === 0) return undefined
            yield* sql`insert into portico.payment_intents (id, account_id, contact_id, kind, currency, amount_minor,
                targets, provider, status, created_at)
              values (${intentId}, ${accountId}, ${enrolled.contactId}, 'autopay', ${enrolled.maxAmount.currency}, ${total},
                ${JSON.stringify(chosen)}::jsonb, ${provider.id}, 'created', now())`
            const intent = readIntents(yield* sql`select * from portico.payment_intents where id = ${intentId}`)[0]
            return intent === undefined ? undefined : { intent, method }
          })
        )
        if (prepared === undefined) return undefined
        const { intent } = prepared
        if (intent.status === "succeeded")
          return { _tag: "AlreadySettled", intentId, paymentId: intent.paymentId } as const
        const method =
          prepared.method ??
          (yield* asSystem(
            Effect.gen(function* () {
              const enrolled = yield* enrolmentOf(accountId)
              return (yield* activeMethods(accountId)).find((m) => m.id === enrolled?.methodId)
            })
          ))
        if (method === undefined) return undefined
        // The intent id is the idempotency key: a retried job gets the provider's first answer back.
        const reported = yield* provider.chargeOffSession({
          amount: intent.amount,
          description: "AutoPay",
          reference: intentId,
          method: { customerRef: method.customer_ref, methodRef: method.method_ref, label: method.label },
          idempotencyKey: intentId
        })
        yield* asSystem(
          sql`update portico.payment_intents set provider_ref = ${reported.providerRef}, status = 'pending'
            where id = ${intentId} and status = 'created'`
        )
        return yield* payments.settle(reported)
      })

      return AutoPay.of({ startSaveMethod, methods, removeMethod, enrol, leave, enrolment, runDue, charge })
    })
  )
}

/** `payments/autopay-run`: the daily run (scheduled by the plugin), enqueueing each enrolled account's charge. */
export const autoPayRunJob = defineJob({
  kind: "payments/autopay-run",
  payload: Schema.Struct({}),
  run: () => Effect.flatMap(AutoPay, (autoPay) => Effect.asVoid(autoPay.runDue))
})

/** `payments/autopay-charge`: one account's charge for one day. */
export const autoPayChargeJob = defineJob({
  kind: "payments/autopay-charge",
  payload: AutoPayCharge,
  retry: { maxAttempts: 4, base: "10 minutes" },
  run: ({ accountId, date }) => Effect.flatMap(AutoPay, (autoPay) => Effect.asVoid(autoPay.charge(accountId, date)))
})
