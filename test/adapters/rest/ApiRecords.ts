// Canonical records written as a Business-Central-like JSON API holds them (camelCase fields, amounts as
// JSON numbers, lines nested in their invoice), with the REST adapter mapping that reads them back.

import { Money } from "../../../core/domain/index.ts"
import type { CanonicalRecord, EntityName } from "../../../core/erp/index.ts"
import { RawNumber, type WireRow, type WireValue } from "../epicor/ODataQuery.ts"

/** The collection path of each entity. */
export const collectionOf: Readonly<Record<EntityName, string>> = {
  accounts: "/customers",
  contacts: "/contacts",
  invoices: "/salesInvoices",
  "credit-notes": "/salesCreditMemos",
  payments: "/customerPayments",
  documents: "/attachments"
}

/** Where the API serves a document's bytes (relative to its origin, as the records give it). */
export const downloadPathOf = (externalId: string): string => `/attachments/${externalId}/content`

const externalOf = (canonicalId: string): string => canonicalId.slice(canonicalId.indexOf(":") + 1)
const amount = (money: Money.Money) => new RawNumber(Money.toDecimal(money))
const optional = (key: string, value: WireValue | undefined): Record<string, WireValue> =>
  value === undefined ? {} : { [key]: value }

/** The API record of one canonical record. */
export const apiRecordOf = (record: CanonicalRecord): { readonly path: string; readonly record: WireRow } => {
  switch (record.entity) {
    case "accounts": {
      const account = record.value
      const address = account.billingAddress
      return {
        path: collectionOf.accounts,
        record: {
          id: account.source.externalId,
          number: account.number,
          displayName: account.name,
          currencyCode: account.currency,
          portalTier: account.tier,
          ...optional("email", account.email),
          ...optional("taxRegistrationNumber", account.taxId),
          ...optional("addressLine1", address?.lines[0]),
          ...optional("addressLine2", address?.lines[1]),
          ...optional("city", address?.city),
          ...optional("state", address?.region),
          ...optional("postalCode", address?.postalCode),
          ...optional("country", address?.country)
        }
      }
    }
    case "contacts": {
      const contact = record.value
      const link = contact.links[0]
      return {
        path: collectionOf.contacts,
        record: {
          id: contact.source.externalId,
          email: contact.email,
          name: contact.name,
          ...optional("phoneNumber", contact.phone),
          customerNumber: link === undefined ? null : externalOf(link.accountId),
          portalRole: link === undefined ? null : link.role
        }
      }
    }
    case "invoices":
    case "credit-notes": {
      const document = record.value
      const lines = document.lines.map((line) => ({
        sequence: line.lineNumber,
        description: line.description,
        ...optional("lineObjectNumber", line.productCode),
        ...optional("unitOfMeasureCode", line.unit),
        quantity: new RawNumber(line.quantity),
        unitPrice: new RawNumber(line.unitPrice),
        ...optional(
          "discountPercent",
          line.discountPercent === undefined ? undefined : new RawNumber(line.discountPercent)
        ),
        ...optional(
          "discountAmount",
          line.discountAmount === undefined ? undefined : new RawNumber(line.discountAmount)
        ),
        taxPercent: new RawNumber(line.taxRate),
        ...optional("taxCode", line.taxCode),
        ...optional("netAmount", line.statedNet === undefined ? undefined : amount(line.statedNet))
      }))
      const common = {
        id: document.source.externalId,
        number: document.number,
        customerNumber: externalOf(document.accountId),
        invoiceDate: document.issueDate,
        currencyCode: document.currency,
        totalAmountExcludingTax: amount(document.totals.net),
        totalTaxAmount: amount(document.totals.tax),
        totalAmountIncludingTax: amount(document.totals.total),
        lines
      }
      return record.entity === "invoices"
        ? {
            path: collectionOf.invoices,
            record: {
              ...common,
              dueDate: record.value.dueDate,
              ...optional("paymentTerms", record.value.terms),
              ...optional("customerPurchaseOrderReference", record.value.poNumber)
            }
          }
        : {
            path: collectionOf["credit-notes"],
            record: {
              ...common,
              ...optional(
                "appliesToInvoiceNumber",
                record.value.invoiceId === undefined ? undefined : externalOf(record.value.invoiceId)
              ),
              ...optional("reason", record.value.reason)
            }
          }
    }
    case "payments": {
      const payment = record.value
      return {
        path: collectionOf.payments,
        record: {
          id: payment.source.externalId,
          externalDocumentNumber: payment.reference,
          customerNumber: externalOf(payment.accountId),
          postingDate: payment.receivedDate,
          currencyCode: payment.amount.currency,
          amount: amount(payment.amount),
          ...optional("paymentMethod", payment.method),
          applications: payment.allocations.map((allocation) => ({
            invoiceNumber: externalOf(allocation.invoiceId),
            amount: amount(allocation.amount)
          }))
        }
      }
    }
    case "documents": {
      const document = record.value
      return {
        path: collectionOf.documents,
        record: {
          id: document.source.externalId,
          customerNumber: externalOf(document.accountId),
          ...optional("invoiceNumber", document.invoiceId === undefined ? undefined : externalOf(document.invoiceId)),
          fileName: document.fileName,
          contentType: document.contentType,
          ...optional("size", document.size === undefined ? undefined : new RawNumber(String(document.size))),
          ...optional("sha256", document.sha256),
          downloadUrl: downloadPathOf(document.source.externalId)
        }
      }
    }
  }
}

const lineMapping = {
  lineNumber: "sequence",
  description: "description",
  productCode: "lineObjectNumber",
  unit: "unitOfMeasureCode",
  quantity: "quantity",
  unitPrice: "unitPrice",
  discountPercent: "discountPercent",
  discountAmount: "discountAmount",
  taxRate: "taxPercent",
  taxCode: "taxCode",
  lineNet: "netAmount"
}

const totalsMapping = {
  netTotal: "totalAmountExcludingTax",
  taxTotal: "totalTaxAmount",
  total: "totalAmountIncludingTax"
}

/** The REST adapter's field mappings for this API shape (settings JSON, as in a config file). */
export const apiMappings = {
  accounts: {
    number: "number",
    name: "displayName",
    currency: "currencyCode",
    tier: "portalTier",
    email: "email",
    taxId: "taxRegistrationNumber",
    addressLine1: "addressLine1",
    addressLine2: "addressLine2",
    city: "city",
    region: "state",
    postalCode: "postalCode",
    country: "country"
  },
  contacts: { email: "email", name: "name", phone: "phoneNumber", accountNumber: "customerNumber", role: "portalRole" },
  invoices: {
    number: "number",
    accountNumber: "customerNumber",
    issueDate: "invoiceDate",
    dueDate: "dueDate",
    currency: "currencyCode",
    terms: "paymentTerms",
    poNumber: "customerPurchaseOrderReference",
    ...totalsMapping
  },
  "credit-notes": {
    number: "number",
    accountNumber: "customerNumber",
    issueDate: "invoiceDate",
    currency: "currencyCode",
    invoiceNumber: "appliesToInvoiceNumber",
    reason: "reason",
    ...totalsMapping
  },
  payments: {
    reference: "externalDocumentNumber",
    accountNumber: "customerNumber",
    receivedDate: "postingDate",
    currency: "currencyCode",
    amount: "amount",
    method: "paymentMethod"
  },
  documents: {
    accountNumber: "customerNumber",
    invoiceNumber: "invoiceNumber",
    fileName: "fileName",
    contentType: "contentType",
    size: "size",
    sha256: "sha256"
  },
  lines: lineMapping,
  allocations: { invoiceNumber: "invoiceNumber", amount: "amount" }
}
