// fast-check arbitraries for a whole account's history in one or more currencies: invoices, credit notes
// (linked and unlinked), payments with allocations, and dated reversals, write-offs and voids that add up.
import * as fc from "fast-check"
import type { StatementAdjustment } from "../../core/billing/Statement.ts"
import type { CurrencyCode } from "../../core/domain/Currency.ts"
import { AccountId } from "../../core/domain/Ids.ts"
import type { CreditNote, Invoice } from "../../core/domain/Invoice.ts"
import { addDays, type LocalDate, localDate } from "../../core/domain/LocalDate.ts"
import type { Payment } from "../../core/domain/Payment.ts"
import { arbCreditNote, arbInvoices, arbPayment } from "./Documents.ts"
import { sampleCurrencies } from "./Money.ts"

/** An account's documents, ready for statements (and for filling a store). */
export interface AccountDocuments {
  readonly invoices: ReadonlyArray<Invoice>
  readonly creditNotes: ReadonlyArray<CreditNote>
  readonly payments: ReadonlyArray<Payment>
  readonly adjustments: ReadonlyArray<StatementAdjustment>
}

/** Options for generated account histories. */
export interface AccountOptions {
  readonly accountId?: AccountId
  /** The currencies to draw from (default: the sample currencies, one or two of them per account). */
  readonly currencies?: ReadonlyArray<CurrencyCode>
  readonly from?: LocalDate
  readonly to?: LocalDate
  readonly maxInvoices?: number
  /** At most this many lines per invoice (default 6). */
  readonly maxLines?: number
}

const arbCurrencyHistory = (
  currency: CurrencyCode,
  options: AccountOptions & { readonly from: LocalDate; readonly to: LocalDate }
): fc.Arbitrary<AccountDocuments> => {
  const accountId = options.accountId ?? AccountId.make("acct-1")
  const tag = currency.toLowerCase()
  return arbInvoices({
    accountId,
    currency,
    issuedFrom: options.from,
    issuedTo: options.to,
    idPrefix: `inv-${tag}`,
    maxLength: options.maxInvoices ?? 6,
    maxLines: options.maxLines ?? 6
  }).chain((invoices) =>
    fc
      .record({
        linkedNotes: fc
          .subarray([...invoices])
          .chain((chosen) =>
            fc.tuple(
              ...chosen.map((invoice, i) => arbCreditNote({ invoice, index: i, idPrefix: `cn-${tag}`, accountId }))
            )
          ),
        unlinkedNotes: fc.array(
          fc.nat(1000).chain((n) =>
            arbCreditNote({
              currency,
              accountId,
              index: 100 + n,
              idPrefix: `cn-${tag}`,
              issuedFrom: options.from,
              issuedTo: options.to
            })
          ),
          { maxLength: 2 }
        ),
        payments: fc.integer({ min: 0, max: 4 }).chain((count) =>
          fc.tuple(
            ...Array.from({ length: count }, (_, i) =>
              arbPayment({
                currency,
                invoices,
                accountId,
                receivedFrom: options.from,
                receivedTo: options.to,
                id: `pay-${tag}-${i + 1}`
              })
            )
          )
        ),
        voids: fc.subarray([...invoices], { maxLength: Math.min(2, invoices.length) }),
        writeOffs: fc.subarray([...invoices], { maxLength: Math.min(2, invoices.length) }),
        days: fc.array(fc.integer({ min: 0, max: 90 }), { minLength: 12, maxLength: 12 }),
        shares: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 12, maxLength: 12 }),
        kinds: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 })
      })
      .map((r): AccountDocuments => {
        const day = (i: number) => r.days[i % r.days.length] ?? 0
        const part = (minor: number, i: number) => Math.max(1, Math.floor((minor * (r.shares[i % 12] ?? 100)) / 100))
        // unlinked notes get distinct ids even when the generator repeats a number
        const seen = new Set<string>()
        const creditNotes = [...r.linkedNotes, ...r.unlinkedNotes].filter((note) => {
          if (seen.has(note.id)) return false
          seen.add(note.id)
          return true
        })
        const adjustments: Array<StatementAdjustment> = []
        r.voids.forEach((invoice, i) => {
          adjustments.push({ kind: "void", invoiceId: invoice.id, date: addDays(invoice.issueDate, day(i)) })
        })
        r.writeOffs.forEach((invoice, i) => {
          if (invoice.totals.total.minor === 0) return
          adjustments.push({
            kind: "write-off",
            invoiceId: invoice.id,
            date: addDays(invoice.issueDate, day(i + 2)),
            amount: { currency, minor: part(invoice.totals.total.minor, i + 2) }
          })
        })
        r.payments.forEach((payment, i) => {
          if (r.kinds[i] !== true) return
          const allocation = payment.allocations[0]
          const onInvoice = r.kinds[i + 4] === true && allocation !== undefined
          const ceiling = onInvoice ? allocation.amount.minor : payment.amount.minor
          adjustments.push({
            kind: r.kinds[i + 8] === true ? "chargeback" : "refund",
            paymentId: payment.id,
            date: addDays(payment.receivedDate, day(i + 5)),
            amount: { currency, minor: part(ceiling, i + 5) },
            ...(onInvoice ? { invoiceId: allocation.invoiceId } : {})
          })
        })
        return { invoices, creditNotes, payments: r.payments, adjustments }
      })
  )
}

/** An account's documents in one or two currencies, dated within `[from, to]` (2026 by default). */
export const arbAccountDocuments = (options: AccountOptions = {}): fc.Arbitrary<AccountDocuments> => {
  const from = options.from ?? localDate("2026-01-01")
  const to = options.to ?? localDate("2026-12-31")
  const currencies = options.currencies ?? sampleCurrencies
  return fc
    .uniqueArray(fc.constantFrom(...currencies), { minLength: 1, maxLength: Math.min(2, currencies.length) })
    .chain((chosen) => fc.tuple(...chosen.map((currency) => arbCurrencyHistory(currency, { ...options, from, to }))))
    .map((histories) => ({
      invoices: histories.flatMap((h) => h.invoices),
      creditNotes: histories.flatMap((h) => h.creditNotes),
      payments: histories.flatMap((h) => h.payments),
      adjustments: histories.flatMap((h) => h.adjustments)
    }))
}
