// The ledger behind statements: one currency's documents checked and laid out as signed, dated entries, and the
// period figures summed from them. Internal to Statement.ts.
import { Result } from "effect"
import type { CurrencyCode } from "../../domain/Currency.ts"
import type { InvoiceId, PaymentId } from "../../domain/Ids.ts"
import type { LocalDate } from "../../domain/LocalDate.ts"
import { AmountOverflow, make as moneyOf } from "../../domain/Money.ts"
import type { ReversalKind } from "../InvoiceEvents.ts"
import type { StatementLineKind, StatementSummary } from "../Statement.ts"
import {
  InvalidStatementInput,
  type StatementAdjustment,
  type StatementCreditNote,
  type StatementDocuments,
  type StatementError,
  type StatementInvoice,
  type StatementPayment
} from "../StatementDocuments.ts"

/** One dated movement; `signed` is positive when the customer owes more. */
export interface Entry {
  readonly date: LocalDate
  readonly kind: StatementLineKind
  readonly reference: string
  readonly documentId: string
  /** Positive: the customer owes more. */
  readonly signed: number
}

/** One currency's checked documents and their entries in statement order. */
export interface Ledger {
  readonly currency: CurrencyCode
  readonly entries: ReadonlyArray<Entry>
  readonly invoices: ReadonlyArray<StatementInvoice>
  readonly creditNotes: ReadonlyArray<StatementCreditNote>
  readonly payments: ReadonlyArray<StatementPayment>
  readonly reversals: ReadonlyArray<Extract<StatementAdjustment, { kind: ReversalKind }>>
  readonly writeOffs: ReadonlyArray<Extract<StatementAdjustment, { kind: "write-off" }>>
  readonly voids: ReadonlyMap<InvoiceId, LocalDate>
}

const kindRank: Record<StatementLineKind, number> = {
  invoice: 0,
  "credit-note": 1,
  payment: 2,
  refund: 3,
  chargeback: 3,
  "write-off": 4,
  void: 5
}

const byDateThenKind = (a: Entry, b: Entry): number =>
  a.date !== b.date
    ? a.date < b.date
      ? -1
      : 1
    : kindRank[a.kind] - kindRank[b.kind] ||
      (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0) ||
      (a.documentId < b.documentId ? -1 : a.documentId > b.documentId ? 1 : 0)

const invalid = (documentId: string, reason: string) => Result.fail(new InvalidStatementInput({ documentId, reason }))

/** Checks the documents of one currency and lays them out as signed, dated entries. */
export const ledger = (docs: StatementDocuments, currency: CurrencyCode): Result.Result<Ledger, StatementError> => {
  const invoices = docs.invoices.filter((i) => i.currency === currency)
  const creditNotes = docs.creditNotes.filter((c) => c.currency === currency)
  const payments = docs.payments.filter((p) => p.amount.currency === currency)
  const byId = new Map(invoices.map((i) => [i.id, i]))
  const allInvoices = new Map(docs.invoices.map((i) => [i.id, i]))
  const paymentsById = new Map(payments.map((p) => [p.id, p]))
  const entries: Array<Entry> = []
  for (const invoice of invoices) {
    if (invoice.totals.total.currency !== currency) return invalid(invoice.id, "total is in another currency")
    entries.push({
      date: invoice.issueDate,
      kind: "invoice",
      reference: invoice.number,
      documentId: invoice.id,
      signed: invoice.totals.total.minor
    })
  }
  for (const note of creditNotes) {
    if (note.totals.total.currency !== currency) return invalid(note.id, "total is in another currency")
    entries.push({
      date: note.issueDate,
      kind: "credit-note",
      reference: note.number,
      documentId: note.id,
      signed: -note.totals.total.minor
    })
  }
  for (const payment of payments) {
    let allocated = 0
    for (const allocation of payment.allocations) {
      if (allocation.amount.currency !== currency) return invalid(payment.id, "an allocation is in another currency")
      if (allocation.amount.minor < 0) return invalid(payment.id, "an allocation is negative")
      const target = allInvoices.get(allocation.invoiceId)
      if (target !== undefined && target.currency !== currency) {
        return invalid(payment.id, `allocated to ${target.number}, an invoice in ${target.currency}`)
      }
      allocated += allocation.amount.minor
    }
    if (allocated > payment.amount.minor) return invalid(payment.id, "allocations exceed the payment")
    entries.push({
      date: payment.receivedDate,
      kind: "payment",
      reference: payment.reference,
      documentId: payment.id,
      signed: -payment.amount.minor
    })
  }
  const reversals: Array<Extract<StatementAdjustment, { kind: ReversalKind }>> = []
  const writeOffs: Array<Extract<StatementAdjustment, { kind: "write-off" }>> = []
  const voids = new Map<InvoiceId, LocalDate>()
  const reversed = new Map<PaymentId, number>()
  for (const adjustment of docs.adjustments ?? []) {
    if (adjustment.kind === "void") {
      const invoice = byId.get(adjustment.invoiceId)
      if (invoice === undefined) {
        if (allInvoices.has(adjustment.invoiceId)) continue
        return invalid(adjustment.invoiceId, "a void of an unknown invoice")
      }
      if (voids.has(invoice.id)) return invalid(invoice.id, "voided twice")
      if (adjustment.date < invoice.issueDate) return invalid(invoice.id, "voided before it was issued")
      voids.set(invoice.id, adjustment.date)
      entries.push({
        date: adjustment.date,
        kind: "void",
        reference: invoice.number,
        documentId: invoice.id,
        signed: -invoice.totals.total.minor
      })
      continue
    }
    if (adjustment.amount.currency !== currency) continue
    if (adjustment.amount.minor <= 0) return invalid(adjustment.invoiceId ?? "adjustment", "amount is not positive")
    if (adjustment.kind === "write-off") {
      const invoice = byId.get(adjustment.invoiceId)
      if (invoice === undefined) {
        const other = allInvoices.has(adjustment.invoiceId)
          ? "in another currency than its invoice"
          : "of an unknown invoice"
        return invalid(adjustment.invoiceId, `a write-off ${other}`)
      }
      if (adjustment.date < invoice.issueDate) return invalid(invoice.id, "written off before it was issued")
      writeOffs.push(adjustment)
      entries.push({
        date: adjustment.date,
        kind: "write-off",
        reference: invoice.number,
        documentId: invoice.id,
        signed: -adjustment.amount.minor
      })
      continue
    }
    const payment = paymentsById.get(adjustment.paymentId)
    if (payment === undefined) {
      const other = docs.payments.some((p) => p.id === adjustment.paymentId)
        ? "in another currency than its payment"
        : "of an unknown payment"
      return invalid(adjustment.paymentId, `a ${adjustment.kind} ${other}`)
    }
    if (adjustment.date < payment.receivedDate) return invalid(payment.id, `a ${adjustment.kind} before receipt`)
    const total = (reversed.get(payment.id) ?? 0) + adjustment.amount.minor
    if (total > payment.amount.minor) return invalid(payment.id, "reversals exceed the payment")
    reversed.set(payment.id, total)
    reversals.push(adjustment)
    entries.push({
      date: adjustment.date,
      kind: adjustment.kind,
      reference: payment.reference,
      documentId: payment.id,
      signed: adjustment.amount.minor
    })
  }
  // every sum below is bounded by the sum of absolute values: check that once
  const magnitude = entries.reduce((s, e) => s + Math.abs(e.signed), 0)
  if (!Number.isSafeInteger(magnitude)) return Result.fail(new AmountOverflow({ currency }))
  entries.sort(byDateThenKind)
  return Result.succeed({ currency, entries, invoices, creditNotes, payments, reversals, writeOffs, voids })
}

/** The period figures of `[from, to]`. */
export const summarize = (book: Ledger, from: LocalDate, to: LocalDate): StatementSummary => {
  let opening = 0
  let invoiced = 0
  let paid = 0
  let credited = 0
  for (const entry of book.entries) {
    if (entry.date < from) opening += entry.signed
    else if (entry.date <= to) {
      switch (entry.kind) {
        case "invoice":
        case "void":
          invoiced += entry.signed
          break
        case "payment":
        case "refund":
        case "chargeback":
          paid -= entry.signed
          break
        case "credit-note":
        case "write-off":
          credited -= entry.signed
          break
      }
    }
  }
  const money = (minor: number) => moneyOf(book.currency, minor)
  return {
    currency: book.currency,
    from,
    to,
    opening: money(opening),
    invoiced: money(invoiced),
    paid: money(paid),
    credited: money(credited),
    closing: money(opening + invoiced - paid - credited)
  }
}
