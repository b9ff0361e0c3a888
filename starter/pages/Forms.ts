// Reading the pages' query strings and form bodies into use-case requests, with every value checked:
// anything that does not decode is reported to the visitor, never passed on.
import { Result, Schema } from "effect"
import { InvoiceStatusAsOf } from "../../core/billing/InvoiceStateMachine.ts"
import { type CurrencyCode, CurrencyCode as CurrencySchema } from "../../core/domain/Currency.ts"
import { addDays, type LocalDate, LocalDate as LocalDateSchema } from "../../core/domain/LocalDate.ts"
import { fromDecimal } from "../../core/domain/Money.ts"
import type { NotificationSettings } from "../../core/portal/NotificationSettings.ts"
import type { ActivityRequest, BillingDetailsUpdate, StatementRequest } from "../../core/portal/Portal.ts"
import { InvoiceSortField, SortDirection } from "../../core/store/InvoiceQuery.ts"

/** The activity filters as the visitor wrote them (redisplayed in the form). */
export interface ActivityForm {
  readonly statuses: ReadonlyArray<InvoiceStatusAsOf>
  readonly from: string
  readonly to: string
  readonly min: string
  readonly max: string
  readonly q: string
  readonly sort: string
  readonly cursor: string
}

const isStatus = Schema.is(InvoiceStatusAsOf)
const isDate = Schema.is(LocalDateSchema)
const isField = Schema.is(InvoiceSortField)
const isDirection = Schema.is(SortDirection)
const isCurrency = Schema.is(CurrencySchema)

const first = (params: URLSearchParams, name: string): string => (params.get(name) ?? "").trim().slice(0, 200)

/** The activity form from a query string (or a posted form carrying the same fields). */
export const activityForm = (params: URLSearchParams): ActivityForm => ({
  statuses: params.getAll("status").filter(isStatus),
  from: first(params, "from"),
  to: first(params, "to"),
  min: first(params, "min"),
  max: first(params, "max"),
  q: first(params, "q").slice(0, 100),
  sort: first(params, "sort") || "issue-date:desc",
  cursor: (params.get("cursor") ?? "").slice(0, 1000)
})

/** The list request for the form, amounts read in `currency`; or what is wrong with the form. */
export const activityRequest = (form: ActivityForm, currency: CurrencyCode): Result.Result<ActivityRequest, string> => {
  const [field, direction] = form.sort.split(":")
  if (!isField(field) || !isDirection(direction)) return Result.fail("Choose a sort order from the list.")
  if (form.from !== "" && !isDate(form.from)) return Result.fail("Write the start date as YYYY-MM-DD.")
  if (form.to !== "" && !isDate(form.to)) return Result.fail("Write the end date as YYYY-MM-DD.")
  const amount = (text: string, what: string) =>
    text === ""
      ? Result.succeed(undefined)
      : Result.mapError(
          fromDecimal(currency, text.replace(/,/g, "")),
          () => `Write the ${what} as an amount such as 100.00.`
        )
  const min = amount(form.min, "lowest amount")
  if (Result.isFailure(min)) return Result.fail(min.failure)
  const max = amount(form.max, "highest amount")
  if (Result.isFailure(max)) return Result.fail(max.failure)
  return Result.succeed({
    sort: { field, direction },
    ...(form.statuses.length === 0 ? {} : { statuses: form.statuses }),
    ...(isDate(form.from) ? { issuedFrom: form.from } : {}),
    ...(isDate(form.to) ? { issuedTo: form.to } : {}),
    ...(min.success === undefined ? {} : { minTotal: min.success.minor }),
    ...(max.success === undefined ? {} : { maxTotal: max.success.minor }),
    ...(form.q === "" ? {} : { search: form.q }),
    ...(form.cursor === "" ? {} : { cursor: form.cursor })
  })
}

/** The statement form as the visitor wrote it. */
export interface StatementForm {
  readonly style: "open-item" | "balance-forward"
  readonly from: LocalDate
  readonly to: LocalDate
  readonly currency: CurrencyCode | undefined
}

/** The statement form from a query string; by default open items over the last 90 days to `today`. */
export const statementForm = (params: URLSearchParams, today: LocalDate): StatementForm => {
  const from = first(params, "from")
  const to = first(params, "to")
  const currency = first(params, "currency")
  return {
    style: first(params, "style") === "balance-forward" ? "balance-forward" : "open-item",
    from: isDate(from) ? from : addDays(today, -90),
    to: isDate(to) ? to : today,
    currency: isCurrency(currency) ? currency : undefined
  }
}

/** The use case's request for the form. */
export const statementRequest = (form: StatementForm): StatementRequest => ({
  style: form.style,
  from: form.from,
  to: form.to,
  ...(form.currency === undefined ? {} : { currency: form.currency })
})

const optional = (params: URLSearchParams, name: string): string | undefined => {
  const value = first(params, name)
  return value === "" ? undefined : value
}

/** A billing details change from the posted form; the address part only when its fields were on the form. */
export const billingUpdate = (params: URLSearchParams): Result.Result<BillingDetailsUpdate, string> => {
  const name = first(params, "name")
  if (name === "") return Result.fail("Enter your name.")
  const contact = { name, phone: optional(params, "phone") ?? null }
  if (!params.has("line1")) return Result.succeed({ contact })
  const country = optional(params, "country")?.toUpperCase()
  if (country !== undefined && !/^[A-Z]{2}$/.test(country))
    return Result.fail("Write the country as two letters, such as DE.")
  const email = optional(params, "email")
  if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    return Result.fail("Enter a valid invoice e-mail address.")
  const lines = [first(params, "line1"), first(params, "line2")].filter((line) => line !== "")
  const city = optional(params, "city")
  const postalCode = optional(params, "postalCode")
  return Result.succeed({
    contact,
    address: {
      address: {
        lines,
        ...(city === undefined ? {} : { city }),
        ...(postalCode === undefined ? {} : { postalCode }),
        ...(country === undefined ? {} : { country })
      },
      email: email ?? null
    }
  })
}

/** Notification settings from the posted checkboxes (an unchecked box is absent). */
export const notificationSettingsFrom = (params: URLSearchParams): NotificationSettings => ({
  invoiceIssued: params.get("invoiceIssued") === "on",
  paymentReceived: params.get("paymentReceived") === "on",
  dueReminders: params.get("dueReminders") === "on",
  monthlyStatement: params.get("monthlyStatement") === "on",
  plainText: params.get("plainText") === "on"
})
