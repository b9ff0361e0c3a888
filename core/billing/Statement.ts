// Customer statements for a period, one currency at a time: balance-forward (opening balance, every dated
// movement with a running balance) and open-item (what is still open at the period's end). Both satisfy
// closing = opening + invoiced - paid - credited, and the open items sum to the closing balance.
import { Result } from "effect"
import type { CurrencyCode } from "../domain/Currency.ts"
import type { InvoiceId, PaymentId } from "../domain/Ids.ts"
import type { LocalDate } from "../domain/LocalDate.ts"
import { type Money, make as moneyOf } from "../domain/Money.ts"
import type { ReversalKind } from "./InvoiceEvents.ts"
import { type Ledger, ledger, summarize } from "./internal/StatementLedger.ts"
import { InvalidPeriod, type StatementDocuments, type StatementError } from "./StatementDocuments.ts"

export * from "./StatementDocuments.ts"

/** The kind of a statement line. Debits: invoice, refund, chargeback. Credits: the rest. */
export type StatementLineKind = "invoice" | "credit-note" | "payment" | ReversalKind | "write-off" | "void"

/** One dated movement on a balance-forward statement; `balance` is the running balance after it. */
export interface StatementLine {
  readonly date: LocalDate
  readonly kind: StatementLineKind
  /** The invoice or credit note number, or the payment's reference. */
  readonly reference: string
  readonly documentId: string
  readonly debit: Money
  readonly credit: Money
  readonly balance: Money
}

/**
 * The figures every statement carries, for `[from, to]` (both days included) in one currency:
 * - invoiced: invoices issued in the period, less the totals of invoices voided in it;
 * - paid: payments received in the period, allocated or not, less refunds and chargebacks in it;
 * - credited: credit notes issued in the period, plus write-offs in it;
 * - opening: the balance of everything dated before `from`; closing = opening + invoiced - paid - credited.
 * A positive balance is owed by the customer; a negative one is the customer's credit.
 */
export interface StatementSummary {
  readonly currency: CurrencyCode
  readonly from: LocalDate
  readonly to: LocalDate
  readonly opening: Money
  readonly invoiced: Money
  readonly paid: Money
  readonly credited: Money
  readonly closing: Money
}

/** Opening balance, every movement of the period in date order with a running balance, closing balance. */
export interface BalanceForwardStatement extends StatementSummary {
  readonly kind: "balance-forward"
  readonly lines: ReadonlyArray<StatementLine>
}

/** The kind of an open item: an invoice with something open, or a credit in the customer's favour. */
export type OpenItemKind = "invoice" | "unallocated-payment" | "credit-note" | "overpaid-invoice" | "uncovered-reversal"

/**
 * One item open at the end of the period. `open` is signed: positive is owed (an invoice's open balance, money
 * returned from a payment that no invoice carries), negative is credit (a payment's unallocated rest, an
 * unapplied credit note, what was applied beyond an invoice's total or to a void invoice).
 */
export interface OpenItem {
  readonly date: LocalDate
  readonly kind: OpenItemKind
  readonly reference: string
  readonly documentId: string
  readonly dueDate?: LocalDate
  /** The document's full amount: invoice total, payment amount, credit note total. */
  readonly original: Money
  readonly open: Money
}

/** What is open at the end of the period, with the period's figures. Always `Σ items.open = closing`. */
export interface OpenItemStatement extends StatementSummary {
  readonly kind: "open-item"
  readonly items: ReadonlyArray<OpenItem>
}

const withLedger = <A>(
  docs: StatementDocuments,
  period: { readonly currency: CurrencyCode; readonly from: LocalDate; readonly to: LocalDate },
  build: (book: Ledger, summary: StatementSummary) => A
): Result.Result<A, StatementError> => {
  if (period.to < period.from) return Result.fail(new InvalidPeriod({ from: period.from, to: period.to }))
  return Result.map(ledger(docs, period.currency), (book) => build(book, summarize(book, period.from, period.to)))
}

/** The balance-forward statement of `[from, to]` in `currency`. */
export const balanceForwardStatement = (
  docs: StatementDocuments,
  period: { readonly currency: CurrencyCode; readonly from: LocalDate; readonly to: LocalDate }
): Result.Result<BalanceForwardStatement, StatementError> =>
  withLedger(docs, period, (book, summary) => {
    let balance = summary.opening.minor
    const lines: Array<StatementLine> = []
    for (const entry of book.entries) {
      if (entry.date < period.from || entry.date > period.to) continue
      balance += entry.signed
      lines.push({
        date: entry.date,
        kind: entry.kind,
        reference: entry.reference,
        documentId: entry.documentId,
        debit: moneyOf(book.currency, Math.max(0, entry.signed)),
        credit: moneyOf(book.currency, Math.max(0, -entry.signed)),
        balance: moneyOf(book.currency, balance)
      })
    }
    return { kind: "balance-forward", ...summary, lines }
  })

/**
 * The open-item statement of `[from, to]` in `currency`: the period's figures, and the items open at the end of
 * `to`. Allocations and linked credit notes count against an invoice once it is issued by `to`; before that,
 * they are credit on the account. A refund or chargeback given an invoice reopens that invoice; one without
 * reduces the payment's unallocated rest, and what exceeds it is owed on its own ("uncovered-reversal").
 */
export const openItemStatement = (
  docs: StatementDocuments,
  period: { readonly currency: CurrencyCode; readonly from: LocalDate; readonly to: LocalDate }
): Result.Result<OpenItemStatement, StatementError> =>
  withLedger(docs, period, (book, summary) => {
    const to = period.to
    const money = (minor: number) => moneyOf(book.currency, minor)
    const issued = new Map(book.invoices.filter((i) => i.issueDate <= to).map((i) => [i.id, i]))
    const applied = new Map<InvoiceId, number>()
    const apply = (invoiceId: InvoiceId, minor: number) => applied.set(invoiceId, (applied.get(invoiceId) ?? 0) + minor)
    const items: Array<OpenItem> = []
    const remainders = new Map<PaymentId, number>()
    for (const payment of book.payments) {
      if (payment.receivedDate > to) continue
      let rest = payment.amount.minor
      for (const allocation of payment.allocations) {
        if (!issued.has(allocation.invoiceId)) continue
        apply(allocation.invoiceId, allocation.amount.minor)
        rest -= allocation.amount.minor
      }
      remainders.set(payment.id, rest)
    }
    for (const reversal of book.reversals) {
      if (reversal.date > to) continue
      if (reversal.invoiceId !== undefined && issued.has(reversal.invoiceId)) {
        apply(reversal.invoiceId, -reversal.amount.minor)
      } else {
        remainders.set(reversal.paymentId, (remainders.get(reversal.paymentId) ?? 0) - reversal.amount.minor)
      }
    }
    for (const writeOff of book.writeOffs) {
      if (writeOff.date <= to && issued.has(writeOff.invoiceId)) apply(writeOff.invoiceId, writeOff.amount.minor)
    }
    for (const note of book.creditNotes) {
      if (note.issueDate > to) continue
      if (note.invoiceId !== undefined && issued.has(note.invoiceId)) {
        apply(note.invoiceId, note.totals.total.minor)
      } else {
        items.push({
          date: note.issueDate,
          kind: "credit-note",
          reference: note.number,
          documentId: note.id,
          original: note.totals.total,
          open: money(-note.totals.total.minor)
        })
      }
    }
    for (const invoice of issued.values()) {
      const voidedOn = book.voids.get(invoice.id)
      const owed = voidedOn !== undefined && voidedOn <= to ? 0 : invoice.totals.total.minor
      const net = owed - (applied.get(invoice.id) ?? 0)
      if (net === 0) continue
      items.push({
        date: invoice.issueDate,
        kind: net > 0 ? "invoice" : "overpaid-invoice",
        reference: invoice.number,
        documentId: invoice.id,
        dueDate: invoice.dueDate,
        original: invoice.totals.total,
        open: money(net)
      })
    }
    for (const payment of book.payments) {
      const rest = remainders.get(payment.id)
      if (rest === undefined || rest === 0) continue
      items.push({
        date: payment.receivedDate,
        kind: rest > 0 ? "unallocated-payment" : "uncovered-reversal",
        reference: payment.reference,
        documentId: payment.id,
        original: payment.amount,
        open: money(-rest)
      })
    }
    items.sort((a, b) =>
      a.date !== b.date
        ? a.date < b.date
          ? -1
          : 1
        : a.documentId < b.documentId
          ? -1
          : a.documentId > b.documentId
            ? 1
            : 0
    )
    return { kind: "open-item", ...summary, items }
  })
