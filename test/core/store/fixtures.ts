// Generated worlds for the store suite: accounts, contacts with links, invoices in every status with
// hostile numbers and PO numbers, and a model of what each principal may see and what a query returns.
import * as fc from "fast-check"
import type { ContactPrincipal, LinkPrincipal, Principal } from "../../../core/access/Principal.ts"
import { type InvoiceEvent, type IssuedInvoice, replay, statusAsOf } from "../../../core/billing/InvoiceStateMachine.ts"
import { type Account, Tier } from "../../../core/domain/Account.ts"
import { type Contact, type ContactRole, Email } from "../../../core/domain/Contact.ts"
import { type CurrencyCode, currency } from "../../../core/domain/Currency.ts"
import { decimal } from "../../../core/domain/Decimal.ts"
import { AccountId, ContactId, EventId, InvoiceId, PaymentId } from "../../../core/domain/Ids.ts"
import type { Invoice } from "../../../core/domain/Invoice.ts"
import { addDays, type LocalDate, localDate } from "../../../core/domain/LocalDate.ts"
import { toDecimal } from "../../../core/domain/Money.ts"
import { containsPattern, type InvoiceQuery, type InvoiceSort } from "../../../core/store/InvoiceQuery.ts"

let worlds = 0
/** A prefix no other generated world in this process shares (the database outlives a property run). */
const nextPrefix = () => `w${process.pid}x${++worlds}x${Math.random().toString(36).slice(2, 7)}`

/** Pieces of numbers and search text, hostile ones included: LIKE wildcards, quotes, escapes, comments, unicode. */
export const hostilePieces = ["INV", "-", "0", "1", "7", "%", "_", "'", "\\", ";--", "☃", "日本", "🙂", "A", "a", " "]
export const arbHostileText = (maxPieces: number) =>
  fc.array(fc.constantFrom(...hostilePieces), { minLength: 1, maxLength: maxPieces }).map((parts) => parts.join(""))

export type Scenario = "open" | "partial" | "paid" | "disputed" | "void" | "written-off"

export interface SeededInvoice {
  readonly invoice: Invoice
  readonly state: IssuedInvoice
}

export interface World {
  readonly accounts: ReadonlyArray<Account>
  readonly contacts: ReadonlyArray<Contact>
  readonly invoices: ReadonlyArray<SeededInvoice>
}

const currencies: ReadonlyArray<CurrencyCode> = ["EUR", "USD", "JPY"].map(currency)
const roles: ReadonlyArray<ContactRole> = ["admin", "finance-approver", "ap-contact", "viewer"]

const arbDate = fc.integer({ min: 0, max: 700 }).map((days) => addDays(localDate("2025-01-01"), days))

const buildInvoice = (
  prefix: string,
  index: number,
  accountId: AccountId,
  spec: {
    readonly currency: CurrencyCode
    readonly total: number
    readonly issueDate: LocalDate
    readonly termsDays: number
    readonly number: string
    readonly poNumber: string | null
    readonly scenario: Scenario
  }
): SeededInvoice => {
  const id = InvoiceId.make(`${prefix}-inv-${String(index).padStart(3, "0")}`)
  const dueDate = addDays(spec.issueDate, spec.termsDays)
  const total = { currency: spec.currency, minor: spec.total }
  const event = (n: number) => EventId.make(`${id}-e${n}`)
  const events: Array<InvoiceEvent> = [
    {
      _tag: "InvoiceIssued",
      eventId: event(0),
      occurredOn: spec.issueDate,
      invoiceId: id,
      total,
      dueDate,
      currency: spec.currency
    }
  ]
  const pay = (minor: number) =>
    events.push({
      _tag: "PaymentApplied",
      eventId: event(events.length),
      occurredOn: spec.issueDate,
      paymentId: PaymentId.make(`${id}-p`),
      amount: { currency: spec.currency, minor }
    })
  switch (spec.scenario) {
    case "partial":
      if (spec.total > 1) pay(Math.floor(spec.total / 2))
      break
    case "paid":
      if (spec.total > 0) pay(spec.total)
      break
    case "disputed":
      events.push({ _tag: "Disputed", eventId: event(1), occurredOn: spec.issueDate, reason: "wrong quantity" })
      break
    case "void":
      events.push({ _tag: "Voided", eventId: event(1), occurredOn: spec.issueDate, reason: "issued twice" })
      break
    case "written-off":
      if (spec.total > 0) {
        events.push({
          _tag: "WrittenOff",
          eventId: event(1),
          occurredOn: spec.issueDate,
          amount: total,
          reason: "uncollectable"
        })
      }
      break
    case "open":
      break
  }
  const state = replay(events)
  if (state._tag !== "Issued") throw new Error("fixture invoice did not issue")
  const invoice: Invoice = {
    id,
    accountId,
    source: { source: "store-suite", externalId: id },
    number: spec.number,
    issueDate: spec.issueDate,
    dueDate,
    currency: spec.currency,
    ...(spec.poNumber === null ? {} : { poNumber: spec.poNumber }),
    lines: [
      {
        lineNumber: 1,
        description: `Line of ${spec.number}`,
        quantity: decimal("1"),
        unitPrice: decimal(toDecimal(total)),
        taxRate: decimal("0")
      }
    ],
    taxLines: [],
    totals: { net: total, tax: { currency: spec.currency, minor: 0 }, total }
  }
  return { invoice, state }
}

const arbInvoiceSpec = fc.record({
  currency: fc.constantFrom(...currencies),
  total: fc.integer({ min: 0, max: 1_000_000 }),
  issueDate: arbDate,
  termsDays: fc.constantFrom(0, 14, 30, 60),
  number: arbHostileText(5),
  poNumber: fc.option(arbHostileText(4), { nil: null }),
  scenario: fc.constantFrom<Scenario>("open", "open", "partial", "paid", "disputed", "void", "written-off")
})

/** A world of 2-4 accounts, 0-5 invoices each, and 1-3 contacts linked to random accounts. */
export const arbWorld: fc.Arbitrary<World> = fc
  .record({
    accountCount: fc.integer({ min: 2, max: 4 }),
    invoiceSpecs: fc.array(fc.array(arbInvoiceSpec, { maxLength: 5 }), { minLength: 4, maxLength: 4 }),
    contactLinks: fc.array(
      fc.array(fc.record({ account: fc.nat(3), role: fc.constantFrom(...roles) }), { maxLength: 3 }),
      { minLength: 1, maxLength: 3 }
    )
  })
  .map(({ accountCount, invoiceSpecs, contactLinks }) => {
    const prefix = nextPrefix()
    const accounts: Array<Account> = Array.from({ length: accountCount }, (_, i) => ({
      id: AccountId.make(`${prefix}-acc-${i}`),
      source: { source: "store-suite", externalId: `${prefix}-acc-${i}` },
      number: `C-${i}`,
      name: `Customer ${i} ${prefix}`,
      tier: Tier.make("standard"),
      currency: currencies[i % currencies.length]!
    }))
    let counter = 0
    const invoices = accounts.flatMap((account, i) =>
      (invoiceSpecs[i] ?? []).map((spec) => buildInvoice(prefix, counter++, account.id, spec))
    )
    const contacts: Array<Contact> = contactLinks.map((links, i) => {
      const byAccount = new Map(links.map((link) => [accounts[link.account % accountCount]!.id, link.role]))
      return {
        id: ContactId.make(`${prefix}-con-${i}`),
        source: { source: "store-suite", externalId: `${prefix}-con-${i}` },
        email: Email.make(`c${i}@${prefix}.example`),
        name: `Contact ${i}`,
        links: [...byAccount].map(([accountId, role]) => ({ accountId, role }))
      }
    })
    return { accounts, contacts, invoices }
  })

/** What a principal may see: accounts, and one invoice for a one-invoice link. */
export interface ModelScope {
  readonly accountIds: ReadonlySet<string>
  readonly invoiceId?: string
}

export const modelScope = (principal: Principal): ModelScope => {
  switch (principal._tag) {
    case "ContactPrincipal":
      return { accountIds: new Set(principal.links.map((link) => link.accountId)) }
    case "LinkPrincipal":
      return principal.invoiceId === undefined
        ? { accountIds: new Set([principal.accountId]) }
        : { accountIds: new Set([principal.accountId]), invoiceId: principal.invoiceId }
    case "SystemPrincipal":
      throw new Error("the model covers customer principals only")
  }
}

export const inScope = (scope: ModelScope, invoice: Invoice): boolean =>
  scope.accountIds.has(invoice.accountId) && (scope.invoiceId === undefined || scope.invoiceId === invoice.id)

/** Every customer principal a world has: its contacts, a link per account, and a one-invoice link per account. */
export const principalsOf = (world: World): ReadonlyArray<ContactPrincipal | LinkPrincipal> => [
  ...world.contacts.map(
    (contact): ContactPrincipal => ({
      _tag: "ContactPrincipal",
      contactId: contact.id,
      links: contact.links,
      activeAccountId: contact.links[0]?.accountId ?? world.accounts[0]!.id
    })
  ),
  ...world.accounts.map(
    (account): LinkPrincipal => ({
      _tag: "LinkPrincipal",
      linkId: `link-${account.id}`,
      accountId: account.id,
      permissions: ["view-invoices"]
    })
  ),
  ...world.invoices.slice(0, 3).map(
    ({ invoice }): LinkPrincipal => ({
      _tag: "LinkPrincipal",
      linkId: `link-${invoice.id}`,
      accountId: invoice.accountId,
      invoiceId: invoice.id,
      permissions: ["view-invoices"]
    })
  )
]

/** ASCII-only case folding, as ILIKE folds the characters the generator uses. */
const fold = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase())

/** The model of a query: which of the world's invoices the principal's list returns (order aside). */
export const modelList = (world: World, scope: ModelScope, query: InvoiceQuery): ReadonlyArray<SeededInvoice> =>
  world.invoices.filter(({ invoice, state }) => {
    if (!inScope(scope, invoice)) return false
    if (query.accountId !== undefined && invoice.accountId !== query.accountId) return false
    if (query.statuses !== undefined && !query.statuses.includes(statusAsOf(state, query.asOf))) return false
    if (query.issuedFrom !== undefined && invoice.issueDate < query.issuedFrom) return false
    if (query.issuedTo !== undefined && invoice.issueDate > query.issuedTo) return false
    if (query.dueFrom !== undefined && invoice.dueDate < query.dueFrom) return false
    if (query.dueTo !== undefined && invoice.dueDate > query.dueTo) return false
    if (query.currency !== undefined && invoice.currency !== query.currency) return false
    if (query.minTotal !== undefined && invoice.totals.total.minor < query.minTotal) return false
    if (query.maxTotal !== undefined && invoice.totals.total.minor > query.maxTotal) return false
    if (query.search !== undefined && query.search.length > 0) {
      const needle = fold(query.search)
      const hit = fold(invoice.number).includes(needle) || fold(invoice.poNumber ?? "").includes(needle)
      if (!hit) return false
    }
    return true
  })

/** The sort orders the list supports. */
export const arbSort: fc.Arbitrary<InvoiceSort> = fc.record({
  field: fc.constantFrom("issue-date" as const, "due-date" as const, "amount" as const, "number" as const),
  direction: fc.constantFrom("asc" as const, "desc" as const)
})

/** Random filters (each present or not) for a world, searches drawn from the hostile pieces. */
export const arbQuery = (world: World): fc.Arbitrary<InvoiceQuery> =>
  fc
    .record(
      {
        asOf: arbDate,
        accountId: fc.constantFrom(...world.accounts.map((a) => a.id)),
        statuses: fc.subarray(
          ["open", "partially-paid", "paid", "credited", "disputed", "void", "written-off", "overdue"] as const,
          {
            minLength: 1
          }
        ),
        issuedFrom: arbDate,
        issuedTo: arbDate,
        dueFrom: arbDate,
        dueTo: arbDate,
        currency: fc.constantFrom(...currencies),
        minTotal: fc.integer({ min: 0, max: 1_000_000 }),
        maxTotal: fc.integer({ min: 0, max: 1_000_000 }),
        search: arbHostileText(2),
        sort: arbSort
      },
      { requiredKeys: ["asOf"] }
    )
    .map((query): InvoiceQuery => query)

/** The search pattern in SQL for a string, re-exported for the search tests. */
export { containsPattern }
