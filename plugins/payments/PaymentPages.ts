// The payer's pages, mounted under /plugins/payments and run through the portal's PortalHost (signed-in
// principal, CSRF checked on every POST, the customer page frame): pay chosen invoices in full or in part,
// everything open, or an amount; apply account credit; the confirmation after the hosted checkout with its
// receipt; the receipt download; and AutoPay. Everything is scoped to the principal's active account: an
// invoice, payment or receipt of another account is answered as not found.
import { Effect, Option, Result } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import type { SqlError } from "effect/sql/SqlError"
import type { FeatureDisabled } from "../../core/access/FeatureGates.ts"
import { can, type PermissionDenied } from "../../core/access/Permissions.ts"
import { CurrentPrincipal } from "../../core/access/Principal.ts"
import { AccountId } from "../../core/domain/Ids.ts"
import { fromDecimal, type Money, toDecimal } from "../../core/domain/Money.ts"
import type { PluginRoute } from "../../core/plugin/Plugin.ts"
import { formBody, PortalHost } from "../../core/plugin/PortalHost.ts"
import { activeAccountOf } from "../../core/portal/Portal.ts"
import { attachment } from "../../starter/pages/PortalRoutes.ts"
import { type Html, html } from "../../starter/server/Html.ts"
import { AutoPay } from "./AutoPay.ts"
import {
  attemptKey,
  type FormProblem,
  formatMoney,
  parseAmount,
  readCreditForm,
  readPayForm,
  type UnknownInvoice,
  validAttempt
} from "./internal/payForm.ts"
import type { PaymentRecordNotFound } from "./PaymentErrors.ts"
import { keyedIntentId } from "./PaymentIntent.ts"
import type { PayableInvoice } from "./PaymentLedger.ts"
import { paymentPaths } from "./PaymentPaths.ts"
import { type CheckoutError, type Payable, Payments } from "./Payments.ts"
import { PaymentsSettings } from "./PaymentsSettings.ts"
import { autoPayPageBody, type PageMessage, paidPageBody, payPageBody } from "./PaymentViews.ts"

type Response = HttpServerResponse.HttpServerResponse
type Services = Payments | AutoPay | PaymentsSettings

const requestUrl = Effect.map(
  Effect.service(HttpServerRequest.HttpServerRequest),
  (request) => new URL(request.url, "http://portal.invalid")
)

/** Where the provider sends the payer back: the configured portal URL, else the origin the request came to. */
const portalOrigin = Effect.gen(function* () {
  const settings = yield* PaymentsSettings
  if (settings.portalUrl !== undefined) return settings.portalUrl
  const request = yield* HttpServerRequest.HttpServerRequest
  return Option.match(HttpServerRequest.toURL(request), {
    onNone: () => "http://localhost",
    onSome: (url) => url.origin
  })
})

const messagePage = (status: number, title: string, text: string) =>
  Effect.flatMap(Effect.service(PortalHost), (host) =>
    host.customerPage({
      title,
      body: html`<h1>${title}</h1><p>${text}</p><p><a href="/">Back to your account</a></p>`.value,
      status
    })
  )

const notFound = messagePage(404, "Not found", "There is nothing here, or it is not yours to see.")
const notAllowed = messagePage(403, "Not allowed", "Your role on this account does not allow payments.")
const notAvailable = messagePage(403, "Not available", "Online payment is not part of your account's service.")
const providerDown = (error: unknown) =>
  Effect.andThen(
    Effect.logWarning("payment provider call failed", error),
    messagePage(
      502,
      "Payment provider unavailable",
      "The payment provider could not be reached, and nothing was charged. Please try again in a moment."
    )
  )

type AccessError = PermissionDenied | FeatureDisabled | PaymentRecordNotFound | SqlError

/** The refusals every page answers the same way; a database fault is a 500. */
const accessRefusal = (refused: AccessError) => {
  switch (refused._tag) {
    case "PermissionDenied":
      return notAllowed
    case "FeatureDisabled":
      return notAvailable
    case "PaymentRecordNotFound":
      return notFound
    case "SqlError":
      return Effect.die(refused)
  }
}

const activeAccount = Effect.map(Effect.service(CurrentPrincipal), (principal) => {
  const id = activeAccountOf(principal)
  return id === undefined ? undefined : AccountId.make(id)
})

/** What a page handler may use besides the plugin's services: the host, the principal and the request. */
type PageContext = PortalHost | CurrentPrincipal | HttpServerRequest.HttpServerRequest | HttpRouter.RouteContext

/**
 * Runs a page handler for the signed-in principal through the host (which checks the CSRF token of a POST),
 * with the active account; the access refusals become pages.
 */
const customer = (
  handler: (accountId: AccountId) => Effect.Effect<Response, AccessError, Services | PageContext>
): Effect.Effect<
  Response,
  never,
  Services | PortalHost | HttpServerRequest.HttpServerRequest | HttpRouter.RouteContext
> =>
  Effect.flatMap(Effect.service(PortalHost), (host) =>
    host.customer(
      Effect.flatMap(activeAccount, (accountId) =>
        accountId === undefined ? notFound : Effect.catch(handler(accountId), accessRefusal)
      )
    )
  )

const error = (text: string): PageMessage => ({ kind: "error", text })
const notice = (text: string): PageMessage => ({ kind: "notice", text })

/** How a form page is shown: the form's values (kept after a refusal), a message, and the status. */
interface PageState {
  readonly values: URLSearchParams
  readonly message?: PageMessage
  readonly status?: number
}

/** A body in the host's customer frame, with a fresh CSRF token and attempt id for its forms. */
const framed = (
  title: string,
  state: PageState,
  body: (forms: { readonly csrf: string; readonly attempt: string }) => Html
) =>
  Effect.gen(function* () {
    const host = yield* PortalHost
    const markup = body({ csrf: yield* host.csrfToken, attempt: crypto.randomUUID() })
    return yield* host.customerPage({
      title,
      body: markup.value,
      ...(state.status === undefined ? {} : { status: state.status })
    })
  })

const messageOf = (state: PageState) => (state.message === undefined ? {} : { message: state.message })

/** The pay page for the account. */
const payPage = (payable: Payable, state: PageState) =>
  Effect.gen(function* () {
    const settings = yield* PaymentsSettings
    const accountId = yield* activeAccount
    const enrolment = accountId === undefined ? undefined : yield* (yield* AutoPay).enrolment(accountId)
    return yield* framed("Pay", state, (forms) =>
      payPageBody({
        payable,
        ...forms,
        minimumPartial: settings.minimumPartial,
        advancePayments: settings.advancePayments,
        enrolment,
        values: state.values,
        ...messageOf(state)
      })
    )
  })

const numberOf = (invoices: ReadonlyArray<PayableInvoice>, invoiceId: string): string =>
  invoices.find((invoice) => invoice.id === invoiceId)?.number ?? invoiceId

/** A refused checkout as a sentence (422: the form is shown again), or the page for a refusal of access. */
const checkoutRefusal = (error: CheckoutError, payable: Payable, form: URLSearchParams) => {
  const again = (text: string) => payPage(payable, { values: form, message: { kind: "error", text }, status: 422 })
  switch (error._tag) {
    case "PartialBelowMinimum":
      return again(
        `A part payment of ${numberOf(payable.invoices, error.invoiceId)} must be at least ${formatMoney(error.minimum)}; pay at least that, or the whole open balance.`
      )
    case "AllocationExceedsOpenBalance":
      return again(
        `The amount for ${numberOf(payable.invoices, error.invoiceId)} is more than the ${formatMoney(error.open)} open on it.`
      )
    case "CurrencyMismatch":
      return again("Choose invoices in one currency for each payment.")
    case "NothingToPay":
      return again("There is nothing to pay in that choice.")
    case "PaymentRequestInvalid":
      return again(`This payment cannot be made: ${error.detail}.`)
    case "PermissionDenied":
      return notAllowed
    case "FeatureDisabled":
      return notAvailable
    case "PaymentRecordNotFound":
      return notFound
    case "ProviderError":
      return providerDown(error)
    case "SqlError":
      return Effect.die(error)
    default:
      return again(`This payment cannot be made: ${error.message}.`)
  }
}

/** `?applied=12.50&currency=EUR` after applying credit, read back only when it is an amount. */
const appliedNotice = (query: URLSearchParams, payable: Payable): PageMessage | undefined => {
  const currency = payable.credit.find((c) => c.currency === query.get("currency"))?.currency ?? payable.currency
  const applied = query.get("applied")
  if (applied === null) return undefined
  const amount = fromDecimal(currency, applied)
  if (Result.isFailure(amount)) return undefined
  return amount.success.minor === 0
    ? notice("No credit was applied: nothing in that currency is open.")
    : notice(`${formatMoney(amount.success)} of your credit is applied.`)
}

const pay = HttpRouter.route(
  "GET",
  "/pay",
  customer((accountId) =>
    Effect.gen(function* () {
      const payable = yield* (yield* Payments).payable(accountId)
      const query = (yield* requestUrl).searchParams
      const chosen = query.getAll("invoice")
      // an invoice that is not open on this account is not confirmed to exist
      if (chosen.some((id) => !payable.invoices.some((invoice) => invoice.id === id))) return yield* notFound
      const values = new URLSearchParams(chosen.map((id): [string, string] => ["invoice", id]))
      const message =
        query.get("cancelled") === "1"
          ? notice("The payment was cancelled; nothing was charged.")
          : appliedNotice(query, payable)
      return yield* payPage(payable, { values, ...(message === undefined ? {} : { message }) })
    })
  )
)

/**
 * The submitted form read against what the account can pay now: the reading, or the answer already given (a
 * foreign invoice is not found; a mistake shows the pay page again, with the form when `keep` says so).
 */
const submitted = <A>(
  accountId: AccountId,
  read: (form: URLSearchParams, payable: Payable) => Result.Result<A, FormProblem | UnknownInvoice>,
  keep: boolean
) =>
  Effect.gen(function* () {
    const form = yield* formBody
    const payable = yield* (yield* Payments).payable(accountId)
    const result = read(form, payable)
    if (Result.isSuccess(result)) return { _tag: "Read", form, payable, value: result.success } as const
    const response =
      result.failure._tag === "Unknown"
        ? yield* notFound
        : yield* payPage(payable, {
            values: keep ? form : new URLSearchParams(),
            message: error(result.failure.message),
            status: 422
          })
    return { _tag: "Answered", response } as const
  })

const startPayment = HttpRouter.route(
  "POST",
  "/pay",
  customer((accountId) =>
    Effect.gen(function* () {
      const read = yield* submitted(accountId, readPayForm, true)
      if (read._tag === "Answered") return read.response
      const { form, payable } = read
      const key = attemptKey(validAttempt(form.get("attempt")) ?? crypto.randomUUID(), read.value)
      const intentId = keyedIntentId("pi", accountId, key)
      const origin = yield* portalOrigin
      return yield* (yield* Payments)
        .startCheckout({
          accountId,
          selection: read.value,
          returnUrl: `${origin}${paymentPaths.return(intentId, paymentPaths.paid(intentId))}`,
          cancelUrl: `${origin}${paymentPaths.pay}?cancelled=1`,
          idempotencyKey: key
        })
        .pipe(
          Effect.flatMap(toCheckout),
          Effect.catch((refused) => checkoutRefusal(refused, payable, form))
        )
    })
  )
)

const applyCredit = HttpRouter.route(
  "POST",
  "/credit",
  customer((accountId) =>
    Effect.gen(function* () {
      const read = yield* submitted(accountId, readCreditForm, false)
      if (read._tag === "Answered") return read.response
      const { payable } = read
      return yield* (yield* Payments).applyCredit(accountId, read.value.currency, read.value.invoiceIds).pipe(
        Effect.map((applied: Money) => {
          const query = new URLSearchParams({ applied: toDecimal(applied), currency: applied.currency })
          return HttpServerResponse.redirect(`${paymentPaths.pay}?${query.toString()}`, { status: 303 })
        }),
        Effect.catchTags({ PermissionDenied: () => notAllowed, SqlError: Effect.die }),
        Effect.catch((refused) =>
          payPage(payable, {
            values: new URLSearchParams(),
            message: error(`The credit could not be applied: ${refused.message}.`),
            status: 409
          })
        )
      )
    })
  )
)

const paid = HttpRouter.route(
  "GET",
  "/paid",
  customer((accountId) =>
    Effect.gen(function* () {
      const payments = yield* Payments
      const principal = yield* CurrentPrincipal
      const intentId = (yield* requestUrl).searchParams.get("intent") ?? ""
      const intent = yield* payments.intent(intentId)
      const own =
        intent.kind !== "setup" && intent.accountId === accountId && can(principal, "view-invoices", accountId)
      if (!own) return yield* notFound
      const receiptReady =
        intent.paymentId === null
          ? false
          : yield* payments
              .receipt(intent.paymentId)
              .pipe(Effect.as(true), Effect.catchTags({ PaymentRecordNotFound: () => Effect.succeed(false) }))
      const host = yield* PortalHost
      const body = paidPageBody({ intent, receiptReady })
      return yield* host.customerPage({ title: "Payment", body: body.value })
    })
  )
)

const receipt = HttpRouter.route(
  "GET",
  "/receipts/:paymentId",
  customer((accountId) =>
    Effect.gen(function* () {
      const paymentId = (yield* HttpRouter.params).paymentId ?? ""
      const file = yield* (yield* Payments).receipt(paymentId)
      if (file.accountId !== accountId) return yield* notFound
      return attachment({ fileName: file.fileName, contentType: file.contentType, bytes: file.content })
    }).pipe(Effect.catchTag("PermissionDenied", () => notFound))
  )
)

/**
 * After a form starts a checkout: a 303 straight to the provider's hosted checkout (the portal's CSP lets
 * forms go there: see `checkoutOrigins`). The same form sent again finds the intent it started; once that is
 * settled, the payer goes to its confirmation instead of a finished checkout.
 */
const toCheckout = (started: { readonly intentId: string; readonly checkoutUrl: string }) =>
  Effect.gen(function* () {
    const intent = yield* (yield* Payments).intent(started.intentId)
    const settled =
      intent.kind === "setup"
        ? `${paymentPaths.autoPay}?method=${encodeURIComponent(intent.id)}`
        : paymentPaths.paid(intent.id)
    return HttpServerResponse.redirect(intent.status === "pending" ? started.checkoutUrl : settled, { status: 303 })
  })

/** The AutoPay page for the account. */
const autoPayPage = (accountId: AccountId, state: PageState) =>
  Effect.gen(function* () {
    const autoPay = yield* AutoPay
    const principal = yield* CurrentPrincipal
    const payable = yield* (yield* Payments).payable(accountId)
    const enrolment = yield* autoPay.enrolment(accountId)
    const methods = yield* autoPay.methods(accountId)
    return yield* framed("AutoPay", state, (forms) =>
      autoPayPageBody({
        currency: payable.currency,
        enrolment,
        methods,
        ...forms,
        canEnrol: principal._tag === "ContactPrincipal",
        values: state.values,
        ...messageOf(state)
      })
    )
  })

/** The notice for what the AutoPay page was sent back after (`?saved=1`, `?left=1`, `?method=<intent>`...). */
const autoPayNotice = (query: URLSearchParams, methodIds: ReadonlyArray<string>): PageMessage | undefined => {
  if (query.get("saved") === "1") return notice("AutoPay is saved.")
  if (query.get("left") === "1") return notice("You have left AutoPay; nothing more is charged automatically.")
  if (query.get("cancelled") === "1") return notice("Saving a payment method was cancelled.")
  const setup = query.get("method")
  if (setup === null) return undefined
  return methodIds.includes(`pm-${setup}`)
    ? notice("Your payment method is saved. Choose it below to turn on AutoPay.")
    : notice("The payment provider has not confirmed your payment method yet. Reload this page in a moment.")
}

const autoPayStatus = HttpRouter.route(
  "GET",
  "/autopay",
  customer((accountId) =>
    Effect.gen(function* () {
      const methods = yield* (yield* AutoPay).methods(accountId)
      const message = autoPayNotice(
        (yield* requestUrl).searchParams,
        methods.map((m) => m.id)
      )
      return yield* autoPayPage(accountId, {
        values: new URLSearchParams(),
        ...(message === undefined ? {} : { message })
      })
    })
  )
)

const enrol = HttpRouter.route(
  "POST",
  "/autopay/enrol",
  customer((accountId) =>
    Effect.gen(function* () {
      const form = yield* formBody
      const payable = yield* (yield* Payments).payable(accountId)
      const again = (text: string) => autoPayPage(accountId, { values: form, message: error(text), status: 422 })
      const max = parseAmount(payable.currency, form.get("max") ?? "", "the maximum")
      if (Result.isFailure(max)) return yield* again(max.failure.message)
      return yield* (yield* AutoPay)
        .enrol({ accountId, methodId: form.get("method") ?? "", maxAmount: max.success })
        .pipe(
          Effect.as(HttpServerResponse.redirect(`${paymentPaths.autoPay}?saved=1`, { status: 303 })),
          Effect.catchTags({
            PaymentRecordNotFound: () => again("Choose one of your saved payment methods."),
            PaymentRequestInvalid: (refused) => again(`AutoPay cannot be saved: ${refused.detail}.`)
          })
        )
    })
  )
)

const leave = HttpRouter.route(
  "POST",
  "/autopay/leave",
  customer((accountId) =>
    Effect.flatMap(Effect.service(AutoPay), (autoPay) => autoPay.leave(accountId)).pipe(
      Effect.as(HttpServerResponse.redirect(`${paymentPaths.autoPay}?left=1`, { status: 303 }))
    )
  )
)

const saveMethod = HttpRouter.route(
  "POST",
  "/autopay/method",
  customer((accountId) =>
    Effect.gen(function* () {
      const form = yield* formBody
      const attempt = validAttempt(form.get("attempt")) ?? crypto.randomUUID()
      const intentId = keyedIntentId("setup", accountId, attempt)
      const origin = yield* portalOrigin
      const back = `${paymentPaths.autoPay}?method=${encodeURIComponent(intentId)}`
      return yield* (yield* AutoPay)
        .startSaveMethod({
          accountId,
          returnUrl: `${origin}${paymentPaths.return(intentId, back)}`,
          cancelUrl: `${origin}${paymentPaths.autoPay}?cancelled=1`,
          attemptKey: attempt
        })
        .pipe(Effect.flatMap(toCheckout), Effect.catchTag("ProviderError", providerDown))
    })
  )
)

/** The payer's pages, for `PluginContributions.routes` (mounted under `/plugins/payments`). */
export const paymentPagesRoutes: ReadonlyArray<PluginRoute<Services | PortalHost>> = [
  pay,
  startPayment,
  applyCredit,
  paid,
  receipt,
  autoPayStatus,
  enrol,
  leave,
  saveMethod
].map((route) => ({ route }))
