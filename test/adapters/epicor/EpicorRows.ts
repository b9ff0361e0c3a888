// Canonical records written as Epicor Kinetic rows (Customer, CustCnt, InvcHead+InvcDtl, CashHead+CashDtl),
// the way Epicor stores them: Doc* amounts as JSON numbers, credit memos negative, dates as date-times.
// Used to seed the Epicor wire-format server from the conformance kit's generated records.
import { BigDecimal } from "effect"
import { type DocumentLine, Money, Tier } from "../../../core/domain/index.ts"
import type { CanonicalRecord } from "../../../core/erp/index.ts"
import { negateDecimal } from "../../../core/erp/index.ts"
import type { EntitySet } from "./EpicorServer.ts"
import { RawNumber, type WireRow, type WireValue } from "./ODataQuery.ts"

/** The entity set and row that hold a canonical record. */
export interface EpicorRow {
  readonly set: EntitySet
  readonly row: WireRow
}

const company = "EPIC06"

/** The external id inside a canonical id `sourceId:externalId`. */
const externalOf = (canonicalId: string): string => canonicalId.slice(canonicalId.indexOf(":") + 1)

const num = (text: string) => new RawNumber(text)

/** A stable contact number per external id (Epicor numbers contacts within a customer). */
const contactNumber = (externalId: string): number =>
  [...externalId].reduce((hash, char) => (Math.imul(hash, 31) + (char.codePointAt(0) ?? 0)) >>> 0, 7) % 1_000_000
const money = (amount: Money.Money, negate: boolean) =>
  num(negate ? negateDecimal(Money.toDecimal(amount)) : Money.toDecimal(amount))
const dateTime = (date: string) => `${date}T00:00:00`

const optional = (key: string, value: WireValue | undefined): Record<string, WireValue> =>
  value === undefined ? {} : { [key]: value }

const add = (a: string, b: string): string =>
  BigDecimal.format(
    BigDecimal.normalize(BigDecimal.sum(BigDecimal.fromStringUnsafe(a), BigDecimal.fromStringUnsafe(b)))
  )

const lineRow = (invoiceNum: string, line: DocumentLine, credit: boolean): WireRow => {
  const discount = line.discountAmount
  const net = line.statedNet === undefined ? undefined : Money.toDecimal(line.statedNet)
  // Epicor states the extended price before the line discount: net = DocExtPrice - DocDiscount.
  const extended = net === undefined ? undefined : discount === undefined ? net : add(net, discount)
  const sign = (text: string) => (credit ? negateDecimal(text) : text)
  // A credit memo line carries the minus on the quantity (or, for a zero quantity, on the price).
  const flipQuantity = credit && !/^0*(\.0*)?$/.test(line.quantity)
  return {
    Company: company,
    InvoiceNum: invoiceNum,
    InvoiceLine: line.lineNumber,
    LineDesc: line.description,
    ...optional("PartNum", line.productCode),
    ...optional("SalesUM", line.unit),
    SellingShipQty: num(flipQuantity ? negateDecimal(line.quantity) : line.quantity),
    DocUnitPrice: num(credit && !flipQuantity ? negateDecimal(line.unitPrice) : line.unitPrice),
    PricePerCode: "E",
    ...optional("DiscountPercent", line.discountPercent === undefined ? undefined : num(line.discountPercent)),
    ...optional("DocDiscount", discount === undefined ? undefined : num(sign(discount))),
    ...optional("DocExtPrice", extended === undefined ? undefined : num(sign(extended))),
    TaxPercent: num(line.taxRate),
    ...optional("TaxCatID", line.taxCode)
  }
}

/** The Epicor row of one canonical record. */
export const epicorRowOf = (record: CanonicalRecord): EpicorRow => {
  switch (record.entity) {
    case "accounts": {
      const account = record.value
      const address = account.billingAddress
      return {
        set: "Customers",
        row: {
          Company: company,
          CustNum: account.source.externalId,
          CustID: account.number,
          Name: account.name,
          CurrencyCode: account.currency,
          ...optional("EMailAddress", account.email),
          ...optional("Address1", address?.lines[0]),
          ...optional("Address2", address?.lines[1]),
          ...optional("City", address?.city),
          ...optional("State", address?.region),
          ...optional("Zip", address?.postalCode),
          ...optional("CountryISOCode", address?.country)
        }
      }
    }
    case "contacts": {
      const contact = record.value
      const link = contact.links[0]
      return {
        set: "CustCnts",
        row: {
          Company: company,
          CustNum: link === undefined ? "" : externalOf(link.accountId),
          ShipToNum: "",
          ConNum: contactNumber(contact.source.externalId),
          SysRowID: contact.source.externalId,
          Name: contact.name,
          EMailAddress: contact.email,
          ...optional("PhoneNum", contact.phone)
        }
      }
    }
    case "invoices":
    case "credit-notes": {
      const credit = record.entity === "credit-notes"
      const document = record.value
      const invoiceNum = document.source.externalId
      return {
        set: "ARInvoices",
        row: {
          Company: company,
          InvoiceNum: invoiceNum,
          LegalNumber: document.number,
          CreditMemo: credit,
          Posted: true,
          CustNum: externalOf(document.accountId),
          InvoiceDate: dateTime(document.issueDate),
          ...(record.entity === "invoices"
            ? {
                DueDate: dateTime(record.value.dueDate),
                ...optional("TermsCodeDescription", record.value.terms),
                ...optional("PONum", record.value.poNumber)
              }
            : {
                ...optional(
                  "InvoiceRef",
                  record.value.invoiceId === undefined ? undefined : externalOf(record.value.invoiceId)
                ),
                ...optional("InvoiceComment", record.value.reason)
              }),
          CurrencyCode: document.currency,
          DocSubTotal: money(document.totals.net, credit),
          DocTaxAmt: money(document.totals.tax, credit),
          DocInvoiceAmt: money(document.totals.total, credit),
          InvcDtls: document.lines.map((line) => lineRow(invoiceNum, line, credit))
        }
      }
    }
    case "payments": {
      const payment = record.value
      return {
        set: "CashRecs",
        row: {
          Company: company,
          GroupID: "PORTAL",
          HeadNum: payment.source.externalId,
          SysRowID: payment.source.externalId,
          Posted: true,
          TranType: "PayInv",
          CheckRef: payment.reference,
          CustNum: externalOf(payment.accountId),
          TranDate: dateTime(payment.receivedDate),
          CurrencyCode: payment.amount.currency,
          DocTranAmt: money(payment.amount, false),
          CashDtls: payment.allocations.map((allocation) => ({
            Company: company,
            InvoiceNum: externalOf(allocation.invoiceId),
            TranType: "PayInv",
            DocTranAmt: money(allocation.amount, false)
          }))
        }
      }
    }
    case "documents":
      throw new Error("Epicor rows hold no documents") // a test-fixture programming error, never reached by the kit
  }
}

/**
 * What an Epicor source can carry of a canonical record: no account tiers or tax ids (Customer has neither
 * here), no portal roles (contacts get the configured role, "ap-contact" by default), no payment methods,
 * and a zero line discount is the same as none.
 */
export const representInEpicor = (record: CanonicalRecord): CanonicalRecord => {
  const withoutZeroDiscounts = (line: DocumentLine): DocumentLine => {
    const { discountAmount, discountPercent, ...rest } = line
    const zero = (value: string | undefined) => value === undefined || /^0*(\.0*)?$/.test(value)
    return {
      ...rest,
      ...(discountPercent === undefined || zero(discountPercent) ? {} : { discountPercent }),
      ...(discountAmount === undefined || zero(discountAmount) ? {} : { discountAmount })
    }
  }
  switch (record.entity) {
    case "contacts":
      return {
        entity: "contacts",
        value: { ...record.value, links: record.value.links.map((link) => ({ ...link, role: "ap-contact" as const })) }
      }
    case "accounts": {
      const { taxId: _taxId, ...account } = record.value
      return { entity: "accounts", value: { ...account, tier: Tier.make("standard") } }
    }
    case "payments": {
      const { method: _method, ...payment } = record.value
      return { entity: "payments", value: payment }
    }
    case "invoices":
      return { entity: "invoices", value: { ...record.value, lines: record.value.lines.map(withoutZeroDiscounts) } }
    case "credit-notes":
      return { entity: "credit-notes", value: { ...record.value, lines: record.value.lines.map(withoutZeroDiscounts) } }
    default:
      return record
  }
}
