// The account summary the portal's home page shows, per currency, computed in SQL: open balance, overdue,
// disputed, aging buckets (the billing core's bucket edges) and the account's credit.
import { Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { CurrentPrincipal } from "../access/Principal.ts"
import { type AgingConfig, type AgingReport, bucketRanges, defaultAgingConfig } from "../billing/Aging.ts"
import { type CurrencyCode, CurrencyCode as CurrencyCodeSchema } from "../domain/Currency.ts"
import type { AccountId } from "../domain/Ids.ts"
import type { LocalDate } from "../domain/LocalDate.ts"
import type { Money } from "../domain/Money.ts"
import { DbMinor, decodeRows } from "./internal/rows.ts"
import { Store, serviceScope } from "./Store.ts"
import { NotFound } from "./StoreErrors.ts"

/** One currency's figures. */
export interface CurrencySummary {
  readonly currency: CurrencyCode
  /** Everything still owed: open, partially paid and disputed invoices. */
  readonly open: Money
  readonly openCount: number
  /** Open or partially paid and due before `asOf` (disputed invoices are not overdue). */
  readonly overdue: Money
  readonly overdueCount: number
  readonly disputed: Money
  /** The open balance by days past due. */
  readonly aging: AgingReport
  /** Money the account has to its good: overpayments, unallocated payments, unlinked credit notes. */
  readonly credit: Money
}

/** An account's summary as of a date; one entry per currency with any figure. */
export interface AccountSummary {
  readonly accountId: AccountId
  readonly asOf: LocalDate
  readonly currencies: ReadonlyArray<CurrencySummary>
}

const BalanceRow = Schema.Struct({
  currency: CurrencyCodeSchema,
  bucket: Schema.Int,
  open: DbMinor,
  open_count: DbMinor,
  overdue: DbMinor,
  overdue_count: DbMinor,
  disputed: DbMinor
})
const decodeBalances = decodeRows(BalanceRow)
const CreditRow = Schema.Struct({ currency: CurrencyCodeSchema, credit: DbMinor })
const decodeCredits = decodeRows(CreditRow)

/** Scoped account summaries. */
export class AccountSummaries extends Context.Service<
  AccountSummaries,
  {
    /** The summary as of `asOf`; NotFound when the account is outside the scope. */
    readonly summary: (
      accountId: AccountId,
      asOf: LocalDate,
      aging?: AgingConfig
    ) => Effect.Effect<AccountSummary, NotFound | SqlError, CurrentPrincipal>
  }
>()("portico/core/store/AccountSummaries") {
  static readonly layer = Layer.effect(
    AccountSummaries,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store

      const summary = Effect.fn("AccountSummaries.summary")(function* (
        accountId: AccountId,
        asOf: LocalDate,
        aging: AgingConfig = defaultAgingConfig
      ) {
        return yield* store.withScope(
          Effect.gen(function* () {
            const scope = yield* serviceScope
            const inScope = scope === undefined ? sql`true` : sql`id = any(${scope.accountIds}::text[])`
            const found = yield* sql`select 1 from portico.accounts where ${sql.and([inScope, sql`id = ${accountId}`])}`
            if (found.length === 0) return yield* new NotFound({ kind: "account", id: accountId })
            // The bucket of an open invoice: 0 while not yet due, then 1 + the number of edges it is past.
            const edges = aging.edges
            const bucket = sql`case when ${asOf}::date - due_date <= 0 then 0
              else 1 + (select count(*)::int from unnest(${edges}::int[]) e where ${asOf}::date - due_date > e) end`
            const balances = yield* sql`select currency, ${bucket} as bucket,
                coalesce(sum(open_minor), 0) as open, count(*) as open_count,
                coalesce(sum(open_minor) filter (where status in ('open', 'partially-paid') and due_date < ${asOf}::date), 0) as overdue,
                count(*) filter (where status in ('open', 'partially-paid') and due_date < ${asOf}::date) as overdue_count,
                coalesce(sum(open_minor) filter (where status = 'disputed'), 0) as disputed
              from portico.invoices
              where account_id = ${accountId} and status in ('open', 'partially-paid', 'disputed') and open_minor > 0
              group by currency, 2`
            const credits = yield* sql`select currency, sum(credit) as credit from (
                select currency, excess_minor as credit from portico.invoices
                  where account_id = ${accountId} and excess_minor > 0
                union all
                select p.currency, p.amount_minor - coalesce((select sum(a.amount_minor) from portico.payment_allocations a
                  where a.payment_id = p.id), 0) from portico.payments p where p.account_id = ${accountId}
                union all
                select currency, total_minor from portico.credit_notes where account_id = ${accountId} and invoice_id is null
              ) c group by currency having sum(credit) <> 0`
            const ranges = bucketRanges(aging)
            const byCurrency = new Map<CurrencyCode, Array<typeof BalanceRow.Type>>()
            for (const row of decodeBalances(balances))
              byCurrency.set(row.currency, [...(byCurrency.get(row.currency) ?? []), row])
            const creditOf = new Map(decodeCredits(credits).map((row) => [row.currency, row.credit]))
            const currencies = [...new Set([...byCurrency.keys(), ...creditOf.keys()])].sort()
            return {
              accountId,
              asOf,
              currencies: currencies.map((currency): CurrencySummary => {
                const rows = byCurrency.get(currency) ?? []
                const total = (pick: (row: typeof BalanceRow.Type) => number) =>
                  rows.reduce((s, row) => s + pick(row), 0)
                const money = (minor: number) => ({ currency, minor })
                return {
                  currency,
                  open: money(total((row) => row.open)),
                  openCount: total((row) => row.open_count),
                  overdue: money(total((row) => row.overdue)),
                  overdueCount: total((row) => row.overdue_count),
                  disputed: money(total((row) => row.disputed)),
                  aging: {
                    currency,
                    asOf,
                    buckets: ranges.map((range, index) => {
                      const inBucket = rows.filter((row) => row.bucket === index)
                      return {
                        label: range.label,
                        minDaysPastDue: range.min,
                        maxDaysPastDue: range.max,
                        amount: money(inBucket.reduce((s, row) => s + row.open, 0)),
                        count: inBucket.reduce((s, row) => s + row.open_count, 0)
                      }
                    }),
                    total: money(total((row) => row.open))
                  },
                  credit: money(creditOf.get(currency) ?? 0)
                }
              })
            }
          })
        )
      })

      return AccountSummaries.of({ summary })
    })
  )
}
