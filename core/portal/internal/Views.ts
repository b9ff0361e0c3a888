// Pure mappings from the store's and the billing core's figures to the renderers' view models: an invoice
// detail to an InvoiceView, a statement to a StatementView (with aging of its open items), a page of
// summaries to an InvoiceListView.
import { Result } from "effect"
import type { InvoiceStatusAsOf } from "../../billing/InvoiceStateMachine.ts"
import type { BalanceForwardStatement, OpenItemStatement } from "../../billing/Statement.ts"
import type { Account } from "../../domain/Account.ts"
import { daysBetween, type LocalDate } from "../../domain/LocalDate.ts"
import { type AmountOverflow, type CurrencyMismatch, type Money, make as money, sum } from "../../domain/Money.ts"
import {
  type AgingBucket,
  type InvoiceListView,
  type InvoiceStatus,
  type InvoiceView,
  invoiceViewModel,
  partyView,
  type StatementEntryKind,
  type StatementEntryView,
  type StatementView,
  statementViewModel
} from "../../render/ViewModels.ts"
import type { InvoiceDetail, InvoiceSummary } from "../../store/Invoices.ts"

/**
 * The status a document shows. The renderers know no "written-off": a written-off invoice is settled by the
 * business's own credit, so it shows as credited.
 */
export const viewStatus = (status: InvoiceStatusAsOf): InvoiceStatus => {
  switch (status) {
    case "void":
      return "voided"
    case "written-off":
      return "credited"
    default:
      return status
  }
}

/** The invoice as the renderers show it, as of `asOf`. */
export const invoiceView = (detail: InvoiceDetail, account: Account, asOf: LocalDate): InvoiceView =>
  invoiceViewModel(detail.invoice, account, {
    status: viewStatus(detail.summary.statusAsOf),
    asOf,
    paid: detail.summary.paid,
    credited: detail.summary.credited,
    open: detail.summary.open
  })

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
        status: viewStatus(s.statusAsOf),
        total: s.total,
        open: s.open
      })),
      openByCurrency
    })
  )
}

const agingBuckets: ReadonlyArray<{ readonly bucket: AgingBucket; readonly max: number }> = [
  { bucket: "current", max: 0 },
  { bucket: "1-30", max: 30 },
  { bucket: "31-60", max: 60 },
  { bucket: "61-90", max: 90 },
  { bucket: "over-90", max: Number.POSITIVE_INFINITY }
]

/** The aging of what is owed on a statement's open items, by days past due at `asOf`. */
export const statementAging = (
  items: ReadonlyArray<{ readonly dueDate?: LocalDate; readonly open: Money; readonly date: LocalDate }>,
  currency: Money["currency"],
  asOf: LocalDate
): StatementView["aging"] => {
  const totals = new Map<AgingBucket, number>(agingBuckets.map(({ bucket }) => [bucket, 0]))
  for (const item of items) {
    if (item.open.minor <= 0) continue
    const days = daysBetween(item.dueDate ?? item.date, asOf)
    const found = agingBuckets.find(({ max }) => days <= max) ?? agingBuckets[agingBuckets.length - 1]
    if (found !== undefined) totals.set(found.bucket, (totals.get(found.bucket) ?? 0) + item.open.minor)
  }
  return agingBuckets.map(({ bucket }) => ({ bucket, amount: money(currency, totals.get(bucket) ?? 0) }))
}

const lineKind = (kind: string): StatementEntryKind =>
  kind === "invoice" || kind === "credit-note" || kind === "payment" ? kind : "adjustment"

const openItemKind = (kind: OpenItemStatement["items"][number]["kind"]): StatementEntryKind => {
  switch (kind) {
    case "invoice":
      return "invoice"
    case "credit-note":
      return "credit-note"
    case "unallocated-payment":
      return "payment"
    default:
      return "adjustment"
  }
}

/** A balance-forward statement as a StatementView. */
export const balanceForwardView = (
  account: Account,
  statement: BalanceForwardStatement,
  aging: StatementView["aging"]
) =>
  statementViewModel(account, {
    style: "balance-forward",
    currency: statement.currency,
    statementDate: statement.to,
    periodStart: statement.from,
    openingBalance: statement.opening,
    entries: statement.lines.map(
      (line): StatementEntryView => ({
        date: line.date,
        kind: lineKind(line.kind),
        reference: line.reference,
        ...(line.debit.minor !== 0 ? { debit: line.debit } : {}),
        ...(line.credit.minor !== 0 ? { credit: line.credit } : {}),
        balance: line.balance
      })
    ),
    closingBalance: statement.closing,
    aging
  })

/** An open-item statement as a StatementView: the open items with a running total from zero to the closing balance. */
export const openItemView = (account: Account, statement: OpenItemStatement) => {
  let running = 0
  const entries = statement.items.map((item): StatementEntryView => {
    running += item.open.minor
    return {
      date: item.date,
      kind: openItemKind(item.kind),
      reference: item.reference,
      ...(item.dueDate !== undefined ? { dueDate: item.dueDate } : {}),
      ...(item.open.minor > 0 ? { debit: item.open } : {}),
      ...(item.open.minor < 0 ? { credit: money(item.open.currency, -item.open.minor) } : {}),
      balance: money(statement.currency, running)
    }
  })
  return statementViewModel(account, {
    style: "open-item",
    currency: statement.currency,
    statementDate: statement.to,
    openingBalance: money(statement.currency, 0),
    entries,
    closingBalance: statement.closing,
    aging: statementAging(statement.items, statement.currency, statement.to)
  })
}
