// Wiring for the notification and reminder tests: a fresh store (PGlite or PostgreSQL) migrated with the
// core, sync, jobs, portal and both plugins' migrations; the sync engine over a CSV source; the job queue and
// handlers; the notifications service mailing a real SMTP server; and billing data with contacts.
import { Effect, Layer, Redacted, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { CurrentPrincipal, type Principal } from "../../../../core/access/Principal.ts"
import { Account, Contact, Invoice, Payment } from "../../../../core/domain/index.ts"
import { type CanonicalRecord, canonical, canonicalId } from "../../../../core/erp/index.ts"
import { DomainEvents } from "../../../../core/events/index.ts"
import { handlerOf } from "../../../../core/jobs/Job.ts"
import { JobHandlers } from "../../../../core/jobs/JobHandlers.ts"
import { JobQueue } from "../../../../core/jobs/JobQueue.ts"
import { drain } from "../../../../core/jobs/JobWorker.ts"
import { jobsMigrations } from "../../../../core/jobs/migrations/index.ts"
import { PluginGate } from "../../../../core/plugin/PluginGate.ts"
import { portalUseCaseMigrations } from "../../../../core/portal/migrations/index.ts"
import { StoreLayer } from "../../../../core/store/index.ts"
import type { Migration } from "../../../../core/store/Migration.ts"
import { storeWithSyncMigrations } from "../../../../core/sync/migrations/index.ts"
import { SyncEngine } from "../../../../core/sync/SyncEngine.ts"
import {
  EmailTransport,
  InAppNotifications,
  Notifications,
  NotificationsConfig,
  notificationsMigrations
} from "../../../../plugins/notifications/index.ts"
import { Reminders, RemindersConfig, remindersMigrations } from "../../../../plugins/reminders/index.ts"
import type { TestDatabaseLayer } from "../../../support/Databases.ts"
import { SmtpInbox } from "./SmtpInbox.ts"

/** Every migration the plugins need, in order. */
export const pluginMigrations: ReadonlyArray<Migration> = [
  ...storeWithSyncMigrations,
  ...jobsMigrations,
  ...portalUseCaseMigrations,
  ...notificationsMigrations,
  ...remindersMigrations
]

export const sourceId = "erp"
export const baseUrl = "https://portal.example.com"
const mailFrom = "billing@portal.example"

/** The notifications settings of the tests: three attempts, one second apart at first. */
export const notificationsSettings = (port: number) => ({
  baseUrl,
  smtp: { url: `smtp://127.0.0.1:${port}`, from: mailFrom },
  maxAttempts: 3,
  retryBaseSeconds: 1
})

export const notificationsConfig = (port: number) =>
  Schema.decodeUnknownSync(NotificationsConfig)(notificationsSettings(port))

export const remindersConfig = (settings: object = {}) => Schema.decodeUnknownSync(RemindersConfig)(settings)

/**
 * The services over one database client (one "process"): store, sync, queue, both plugins (each with a gate
 * open for every account: no composition switches them per tier here), SMTP transport.
 */
export const servicesOver = (database: TestDatabaseLayer, port: number, reminderSettings: object = {}) => {
  const config = notificationsConfig(port)
  const plugins = Layer.mergeAll(Notifications.layer(config), InAppNotifications.layer).pipe(
    Layer.provideMerge(EmailTransport.smtp({ url: Redacted.make(`smtp://127.0.0.1:${port}`), from: mailFrom })),
    Layer.provide(PluginGate.open("notifications"))
  )
  const reminders = Reminders.layer(remindersConfig(reminderSettings)).pipe(Layer.provide(PluginGate.open("reminders")))
  const handlers = JobHandlers.layer<Notifications | Reminders>([
    handlerOf(Notifications.deliverJob(config)),
    handlerOf(Notifications.relayJob),
    handlerOf(Reminders.dailyJob("UTC"))
  ])
  return handlers.pipe(
    Layer.provideMerge(reminders),
    Layer.provideMerge(plugins),
    Layer.provideMerge(SyncEngine.layer),
    Layer.provideMerge(JobQueue.layer),
    Layer.provideMerge(DomainEvents.layer),
    Layer.provideMerge(StoreLayer.repositories),
    Layer.provideMerge(database)
  )
}

/** A fresh database of a backend with the SMTP inbox and every service. */
export const harness = (database: TestDatabaseLayer, reminderSettings: object = {}) =>
  Layer.unwrap(Effect.map(SmtpInbox, (inbox) => servicesOver(database, inbox.port, reminderSettings))).pipe(
    Layer.provideMerge(SmtpInbox.layer)
  )

const decode = <S extends Schema.Codec<unknown, unknown>>(schema: S, value: unknown): S["Type"] =>
  Schema.decodeUnknownSync(schema)(value)

const eur = (minor: number) => ({ currency: "EUR", minor })

/** Account `C<n>`, of `tier` (default "standard"). */
export const account = (n: number, tier = "standard") =>
  canonical(
    "accounts",
    decode(Account, {
      id: canonicalId(sourceId, `C${n}`),
      source: { source: sourceId, externalId: `C${n}` },
      number: `C${n}`,
      name: `Customer ${n}`,
      tier,
      currency: "EUR"
    })
  )

/** Contact `K<n>` with `email`, linked to account `C<accountN>`. */
export const contact = (n: number, accountN: number, email: string, name: string) =>
  canonical(
    "contacts",
    decode(Contact, {
      id: canonicalId(sourceId, `K${n}`),
      source: { source: sourceId, externalId: `K${n}` },
      email,
      name,
      links: [{ accountId: canonicalId(sourceId, `C${accountN}`), role: "finance-approver" }]
    })
  )

/** Invoice `INV-<n>` of 119.00 EUR (one line) for account `C<accountN>`, issued and due as given. */
export const invoice = (n: number, accountN: number, issueDate: string, dueDate: string) =>
  canonical(
    "invoices",
    decode(Invoice, {
      id: canonicalId(sourceId, `INV-${n}`),
      accountId: canonicalId(sourceId, `C${accountN}`),
      source: { source: sourceId, externalId: `INV-${n}` },
      number: `INV-${n}`,
      issueDate,
      dueDate,
      currency: "EUR",
      lines: [
        {
          lineNumber: 1,
          description: "Service",
          quantity: "1",
          unitPrice: "100.00",
          taxRate: "19",
          statedNet: eur(10000)
        }
      ],
      taxLines: [],
      totals: { net: eur(10000), tax: eur(1900), total: eur(11900) }
    })
  )

/** Payment `P-<n>` of `minor` from account `C<accountN>`, received on `date`, all of it on `INV-<invoiceN>`. */
export const payment = (n: number, accountN: number, invoiceN: number, minor: number, date: string) =>
  canonical(
    "payments",
    decode(Payment, {
      id: canonicalId(sourceId, `P-${n}`),
      accountId: canonicalId(sourceId, `C${accountN}`),
      source: { source: sourceId, externalId: `P-${n}` },
      reference: `REF-${n}`,
      receivedDate: date,
      amount: eur(minor),
      allocations: [{ invoiceId: canonicalId(sourceId, `INV-${invoiceN}`), amount: eur(minor) }]
    })
  )

/** The id of invoice `INV-<n>`. */
export const invoiceId = (n: number) => canonicalId(sourceId, `INV-${n}`)
export const contactId = (n: number) => canonicalId(sourceId, `K${n}`)
export const accountId = (n: number) => canonicalId(sourceId, `C${n}`)

/** Runs every due job until none is left (the way a worker would, one at a time). */
export const runJobs = drain("test-worker")

/** Runs `effect` as the signed-in contact `K<n>` of account `C<accountN>`. */
export const asContact = <A, E, R>(n: number, accountN: number, effect: Effect.Effect<A, E, R>) =>
  Effect.provideService(effect, CurrentPrincipal, {
    _tag: "ContactPrincipal",
    contactId: decode(Contact.fields.id, contactId(n)),
    links: [{ accountId: decode(Account.fields.id, accountId(accountN)), role: "finance-approver" }],
    activeAccountId: decode(Account.fields.id, accountId(accountN))
  } satisfies Principal)

/** Owner-level SQL for setting up what a portal page would have saved (past RLS, as the table owner). */
export const ownerSql = SqlClient.SqlClient

export type { CanonicalRecord }
