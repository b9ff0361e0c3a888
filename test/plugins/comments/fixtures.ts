// A small hand-made world for the comments tests: two accounts, contacts with chosen roles, open invoices,
// written through the sync store as the system.
import { Effect } from "effect"
import { type ContactPrincipal, CurrentPrincipal, type LinkPrincipal, system } from "../../../core/access/Principal.ts"
import { type InvoiceEvent, type IssuedInvoice, replay } from "../../../core/billing/InvoiceStateMachine.ts"
import { type Account, Tier } from "../../../core/domain/Account.ts"
import type { Contact, ContactRole } from "../../../core/domain/Contact.ts"
import { Email } from "../../../core/domain/Contact.ts"
import { currency } from "../../../core/domain/Currency.ts"
import { decimal } from "../../../core/domain/Decimal.ts"
import { AccountId, ContactId, EventId, InvoiceId, PaymentId } from "../../../core/domain/Ids.ts"
import type { Invoice } from "../../../core/domain/Invoice.ts"
import { addDays, type LocalDate, localDate } from "../../../core/domain/LocalDate.ts"
import { toDecimal } from "../../../core/domain/Money.ts"
import { SyncStore } from "../../../core/store/SyncStore.ts"

const eur = currency("EUR")

export const account = (id: string, tier = "standard"): Account => ({
  id: AccountId.make(id),
  source: { source: "comments-test", externalId: id },
  number: id.toUpperCase(),
  name: `Customer ${id}`,
  tier: Tier.make(tier),
  currency: eur
})

export const contact = (id: string, links: ReadonlyArray<readonly [Account, ContactRole]>): Contact => ({
  id: ContactId.make(id),
  source: { source: "comments-test", externalId: id },
  email: Email.make(`${id}@example.test`),
  name: `Contact ${id}`,
  links: links.map(([a, role]) => ({ accountId: a.id, role }))
})

export const principalOf = (c: Contact): ContactPrincipal => ({
  _tag: "ContactPrincipal",
  contactId: c.id,
  links: c.links,
  activeAccountId: c.links[0]?.accountId ?? AccountId.make("none")
})

export const invoiceLink = (invoice: Invoice, permissions: LinkPrincipal["permissions"] = ["view-invoices"]) =>
  ({
    _tag: "LinkPrincipal",
    linkId: `link-${invoice.id}`,
    accountId: invoice.accountId,
    invoiceId: invoice.id,
    permissions
  }) satisfies LinkPrincipal

/** An invoice of `total` cents issued on `issueDate`, due `termsDays` (30) later, with `paidMinor` already paid. */
export const invoice = (
  id: string,
  owner: Account,
  total: number,
  options: { readonly issueDate?: LocalDate; readonly paidMinor?: number; readonly termsDays?: number } = {}
): { readonly invoice: Invoice; readonly state: IssuedInvoice } => {
  const issueDate = options.issueDate ?? localDate("2026-01-10")
  const dueDate = addDays(issueDate, options.termsDays ?? 30)
  const money = { currency: eur, minor: total }
  const events: Array<InvoiceEvent> = [
    {
      _tag: "InvoiceIssued",
      eventId: EventId.make(`${id}-issued`),
      occurredOn: issueDate,
      invoiceId: InvoiceId.make(id),
      total: money,
      dueDate,
      currency: eur
    }
  ]
  if ((options.paidMinor ?? 0) > 0) {
    events.push({
      _tag: "PaymentApplied",
      eventId: EventId.make(`${id}-paid`),
      occurredOn: issueDate,
      paymentId: PaymentId.make(`${id}-payment`),
      amount: { currency: eur, minor: options.paidMinor ?? 0 }
    })
  }
  const state = replay(events)
  if (state._tag !== "Issued") throw new Error("fixture invoice did not issue")
  return {
    state,
    invoice: {
      id: InvoiceId.make(id),
      accountId: owner.id,
      source: { source: "comments-test", externalId: id },
      number: `N-${id}`,
      issueDate,
      dueDate,
      currency: eur,
      lines: [
        {
          lineNumber: 1,
          description: "Service",
          quantity: decimal("1"),
          unitPrice: decimal(toDecimal(money)),
          taxRate: decimal("0")
        }
      ],
      taxLines: [],
      totals: { net: money, tax: { currency: eur, minor: 0 }, total: money }
    }
  }
}

/** Writes accounts, contacts and invoices as the system. */
export const seedWorld = (world: {
  readonly accounts: ReadonlyArray<Account>
  readonly contacts: ReadonlyArray<Contact>
  readonly invoices: ReadonlyArray<{ readonly invoice: Invoice; readonly state: IssuedInvoice }>
}) =>
  Effect.gen(function* () {
    const sync = yield* SyncStore
    for (const a of world.accounts) yield* sync.upsertAccount(a)
    for (const c of world.contacts) yield* sync.upsertContact(c)
    for (const { invoice: i, state } of world.invoices) yield* sync.upsertInvoice(i, state)
  }).pipe(Effect.provideService(CurrentPrincipal, system("comments test seeding")))
