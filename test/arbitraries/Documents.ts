// fast-check arbitraries for an account's documents: decimals, invoice lines, invoices whose stated totals
// agree with their lines, credit notes, and payments allocated across invoices.
import { BigDecimal, Result } from "effect"
import * as fc from "fast-check"
import { computeTotals, defaultRoundingPolicy, exactLineNet, type RoundingPolicy } from "../../core/billing/Totals.ts"
import { type CurrencyCode, minorUnitExponent } from "../../core/domain/Currency.ts"
import { type Decimal, decimal } from "../../core/domain/Decimal.ts"
import { AccountId, CreditNoteId, InvoiceId, PaymentId } from "../../core/domain/Ids.ts"
import type { CreditNote, DocumentLine, Invoice } from "../../core/domain/Invoice.ts"
import { addDays, type LocalDate } from "../../core/domain/LocalDate.ts"
import type { Money } from "../../core/domain/Money.ts"
import type { Allocation, Payment } from "../../core/domain/Payment.ts"
import { arbLocalDate } from "./Dates.ts"
import { arbCurrency } from "./Money.ts"

/** A decimal string `value / 10^scale`. */
export const decimalOf = (value: bigint, scale: number): Decimal =>
  decimal(BigDecimal.format(BigDecimal.normalize(BigDecimal.make(value, scale))))

/** A non-negative decimal with an integer part up to `maxInteger` and up to `maxScale` fraction digits. */
export const arbDecimal = (options: {
  readonly maxInteger: number
  readonly maxScale: number
}): fc.Arbitrary<Decimal> =>
  fc
    .integer({ min: 0, max: options.maxScale })
    .chain((scale) =>
      fc
        .bigInt({ min: 0n, max: BigInt(options.maxInteger) * 10n ** BigInt(scale) })
        .map((value) => decimalOf(value, scale))
    )

/** Tax rates seen in practice, in percent: exempt, reduced, standard, and fractional (Swiss 8.1, 7.7). */
export const sampleTaxRates: ReadonlyArray<Decimal> = ["0", "5", "7", "7.7", "8.1", "10", "19", "20", "21"].map(
  (rate) => decimal(rate)
)

/**
 * One line in `currency` with a non-negative net: quantity up to 1000 with up to 3 decimals, a unit price that
 * may carry two digits more than the currency, an optional percentage and an optional fixed discount that never
 * exceeds what the percentage leaves.
 */
export const arbDocumentLine = (currency: CurrencyCode, lineNumber: number): fc.Arbitrary<DocumentLine> => {
  const exponent = minorUnitExponent(currency)
  return fc
    .record({
      quantity: arbDecimal({ maxInteger: 1000, maxScale: 3 }),
      unitPrice: arbDecimal({ maxInteger: 100_000, maxScale: exponent + 2 }),
      discountPercent: fc.option(fc.constantFrom("5", "10", "12.5", "33.333", "50").map(decimal), { nil: undefined }),
      discountShare: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
      taxRate: fc.constantFrom(...sampleTaxRates),
      withCode: fc.boolean(),
      description: fc.constantFrom("Consulting", "Licence", "Freight", "Support plan", "Widgets")
    })
    .map((r): DocumentLine => {
      const base: DocumentLine = {
        lineNumber,
        description: r.description,
        quantity: r.quantity,
        unitPrice: r.unitPrice,
        taxRate: r.taxRate,
        ...(r.discountPercent === undefined ? {} : { discountPercent: r.discountPercent }),
        ...(r.withCode ? { taxCode: `VAT${r.taxRate}` } : {})
      }
      if (r.discountShare === undefined) return base
      // a fixed discount of up to the whole remaining amount, truncated to the currency's digits
      const remaining = exactLineNet(base)
      const share = BigDecimal.multiply(remaining, BigDecimal.make(BigInt(r.discountShare), 2))
      const truncated = BigDecimal.round(share, { scale: exponent, mode: "to-zero" })
      return { ...base, discountAmount: decimalOf(BigDecimal.scale(truncated, exponent).value, exponent) }
    })
}

/** One to `maxLines` lines numbered from 1. */
export const arbDocumentLines = (currency: CurrencyCode, maxLines = 6): fc.Arbitrary<ReadonlyArray<DocumentLine>> =>
  fc
    .array(arbDocumentLine(currency, 1), { minLength: 1, maxLength: maxLines })
    .map((lines) => lines.map((line, i) => ({ ...line, lineNumber: i + 1 })))

// built once per currency: constructing arbitraries inside `chain` on every sample is what makes generation slow
const linesByCurrency = new Map<string, fc.Arbitrary<ReadonlyArray<DocumentLine>>>()
const cachedLines = (currency: CurrencyCode, maxLines: number): fc.Arbitrary<ReadonlyArray<DocumentLine>> => {
  const key = `${currency}:${maxLines}`
  const cached = linesByCurrency.get(key)
  if (cached !== undefined) return cached
  const made = arbDocumentLines(currency, maxLines)
  linesByCurrency.set(key, made)
  return made
}

const statedFigures = (currency: CurrencyCode, lines: ReadonlyArray<DocumentLine>, policy: RoundingPolicy) => {
  const computed = computeTotals({ currency, lines }, policy)
  // the bounds above keep every amount far below 2^53 minor units
  if (Result.isFailure(computed)) throw computed.failure
  const { net, tax, total, taxLines } = computed.success
  return {
    lines: lines.map((line, i) => {
      const lineNet = computed.success.lines[i]?.net
      return lineNet === undefined ? line : { ...line, statedNet: lineNet }
    }),
    taxLines,
    totals: { net, tax, total }
  }
}

/** Options for generated invoices. Unset fields are generated. */
export interface InvoiceOptions {
  readonly accountId?: AccountId
  readonly currency?: CurrencyCode
  readonly issuedFrom?: LocalDate
  readonly issuedTo?: LocalDate
  /** The policy the stated totals follow (default per-line, half-up). */
  readonly policy?: RoundingPolicy
  /** Prefix of generated ids and numbers, to keep several generated sets apart. */
  readonly idPrefix?: string
  /** At most this many lines per invoice (default 6); fewer lines generate faster. */
  readonly maxLines?: number
}

// built once: a regex arbitrary is costly to construct
const arbPoNumber = fc.integer({ min: 1000, max: 999_999 }).map((n) => `PO-${n}`)
const arbPaymentReference = fc
  .tuple(fc.constantFrom("BNK", "CHQ", "CRD", "SEP"), fc.integer({ min: 0, max: 999_999 }))
  .map(([kind, n]) => `${kind}${String(n).padStart(6, "0")}`)

/** Gives a generated invoice its id and number from its position in a set. */
const numbered = (invoice: Invoice, index: number, prefix: string): Invoice => {
  const id = InvoiceId.make(`${prefix}-${index + 1}`)
  return {
    ...invoice,
    id,
    source: { source: "test-erp", externalId: id },
    number: `${prefix.toUpperCase()}-${String(index + 1).padStart(5, "0")}`
  }
}

const arbInvoiceBody = (options: InvoiceOptions): fc.Arbitrary<Invoice> =>
  fc
    .record({
      currency: options.currency === undefined ? arbCurrency : fc.constant(options.currency),
      issueDate: arbLocalDate({
        ...(options.issuedFrom === undefined ? {} : { min: options.issuedFrom }),
        ...(options.issuedTo === undefined ? {} : { max: options.issuedTo })
      }),
      termsDays: fc.constantFrom(0, 14, 30, 45, 60),
      poNumber: fc.option(arbPoNumber, { nil: undefined })
    })
    .chain((header) =>
      cachedLines(header.currency, options.maxLines ?? 6).map(
        (lines): Invoice =>
          numbered(
            {
              id: InvoiceId.make("unnumbered"),
              accountId: options.accountId ?? AccountId.make("acct-1"),
              source: { source: "test-erp", externalId: "unnumbered" },
              number: "unnumbered",
              issueDate: header.issueDate,
              dueDate: addDays(header.issueDate, header.termsDays),
              currency: header.currency,
              terms: header.termsDays === 0 ? "Due on receipt" : `Net ${header.termsDays}`,
              ...(header.poNumber === undefined ? {} : { poNumber: header.poNumber }),
              ...statedFigures(header.currency, lines, options.policy ?? defaultRoundingPolicy)
            },
            0,
            options.idPrefix ?? "inv"
          )
      )
    )

/** An invoice whose stated totals agree with its lines under `options.policy`. */
export const arbInvoice = (options: InvoiceOptions = {}): fc.Arbitrary<Invoice> => arbInvoiceBody(options)

/** `minLength` to `maxLength` invoices with distinct ids and numbers (`<prefix>-1`, `<PREFIX>-00001`, ...). */
export const arbInvoices = (
  options: InvoiceOptions & { readonly minLength?: number; readonly maxLength?: number } = {}
): fc.Arbitrary<ReadonlyArray<Invoice>> =>
  fc
    .array(arbInvoiceBody(options), { minLength: options.minLength ?? 0, maxLength: options.maxLength ?? 8 })
    .map((invoices) => invoices.map((invoice, i) => numbered(invoice, i, options.idPrefix ?? "inv")))

/**
 * A credit note in the invoice's currency for up to its total, issued on or after it, linked to it.
 * Without an invoice: an unlinked credit to the account.
 */
export const arbCreditNote = (
  options: InvoiceOptions & { readonly invoice?: Invoice; readonly index?: number } = {}
): fc.Arbitrary<CreditNote> => {
  const invoice = options.invoice
  const currency = invoice?.currency ?? options.currency
  return fc
    .record({
      currency: currency === undefined ? arbCurrency : fc.constant(currency),
      issueDate:
        invoice === undefined
          ? arbLocalDate({
              ...(options.issuedFrom === undefined ? {} : { min: options.issuedFrom }),
              ...(options.issuedTo === undefined ? {} : { max: options.issuedTo })
            })
          : fc.integer({ min: 0, max: 120 }).map((days) => addDays(invoice.issueDate, days)),
      share: fc.integer({ min: 1, max: 100 })
    })
    .map((r): CreditNote => {
      const prefix = options.idPrefix ?? "cn"
      const index = (options.index ?? 0) + 1
      const id = CreditNoteId.make(`${prefix}-${index}`)
      const exponent = minorUnitExponent(r.currency)
      const totalMinor =
        invoice === undefined ? r.share * 10 ** exponent : Math.floor((invoice.totals.total.minor * r.share) / 100)
      // one tax-free line for the credited amount keeps the note's own totals consistent
      const line: DocumentLine = {
        lineNumber: 1,
        description: invoice === undefined ? "Account credit" : `Credit for ${invoice.number}`,
        quantity: decimal("1"),
        unitPrice: decimalOf(BigInt(totalMinor), exponent),
        taxRate: decimal("0")
      }
      return {
        id,
        accountId: invoice?.accountId ?? options.accountId ?? AccountId.make("acct-1"),
        source: { source: "test-erp", externalId: id },
        number: `${prefix.toUpperCase()}-${String(index).padStart(5, "0")}`,
        issueDate: r.issueDate,
        currency: r.currency,
        ...(invoice === undefined ? {} : { invoiceId: invoice.id }),
        ...statedFigures(r.currency, [line], options.policy ?? defaultRoundingPolicy)
      }
    })
}

/**
 * A payment in `currency` allocated to some of `invoices` (each allocation at most the invoice's stated total
 * and at least one minor unit), with an optional unallocated remainder that becomes account credit.
 */
export const arbPayment = (options: {
  readonly currency: CurrencyCode
  readonly invoices?: ReadonlyArray<Invoice>
  readonly accountId?: AccountId
  readonly receivedFrom?: LocalDate
  readonly receivedTo?: LocalDate
  readonly id?: string
}): fc.Arbitrary<Payment> => {
  const payable = (options.invoices ?? []).filter((i) => i.currency === options.currency && i.totals.total.minor > 0)
  const factor = 10 ** minorUnitExponent(options.currency)
  return fc
    .record({
      allocations: fc
        .subarray([...payable])
        .chain((chosen) =>
          fc.tuple(
            ...chosen.map((invoice) =>
              fc
                .integer({ min: 1, max: invoice.totals.total.minor })
                .map((minor): Allocation => ({ invoiceId: invoice.id, amount: { currency: options.currency, minor } }))
            )
          )
        ),
      remainder: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10_000 * factor })),
      receivedDate: arbLocalDate({
        ...(options.receivedFrom === undefined ? {} : { min: options.receivedFrom }),
        ...(options.receivedTo === undefined ? {} : { max: options.receivedTo })
      }),
      reference: arbPaymentReference,
      method: fc.constantFrom("bank-transfer", "card", "cheque")
    })
    .filter((r) => r.allocations.length > 0 || r.remainder > 0)
    .map((r): Payment => {
      const id = PaymentId.make(options.id ?? "pay-1")
      const allocated = r.allocations.reduce((s, a) => s + a.amount.minor, 0)
      const amount: Money = { currency: options.currency, minor: allocated + r.remainder }
      return {
        id,
        accountId: options.accountId ?? AccountId.make("acct-1"),
        source: { source: "test-erp", externalId: id },
        reference: r.reference,
        receivedDate: r.receivedDate,
        amount,
        method: r.method,
        allocations: r.allocations
      }
    })
}
