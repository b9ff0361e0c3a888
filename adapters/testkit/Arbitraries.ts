// fast-check generators of canonical records (core/domain) for the conformance kit, with ids following
// the contract: `sourceId:externalId`, invoices numbered by their external id.

import { createHash } from "node:crypto"
import { Schema } from "effect"
import * as fc from "fast-check"
import {
  Account,
  Contact,
  CreditNote,
  type CurrencyCode,
  currency,
  Decimal,
  Document,
  type DocumentLine,
  Invoice,
  LocalDate,
  type Money,
  Payment
} from "../../core/domain/index.ts"
import { type CanonicalRecord, canonical, canonicalId, type EntityName } from "../../core/erp/index.ts"

/** Tuning for the generated data. */
export interface ArbitraryOptions {
  readonly sourceId: string
  /** Free text (names, descriptions). Default: letters, digits, umlauts, €, quotes, delimiters and line breaks. */
  readonly text?: fc.Arbitrary<string>
  /** Currencies to use. Default: EUR, USD, CHF, JPY (0 decimals), BHD (3 decimals). */
  readonly currencies?: ReadonlyArray<string>
}

/** Checks a generated candidate against its domain schema (a generator bug fails loudly here). */
const decode =
  <S extends Schema.Codec<unknown, unknown>>(schema: S) =>
  (candidate: unknown): S["Type"] =>
    Schema.decodeUnknownSync(schema)(candidate)

const defaultChars = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 äöüÄÖÜß€é;,.-'\"\n/&"]

/** Text as sources keep it: no leading or trailing whitespace. */
export const defaultText: fc.Arbitrary<string> = fc
  .string({ unit: fc.constantFrom(...defaultChars), maxLength: 24 })
  .map((s) => s.trim())

const nonEmpty = (text: fc.Arbitrary<string>) => text.filter((s) => s.length > 0)

const optional = <K extends string, A>(key: K, arb: fc.Arbitrary<A>): fc.Arbitrary<{ [P in K]?: A }> =>
  fc.option(arb, { nil: undefined }).map((value) => (value === undefined ? {} : { [key]: value }) as { [P in K]?: A })

const decimalText = (options: { readonly min: number; readonly max: number; readonly fraction: number }) =>
  fc
    .tuple(fc.integer({ min: options.min, max: options.max }), fc.integer({ min: 0, max: options.fraction }))
    .chain(([whole, digits]) =>
      digits === 0
        ? fc.constant(String(whole))
        : fc.integer({ min: 0, max: 10 ** digits - 1 }).map((f) => `${whole}.${String(f).padStart(digits, "0")}`)
    )
    .map(Decimal.decimal)

const money = (code: CurrencyCode, min: number, max: number): fc.Arbitrary<Money.Money> =>
  fc.integer({ min, max }).map((minor) => ({ currency: code, minor }))

const date = fc.integer({ min: 18_262, max: 21_914 }).map(LocalDate.fromEpochDay)

const accountNumber = fc.integer({ min: 1, max: 5 }).map((n) => `C${n}`)

const line = (text: fc.Arbitrary<string>, code: CurrencyCode, lineNumber: number): fc.Arbitrary<DocumentLine> =>
  fc
    .record({
      description: text,
      quantity: decimalText({ min: 1, max: 999, fraction: 3 }),
      unitPrice: decimalText({ min: 0, max: 99_999, fraction: 4 }),
      taxRate: fc.constantFrom("0", "7", "19", "7.7").map(Decimal.decimal),
      rest: fc.tuple(
        optional("productCode", nonEmpty(text)),
        optional("unit", fc.constantFrom("pcs", "h", "kg")),
        optional("discountPercent", decimalText({ min: 0, max: 50, fraction: 2 })),
        optional("discountAmount", decimalText({ min: 0, max: 100, fraction: 2 })),
        optional("taxCode", fc.constantFrom("VAT19", "VAT7", "EXEMPT")),
        optional("statedNet", money(code, 0, 10_000_000))
      )
    })
    .map(({ rest, ...fields }) => Object.assign({ lineNumber, ...fields }, ...rest))

const lines = (text: fc.Arbitrary<string>, code: CurrencyCode) =>
  fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => line(text, code, i + 1))))

const totals = (code: CurrencyCode, min: number) =>
  fc.record({
    net: money(code, min, 50_000_000),
    tax: money(code, min, 9_000_000),
    total: money(code, min, 60_000_000)
  })

/** One record of `entity` with external id `externalId`. */
export const recordOf = (
  entity: EntityName,
  externalId: string,
  options: ArbitraryOptions
): fc.Arbitrary<CanonicalRecord> => {
  const text = options.text ?? defaultText
  const codes = (options.currencies ?? ["EUR", "USD", "CHF", "JPY", "BHD"]).map(currency)
  const source = { source: options.sourceId, externalId }
  const id = canonicalId(options.sourceId, externalId)
  const ref = (n: string) => canonicalId(options.sourceId, n)
  switch (entity) {
    case "accounts":
      return fc
        .record({
          name: nonEmpty(text),
          tier: fc.constantFrom("standard", "premium"),
          currency: fc.constantFrom(...codes),
          rest: fc.tuple(
            optional("email", fc.constantFrom("ap@example.com", "billing@example.org")),
            optional("taxId", fc.constantFrom("DE123456789", "ATU12345678")),
            optional(
              "billingAddress",
              fc
                .record({
                  lines: fc.array(nonEmpty(text.map((s) => s.replace(/\n/g, " ").trim())), {
                    minLength: 1,
                    maxLength: 2
                  }),
                  rest: fc.tuple(
                    optional("city", nonEmpty(text.map((s) => s.replace(/\n/g, " ").trim()))),
                    optional("postalCode", fc.constantFrom("10115", "8001", "SW1A 1AA")),
                    optional("country", fc.constantFrom("DE", "CH", "GB"))
                  )
                })
                .map(({ lines, rest }) => Object.assign({ lines }, ...rest))
            )
          )
        })
        .map(({ rest, ...fields }) =>
          canonical("accounts", decode(Account)(Object.assign({ id, source, number: externalId, ...fields }, ...rest)))
        )
    case "contacts":
      return fc
        .record({
          name: text,
          account: accountNumber,
          role: fc.constantFrom("admin", "finance-approver", "ap-contact", "viewer"),
          rest: fc.tuple(optional("phone", fc.constantFrom("+49 30 1234567", "+41 44 000 00 00")))
        })
        .map(({ name, account, role, rest }) =>
          canonical(
            "contacts",
            decode(Contact)(
              Object.assign(
                {
                  id,
                  source,
                  email: `${externalId.toLowerCase()}@example.com`,
                  name,
                  links: [{ accountId: ref(account), role }]
                },
                ...rest
              )
            )
          )
        )
    case "invoices":
      return fc.constantFrom(...codes).chain((code) =>
        fc
          .record({
            account: accountNumber,
            issueDate: date,
            dueIn: fc.integer({ min: 0, max: 90 }),
            lines: lines(text, code),
            totals: totals(code, 0),
            rest: fc.tuple(optional("terms", nonEmpty(text)), optional("poNumber", nonEmpty(text)))
          })
          .map(({ account, issueDate, dueIn, lines, totals, rest }) =>
            canonical(
              "invoices",
              decode(Invoice)(
                Object.assign(
                  {
                    id,
                    accountId: ref(account),
                    source,
                    number: externalId,
                    issueDate,
                    dueDate: LocalDate.addDays(issueDate, dueIn),
                    currency: code,
                    lines,
                    taxLines: [],
                    totals
                  },
                  ...rest
                )
              )
            )
          )
      )
    case "credit-notes":
      return fc.constantFrom(...codes).chain((code) =>
        fc
          .record({
            account: accountNumber,
            issueDate: date,
            lines: lines(text, code),
            totals: totals(code, 1),
            rest: fc.tuple(
              optional(
                "invoiceId",
                fc.integer({ min: 1, max: 9 }).map((n) => ref(`INV-${n}`))
              ),
              optional("reason", nonEmpty(text))
            )
          })
          .map(({ account, issueDate, lines, totals, rest }) =>
            canonical(
              "credit-notes",
              decode(CreditNote)(
                Object.assign(
                  {
                    id,
                    accountId: ref(account),
                    source,
                    number: externalId,
                    issueDate,
                    currency: code,
                    lines,
                    taxLines: [],
                    totals
                  },
                  ...rest
                )
              )
            )
          )
      )
    case "payments":
      return fc.constantFrom(...codes).chain((code) =>
        fc
          .record({
            account: accountNumber,
            reference: nonEmpty(text.map((s) => s.replace(/\n/g, " ").trim())),
            receivedDate: date,
            amount: money(code, 1, 10_000_000),
            allocations: fc
              .uniqueArray(fc.integer({ min: 1, max: 9 }), { maxLength: 3 })
              .chain((ns) =>
                fc.tuple(
                  ...ns.map((n) => money(code, 1, 1_000_000).map((amount) => ({ invoiceId: ref(`INV-${n}`), amount })))
                )
              ),
            rest: fc.tuple(optional("method", fc.constantFrom("bank-transfer", "card", "sepa-debit")))
          })
          .map(({ account, rest, ...fields }) =>
            canonical(
              "payments",
              decode(Payment)(Object.assign({ id, accountId: ref(account), source, ...fields }, ...rest))
            )
          )
      )
    case "documents":
      return fc
        .record({
          account: accountNumber,
          kind: fc.constantFrom("delivery-note", "timesheet", "proof of delivery", "Lieferschein-ä"),
          copies: fc.integer({ min: 0, max: 40 }),
          contentType: fc.constantFrom("application/pdf", "image/png", "text/plain"),
          rest: fc.tuple(
            optional(
              "invoiceId",
              fc.integer({ min: 1, max: 9 }).map((n) => ref(`INV-${n}`))
            )
          )
        })
        .map(({ account, kind, copies, contentType, rest }) => {
          const metadata = {
            id,
            accountId: ref(account),
            source,
            fileName: `${externalId} ${kind} ${copies}.${contentType === "image/png" ? "png" : contentType === "text/plain" ? "txt" : "pdf"}`,
            contentType,
            ...Object.assign({}, ...rest)
          }
          const bytes = documentBytes(metadata)
          return canonical(
            "documents",
            decode(Document)({
              ...metadata,
              size: bytes.byteLength,
              sha256: createHash("sha256").update(bytes).digest("hex")
            })
          )
        })
  }
}

/**
 * The bytes of a generated document, from its metadata: a fixture that holds documents stores these (a
 * file, a bytea column, an HTTP download) and the kit expects `content` to deliver exactly them. They hold
 * every byte value, so a source that treats them as text fails.
 */
export const documentBytes = (document: {
  readonly source: { readonly externalId: string }
  readonly fileName: string
  readonly contentType: string
}): Uint8Array => {
  const header = new TextEncoder().encode(
    `${document.contentType}\n${document.source.externalId}\n${document.fileName}\n`
  )
  const copies = Number(/ (\d+)\.\w+$/.exec(document.fileName)?.[1] ?? "0")
  const every = Uint8Array.from({ length: 256 }, (_, i) => i)
  const bytes = new Uint8Array(header.byteLength + copies * every.byteLength)
  bytes.set(header)
  for (let i = 0; i < copies; i++) bytes.set(every, header.byteLength + i * every.byteLength)
  return bytes
}

const prefixes: Record<EntityName, string> = {
  accounts: "C",
  contacts: "P",
  invoices: "INV-",
  "credit-notes": "CN-",
  payments: "PAY-",
  documents: "DOC-"
}

/** The external id of the n-th generated record of an entity ("INV-7"). */
export const externalIdOf = (entity: EntityName, n: number): string => `${prefixes[entity]}${n}`

/**
 * `count` records spread over `entities`, external ids numbered from `first` per entity so that
 * datasets generated with different `first` never collide.
 */
export const datasetOf = (
  entities: ReadonlyArray<EntityName>,
  count: number,
  first: number,
  options: ArbitraryOptions
): fc.Arbitrary<ReadonlyArray<CanonicalRecord>> =>
  fc.array(fc.constantFrom(...entities), { minLength: count, maxLength: count }).chain((kinds) => {
    const next = new Map<EntityName, number>()
    return fc.tuple(
      ...kinds.map((entity) => {
        const n = next.get(entity) ?? first
        next.set(entity, n + 1)
        return recordOf(entity, externalIdOf(entity, n), options)
      })
    )
  })
