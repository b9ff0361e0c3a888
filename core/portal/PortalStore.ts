// The portal's own scoped reads and writes beside the store's repositories: an account's documents,
// payments and credit notes for the activity page, and the contact data, billing address and notification
// settings a contact keeps in the portal. Every query runs in `Store.withScope`, so row-level security
// holds even where a condition is forgotten; the service adds the account condition itself as well.
import { Clock, Context, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type { CurrentPrincipal } from "../access/Principal.ts"
import { Address } from "../domain/Account.ts"
import { CurrencyCode } from "../domain/Currency.ts"
import { type AccountId, type ContactId, CreditNoteId, DocumentId, InvoiceId, PaymentId } from "../domain/Ids.ts"
import { LocalDate } from "../domain/LocalDate.ts"
import type { Money } from "../domain/Money.ts"
import { containsPattern } from "../store/InvoiceQuery.ts"
import { DbMinor } from "../store/internal/rows.ts"
import { Store, serviceScope } from "../store/Store.ts"
import {
  type NotificationSettings,
  NotificationSettings as NotificationSettingsSchema
} from "./NotificationSettings.ts"

type Scoped<A> = Effect.Effect<A, SqlError, CurrentPrincipal>

/** An attachment listed on the documents page. */
export interface DocumentListItem {
  readonly id: DocumentId
  readonly invoiceId: InvoiceId | null
  readonly invoiceNumber: string | null
  readonly fileName: string
  readonly contentType: string
  readonly size: number
}

/** A payment listed on the activity page. */
export interface PaymentListItem {
  readonly id: PaymentId
  readonly reference: string
  readonly receivedDate: LocalDate
  readonly method: string | null
  readonly amount: Money
  readonly allocated: Money
}

/** A credit note listed on the activity page. */
export interface CreditNoteListItem {
  readonly id: CreditNoteId
  readonly number: string
  readonly issueDate: LocalDate
  readonly reason: string | null
  readonly invoiceNumber: string | null
  readonly total: Money
}

/** Filters of the payments and credit notes lists; dates inclusive, search a literal substring. */
export interface MovementFilter {
  readonly from?: LocalDate | undefined
  readonly to?: LocalDate | undefined
  readonly search?: string | undefined
  readonly limit: number
}

/** What a contact entered as its own contact data. */
export const ContactDetails = Schema.Struct({
  name: Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(200)),
  phone: Schema.NullOr(Schema.String.check(Schema.isMaxLength(60)))
})
export type ContactDetails = typeof ContactDetails.Type

/** What a contact entered as its account's billing address and invoice e-mail. */
export const BillingAddress = Schema.Struct({
  address: Address,
  email: Schema.NullOr(Schema.String.check(Schema.isMaxLength(254)))
})
export type BillingAddress = typeof BillingAddress.Type

const DocumentRow = Schema.Struct({
  id: DocumentId,
  invoice_id: Schema.NullOr(InvoiceId),
  invoice_number: Schema.NullOr(Schema.String),
  file_name: Schema.String,
  content_type: Schema.String,
  size: Schema.Int
})
const PaymentRow = Schema.Struct({
  id: PaymentId,
  reference: Schema.String,
  received_date: LocalDate,
  method: Schema.NullOr(Schema.String),
  currency: CurrencyCode,
  amount_minor: DbMinor,
  allocated_minor: DbMinor
})
const CreditRow = Schema.Struct({
  id: CreditNoteId,
  number: Schema.String,
  issue_date: LocalDate,
  reason: Schema.NullOr(Schema.String),
  invoice_number: Schema.NullOr(Schema.String),
  currency: CurrencyCode,
  total_minor: DbMinor
})
const ContactRow = Schema.Struct({ name: Schema.String, phone: Schema.NullOr(Schema.String) })
const AddressRow = Schema.Struct({ address: Schema.Unknown, email: Schema.NullOr(Schema.String) })
const SettingsRow = Schema.Struct({ settings: Schema.Unknown })
const MovementRow = Schema.Struct({
  payments: Schema.Array(Schema.Unknown),
  credit_notes: Schema.Array(Schema.Unknown)
})
const decodeMovementRows = Schema.decodeUnknownSync(Schema.Array(MovementRow))
const decodeDocuments = Schema.decodeUnknownSync(Schema.Array(DocumentRow))
const decodePayments = Schema.decodeUnknownSync(Schema.Array(PaymentRow))
const decodeCredits = Schema.decodeUnknownSync(Schema.Array(CreditRow))
const decodeContacts = Schema.decodeUnknownSync(Schema.Array(ContactRow))
const decodeAddresses = Schema.decodeUnknownSync(Schema.Array(AddressRow))
const decodeSettingsRows = Schema.decodeUnknownSync(Schema.Array(SettingsRow))
const decodeAddress = Schema.decodeUnknownSync(Address)
const decodeSettings = Schema.decodeUnknownSync(NotificationSettingsSchema)

/** The portal's scoped reads and writes. */
export class PortalStore extends Context.Service<
  PortalStore,
  {
    readonly documents: (accountId: AccountId) => Scoped<ReadonlyArray<DocumentListItem>>
    readonly payments: (accountId: AccountId, filter: MovementFilter) => Scoped<ReadonlyArray<PaymentListItem>>
    readonly creditNotes: (accountId: AccountId, filter: MovementFilter) => Scoped<ReadonlyArray<CreditNoteListItem>>
    /** Payments and credit notes together, in one round trip. */
    readonly movements: (
      accountId: AccountId,
      filter: MovementFilter
    ) => Scoped<{
      readonly payments: ReadonlyArray<PaymentListItem>
      readonly creditNotes: ReadonlyArray<CreditNoteListItem>
    }>
    /** The contact data the contact entered in the portal, if any. */
    readonly contactDetails: (contactId: ContactId) => Scoped<ContactDetails | undefined>
    readonly saveContactDetails: (contactId: ContactId, details: ContactDetails) => Scoped<void>
    /** The billing address entered in the portal for the account, if any. */
    readonly billingAddress: (accountId: AccountId) => Scoped<BillingAddress | undefined>
    readonly saveBillingAddress: (accountId: AccountId, contactId: ContactId, address: BillingAddress) => Scoped<void>
    /** The contact's notification settings, if it saved any. */
    readonly notificationSettings: (contactId: ContactId) => Scoped<NotificationSettings | undefined>
    readonly saveNotificationSettings: (contactId: ContactId, settings: NotificationSettings) => Scoped<void>
  }
>()("portico/core/portal/PortalStore") {
  static readonly layer = Layer.effect(
    PortalStore,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store

      // The account must be in the principal's scope; a one-invoice link narrows lists to that invoice.
      const inScope = (accountColumn: string, invoiceColumn: string | undefined) =>
        Effect.map(serviceScope, (scope) => {
          if (scope === undefined) return [sql`true`]
          const where = [sql`${sql.literal(accountColumn)} = any(${scope.accountIds}::text[])`]
          if (scope.invoiceId !== null && invoiceColumn !== undefined) {
            where.push(sql`${sql.literal(invoiceColumn)} = ${scope.invoiceId}`)
          }
          return where
        })

      const documents = Effect.fn("PortalStore.documents")(function* (accountId: AccountId) {
        return yield* store.withScope(
          Effect.gen(function* () {
            const where = [...(yield* inScope("d.account_id", "d.invoice_id")), sql`d.account_id = ${accountId}`]
            const rows =
              yield* sql`select d.id, d.invoice_id, i.number as invoice_number, d.file_name, d.content_type, d.size
              from portico.documents d left join portico.invoices i on i.id = d.invoice_id
              where ${sql.and(where)} order by d.file_name, d.id`
            return decodeDocuments(rows).map(
              (row): DocumentListItem => ({
                id: row.id,
                invoiceId: row.invoice_id,
                invoiceNumber: row.invoice_number,
                fileName: row.file_name,
                contentType: row.content_type,
                size: row.size
              })
            )
          })
        )
      })

      const dated = (column: string, filter: MovementFilter) => {
        const where = []
        if (filter.from !== undefined) where.push(sql`${sql.literal(column)} >= ${filter.from}::date`)
        if (filter.to !== undefined) where.push(sql`${sql.literal(column)} <= ${filter.to}::date`)
        return where
      }

      const paymentsQuery = Effect.fnUntraced(function* (accountId: AccountId, filter: MovementFilter) {
        const where = [
          ...(yield* inScope("p.account_id", undefined)),
          sql`p.account_id = ${accountId}`,
          ...dated("p.received_date", filter)
        ]
        if (filter.search !== undefined && filter.search !== "") {
          where.push(sql`p.reference ilike ${containsPattern(filter.search)} escape '\\'`)
        }
        return sql`select p.id, p.reference, p.received_date, p.method, p.currency, p.amount_minor,
            coalesce((select sum(a.amount_minor) from portico.payment_allocations a where a.payment_id = p.id), 0)
              as allocated_minor
          from portico.payments p where ${sql.and(where)}
          order by p.received_date desc, p.id desc limit ${filter.limit}`
      })

      const creditNotesQuery = Effect.fnUntraced(function* (accountId: AccountId, filter: MovementFilter) {
        const where = [
          ...(yield* inScope("c.account_id", "c.invoice_id")),
          sql`c.account_id = ${accountId}`,
          ...dated("c.issue_date", filter)
        ]
        if (filter.search !== undefined && filter.search !== "") {
          where.push(sql`c.number ilike ${containsPattern(filter.search)} escape '\\'`)
        }
        return sql`select c.id, c.number, c.issue_date, c.reason, i.number as invoice_number, c.currency, c.total_minor
          from portico.credit_notes c left join portico.invoices i on i.id = c.invoice_id
          where ${sql.and(where)} order by c.issue_date desc, c.id desc limit ${filter.limit}`
      })

      const toPayment = (row: typeof PaymentRow.Type): PaymentListItem => ({
        id: row.id,
        reference: row.reference,
        receivedDate: row.received_date,
        method: row.method,
        amount: { currency: row.currency, minor: row.amount_minor },
        allocated: { currency: row.currency, minor: row.allocated_minor }
      })

      const toCreditNote = (row: typeof CreditRow.Type): CreditNoteListItem => ({
        id: row.id,
        number: row.number,
        issueDate: row.issue_date,
        reason: row.reason,
        invoiceNumber: row.invoice_number,
        total: { currency: row.currency, minor: row.total_minor }
      })

      const payments = Effect.fn("PortalStore.payments")(function* (accountId: AccountId, filter: MovementFilter) {
        const rows = yield* store.withScope(Effect.flatMap(paymentsQuery(accountId, filter), (query) => query))
        return decodePayments(rows).map(toPayment)
      })

      const creditNotes = Effect.fn("PortalStore.creditNotes")(function* (
        accountId: AccountId,
        filter: MovementFilter
      ) {
        const rows = yield* store.withScope(Effect.flatMap(creditNotesQuery(accountId, filter), (query) => query))
        return decodeCredits(rows).map(toCreditNote)
      })

      // Both lists in one round trip: each query as a JSON array in one row.
      const movements = Effect.fn("PortalStore.movements")(function* (accountId: AccountId, filter: MovementFilter) {
        const rows = yield* store.withScope(
          Effect.gen(function* () {
            const paid = yield* paymentsQuery(accountId, filter)
            const credited = yield* creditNotesQuery(accountId, filter)
            return yield* sql`select
                (select coalesce(jsonb_agg(to_jsonb(x)), '[]'::jsonb) from (${paid}) x) as payments,
                (select coalesce(jsonb_agg(to_jsonb(y)), '[]'::jsonb) from (${credited}) y) as credit_notes`
          })
        )
        const row = decodeMovementRows(rows)[0]
        return {
          payments: decodePayments(row?.payments ?? []).map(toPayment),
          creditNotes: decodeCredits(row?.credit_notes ?? []).map(toCreditNote)
        }
      })

      const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))

      const contactDetails = Effect.fn("PortalStore.contactDetails")(function* (contactId: ContactId) {
        const rows = yield* store.withScope(
          sql`select name, phone from portico.portal_contact_details where contact_id = ${contactId}`
        )
        const row = decodeContacts(rows)[0]
        return row === undefined ? undefined : { name: row.name, phone: row.phone }
      })

      const saveContactDetails = Effect.fn("PortalStore.saveContactDetails")(function* (
        contactId: ContactId,
        details: ContactDetails
      ) {
        const at = yield* now
        yield* store.withScope(
          sql`insert into portico.portal_contact_details (contact_id, name, phone, updated_at)
            values (${contactId}, ${details.name}, ${details.phone}, ${at})
            on conflict (contact_id) do update set name = excluded.name, phone = excluded.phone,
              updated_at = excluded.updated_at`
        )
      })

      const billingAddress = Effect.fn("PortalStore.billingAddress")(function* (accountId: AccountId) {
        const rows = yield* store.withScope(
          Effect.gen(function* () {
            const where = [...(yield* inScope("account_id", undefined)), sql`account_id = ${accountId}`]
            return yield* sql`select address, email from portico.portal_billing_addresses where ${sql.and(where)}`
          })
        )
        const row = decodeAddresses(rows)[0]
        return row === undefined ? undefined : { address: decodeAddress(row.address), email: row.email }
      })

      const saveBillingAddress = Effect.fn("PortalStore.saveBillingAddress")(function* (
        accountId: AccountId,
        contactId: ContactId,
        address: BillingAddress
      ) {
        const at = yield* now
        yield* store.withScope(
          sql`insert into portico.portal_billing_addresses (account_id, address, email, updated_by, updated_at)
            values (${accountId}, ${JSON.stringify(address.address)}::jsonb, ${address.email}, ${contactId}, ${at})
            on conflict (account_id) do update set address = excluded.address, email = excluded.email,
              updated_by = excluded.updated_by, updated_at = excluded.updated_at`
        )
      })

      const notificationSettings = Effect.fn("PortalStore.notificationSettings")(function* (contactId: ContactId) {
        const rows = yield* store.withScope(
          sql`select settings from portico.portal_notification_settings where contact_id = ${contactId}`
        )
        const row = decodeSettingsRows(rows)[0]
        return row === undefined ? undefined : decodeSettings(row.settings)
      })

      const saveNotificationSettings = Effect.fn("PortalStore.saveNotificationSettings")(function* (
        contactId: ContactId,
        settings: NotificationSettings
      ) {
        const at = yield* now
        yield* store.withScope(
          sql`insert into portico.portal_notification_settings (contact_id, settings, updated_at)
            values (${contactId}, ${JSON.stringify(settings)}::jsonb, ${at})
            on conflict (contact_id) do update set settings = excluded.settings, updated_at = excluded.updated_at`
        )
      })

      return PortalStore.of({
        documents,
        payments,
        creditNotes,
        movements,
        contactDetails,
        saveContactDetails,
        billingAddress,
        saveBillingAddress,
        notificationSettings,
        saveNotificationSettings
      })
    })
  )
}
