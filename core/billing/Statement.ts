// Customer statements for a period, one currency at a time: balance-forward (opening balance, every dated
// movement with a running balance) and open-item (what is still open at the period's end). Both satisfy
// closing = opening + invoiced - paid - credited, and the open items sum to the closing balance.
import { Result, Schema } from "effect"
import type { CurrencyCode } from "../domain/Currency.ts"
import type { CreditNoteId, InvoiceId, PaymentId } from "../domain/Ids.ts"
import type { LocalDate } from "../domain/LocalDate.ts"
import { AmountOverflow, type Money, make as moneyOf } from "../domain/Money.ts"
import type { InvoiceEvent, ReversalKind } from "./InvoiceEvents.ts"

/** What a statement needs of an invoice (an Invoice fits). */
export interface StatementInvoice {
  readonly id: InvoiceId
  readonly number: string
  readonly issueDate: LocalDate
  readonly dueDate: LocalDate
  readonly currency: CurrencyCode
  readonly totals: { readonly total: Money }
}

/** What a statement needs of a credit note (a CreditNote fits). */
export interface StatementCreditNote {
  readonly id: CreditNoteId
  readonly number: string
  readonly issueDate: LocalDate
  readonly currency: CurrencyCode
  readonly invoiceId?: InvoiceId
  readonly totals: { readonly total: Money }
}

/** What a statement needs of a payment (a Payment fits). Allocations take effect on the received date. */
export interface StatementPayment {
  readonly id: PaymentId
  readonly reference: string
  readonly receivedDate: LocalDate
  readonly amount: Money
  readonly allocations: ReadonlyArray<{ readonly invoiceId: InvoiceId; readonly amount: Money }>
}

/**
 * Dated changes that are not documents of their own: money returned from a payment (on one invoice's allocation
 * when `invoiceId` is given, else on the payment's unallocated part), a write-off, a void.
 */
export type StatementAdjustment =
  | {
      readonly kind: ReversalKind
      readonly paymentId: PaymentId
      readonly date: LocalDate
      readonly amount: Money
      readonly invoiceId?: InvoiceId
    }
  | { readonly kind: "write-off"; readonly invoiceId: InvoiceId; readonly date: LocalDate; readonly amount: Money }
  | { readonly kind: "void"; readonly invoiceId: InvoiceId; readonly date: LocalDate }

/** An account's documents, all currencies together. */
export interface StatementDocuments {
  readonly invoices: ReadonlyArray<StatementInvoice>
  readonly creditNotes: ReadonlyArray<StatementCreditNote>
  readonly payments: ReadonlyArray<StatementPayment>
  readonly adjustments?: ReadonlyArray<StatementAdjustment>
}

/** The adjustments (reversals, write-offs, voids) in one invoice's event history. */
export const adjustmentsFromInvoiceEvents = (
  invoiceId: InvoiceId,
  events: Iterable<InvoiceEvent>
): ReadonlyArray<StatementAdjustment> => {
  const out: Array<StatementAdjustment> = []
  for (const event of events) {
    if (event._tag === "PaymentReversed") {
      out.push({
        kind: event.kind,
        paymentId: event.paymentId,
        date: event.occurredOn,
        amount: event.amount,
        invoiceId
      })
    } else if (event._tag === "WrittenOff") {
      out.push({ kind: "write-off", invoiceId, date: event.occurredOn, amount: event.amount })
    } else if (event._tag === "Voided") {
      out.push({ kind: "void", invoiceId, date: event.occurredOn })
    }
  }
  return out
}

/** The documents do not add up (a void of an unknown invoice, allocations beyond the payment...). */
export class InvalidStatementInput extends Schema.TaggedError<InvalidStatementInput>()("InvalidStatementInput", {
  documentId: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `cannot build a statement: ${this.documentId}: ${this.reason}`
  }
}

/** A period that ends before it starts. */
export class InvalidPeriod extends Schema.TaggedError<InvalidPeriod>()("InvalidPeriod", {
  from: Schema.String,
  to: Schema.String
}) {
  override get message(): string {
    return `the period ${this.from} to ${this.to} ends before it starts`
  }
}

/** Every reason a statement cannot be built. */
export type StatementError = InvalidStatementInput | InvalidPeriod | AmountOverflow

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

/** The currencies the documents use, sorted. */
export const statementCurrencies = (docs: StatementDocuments): ReadonlyArray<CurrencyCode> =>
  [
    ...new Set<CurrencyCode>([
      ...docs.invoices.map((i) => i.currency),
      ...docs.creditNotes.map((c) => c.currency),
      ...docs.payments.map((p) => p.amount.currency)
    ])
  ].sort()

interface Entry {
  readonly date: LocalDate
  readonly kind: StatementLineKind
  readonly reference: string
  readonly documentId: string
  /** Positive: the customer owes more. */
  readonly signed: number
}

interface Ledger {
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
const ledger = (docs: StatementDocuments, currency: CurrencyCode): Result.Result<Ledger, StatementError> => {
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

const summarize = (book: Ledger, from: LocalDate, to: LocalDate): StatementSummary => {
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
