// Labels and formatted figures for the customer pages: the HTML renderer's locale formatter for money and
// dates, and the renderers' status and aging labels, so pages and documents say the same thing.
import type { InvoiceStatusAsOf } from "../../core/billing/InvoiceStateMachine.ts"
import type { CurrencyCode } from "../../core/domain/Currency.ts"
import type { LocalDate } from "../../core/domain/LocalDate.ts"
import type { Money } from "../../core/domain/Money.ts"
import { agingLabel, statusLabel } from "../../core/render/Labels.ts"
import type { Locale } from "../../core/render/Locale.ts"
import { type Catalog, catalogFor } from "../../core/render/Messages.ts"
import { makeFormatter } from "../../renderers/html/Format.ts"
import { type Html, html } from "../server/Html.ts"

/** Formatting for one locale. */
export interface PageFormat {
  readonly labels: Catalog
  readonly money: (money: Money) => string
  readonly date: (date: LocalDate) => string
  /** A unit price in major units: "1250" EUR → "€1,250.00". */
  readonly price: (value: string, currency: CurrencyCode) => string
  readonly status: (status: InvoiceStatusAsOf) => Html
  /** "Not yet due", "1–30 days overdue"… for a bucket's day range. */
  readonly aging: (bucket: {
    readonly minDaysPastDue?: number | undefined
    readonly maxDaysPastDue?: number | undefined
  }) => string
}

/** The page formatting for `locale`. */
export const pageFormat = (locale: Locale): PageFormat => {
  const format = makeFormatter(locale)
  const labels = catalogFor(locale)
  return {
    labels,
    money: format.money,
    date: format.date,
    price: format.price,
    status: (status) =>
      html`<span class="badge badge-${status}" data-status="${status}">${statusLabel(labels, status)}</span>`,
    aging: (bucket) =>
      agingLabel(
        labels,
        {
          ...(bucket.minDaysPastDue === undefined ? {} : { minDaysPastDue: bucket.minDaysPastDue }),
          ...(bucket.maxDaysPastDue === undefined ? {} : { maxDaysPastDue: bucket.maxDaysPastDue })
        },
        (value) => format.decimal(String(value))
      )
  }
}
