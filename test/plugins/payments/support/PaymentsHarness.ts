// The payments plugin composed as the starter will compose it: a migrated store (core, jobs, payments), the
// job queue, the HTML renderer for receipts, the event bus, a PortalHost (the tests' host: nobody signed in
// unless a test provides another), and the plugin over a fake provider; plus seed helpers (an account, a
// paying contact, invoices) and the principal of that contact.
import { Effect, Layer, Result, Schema } from "effect"
import type { FeatureGates } from "../../../../core/access/FeatureGates.ts"
import { ContactPrincipal } from "../../../../core/access/Principal.ts"
import { Account } from "../../../../core/domain/Account.ts"
import { Contact } from "../../../../core/domain/Contact.ts"
import { Invoice } from "../../../../core/domain/Invoice.ts"
import type { ErpAdapter } from "../../../../core/erp/ErpAdapter.ts"
import { DomainEvents } from "../../../../core/events/DomainEvents.ts"
import { JobQueue } from "../../../../core/jobs/JobQueue.ts"
import { jobsMigrations } from "../../../../core/jobs/migrations/index.ts"
import { composePlugins } from "../../../../core/plugin/PluginRegistry.ts"
import { Renderers } from "../../../../core/render/Renderers.ts"
import { coreMigrations } from "../../../../core/store/migrations/coreMigrations.ts"
import * as StoreLayer from "../../../../core/store/StoreLayer.ts"
import { SyncStore } from "../../../../core/store/SyncStore.ts"
import { invoiceState } from "../../../../core/sync/InvoiceLedger.ts"
import { paymentsMigrations } from "../../../../plugins/payments/migrations/index.ts"
import { paymentsPlugin } from "../../../../plugins/payments/PaymentsPlugin.ts"
import { HtmlRenderer } from "../../../../renderers/html/HtmlRenderer.ts"
import type { TestDatabaseLayer } from "../../../support/Databases.ts"
import { testHost } from "./TestHost.ts"

export const migrations = [...coreMigrations, ...jobsMigrations, ...paymentsMigrations]

/** The plugin's settings for a provider block. */
export const settingsFor = (provider: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  payments: { provider, minimumPartialPayment: { EUR: "10.00" }, receiptFormat: "html", ...extra }
})

/** Everything the plugin needs, and the plugin, over `database`; `extra` adds an ERP adapter or feature gates. */
export const paymentsApp = <X extends ErpAdapter | FeatureGates = never>(
  database: TestDatabaseLayer,
  settings: Record<string, unknown>,
  extra?: Layer.Layer<X>
) => {
  const composed = composePlugins([paymentsPlugin], { settings })
  const base = Layer.mergeAll(
    JobQueue.layer,
    Renderers.layer(HtmlRenderer.renderer).pipe(Layer.provide(HtmlRenderer.layer)),
    DomainEvents.layer,
    testHost()
  ).pipe(Layer.provideMerge(StoreLayer.repositories), Layer.provideMerge(database))
  return extra === undefined
    ? composed.layer.pipe(Layer.provideMerge(base))
    : composed.layer.pipe(Layer.provideMerge(Layer.merge(base, extra)))
}

/** The plugin's routes over an app built with `paymentsApp` (the same settings). */
export const paymentsRoutes = (settings: Record<string, unknown>) =>
  composePlugins([paymentsPlugin], { settings }).routes

const decode = <S extends Schema.Codec<unknown, unknown>>(schema: S, value: unknown): S["Type"] =>
  Schema.decodeUnknownSync(schema)(value)

/** Account `id` in `currency`, tier standard. */
export const account = (id: string, currency = "EUR") =>
  decode(Account, {
    id,
    source: { source: "erp", externalId: id },
    number: id.toUpperCase(),
    name: `Customer ${id}`,
    tier: "standard",
    currency,
    email: `ap@${id}.example`
  })

/** A contact who pays for `accountId`. */
export const payer = (id: string, accountId: string) =>
  decode(Contact, {
    id,
    source: { source: "erp", externalId: id },
    email: `${id}@example.com`,
    name: `Payer ${id}`,
    links: [{ accountId, role: "finance-approver" }]
  })

/** The signed-in principal of `payer(id, accountId)`. */
export const payerPrincipal = (id: string, accountId: string) =>
  decode(ContactPrincipal, {
    _tag: "ContactPrincipal",
    contactId: id,
    links: [{ accountId, role: "finance-approver" }],
    activeAccountId: accountId
  })

/** An invoice of `total` minor units, one untaxed line. */
export const invoice = (options: {
  readonly id: string
  readonly accountId: string
  readonly total: number
  readonly currency?: string
  readonly issueDate?: string
  readonly dueDate?: string
}) => {
  const currency = options.currency ?? "EUR"
  const money = { currency, minor: options.total }
  return decode(Invoice, {
    id: options.id,
    accountId: options.accountId,
    source: { source: "erp", externalId: options.id },
    number: options.id.toUpperCase(),
    issueDate: options.issueDate ?? "2026-01-01",
    dueDate: options.dueDate ?? "2026-01-31",
    currency,
    lines: [{ lineNumber: 1, description: "Services", quantity: "1", unitPrice: "1", taxRate: "0", statedNet: money }],
    taxLines: [],
    totals: { net: money, tax: { currency, minor: 0 }, total: money }
  })
}

/** Writes an account, its paying contact and invoices, as the sync would. */
export const seed = (options: {
  readonly accountId: string
  readonly currency?: string
  readonly invoices: ReadonlyArray<Parameters<typeof invoice>[0]>
}) =>
  Effect.gen(function* () {
    const sync = yield* SyncStore
    yield* sync.upsertAccount(account(options.accountId, options.currency))
    yield* sync.upsertContact(payer(`${options.accountId}-payer`, options.accountId))
    for (const spec of options.invoices) {
      const document = invoice(spec)
      yield* sync.upsertInvoice(document, Result.getOrThrow(invoiceState(document, [])))
    }
  })
