// The portal's use cases, always run for the current principal in its scope: the account overview, the
// activity list, an invoice, statements, documents, CSV and ZIP exports, billing details and notification
// settings. Each checks the principal's permission (and the tier's features) with core/access and writes an
// audit entry for every view, download and export, denials included; a PDF download's entry carries the
// SHA-256 of the bytes sent.
import { Context, Effect, Layer, Result, type Stream } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import { type Feature, FeatureDisabled, FeatureGates, isEnabled } from "../access/FeatureGates.ts"
import type { Permission } from "../access/Permission.ts"
import { authorize, can, type PermissionDenied } from "../access/Permissions.ts"
import { CurrentPrincipal, type Principal } from "../access/Principal.ts"
import type { AuditAction, AuditRecord } from "../audit/AuditEntry.ts"
import { AuditLog } from "../audit/AuditLog.ts"
import { balanceForwardStatement, openItemStatement } from "../billing/Statement.ts"
import type { Account } from "../domain/Account.ts"
import type { Contact } from "../domain/Contact.ts"
import type { CurrencyCode } from "../domain/Currency.ts"
import type { AccountId, DocumentId, InvoiceId } from "../domain/Ids.ts"
import type { LocalDate } from "../domain/LocalDate.ts"
import type { RenderError } from "../render/Renderer.ts"
import type { InvoiceView, StatementView } from "../render/ViewModels.ts"
import { AccountSummaries, type AccountSummary } from "../store/AccountSummaries.ts"
import { Accounts } from "../store/Accounts.ts"
import { Documents } from "../store/Documents.ts"
import type { InvoiceQuery } from "../store/InvoiceQuery.ts"
import { type InvoiceDetail, type InvoicePage, Invoices } from "../store/Invoices.ts"
import { Statements } from "../store/Statements.ts"
import { Store } from "../store/Store.ts"
import type { InvalidCursor, NotFound } from "../store/StoreErrors.ts"
import { AuditContext } from "./AuditContext.ts"
import { type DocumentFile, DocumentFiles } from "./DocumentFiles.ts"
import { balanceForwardView, invoiceListView, invoiceView, openItemView, statementAging } from "./internal/Views.ts"
import { defaultNotificationSettings, type NotificationSettings } from "./NotificationSettings.ts"
import { InvalidRequest } from "./PortalErrors.ts"
import { PortalSettings, today } from "./PortalSettings.ts"
import {
  type BillingAddress,
  type ContactDetails,
  type CreditNoteListItem,
  type DocumentListItem,
  type PaymentListItem,
  PortalStore
} from "./PortalStore.ts"

/** Every way a use case can be refused or fail. */
export type PortalError =
  | NotFound
  | PermissionDenied
  | FeatureDisabled
  | InvalidRequest
  | InvalidCursor
  | RenderError
  | SqlError

type UseCase<A, E = PortalError> = Effect.Effect<A, E, CurrentPrincipal>

/** The account home page: the summary (when the principal may read it) and the latest movements. */
export interface AccountOverview {
  readonly account: Account
  readonly asOf: LocalDate
  /** Absent when the principal may not read statements and summaries (a `viewer`). */
  readonly summary: AccountSummary | undefined
  readonly recentInvoices: InvoicePage["items"]
  readonly recentPayments: ReadonlyArray<PaymentListItem>
}

/** The activity list's request: the invoice filters, sort and cursor; movements follow the date range and search. */
export type ActivityRequest = Omit<InvoiceQuery, "asOf" | "accountId">

/** The activity page: a page of invoices and the payments and credit notes in the same range. */
export interface Activity {
  readonly account: Account
  readonly asOf: LocalDate
  readonly invoices: InvoicePage
  readonly payments: ReadonlyArray<PaymentListItem>
  readonly creditNotes: ReadonlyArray<CreditNoteListItem>
}

/** One invoice with its account and the document view the renderers show. */
export interface InvoicePageData {
  readonly account: Account
  readonly detail: InvoiceDetail
  readonly view: InvoiceView
  readonly asOf: LocalDate
  /** Whether the principal may download the PDF and attachments. */
  readonly canDownload: boolean
}

/** Which statement, for which period and currency. */
export interface StatementRequest {
  readonly style: "open-item" | "balance-forward"
  readonly from: LocalDate
  readonly to: LocalDate
  /** Default: the account's currency. */
  readonly currency?: CurrencyCode | undefined
}

/** A statement and the currencies the account has documents in. */
export interface StatementResult {
  readonly account: Account
  readonly view: StatementView
  readonly currencies: ReadonlyArray<CurrencyCode>
}

/** What the billing details page shows and may change. */
export interface BillingDetails {
  readonly account: Account
  /** The signed-in contact as the ERP has it, with what it entered in the portal laid over it. */
  readonly contact: Contact | undefined
  /** Whether the principal may change the account's address (an admin contact). */
  readonly canEditAddress: boolean
  /** Whether the portal holds an address entered by a contact (shown instead of the ERP's). */
  readonly addressFromPortal: boolean
}

/** A change to billing details: the contact's own data, the account's address, or both. */
export interface BillingDetailsUpdate {
  readonly contact?: ContactDetails | undefined
  readonly address?: BillingAddress | undefined
}

/** A ZIP download: its name, what it holds and its bytes as a stream. */
export interface Archive {
  readonly fileName: string
  readonly files: ReadonlyArray<{ readonly invoiceId: InvoiceId; readonly fileName: string; readonly sha256: string }>
  readonly stream: Stream.Stream<Uint8Array, RenderError>
}

/** The portal's use cases. */
export class Portal extends Context.Service<
  Portal,
  {
    /** The accounts the principal reaches (the account switcher). */
    readonly accounts: UseCase<ReadonlyArray<Account>, SqlError>
    readonly overview: (accountId: AccountId) => UseCase<AccountOverview>
    readonly activity: (accountId: AccountId, request: ActivityRequest) => UseCase<Activity>
    /** One page of the invoice list alone (the JSON API's list). */
    readonly invoiceList: (
      accountId: AccountId,
      request: ActivityRequest
    ) => UseCase<{ readonly asOf: LocalDate; readonly page: InvoicePage }>
    /** NotFound for an invoice outside the scope, exactly as for one that does not exist. */
    readonly invoice: (invoiceId: InvoiceId) => UseCase<InvoicePageData>
    readonly invoicePdf: (invoiceId: InvoiceId) => UseCase<DocumentFile>
    readonly statement: (accountId: AccountId, request: StatementRequest) => UseCase<StatementResult>
    readonly statementPdf: (accountId: AccountId, request: StatementRequest) => UseCase<DocumentFile>
    readonly documents: (accountId: AccountId) => UseCase<ReadonlyArray<DocumentListItem>>
    readonly document: (documentId: DocumentId) => UseCase<DocumentFile>
    /** The chosen invoices (or, with none chosen, the list as filtered) as CSV. */
    readonly exportCsv: (
      accountId: AccountId,
      selection: { readonly invoiceIds: ReadonlyArray<InvoiceId>; readonly request: ActivityRequest }
    ) => UseCase<DocumentFile>
    /** The chosen invoices' PDFs as one ZIP archive. */
    readonly bulkZip: (accountId: AccountId, invoiceIds: ReadonlyArray<InvoiceId>) => UseCase<Archive>
    readonly billingDetails: (accountId: AccountId) => UseCase<BillingDetails>
    readonly updateBillingDetails: (accountId: AccountId, update: BillingDetailsUpdate) => UseCase<BillingDetails>
    /** The signed-in contact's settings (the defaults until it saves some). */
    readonly notificationSettings: UseCase<NotificationSettings>
    readonly updateNotificationSettings: (settings: NotificationSettings) => UseCase<NotificationSettings>
  }
>()("portico/core/portal/Portal") {
  /** The use cases over the store's repositories, the audit log, feature gates and a `DocumentFiles`. */
  static readonly layer = Layer.effect(
    Portal,
    Effect.gen(function* () {
      const invoices = yield* Invoices
      const accountsRepo = yield* Accounts
      const summaries = yield* AccountSummaries
      const statements = yield* Statements
      const documentsRepo = yield* Documents
      const portalStore = yield* PortalStore
      const log = yield* AuditLog
      const files = yield* DocumentFiles
      const gates = yield* FeatureGates
      const settings = yield* PortalSettings
      const store = yield* Store
      const asOfToday = Effect.provideService(today, PortalSettings, settings)

      const client = Effect.map(Effect.service(AuditContext), (c) => ({
        ...(c.ip === undefined ? {} : { ip: c.ip }),
        ...(c.userAgent === undefined ? {} : { userAgent: c.userAgent })
      }))

      type AuditTarget = { readonly accountId?: AccountId | undefined; readonly records: ReadonlyArray<AuditRecord> }
      type From = Effect.Success<typeof client>

      /** A success's entry, with the records it names, in the account's chain. */
      const succeeded = (action: AuditAction, target: AuditTarget, from: From, records: ReadonlyArray<AuditRecord>) =>
        log.append({
          action,
          outcome: "success",
          records: [...target.records, ...records],
          ...(target.accountId === undefined ? {} : { accountId: target.accountId }),
          ...from
        })

      /** A failure's entry, denied or error by its tag, in the principal's own chain. */
      const failed = (action: AuditAction, target: AuditTarget, from: From, error: unknown) => {
        const reason = typeof error === "object" && error !== null && "_tag" in error ? String(error._tag) : "Error"
        const denied = ["NotFound", "PermissionDenied", "FeatureDisabled", "InvalidRequest"].includes(reason)
        return log.append({ action, outcome: denied ? "denied" : "error", reason, records: target.records, ...from })
      }

      /**
       * Records `effect`: success with the records it names (in the account's chain); a failure as denied or
       * error in the principal's own chain (a foreign account's chain is not the principal's to write).
       */
      const audited = <A, E>(
        action: AuditAction,
        target: AuditTarget,
        effect: Effect.Effect<A, E, CurrentPrincipal>,
        recordsOf: (value: A) => ReadonlyArray<AuditRecord> = () => []
      ): Effect.Effect<A, E | SqlError, CurrentPrincipal> =>
        Effect.gen(function* () {
          const from = yield* client
          // The use case and its success entry in one scoped transaction (the repositories join it); a
          // failure's entry after the rollback, in a transaction of its own.
          const recorded = store.withScope(
            Effect.tap(effect, (value) => succeeded(action, target, from, recordsOf(value)))
          )
          return yield* recorded.pipe(Effect.tapError((error) => failed(action, target, from, error)))
        })

      /**
       * A download: `read` in one scoped transaction, `render` outside it (a PDF takes a browser page for tens
       * of milliseconds, which must not hold a database connection), then the entry with what was sent.
       */
      const auditedDownload = <A, B, E, E2>(
        action: AuditAction,
        target: AuditTarget,
        read: Effect.Effect<A, E, CurrentPrincipal>,
        render: (value: A) => Effect.Effect<B, E2, CurrentPrincipal>,
        recordsOf: (value: B) => ReadonlyArray<AuditRecord>
      ): Effect.Effect<B, E | E2 | SqlError, CurrentPrincipal> =>
        Effect.gen(function* () {
          const from = yield* client
          return yield* Effect.flatMap(store.withScope(read), render).pipe(
            Effect.tap((value) => succeeded(action, target, from, recordsOf(value))),
            Effect.tapError((error) => failed(action, target, from, error))
          )
        })

      const permit = (permission: Permission, accountId: AccountId, invoiceId?: InvoiceId) =>
        Effect.flatMap(Effect.service(CurrentPrincipal), (principal) =>
          authorize(principal, permission, accountId, invoiceId)
        )

      // A list over the account: a one-invoice link may read it too, since the store narrows every list to
      // the link's invoice; everyone else needs the permission on the account.
      const permitList = (permission: Permission, accountId: AccountId) =>
        Effect.flatMap(Effect.service(CurrentPrincipal), (principal) =>
          authorize(
            principal,
            permission,
            accountId,
            principal._tag === "LinkPrincipal" ? principal.invoiceId : undefined
          )
        )

      const feature = (account: Account, name: Feature) =>
        isEnabled(gates, account.tier, name)
          ? Effect.void
          : Effect.fail(new FeatureDisabled({ tier: account.tier, feature: name }))

      /** The account with the address and e-mail a contact entered in the portal laid over the ERP's. */
      const accountOf = Effect.fn("Portal.accountOf")(function* (accountId: AccountId) {
        const account = yield* accountsRepo.get(accountId)
        const entered = yield* portalStore.billingAddress(accountId)
        if (entered === undefined) return account
        return {
          ...account,
          billingAddress: entered.address,
          ...(entered.email === null ? {} : { email: entered.email })
        }
      })

      const accounts = accountsRepo.list

      const overview = Effect.fn("Portal.overview")(function* (accountId: AccountId) {
        return yield* audited(
          "view",
          { accountId, records: [{ kind: "account", id: accountId }] },
          Effect.gen(function* () {
            yield* permitList("view-invoices", accountId)
            const principal = yield* CurrentPrincipal
            const asOf = yield* asOfToday
            const account = yield* accountsRepo.get(accountId)
            const summary = can(principal, "view-statements", accountId)
              ? yield* summaries.summary(accountId, asOf, settings.aging)
              : undefined
            const recent = yield* invoices.list({ asOf, accountId, limit: 5 })
            const recentPayments = yield* portalStore.payments(accountId, { limit: 5 })
            return { account, asOf, summary, recentInvoices: recent.items, recentPayments } satisfies AccountOverview
          })
        )
      })

      const activity = Effect.fn("Portal.activity")(function* (accountId: AccountId, request: ActivityRequest) {
        return yield* audited(
          "view",
          { accountId, records: [{ kind: "activity", id: accountId }] },
          Effect.gen(function* () {
            yield* permitList("view-invoices", accountId)
            const asOf = yield* asOfToday
            const account = yield* accountsRepo.get(accountId)
            const page = yield* invoices.list({ ...request, asOf, accountId })
            // Movements are listed with the first page only; the cursor pages through invoices.
            const movements = { from: request.issuedFrom, to: request.issuedTo, search: request.search, limit: 50 }
            const { payments, creditNotes } =
              request.cursor === undefined
                ? yield* portalStore.movements(accountId, movements)
                : { payments: [], creditNotes: [] }
            return { account, asOf, invoices: page, payments, creditNotes } satisfies Activity
          })
        )
      })

      const invoiceList = Effect.fn("Portal.invoiceList")(function* (accountId: AccountId, request: ActivityRequest) {
        return yield* audited(
          "view",
          { accountId, records: [{ kind: "invoice-list", id: accountId }] },
          Effect.gen(function* () {
            yield* permitList("view-invoices", accountId)
            const asOf = yield* asOfToday
            const page = yield* invoices.list({ ...request, asOf, accountId })
            return { asOf, page }
          })
        )
      })

      /** Reads an invoice and checks `permission` on it; NotFound outside the scope. */
      const invoiceFor = Effect.fn("Portal.invoiceFor")(function* (invoiceId: InvoiceId, permission: Permission) {
        const asOf = yield* asOfToday
        const detail = yield* invoices.detail(invoiceId, asOf)
        yield* permit(permission, detail.invoice.accountId, invoiceId)
        const account = yield* accountOf(detail.invoice.accountId)
        return { detail, account, asOf, view: invoiceView(detail, account, asOf) }
      })

      const invoice = Effect.fn("Portal.invoice")(function* (invoiceId: InvoiceId) {
        return yield* audited(
          "view",
          { records: [{ kind: "invoice", id: invoiceId }] },
          Effect.gen(function* () {
            const found = yield* invoiceFor(invoiceId, "view-invoices")
            const principal = yield* CurrentPrincipal
            return {
              ...found,
              canDownload: can(principal, "download", found.detail.invoice.accountId, invoiceId)
            } satisfies InvoicePageData
          })
        )
      })

      const invoicePdf = Effect.fn("Portal.invoicePdf")(function* (invoiceId: InvoiceId) {
        return yield* auditedDownload(
          "download",
          { records: [{ kind: "invoice", id: invoiceId }] },
          invoiceFor(invoiceId, "download"),
          ({ view }) => files.pdf(view),
          (file) => [{ kind: "sha256", id: file.sha256 }]
        )
      })

      const buildStatement = Effect.fn("Portal.buildStatement")(function* (
        accountId: AccountId,
        request: StatementRequest
      ) {
        yield* permit("view-statements", accountId)
        const account = yield* accountOf(accountId)
        yield* feature(account, "statements")
        if (request.to < request.from) return yield* new InvalidRequest({ message: "the period ends before it starts" })
        const docs = yield* statements.documents(accountId, request.to)
        const currencies = [
          ...new Set([
            account.currency,
            ...docs.invoices.map((i) => i.currency),
            ...docs.payments.map((p) => p.amount.currency),
            ...docs.creditNotes.map((c) => c.currency)
          ])
        ].sort()
        const currency = request.currency ?? account.currency
        const period = { currency, from: request.from, to: request.to }
        const mapError = Result.mapError(
          (error: { readonly message: string }) => new InvalidRequest({ message: error.message })
        )
        const view =
          request.style === "open-item"
            ? Result.map(mapError(openItemStatement(docs, period)), (s) => openItemView(account, s, settings.aging))
            : Result.flatMap(mapError(openItemStatement(docs, period)), (open) =>
                Result.map(mapError(balanceForwardStatement(docs, period)), (s) =>
                  balanceForwardView(account, s, statementAging(open.items, currency, request.to, settings.aging))
                )
              )
        return { account, currencies, view: yield* Effect.fromResult(view) } satisfies StatementResult
      })

      const statementRecords = (accountId: AccountId, request: StatementRequest): ReadonlyArray<AuditRecord> => [
        {
          kind: "statement",
          id: `${accountId}/${request.style}/${request.from}/${request.to}/${request.currency ?? ""}`
        }
      ]

      const statement = Effect.fn("Portal.statement")(function* (accountId: AccountId, request: StatementRequest) {
        return yield* audited(
          "view",
          { accountId, records: statementRecords(accountId, request) },
          buildStatement(accountId, request)
        )
      })

      const statementPdf = Effect.fn("Portal.statementPdf")(function* (
        accountId: AccountId,
        request: StatementRequest
      ) {
        return yield* auditedDownload(
          "download",
          { accountId, records: statementRecords(accountId, request) },
          Effect.andThen(permit("download", accountId), buildStatement(accountId, request)),
          (built) => files.pdf(built.view),
          (file) => [{ kind: "sha256", id: file.sha256 }]
        )
      })

      const documents = Effect.fn("Portal.documents")(function* (accountId: AccountId) {
        return yield* audited(
          "view",
          { accountId, records: [{ kind: "documents", id: accountId }] },
          Effect.andThen(permitList("view-invoices", accountId), portalStore.documents(accountId))
        )
      })

      const document = Effect.fn("Portal.document")(function* (documentId: DocumentId) {
        return yield* audited(
          "download",
          { records: [{ kind: "document", id: documentId }] },
          Effect.gen(function* () {
            const found = yield* documentsRepo.content(documentId)
            yield* permit("download", found.document.accountId, found.document.invoiceId)
            return {
              fileName: found.document.fileName,
              contentType: found.document.contentType,
              bytes: found.content,
              sha256: found.document.sha256
            } satisfies DocumentFile
          }),
          (file) => [{ kind: "sha256", id: file.sha256 }]
        )
      })

      /** The chosen invoices, each checked; too many is refused rather than cut short. */
      const chosen = Effect.fn("Portal.chosen")(function* (accountId: AccountId, invoiceIds: ReadonlyArray<InvoiceId>) {
        const unique = [...new Set(invoiceIds)]
        if (unique.length === 0) return yield* new InvalidRequest({ message: "choose at least one invoice" })
        if (unique.length > settings.maxBulk) {
          return yield* new InvalidRequest({ message: `choose at most ${settings.maxBulk} invoices at a time` })
        }
        return yield* Effect.forEach(unique, (id) =>
          Effect.gen(function* () {
            const found = yield* invoiceFor(id, "download")
            // An invoice of another account of the same contact is not part of this account's export.
            if (found.detail.invoice.accountId !== accountId)
              return yield* new InvalidRequest({ message: "the invoices belong to another account" })
            return found
          })
        )
      })

      const exportCsv = Effect.fn("Portal.exportCsv")(function* (
        accountId: AccountId,
        selection: { readonly invoiceIds: ReadonlyArray<InvoiceId>; readonly request: ActivityRequest }
      ) {
        return yield* audited(
          "export",
          { accountId, records: selection.invoiceIds.map((id) => ({ kind: "invoice", id })) },
          Effect.gen(function* () {
            yield* permit("download", accountId)
            const account = yield* accountOf(accountId)
            yield* feature(account, "bulk-export")
            const asOf = yield* asOfToday
            const summaries =
              selection.invoiceIds.length > 0
                ? (yield* chosen(accountId, selection.invoiceIds)).map((found) => found.detail.summary)
                : (yield* invoices.list({
                    ...withoutCursor(selection.request),
                    asOf,
                    accountId,
                    limit: Math.min(settings.maxBulk, 200)
                  })).items
            const view = yield* Effect.fromResult(invoiceListView(account, summaries, asOf)).pipe(
              Effect.mapError((error) => new InvalidRequest({ message: error.message }))
            )
            return yield* files.csv(view)
          }),
          (file) => [{ kind: "sha256", id: file.sha256 }]
        )
      })

      const bulkZip = Effect.fn("Portal.bulkZip")(function* (
        accountId: AccountId,
        invoiceIds: ReadonlyArray<InvoiceId>
      ) {
        return yield* auditedDownload(
          "download",
          { accountId, records: invoiceIds.map((id) => ({ kind: "invoice", id })) },
          Effect.gen(function* () {
            const account = yield* accountOf(accountId)
            yield* feature(account, "bulk-export")
            return yield* chosen(accountId, invoiceIds)
          }),
          (found) =>
            Effect.gen(function* () {
              const pdfs = yield* Effect.forEach(found, ({ view, detail }) =>
                Effect.map(files.pdf(view), (file) => ({
                  file,
                  invoiceId: detail.invoice.id,
                  number: detail.invoice.number
                }))
              )
              const asOf = yield* asOfToday
              return {
                fileName: `invoices-${asOf}.zip`,
                files: pdfs.map(({ file, invoiceId }) => ({ invoiceId, fileName: file.fileName, sha256: file.sha256 })),
                stream: files.archive(pdfs.map(({ file, number }) => ({ ...file, documentNumber: number })))
              } satisfies Archive
            }),
          (archive) => archive.files.map((file) => ({ kind: "sha256", id: file.sha256 }))
        )
      })

      const contactOf = (principal: Principal) =>
        principal._tag === "ContactPrincipal" ? principal.contactId : undefined

      const readBillingDetails = Effect.fn("Portal.readBillingDetails")(function* (accountId: AccountId) {
        yield* permitList("view-invoices", accountId)
        const principal = yield* CurrentPrincipal
        const account = yield* accountOf(accountId)
        const contactId = contactOf(principal)
        const contact =
          contactId === undefined
            ? undefined
            : yield* Effect.gen(function* () {
                const erp = yield* accountsRepo.contact(contactId)
                const entered = yield* portalStore.contactDetails(contactId)
                if (entered === undefined) return erp
                const { phone: _erpPhone, ...rest } = erp
                return { ...rest, name: entered.name, ...(entered.phone === null ? {} : { phone: entered.phone }) }
              })
        return {
          account,
          contact,
          canEditAddress: contactId !== undefined && can(principal, "manage-contacts", accountId),
          addressFromPortal: (yield* portalStore.billingAddress(accountId)) !== undefined
        } satisfies BillingDetails
      })

      const billingDetails = Effect.fn("Portal.billingDetails")(function* (accountId: AccountId) {
        return yield* audited(
          "view",
          { accountId, records: [{ kind: "billing-details", id: accountId }] },
          readBillingDetails(accountId)
        )
      })

      const updateBillingDetails = Effect.fn("Portal.updateBillingDetails")(function* (
        accountId: AccountId,
        update: BillingDetailsUpdate
      ) {
        const records: Array<AuditRecord> = []
        if (update.contact !== undefined) records.push({ kind: "contact-details", id: accountId })
        if (update.address !== undefined) records.push({ kind: "billing-address", id: accountId })
        return yield* audited(
          "settings-change",
          { accountId, records },
          Effect.gen(function* () {
            const principal = yield* CurrentPrincipal
            const contactId = contactOf(principal)
            if (contactId === undefined)
              return yield* new InvalidRequest({ message: "only a signed-in contact can change billing details" })
            yield* permit("view-invoices", accountId)
            if (update.contact !== undefined) yield* portalStore.saveContactDetails(contactId, update.contact)
            if (update.address !== undefined) {
              yield* permit("manage-contacts", accountId)
              yield* portalStore.saveBillingAddress(accountId, contactId, update.address)
            }
            return yield* readBillingDetails(accountId)
          })
        )
      })

      const signedInContact = Effect.flatMap(Effect.service(CurrentPrincipal), (principal) => {
        const contactId = contactOf(principal)
        return contactId === undefined
          ? Effect.fail(new InvalidRequest({ message: "notification settings belong to a signed-in contact" }))
          : Effect.succeed(contactId)
      })

      const notificationSettings = Effect.map(
        Effect.flatMap(signedInContact, (contactId) => portalStore.notificationSettings(contactId)),
        (found) => found ?? defaultNotificationSettings
      )

      const updateNotificationSettings = Effect.fn("Portal.updateNotificationSettings")(function* (
        next: NotificationSettings
      ) {
        return yield* audited(
          "settings-change",
          { records: [{ kind: "notification-settings", id: "contact" }] },
          Effect.gen(function* () {
            const contactId = yield* signedInContact
            yield* portalStore.saveNotificationSettings(contactId, next)
            return next
          })
        )
      })

      return Portal.of({
        accounts,
        overview,
        activity,
        invoiceList,
        invoice,
        invoicePdf,
        statement,
        statementPdf,
        documents,
        document,
        exportCsv,
        bulkZip,
        billingDetails,
        updateBillingDetails,
        notificationSettings,
        updateNotificationSettings
      })
    })
  )
}

/** The account a principal is looking at: a contact's active account, a link's own account. */
export const activeAccountOf = (principal: Principal): AccountId | undefined => {
  switch (principal._tag) {
    case "ContactPrincipal":
      return principal.activeAccountId
    case "LinkPrincipal":
      return principal.accountId
    case "SystemPrincipal":
      return undefined
  }
}

const withoutCursor = (request: ActivityRequest): ActivityRequest => {
  const { cursor: _cursor, ...rest } = request
  return rest
}
