// Small, consistent billing data for the sync tests: accounts, invoices whose stated totals match their
// lines (19% tax, per-line half-up), payments allocated to them and credit notes, as canonical records.
import { Schema } from "effect"
import { Account, CreditNote, Invoice, Payment } from "../../../../core/domain/index.ts"
import { type CanonicalRecord, canonical, canonicalId } from "../../../../core/erp/index.ts"

const decode = <S extends Schema.Codec<unknown, unknown>>(schema: S, value: unknown): S["Type"] =>
  Schema.decodeUnknownSync(schema)(value)

const eur = (minor: number) => ({ currency: "EUR", minor })

/** Account `C<n>`. */
export const account = (sourceId: string, n: number) =>
  canonical(
    "accounts",
    decode(Account, {
      id: canonicalId(sourceId, `C${n}`),
      source: { source: sourceId, externalId: `C${n}` },
      number: `C${n}`,
      name: `Customer ${n}`,
      tier: "standard",
      currency: "EUR"
    })
  )

/** Invoice `INV-<n>` for account `C<accountN>` with `lines` lines of `quantity` × 10.00 EUR at 19%. */
export const invoice = (
  sourceId: string,
  n: number,
  accountN: number,
  options: { lines?: number; quantity?: number } = {}
) => {
  const count = options.lines ?? 2
  const quantity = options.quantity ?? 1
  const lineNet = quantity * 1000
  const lines = Array.from({ length: count }, (_, i) => ({
    lineNumber: i + 1,
    description: `Item ${i + 1}`,
    quantity: String(quantity),
    unitPrice: "10.00",
    taxRate: "19",
    statedNet: eur(lineNet)
  }))
  const net = lineNet * count
  const tax = Math.round(lineNet * 0.19) * count
  return canonical(
    "invoices",
    decode(Invoice, {
      id: canonicalId(sourceId, `INV-${n}`),
      accountId: canonicalId(sourceId, `C${accountN}`),
      source: { source: sourceId, externalId: `INV-${n}` },
      number: `INV-${n}`,
      issueDate: "2026-03-01",
      dueDate: "2026-03-31",
      currency: "EUR",
      lines,
      taxLines: [],
      totals: { net: eur(net), tax: eur(tax), total: eur(net + tax) }
    })
  )
}

/** Payment `P-<n>` of `amount` minor units from account `C<accountN>`, allocated as given. */
export const payment = (
  sourceId: string,
  n: number,
  accountN: number,
  amount: number,
  allocations: ReadonlyArray<readonly [invoiceN: number, minor: number]>
) =>
  canonical(
    "payments",
    decode(Payment, {
      id: canonicalId(sourceId, `P-${n}`),
      accountId: canonicalId(sourceId, `C${accountN}`),
      source: { source: sourceId, externalId: `P-${n}` },
      reference: `REF-${n}`,
      receivedDate: "2026-03-15",
      amount: eur(amount),
      allocations: allocations.map(([invoiceN, minor]) => ({
        invoiceId: canonicalId(sourceId, `INV-${invoiceN}`),
        amount: eur(minor)
      }))
    })
  )

/** Credit note `CN-<n>` of one line (quantity × 10.00 at 19%) crediting `INV-<invoiceN>`. */
export const creditNote = (sourceId: string, n: number, accountN: number, invoiceN: number, quantity = 1) =>
  canonical(
    "credit-notes",
    decode(CreditNote, {
      id: canonicalId(sourceId, `CN-${n}`),
      accountId: canonicalId(sourceId, `C${accountN}`),
      source: { source: sourceId, externalId: `CN-${n}` },
      number: `CN-${n}`,
      issueDate: "2026-03-10",
      currency: "EUR",
      invoiceId: canonicalId(sourceId, `INV-${invoiceN}`),
      lines: [{ lineNumber: 1, description: "Return", quantity: String(quantity), unitPrice: "10.00", taxRate: "19" }],
      taxLines: [],
      totals: { net: eur(quantity * 1000), tax: eur(quantity * 190), total: eur(quantity * 1190) }
    })
  )

/** `accounts` accounts and `invoices` invoices spread over them (2 lines each: 23.80 EUR). */
export const dataset = (sourceId: string, sizes: { accounts: number; invoices: number }): Array<CanonicalRecord> => [
  ...Array.from({ length: sizes.accounts }, (_, i) => account(sourceId, i + 1)),
  ...Array.from({ length: sizes.invoices }, (_, i) => invoice(sourceId, i + 1, (i % sizes.accounts) + 1))
]
