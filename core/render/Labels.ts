// The labels of the view models' enumerations (invoice status, statement line and open-item kinds), shared
// by every renderer so an HTML page and a CSV export of one document say the same words.
import type { Catalog, MessageKey } from "./Messages.ts"
import type { InvoiceStatus, OpenItemKind, StatementLineKind } from "./ViewModels.ts"

const statusKey: { readonly [K in InvoiceStatus]: MessageKey } = {
  open: "statusOpen",
  "partially-paid": "statusPartiallyPaid",
  paid: "statusPaid",
  overdue: "statusOverdue",
  credited: "statusCredited",
  void: "statusVoid",
  "written-off": "statusWrittenOff",
  disputed: "statusDisputed"
}

const lineKey: { readonly [K in StatementLineKind]: MessageKey } = {
  invoice: "entryInvoice",
  "credit-note": "entryCreditNote",
  payment: "entryPayment",
  refund: "entryRefund",
  chargeback: "entryChargeback",
  "write-off": "entryWriteOff",
  void: "entryVoid"
}

const itemKey: { readonly [K in OpenItemKind]: MessageKey } = {
  invoice: "entryInvoice",
  "unallocated-payment": "itemUnallocatedPayment",
  "credit-note": "entryCreditNote",
  "overpaid-invoice": "itemOverpaidInvoice",
  "uncovered-reversal": "itemUncoveredReversal"
}

/** "Partially paid", "Teilweise bezahlt"… */
export const statusLabel = (labels: Catalog, status: InvoiceStatus): string => labels[statusKey[status]]

/** "Credit note", "Refund"… for a balance-forward statement line. */
export const statementLineLabel = (labels: Catalog, kind: StatementLineKind): string => labels[lineKey[kind]]

/** "Invoice", "Unallocated payment"… for an open item. */
export const openItemLabel = (labels: Catalog, kind: OpenItemKind): string => labels[itemKey[kind]]

/**
 * The label of an ageing bucket: "Not yet due", "1–30 days overdue", "More than 90 days overdue"; `number`
 * formats the day counts for the locale.
 */
export const agingLabel = (
  labels: Catalog,
  bucket: { readonly minDaysPastDue?: number; readonly maxDaysPastDue?: number },
  number: (value: number) => string = String
): string => {
  if (bucket.minDaysPastDue === undefined) return labels.agingCurrent
  if (bucket.maxDaysPastDue === undefined) return labels.agingOver.replace("{days}", number(bucket.minDaysPastDue - 1))
  return labels.agingRange
    .replace("{from}", number(bucket.minDaysPastDue))
    .replace("{to}", number(bucket.maxDaysPastDue))
}
