// Pure mappings from the store's and the billing core's figures to the renderers' view models: an invoice
// detail to an InvoiceView, a statement (with the aging of its open invoices) to a StatementView, a page of
// summaries to an InvoiceListView.
import { Result } from "effect"
import { type AgingConfig, ageOpenItems } from "../../billing/Aging.ts"
import type { BalanceForwardStatement, OpenItemStatement } from "../../billing/Statement.ts"
import { computeTotals, defaultRoundingPolicy } from "../../billing/Totals.ts"
import type { Account } from "../../domain/Account.ts"
import type { CurrencyCode } from "../../domain/Currency.ts"
import type { LocalDate } from "../../domain/LocalDate.ts"
import { type AmountOverflow, type CurrencyMismatch, sum } from "../../domain/Money.ts"
import {
  type AgingFigures,
  balanceForwardStatementViewModel,
  type InvoiceListView,
  type InvoiceView,
  invoiceViewModel,
  openItemStatementViewModel,
  partyView,
  type StatementView
} from "../../render/ViewModels.ts"
import type { InvoiceDetail, InvoiceSummary } from "../../store/Invoices.ts"

/**
 * The invoice as the renderers show it, as of `asOf`. When the ERP stated no tax lines (a CSV export of lines
 * and totals, say), they are computed from the lines with the billing core's default rounding, so the
 * document still shows its taxes by rate; the ERP's own figures are kept wherever it states them.
 */
export const invoiceView = (detail: InvoiceDetail, account: Account, asOf: LocalDate): InvoiceView => {
  const computed = detail.invoice.taxLines.length > 0 ? undefined : computeTotals(detail.invoice, defaultRoundingPolicy)
  const invoice =
    computed !== undefined && Result.isSuccess(computed)
      ? { ...detail.invoice, taxLines: computed.success.taxLines }
      : detail.invoice
  return invoiceViewModel(invoice, account, {
    status: detail.summary.statusAsOf,
    asOf,
    paid: detail.summary.paid,
    credited: detail.summary.credited,
    open: detail.summary.open
  })
}

/** A list of invoice summaries as an InvoiceListView; fails only if a currency's sum overflows. */
export const invoiceListView = (
  account: Account,
  summaries: ReadonlyArray<InvoiceSummary>,
  asOf: LocalDate
): Result.Result<InvoiceListView, CurrencyMismatch | AmountOverflow> => {
  const currencies = [...new Set(summaries.map((s) => s.currency))]
  return Result.map(
    Result.all(
      currencies.map((currency) =>
        sum(
          currency,
          summaries.filter((s) => s.currency === currency).map((s) => s.open)
        )
      )
    ),
    (openByCurrency): InvoiceListView => ({
      _tag: "InvoiceList",
      customer: partyView(account),
      asOf,
      rows: summaries.map((s) => ({
        number: s.number,
        issueDate: s.issueDate,
        dueDate: s.dueDate,
        status: s.statusAsOf,
        total: s.total,
        open: s.open
      })),
      openByCurrency
    })
  )
}

/**
 * The aging, at the period's end, of what the open invoices still owe (credits are not aged: they are not
 * late). Empty when nothing is owed.
 */
export const statementAging = (
  items: OpenItemStatement["items"],
  currency: CurrencyCode,
  asOf: LocalDate,
  config: AgingConfig
): ReadonlyArray<AgingFigures> => {
  const owed = items.flatMap((item) =>
    item.kind === "invoice" && item.dueDate !== undefined && item.open.minor > 0
      ? [{ dueDate: item.dueDate, open: item.open }]
      : []
  )
  const reports = ageOpenItems(owed, asOf, config)
  if (Result.isFailure(reports)) return []
  return reports.success.find((report) => report.currency === currency)?.buckets ?? []
}

/** A balance-forward statement as a StatementView, aged by its open items at the period's end. */
export const balanceForwardView = (
  account: Account,
  statement: BalanceForwardStatement,
  aging: ReadonlyArray<AgingFigures>
): StatementView => balanceForwardStatementViewModel(account, statement, aging)

/** An open-item statement as a StatementView, with the aging of its open invoices. */
export const openItemView = (account: Account, statement: OpenItemStatement, config: AgingConfig): StatementView =>
  openItemStatementViewModel(
    account,
    statement,
    statementAging(statement.items, statement.currency, statement.to, config)
  )
