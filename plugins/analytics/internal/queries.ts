// The analytics SQL, one builder per figure, shared by the service and by the tests that EXPLAIN them. Dates
// are UTC days; a range [from, to] covers from 00:00 on `from` to the end of `to`.
import type { SqlClient } from "effect/sql"
import type { LocalDate } from "../../../core/domain/LocalDate.ts"

/** How figures are grouped in time. */
export type Period = "day" | "week" | "month"

/** The first record of an entry names this invoice, and the entry is a successful view. */
const invoiceView = (sql: SqlClient.SqlClient, alias: string) =>
  sql.literal(
    `${alias}.action = 'view' and ${alias}.outcome = 'success' and (${alias}.records -> 0 ->> 'kind') = 'invoice'`
  )

/** Invoices issued in the range, each with its first successful view (null when never viewed). */
export const firstViews = (sql: SqlClient.SqlClient, from: LocalDate, to: LocalDate) =>
  sql<{
    id: string
    account_id: string
    number: string
    issue_date: unknown
    first_view: Date | string | null
    seconds: number | string | null
  }>`select i.id, i.account_id, i.number, to_char(i.issue_date, 'YYYY-MM-DD') as issue_date, v.first_view,
      floor(extract(epoch from v.first_view - (i.issue_date::timestamp at time zone 'UTC')))::bigint as seconds
    from portico.invoices i
    left join lateral (
      select a.occurred_at as first_view from portico.audit_log a
      where ${invoiceView(sql, "a")} and (a.records -> 0 ->> 'id') = i.id
      order by a.occurred_at limit 1
    ) v on true
    where i.issue_date between ${from}::date and ${to}::date
    order by i.issue_date, i.id`

/** Per period of issue: invoices issued, viewed, and the median and 90th percentile of seconds to first view. */
export const firstViewSummary = (sql: SqlClient.SqlClient, from: LocalDate, to: LocalDate, period: Period) =>
  sql<{
    period_start: string
    issued: number | string
    viewed: number | string
    median_seconds: number | string | null
    p90_seconds: number | string | null
  }>`with firsts as (${firstViews(sql, from, to)})
    select to_char(date_trunc(${period}, issue_date::date::timestamp), 'YYYY-MM-DD') as period_start,
      count(*) as issued, count(seconds) as viewed,
      percentile_disc(0.5) within group (order by seconds) as median_seconds,
      percentile_disc(0.9) within group (order by seconds) as p90_seconds
    from firsts group by 1 order by 1`

/** The UTC instants bounding a range of days: [from 00:00, the day after `to` 00:00). */
const bounds = (sql: SqlClient.SqlClient, from: LocalDate, to: LocalDate) => ({
  lower: sql`(${from}::date::timestamp at time zone 'UTC')`,
  upper: sql`((${to}::date + 1)::timestamp at time zone 'UTC')`
})

/** Successful contact sign-ins in the range, per contact and period. */
export const signIns = (sql: SqlClient.SqlClient, from: LocalDate, to: LocalDate, period: Period) => {
  const { lower, upper } = bounds(sql, from, to)
  return sql<{ contact_id: string; period_start: string; sign_ins: number | string }>`
    select a.principal_id as contact_id,
      to_char(date_trunc(${period}, a.occurred_at at time zone 'UTC'), 'YYYY-MM-DD') as period_start,
      count(*) as sign_ins
    from portico.audit_log a
    where a.action = 'sign-in' and a.outcome = 'success' and a.principal_kind = 'contact'
      and a.occurred_at >= ${lower} and a.occurred_at < ${upper}
    group by 1, 2 order by 2, 1`
}

/** Successful views (all, and of invoices) and downloads in the range, per account. */
export const viewsAndDownloads = (sql: SqlClient.SqlClient, from: LocalDate, to: LocalDate) => {
  const { lower, upper } = bounds(sql, from, to)
  return sql<{
    account_id: string
    views: number | string
    invoice_views: number | string
    downloads: number | string
  }>`
    select a.account_id,
      count(*) filter (where a.action = 'view') as views,
      count(*) filter (where a.action = 'view' and (a.records -> 0 ->> 'kind') = 'invoice') as invoice_views,
      count(*) filter (where a.action = 'download') as downloads
    from portico.audit_log a
    where a.action in ('view', 'download') and a.outcome = 'success' and a.account_id is not null
      and a.occurred_at >= ${lower} and a.occurred_at < ${upper}
    group by a.account_id order by a.account_id`
}

/** Invoices unsettled and past due on `asOf`, with whether anyone viewed them before the end of that day. */
export const overdueSeen = (sql: SqlClient.SqlClient, asOf: LocalDate) =>
  sql<{
    account_id: string
    account_name: string
    id: string
    number: string
    due_date: string
    currency: string
    open_minor: number | string
    seen: boolean
  }>`select i.account_id, ac.name as account_name, i.id, i.number, to_char(i.due_date, 'YYYY-MM-DD') as due_date,
      i.currency, i.open_minor, v.seen is not null as seen
    from portico.invoices i
    join portico.accounts ac on ac.id = i.account_id
    -- LIMIT 1 in a lateral subquery: one probe of the invoice-views index per overdue invoice, never a scan
    left join lateral (
      select true as seen from portico.audit_log a
      where ${invoiceView(sql, "a")} and (a.records -> 0 ->> 'id') = i.id
        and a.occurred_at < ((${asOf}::date + 1)::timestamp at time zone 'UTC')
      limit 1
    ) v on true
    where i.status in ('open', 'partially-paid') and i.due_date < ${asOf}::date
    order by i.account_id, i.due_date, i.id`
