// The figures the business watches, computed in SQL from the audit log and the invoices: time from issue to
// first view, sign-ins per contact and period, views and downloads per account, and the accounts that have not
// looked at their overdue invoices. Business-side only: it reads every account, so it runs as the system.
import { Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { CurrentPrincipal } from "../../core/access/Principal.ts"
import { CurrencyCode } from "../../core/domain/Currency.ts"
import type { LocalDate } from "../../core/domain/LocalDate.ts"
import type { Money } from "../../core/domain/Money.ts"
import { Store } from "../../core/store/Store.ts"
import * as Queries from "./internal/queries.ts"

/** How figures are grouped in time: "day", "week" (from Monday) or "month". */
export const Period = Schema.Literals(["day", "week", "month"])
export type Period = Queries.Period

/** One invoice issued in the range and when it was first viewed. */
export interface FirstView {
  readonly invoiceId: string
  readonly accountId: string
  readonly number: string
  readonly issueDate: LocalDate
  /** ISO-8601 UTC instant of the first successful view; null when never viewed. */
  readonly firstViewAt: string | null
  /** Seconds from 00:00 UTC of the issue date to the first view; null when never viewed. */
  readonly secondsToFirstView: number | null
}

/** Time to first view over the invoices issued in one period. */
export interface FirstViewPeriod {
  /** The period's first day (a Monday for weeks, the 1st for months). */
  readonly periodStart: LocalDate
  readonly issued: number
  readonly viewed: number
  /** percentile_disc: the smallest value with at least half (90 %) of the viewed invoices at or below it. */
  readonly medianSeconds: number | null
  readonly p90Seconds: number | null
}

/** Sign-ins of one contact in one period. */
export interface ContactSignIns {
  readonly contactId: string
  readonly periodStart: LocalDate
  readonly signIns: number
}

/** Sign-ins of all contacts in one period. */
export interface PeriodSignIns {
  readonly periodStart: LocalDate
  readonly signIns: number
  readonly contacts: number
}

/** What one account's people looked at and downloaded. */
export interface AccountActivity {
  readonly accountId: string
  /** Every successful "view" entry (invoices, account pages, lists, threads). */
  readonly views: number
  /** The views whose subject is an invoice. */
  readonly invoiceViews: number
  readonly downloads: number
}

/** An overdue invoice nobody viewed. */
export interface UnseenInvoice {
  readonly invoiceId: string
  readonly number: string
  readonly dueDate: LocalDate
  readonly open: Money
}

/** An account with overdue invoices that were never viewed. */
export interface UnseenOverdueAccount {
  readonly accountId: string
  readonly accountName: string
  /** Its invoices overdue as of the date. */
  readonly overdue: number
  /** Those never viewed (before the end of the as-of date). */
  readonly unseen: ReadonlyArray<UnseenInvoice>
  /** None of its overdue invoices was ever viewed. */
  readonly lookedAtNone: boolean
}

/** Every figure, for the page and the JSON endpoint. */
export interface AnalyticsReport {
  readonly from: LocalDate
  readonly to: LocalDate
  readonly period: Queries.Period
  readonly asOf: LocalDate
  readonly firstViews: ReadonlyArray<FirstView>
  readonly firstViewPeriods: ReadonlyArray<FirstViewPeriod>
  readonly signInsPerContact: ReadonlyArray<ContactSignIns>
  readonly signInsPerPeriod: ReadonlyArray<PeriodSignIns>
  readonly activity: ReadonlyArray<AccountActivity>
  readonly unseenOverdue: ReadonlyArray<UnseenOverdueAccount>
}

/** Analytics read every account: only the business (a SystemPrincipal) may ask. */
export class AnalyticsDenied extends Schema.TaggedError<AnalyticsDenied>()("AnalyticsDenied", {
  principal: Schema.String
}) {
  override get message(): string {
    return `portal analytics are for the business; a ${this.principal} may not read them`
  }
}

type Figures<A> = Effect.Effect<A, AnalyticsDenied | SqlError, CurrentPrincipal>

const int = (value: number | string | bigint | null): number | null => (value === null ? null : Number(value))
const count = (value: number | string | bigint): number => Number(value)
const iso = (value: Date | string | null): string | null =>
  value === null ? null : (value instanceof Date ? value : new Date(value)).toISOString()
const decodeCurrency = Schema.decodeUnknownSync(CurrencyCode)

/** The analytics service. */
export class PortalAnalytics extends Context.Service<
  PortalAnalytics,
  {
    readonly firstViews: (from: LocalDate, to: LocalDate) => Figures<ReadonlyArray<FirstView>>
    readonly firstViewPeriods: (
      from: LocalDate,
      to: LocalDate,
      period: Queries.Period
    ) => Figures<ReadonlyArray<FirstViewPeriod>>
    readonly signIns: (
      from: LocalDate,
      to: LocalDate,
      period: Queries.Period
    ) => Figures<{
      readonly perContact: ReadonlyArray<ContactSignIns>
      readonly perPeriod: ReadonlyArray<PeriodSignIns>
    }>
    readonly activity: (from: LocalDate, to: LocalDate) => Figures<ReadonlyArray<AccountActivity>>
    readonly unseenOverdue: (asOf: LocalDate) => Figures<ReadonlyArray<UnseenOverdueAccount>>
    /** Every figure for a range, a grouping and an as-of date, read in one transaction. */
    readonly report: (options: {
      readonly from: LocalDate
      readonly to: LocalDate
      readonly period: Queries.Period
      readonly asOf: LocalDate
    }) => Figures<AnalyticsReport>
  }
>()("portico/plugins/analytics/PortalAnalytics") {
  static readonly layer = Layer.effect(
    PortalAnalytics,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store

      /** Runs as the system after checking the caller is the business. */
      const business = <A>(effect: Effect.Effect<A, SqlError>): Figures<A> =>
        Effect.gen(function* () {
          const principal = yield* CurrentPrincipal
          if (principal._tag !== "SystemPrincipal") return yield* new AnalyticsDenied({ principal: principal._tag })
          return yield* store.withScope(effect)
        })

      const firstViewsQ = (from: LocalDate, to: LocalDate) =>
        Effect.map(Queries.firstViews(sql, from, to), (rows) =>
          rows.map(
            (row): FirstView => ({
              invoiceId: row.id,
              accountId: row.account_id,
              number: row.number,
              issueDate: String(row.issue_date) as LocalDate, // safe: to_char 'YYYY-MM-DD'
              firstViewAt: iso(row.first_view),
              secondsToFirstView: int(row.seconds)
            })
          )
        )

      const periodsQ = (from: LocalDate, to: LocalDate, period: Queries.Period) =>
        Effect.map(Queries.firstViewSummary(sql, from, to, period), (rows) =>
          rows.map(
            (row): FirstViewPeriod => ({
              periodStart: row.period_start as LocalDate, // safe: to_char 'YYYY-MM-DD'
              issued: count(row.issued),
              viewed: count(row.viewed),
              medianSeconds: int(row.median_seconds),
              p90Seconds: int(row.p90_seconds)
            })
          )
        )

      const signInsQ = (from: LocalDate, to: LocalDate, period: Queries.Period) =>
        Effect.map(Queries.signIns(sql, from, to, period), (rows) => {
          const perContact = rows.map(
            (row): ContactSignIns => ({
              contactId: row.contact_id,
              periodStart: row.period_start as LocalDate, // safe: to_char 'YYYY-MM-DD'
              signIns: count(row.sign_ins)
            })
          )
          const periods = new Map<LocalDate, { signIns: number; contacts: number }>()
          for (const row of perContact) {
            const total = periods.get(row.periodStart) ?? { signIns: 0, contacts: 0 }
            periods.set(row.periodStart, { signIns: total.signIns + row.signIns, contacts: total.contacts + 1 })
          }
          const perPeriod = [...periods].map(([periodStart, total]): PeriodSignIns => ({ periodStart, ...total }))
          return { perContact, perPeriod }
        })

      const activityQ = (from: LocalDate, to: LocalDate) =>
        Effect.map(Queries.viewsAndDownloads(sql, from, to), (rows) =>
          rows.map(
            (row): AccountActivity => ({
              accountId: row.account_id,
              views: count(row.views),
              invoiceViews: count(row.invoice_views),
              downloads: count(row.downloads)
            })
          )
        )

      const unseenQ = (asOf: LocalDate) =>
        Effect.map(Queries.overdueSeen(sql, asOf), (rows) => {
          const accounts = new Map<string, { name: string; overdue: number; unseen: Array<UnseenInvoice> }>()
          for (const row of rows) {
            const entry = accounts.get(row.account_id) ?? { name: row.account_name, overdue: 0, unseen: [] }
            entry.overdue += 1
            if (!row.seen) {
              entry.unseen.push({
                invoiceId: row.id,
                number: row.number,
                dueDate: row.due_date as LocalDate, // safe: to_char 'YYYY-MM-DD'
                open: { currency: decodeCurrency(row.currency), minor: Number(row.open_minor) }
              })
            }
            accounts.set(row.account_id, entry)
          }
          return [...accounts]
            .filter(([, entry]) => entry.unseen.length > 0)
            .map(
              ([accountId, entry]): UnseenOverdueAccount => ({
                accountId,
                accountName: entry.name,
                overdue: entry.overdue,
                unseen: entry.unseen,
                lookedAtNone: entry.unseen.length === entry.overdue
              })
            )
        })

      return PortalAnalytics.of({
        firstViews: (from, to) => business(firstViewsQ(from, to)),
        firstViewPeriods: (from, to, period) => business(periodsQ(from, to, period)),
        signIns: (from, to, period) => business(signInsQ(from, to, period)),
        activity: (from, to) => business(activityQ(from, to)),
        unseenOverdue: (asOf) => business(unseenQ(asOf)),
        report: ({ from, to, period, asOf }) =>
          business(
            Effect.gen(function* () {
              const firstViews = yield* firstViewsQ(from, to)
              const firstViewPeriods = yield* periodsQ(from, to, period)
              const signIns = yield* signInsQ(from, to, period)
              const activity = yield* activityQ(from, to)
              const unseenOverdue = yield* unseenQ(asOf)
              return {
                from,
                to,
                period,
                asOf,
                firstViews,
                firstViewPeriods,
                signInsPerContact: signIns.perContact,
                signInsPerPeriod: signIns.perPeriod,
                activity,
                unseenOverdue
              } satisfies AnalyticsReport
            })
          )
      })
    })
  )
}
