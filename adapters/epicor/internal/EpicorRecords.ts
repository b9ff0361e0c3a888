// Epicor rows (InvcHead with InvcDtls, CashHead with CashDtls, Customer, CustCnt) to canonical records.
// Amounts are the document-currency `Doc*` fields read from their exact JSON text; credit memos, which
// Epicor stores with negative amounts, become credit notes with positive totals linked to `InvoiceRef`.
import { BigDecimal, Option, Predicate, Result } from "effect"
import {
  buildAccount,
  buildContact,
  buildCreditNote,
  buildInvoice,
  buildPayment,
  type CanonicalRecord,
  canonical,
  decimalText,
  type EntityName,
  type MappedFields,
  negateDecimal,
  type RecordContext,
  RecordRejected
} from "../../../core/erp/index.ts"

/** What decoding needs besides the row. */
export interface DecodeSettings {
  readonly tier: string
  readonly defaultCurrency: string | undefined
  readonly contactRole: string
}

type Row = Readonly<Record<string, unknown>>
type Built<A> = Result.Result<A, RecordRejected>

const asRow = (value: unknown): Row | undefined => (Predicate.isObject(value) ? value : undefined)

/** A scalar as text ("" and null count as absent). */
const text = (row: Row, field: string): string | undefined => {
  const value = row[field]
  if (typeof value === "string") return value.trim() === "" ? undefined : value.trim()
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  return undefined
}

/** Epicor date-times ("2024-03-01T00:00:00") to their date ("2024-03-01"). */
const date = (row: Row, field: string): string | undefined => text(row, field)?.slice(0, 10)

/** A Doc* amount as an exact decimal, or why it is not one. */
const amount = (row: Row, field: string, path: string): Built<string | undefined> => {
  const value = row[field]
  if (value === undefined || value === null) return Result.succeed(undefined)
  return Result.mapError(decimalText(value), (reason) => new RecordRejected({ path, reason, value: String(value) }))
}

const present = (value: string | undefined): value is string => value !== undefined

/** Nonzero Epicor ints used as references (`InvoiceRef` 0 means "none"). */
const reference = (row: Row, field: string): string | undefined => {
  const value = text(row, field)
  return value === undefined || /^0+$/.test(value) ? undefined : value
}

const negate = (value: string | undefined): string | undefined =>
  value === undefined ? undefined : negateDecimal(value)

/** `PricePerCode`: E per each, C per hundred, M per thousand; the canonical unit price is per each. */
const perEach = (price: string, code: string | undefined): string => {
  const shift = code === "C" ? 2 : code === "M" ? 3 : 0
  if (shift === 0) return price
  const exact = BigDecimal.fromString(price)
  return Option.match(exact, {
    onNone: () => price,
    onSome: (value) => BigDecimal.format(BigDecimal.normalize(BigDecimal.make(value.value, value.scale + shift)))
  })
}

const subtract = (a: string, b: string): string =>
  BigDecimal.format(
    BigDecimal.normalize(BigDecimal.subtract(BigDecimal.fromStringUnsafe(a), BigDecimal.fromStringUnsafe(b)))
  )

const isNegative = (value: string | undefined): boolean => value?.startsWith("-") === true

const isZero = (value: string): boolean => /^-?0*(\.0*)?$/.test(value)

/** One InvcDtl as canonical line fields; `credit` flips the signs of a credit memo's negative amounts. */
const lineFields = (line: Row, index: number, credit: boolean): Built<MappedFields> =>
  Result.gen(function* () {
    const prefix = `InvcDtls[${index}].`
    let quantity = yield* amount(line, "SellingShipQty", `${prefix}SellingShipQty`)
    let unitPrice = yield* amount(line, "DocUnitPrice", `${prefix}DocUnitPrice`)
    let extended = yield* amount(line, "DocExtPrice", `${prefix}DocExtPrice`)
    let discount = yield* amount(line, "DocDiscount", `${prefix}DocDiscount`)
    const taxRate = yield* amount(line, "TaxPercent", `${prefix}TaxPercent`)
    const discountPercent = yield* amount(line, "DiscountPercent", `${prefix}DiscountPercent`)
    if (credit) {
      // Keep quantity × price = extended price: flip whichever factor carries the minus.
      if (isNegative(quantity)) quantity = negate(quantity)
      else unitPrice = negate(unitPrice)
      extended = negate(extended)
      discount = negate(discount)
    }
    const hasDiscount = discount !== undefined && !isZero(discount)
    const net =
      extended === undefined
        ? undefined
        : hasDiscount && discount !== undefined
          ? subtract(extended, discount)
          : extended
    return {
      lineNumber: text(line, "InvoiceLine"),
      description: text(line, "LineDesc"),
      productCode: text(line, "PartNum"),
      unit: text(line, "SalesUM"),
      quantity,
      unitPrice: unitPrice === undefined ? undefined : perEach(unitPrice, text(line, "PricePerCode")),
      discountPercent: discountPercent === undefined || isZero(discountPercent) ? undefined : discountPercent,
      discountAmount: hasDiscount ? discount : undefined,
      taxRate,
      taxCode: text(line, "TaxCatID"),
      lineNet: net
    }
  })

const linesOf = (row: Row, child: string, credit: boolean): Built<ReadonlyArray<MappedFields>> => {
  const value = row[child]
  const rows = Array.isArray(value) ? value : []
  const out: Array<MappedFields> = []
  for (const [index, item] of rows.entries()) {
    const line = asRow(item)
    if (line === undefined)
      return Result.fail(new RecordRejected({ path: `${child}[${index}]`, reason: "expected an object" }))
    const fields = lineFields(line, index, credit)
    if (Result.isFailure(fields)) return Result.fail(fields.failure)
    out.push(fields.success)
  }
  return Result.succeed(out)
}

/** The Epicor field behind each canonical header field, so a rejection names what to fix in Epicor. */
const invoiceSources: Readonly<Record<string, string>> = {
  number: "LegalNumber/InvoiceNum",
  accountNumber: "CustNum",
  issueDate: "InvoiceDate",
  dueDate: "DueDate",
  currency: "CurrencyCode",
  netTotal: "DocSubTotal",
  taxTotal: "DocTaxAmt",
  total: "DocInvoiceAmt",
  invoiceNumber: "InvoiceRef",
  receivedDate: "TranDate",
  amount: "DocTranAmt",
  reference: "CheckRef",
  email: "EMailAddress",
  name: "Name"
}

const nameSource = (rejection: RecordRejected): RecordRejected => {
  const source = invoiceSources[rejection.path]
  return source === undefined
    ? rejection
    : new RecordRejected({ ...rejection, path: `${rejection.path} (Epicor ${source})` })
}

const invoiceHeader = (row: Row, credit: boolean): Built<MappedFields> =>
  Result.gen(function* () {
    const net = yield* amount(row, "DocSubTotal", "DocSubTotal")
    const tax = yield* amount(row, "DocTaxAmt", "DocTaxAmt")
    const total = yield* amount(row, "DocInvoiceAmt", "DocInvoiceAmt")
    return {
      number: text(row, "LegalNumber") ?? text(row, "InvoiceNum"),
      accountNumber: text(row, "CustNum"),
      issueDate: date(row, "InvoiceDate"),
      dueDate: date(row, "DueDate") ?? date(row, "InvoiceDate"),
      currency: text(row, "CurrencyCode"),
      terms: text(row, "TermsCodeDescription") ?? text(row, "TermsCode"),
      poNumber: text(row, "PONum"),
      invoiceNumber: reference(row, "InvoiceRef"),
      reason: text(row, "InvoiceComment"),
      netTotal: credit ? negate(net) : net,
      taxTotal: credit ? negate(tax) : tax,
      total: credit ? negate(total) : total
    }
  })

/**
 * The external id of a row: `CustNum` for customers and `InvoiceNum` for invoices and credit memos (other
 * records refer to them by these), `SysRowID` (the row's permanent GUID) for contacts and cash receipts.
 */
export const externalIdOf = (entity: EntityName, row: Row): string | undefined =>
  entity === "accounts"
    ? text(row, "CustNum")
    : entity === "contacts" || entity === "payments"
      ? text(row, "SysRowID")
      : text(row, "InvoiceNum")

/** Decodes one Epicor row of `entity` into its canonical record. */
export const decodeRow = (
  entity: EntityName,
  data: unknown,
  context: RecordContext,
  settings: DecodeSettings
): Built<CanonicalRecord> => {
  const row = asRow(data)
  if (row === undefined)
    return Result.fail(new RecordRejected({ path: "", reason: "expected an Epicor row (a JSON object)" }))
  const built: Built<CanonicalRecord> = Result.gen(function* () {
    switch (entity) {
      case "accounts": {
        const fields: MappedFields = {
          number: text(row, "CustID"),
          name: text(row, "Name"),
          currency: text(row, "CurrencyCode") ?? settings.defaultCurrency,
          tier: settings.tier,
          email: text(row, "EMailAddress"),
          addressLine1: text(row, "Address1"),
          addressLine2: [text(row, "Address2"), text(row, "Address3")].filter(present).join(", ") || undefined,
          city: text(row, "City"),
          region: text(row, "State"),
          postalCode: text(row, "Zip"),
          country: text(row, "CountryISOCode")?.toUpperCase()
        }
        return canonical("accounts", yield* buildAccount(fields, context))
      }
      case "contacts": {
        const fields: MappedFields = {
          email: text(row, "EMailAddress"),
          name: text(row, "Name"),
          phone: text(row, "PhoneNum"),
          accountNumber: text(row, "CustNum"),
          role: settings.contactRole
        }
        return canonical("contacts", yield* buildContact(fields, context))
      }
      case "invoices":
      case "credit-notes": {
        const credit = row.CreditMemo === true
        if (credit !== (entity === "credit-notes")) {
          return yield* Result.fail(
            new RecordRejected({
              path: "CreditMemo",
              reason: `a ${credit ? "credit memo" : "invoice"} was read as ${entity}`,
              value: String(row.CreditMemo)
            })
          )
        }
        const header = yield* invoiceHeader(row, credit)
        const lines = yield* linesOf(row, "InvcDtls", credit)
        return credit
          ? canonical("credit-notes", yield* buildCreditNote(header, lines, context))
          : canonical("invoices", yield* buildInvoice(header, lines, context))
      }
      case "payments": {
        const header: MappedFields = {
          reference: text(row, "CheckRef") ?? text(row, "Reference") ?? context.externalId,
          accountNumber: text(row, "CustNum"),
          receivedDate: date(row, "TranDate"),
          currency: text(row, "CurrencyCode"),
          amount: yield* amount(row, "DocTranAmt", "DocTranAmt")
        }
        const details = Array.isArray(row.CashDtls) ? row.CashDtls : []
        const allocations: Array<MappedFields> = []
        for (const [index, item] of details.entries()) {
          const detail = asRow(item)
          if (
            detail === undefined ||
            text(detail, "TranType") !== "PayInv" ||
            reference(detail, "InvoiceNum") === undefined
          )
            continue
          allocations.push({
            invoiceNumber: reference(detail, "InvoiceNum"),
            amount: yield* amount(detail, "DocTranAmt", `CashDtls[${index}].DocTranAmt`)
          })
        }
        return canonical("payments", yield* buildPayment(header, allocations, context))
      }
      case "documents":
        return yield* Result.fail(
          new RecordRejected({ path: "", reason: "the Epicor adapter does not read documents" })
        )
    }
  })
  return Result.mapError(built, nameSource)
}
