// Builds canonical records (core/domain) from mapped fields, so every adapter that uses a FieldMapping
// shares one set of target field names and one set of checks. Each failure names the canonical field.
import { Result, Schema, Struct } from "effect"
import {
  Account,
  Contact,
  CreditNote,
  CurrencyCode,
  Decimal,
  type DocumentLine,
  Invoice,
  Money,
  Payment,
  type StatedTotals
} from "../domain/index.ts"
import { DocumentMetadata } from "./DocumentContent.ts"
import type { MappedFields } from "./FieldMapping.ts"
import { RecordRejected } from "./RecordRejected.ts"

/** The canonical field names a FieldMapping targets, per entity (see docs/adapters.md). */
export const targetFields = {
  accounts: [
    "number",
    "name",
    "currency",
    "tier",
    "email",
    "taxId",
    "addressLine1",
    "addressLine2",
    "city",
    "region",
    "postalCode",
    "country"
  ],
  contacts: ["email", "name", "phone", "accountNumber", "role"],
  invoiceHeader: [
    "number",
    "accountNumber",
    "issueDate",
    "dueDate",
    "currency",
    "terms",
    "poNumber",
    "netTotal",
    "taxTotal",
    "total"
  ],
  creditNoteHeader: [
    "number",
    "accountNumber",
    "issueDate",
    "currency",
    "invoiceNumber",
    "reason",
    "netTotal",
    "taxTotal",
    "total"
  ],
  lines: [
    "lineNumber",
    "description",
    "productCode",
    "unit",
    "quantity",
    "unitPrice",
    "discountPercent",
    "discountAmount",
    "taxRate",
    "taxCode",
    "lineNet"
  ],
  payments: ["reference", "accountNumber", "receivedDate", "currency", "amount", "method"],
  allocations: ["invoiceNumber", "amount"],
  documents: ["accountNumber", "invoiceNumber", "fileName", "contentType", "size", "sha256"]
} as const

/** The canonical fields that hold dates ("YYYY-MM-DD" after mapping). */
export const dateTargets: ReadonlyArray<string> = ["issueDate", "dueDate", "receivedDate"]

/** The canonical fields that hold numbers (plain decimals after mapping). */
export const numberTargets: ReadonlyArray<string> = [
  "quantity",
  "unitPrice",
  "discountPercent",
  "discountAmount",
  "taxRate",
  "lineNet",
  "netTotal",
  "taxTotal",
  "total",
  "amount"
]

/** Which source a record comes from and its id there. */
export interface RecordContext {
  readonly sourceId: string
  readonly externalId: string
}

/**
 * The canonical id of a source record: `sourceId:externalId`. Deterministic, so an invoice can name its
 * account (by the account's external id, usually the customer number) without a lookup.
 */
export const canonicalId = (sourceId: string, externalId: string): string => `${sourceId}:${externalId}`

type Built<A> = Result.Result<A, RecordRejected>

const reject = (path: string, reason: string, value?: string): RecordRejected =>
  new RecordRejected(value === undefined ? { path, reason } : { path, reason, value })

const required = (fields: MappedFields, name: string, prefix = ""): Built<string> => {
  const value = fields[name]
  return value === undefined || value === ""
    ? Result.fail(reject(prefix + name, "is required but missing or blank"))
    : Result.succeed(value)
}

const decodeCurrency = Schema.decodeUnknownResult(CurrencyCode)

const notDecimal = `expected a plain decimal such as "12.50"; add a "decimal" transform for locale numbers`

const decimalOf = (fields: MappedFields, name: string, prefix = ""): Built<Decimal.Decimal | undefined> => {
  const value = fields[name]
  if (value === undefined) return Result.succeed(undefined)
  const decimal = Decimal.parseDecimal(value)
  return decimal === undefined ? Result.fail(reject(prefix + name, notDecimal, value)) : Result.succeed(decimal)
}

const requiredDecimal = (fields: MappedFields, name: string, prefix = ""): Built<Decimal.Decimal> => {
  const value = fields[name]
  if (value === undefined || value === "") return Result.fail(reject(prefix + name, "is required but missing or blank"))
  const decimal = Decimal.parseDecimal(value)
  return decimal === undefined ? Result.fail(reject(prefix + name, notDecimal, value)) : Result.succeed(decimal)
}

const currencyOf = (fields: MappedFields, name = "currency"): Built<CurrencyCode> =>
  Result.flatMap(required(fields, name), (value) =>
    Result.mapError(decodeCurrency(value), () =>
      reject(name, "is not an ISO 4217 currency code (such as EUR, USD, CHF)", value)
    )
  )

const moneyOf = (currency: CurrencyCode, fields: MappedFields, name: string, prefix = ""): Built<Money.Money> =>
  Result.flatMap(required(fields, name, prefix), (value) =>
    Result.mapError(Money.fromDecimal(currency, value), (error) => reject(prefix + name, error.reason, value))
  )

const optionalMoney = (
  currency: CurrencyCode,
  fields: MappedFields,
  name: string,
  prefix: string
): Built<Money.Money | undefined> =>
  fields[name] === undefined ? Result.succeed(undefined) : moneyOf(currency, fields, name, prefix)

const optionalText = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } =>
  (value === undefined || value === "" ? {} : { [key]: value }) as { [P in K]?: string } // safe: built from K

/**
 * The fields of an invoice or credit note that arrive as source text and are checked here (ids, dates,
 * number). Lines, totals and currency are built typed from decoded decimals and money, so decoding the whole
 * document again would only repeat those checks (about a sixth of the CSV adapter's decode time on a large file).
 */
const InvoiceHead = Invoice.mapFields(
  Struct.pick(["id", "accountId", "source", "number", "issueDate", "dueDate", "terms", "poNumber"])
)
const CreditNoteHead = CreditNote.mapFields(
  Struct.pick(["id", "accountId", "source", "number", "issueDate", "invoiceId", "reason"])
)

/** Validates a candidate against its canonical schema; a failure names the first wrong field. */
const validate = <S extends Schema.Codec<unknown, unknown>>(schema: S, candidate: unknown): Built<S["Type"]> =>
  Result.mapError(Schema.decodeUnknownResult(schema)(candidate), (error) => reject("", error.message))

const zero = Decimal.decimal("0")

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * One line. Written with early returns rather than `Result.gen`: a large export builds millions of lines, and
 * the generator's overhead was a tenth of decoding one.
 */
const buildLine = (currency: CurrencyCode, line: MappedFields, index: number): Built<DocumentLine> => {
  const prefix = `lines[${index}].`
  const lineNumberText = line.lineNumber ?? String(index + 1)
  const lineNumber = Number(lineNumberText)
  if (!Number.isSafeInteger(lineNumber) || lineNumber < 1) {
    return Result.fail(reject(`${prefix}lineNumber`, "expected a whole number from 1", lineNumberText))
  }
  const quantity = requiredDecimal(line, "quantity", prefix)
  if (Result.isFailure(quantity)) return Result.fail(quantity.failure)
  const unitPrice = requiredDecimal(line, "unitPrice", prefix)
  if (Result.isFailure(unitPrice)) return Result.fail(unitPrice.failure)
  const taxRate = decimalOf(line, "taxRate", prefix)
  if (Result.isFailure(taxRate)) return Result.fail(taxRate.failure)
  const discountPercent = decimalOf(line, "discountPercent", prefix)
  if (Result.isFailure(discountPercent)) return Result.fail(discountPercent.failure)
  const discountAmount = decimalOf(line, "discountAmount", prefix)
  if (Result.isFailure(discountAmount)) return Result.fail(discountAmount.failure)
  const statedNet = optionalMoney(currency, line, "lineNet", prefix)
  if (Result.isFailure(statedNet)) return Result.fail(statedNet.failure)
  const built: Mutable<DocumentLine> = {
    lineNumber,
    description: line.description ?? "",
    quantity: quantity.success,
    unitPrice: unitPrice.success,
    taxRate: taxRate.success ?? zero
  }
  if (line.productCode !== undefined && line.productCode !== "") built.productCode = line.productCode
  if (line.unit !== undefined && line.unit !== "") built.unit = line.unit
  if (discountPercent.success !== undefined) built.discountPercent = discountPercent.success
  if (discountAmount.success !== undefined) built.discountAmount = discountAmount.success
  if (line.taxCode !== undefined && line.taxCode !== "") built.taxCode = line.taxCode
  if (statedNet.success !== undefined) built.statedNet = statedNet.success
  return Result.succeed(built)
}

const buildLines = (currency: CurrencyCode, lines: ReadonlyArray<MappedFields>): Built<Array<DocumentLine>> => {
  const out: Array<DocumentLine> = []
  for (let index = 0; index < lines.length; index++) {
    const built = buildLine(currency, lines[index] ?? {}, index)
    if (Result.isFailure(built)) return Result.fail(built.failure)
    out.push(built.success)
  }
  return Result.succeed(out)
}

const totalsOf = (currency: CurrencyCode, header: MappedFields): Built<StatedTotals> => {
  const net = moneyOf(currency, header, "netTotal")
  if (Result.isFailure(net)) return Result.fail(net.failure)
  const tax = moneyOf(currency, header, "taxTotal")
  if (Result.isFailure(tax)) return Result.fail(tax.failure)
  const total = moneyOf(currency, header, "total")
  if (Result.isFailure(total)) return Result.fail(total.failure)
  return Result.succeed({ net: net.success, tax: tax.success, total: total.success })
}

/** An account from fields named as in `targetFields.accounts`; `tier` defaults to "standard". */
export const buildAccount = (fields: MappedFields, context: RecordContext): Built<Account> =>
  Result.gen(function* () {
    const number = yield* required(fields, "number")
    const name = yield* required(fields, "name")
    const currency = yield* currencyOf(fields)
    const addressLines = [fields.addressLine1, fields.addressLine2].filter(
      (l): l is string => l !== undefined && l !== ""
    )
    const hasAddress =
      addressLines.length > 0 || [fields.city, fields.postalCode, fields.country].some((v) => v !== undefined)
    return yield* validate(Account, {
      id: canonicalId(context.sourceId, context.externalId),
      source: { source: context.sourceId, externalId: context.externalId },
      number,
      name,
      tier: fields.tier ?? "standard",
      currency,
      ...optionalText("email", fields.email),
      ...optionalText("taxId", fields.taxId),
      ...(hasAddress
        ? {
            billingAddress: {
              lines: addressLines,
              ...optionalText("city", fields.city),
              ...optionalText("region", fields.region),
              ...optionalText("postalCode", fields.postalCode),
              ...optionalText("country", fields.country)
            }
          }
        : {})
    })
  })

/** A contact linked to one account (`accountNumber`) with `role` (default "ap-contact"). */
export const buildContact = (fields: MappedFields, context: RecordContext): Built<Contact> =>
  Result.gen(function* () {
    const email = (yield* required(fields, "email")).toLowerCase()
    const accountNumber = yield* required(fields, "accountNumber")
    return yield* validate(Contact, {
      id: canonicalId(context.sourceId, context.externalId),
      source: { source: context.sourceId, externalId: context.externalId },
      email,
      name: fields.name ?? "",
      ...optionalText("phone", fields.phone),
      links: [{ accountId: canonicalId(context.sourceId, accountNumber), role: fields.role ?? "ap-contact" }]
    })
  })

/** An invoice from header fields and one field set per line; `taxLines` are left empty unless given. */
export const buildInvoice = (
  header: MappedFields,
  lines: ReadonlyArray<MappedFields>,
  context: RecordContext
): Built<Invoice> =>
  Result.gen(function* () {
    const currency = yield* currencyOf(header)
    const accountNumber = yield* required(header, "accountNumber")
    const number = yield* required(header, "number")
    const issueDate = yield* required(header, "issueDate")
    const dueDate = yield* required(header, "dueDate")
    const builtLines = yield* buildLines(currency, lines)
    const totals = yield* totalsOf(currency, header)
    const head = yield* validate(InvoiceHead, {
      id: canonicalId(context.sourceId, context.externalId),
      accountId: canonicalId(context.sourceId, accountNumber),
      source: { source: context.sourceId, externalId: context.externalId },
      number,
      issueDate,
      dueDate,
      ...optionalText("terms", header.terms),
      ...optionalText("poNumber", header.poNumber)
    })
    const invoice: Invoice = { ...head, currency, lines: builtLines, taxLines: [], totals }
    return invoice
  })

/** A credit note; its totals must be stated as positive amounts (negate in the mapping or adapter). */
export const buildCreditNote = (
  header: MappedFields,
  lines: ReadonlyArray<MappedFields>,
  context: RecordContext
): Built<CreditNote> =>
  Result.gen(function* () {
    const currency = yield* currencyOf(header)
    const accountNumber = yield* required(header, "accountNumber")
    const number = yield* required(header, "number")
    const issueDate = yield* required(header, "issueDate")
    const builtLines = yield* buildLines(currency, lines)
    const totals = yield* totalsOf(currency, header)
    const head = yield* validate(CreditNoteHead, {
      id: canonicalId(context.sourceId, context.externalId),
      accountId: canonicalId(context.sourceId, accountNumber),
      source: { source: context.sourceId, externalId: context.externalId },
      number,
      issueDate,
      ...(header.invoiceNumber === undefined || header.invoiceNumber === ""
        ? {}
        : { invoiceId: canonicalId(context.sourceId, header.invoiceNumber) }),
      ...optionalText("reason", header.reason)
    })
    const note: CreditNote = { ...head, currency, lines: builtLines, taxLines: [], totals }
    return note
  })

/** A payment with one allocation per field set (`invoiceNumber`, `amount` in the payment's currency). */
export const buildPayment = (
  header: MappedFields,
  allocations: ReadonlyArray<MappedFields>,
  context: RecordContext
): Built<Payment> =>
  Result.gen(function* () {
    const currency = yield* currencyOf(header)
    const accountNumber = yield* required(header, "accountNumber")
    const receivedDate = yield* required(header, "receivedDate")
    const amount = yield* moneyOf(currency, header, "amount")
    const built: Array<{ invoiceId: string; amount: Money.Money }> = []
    for (const [index, allocation] of allocations.entries()) {
      const prefix = `allocations[${index}].`
      const invoiceNumber = yield* required(allocation, "invoiceNumber", prefix)
      built.push({
        invoiceId: canonicalId(context.sourceId, invoiceNumber),
        amount: yield* moneyOf(currency, allocation, "amount", prefix)
      })
    }
    return yield* validate(Payment, {
      id: canonicalId(context.sourceId, context.externalId),
      accountId: canonicalId(context.sourceId, accountNumber),
      source: { source: context.sourceId, externalId: context.externalId },
      reference: header.reference ?? "",
      receivedDate,
      amount,
      ...optionalText("method", header.method),
      allocations: built
    })
  })

/**
 * Document metadata. `size` (bytes) and `sha256` (hex) are optional: when the source states them, the bytes
 * `content` delivers must match them; otherwise the sync engine takes both from the bytes.
 */
export const buildDocument = (fields: MappedFields, context: RecordContext): Built<DocumentMetadata> =>
  Result.gen(function* () {
    const accountNumber = yield* required(fields, "accountNumber")
    const sizeText = fields.size
    const size = sizeText === undefined || sizeText === "" ? undefined : Number(sizeText)
    if (size !== undefined && (!Number.isSafeInteger(size) || size < 0))
      return yield* Result.fail(reject("size", "expected a byte count", sizeText))
    const sha256 = fields.sha256 === undefined || fields.sha256 === "" ? undefined : fields.sha256.toLowerCase()
    return yield* validate(DocumentMetadata, {
      id: canonicalId(context.sourceId, context.externalId),
      accountId: canonicalId(context.sourceId, accountNumber),
      source: { source: context.sourceId, externalId: context.externalId },
      ...(fields.invoiceNumber === undefined || fields.invoiceNumber === ""
        ? {}
        : { invoiceId: canonicalId(context.sourceId, fields.invoiceNumber) }),
      fileName: yield* required(fields, "fileName"),
      contentType: fields.contentType ?? "application/octet-stream",
      ...(size === undefined ? {} : { size }),
      ...(sha256 === undefined ? {} : { sha256 })
    })
  })
