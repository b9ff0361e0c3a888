// The payments plugin: its declaration (id "payments", the "payments" tier feature, its migrations and
// settings) and what it contributes: the payment service over the configured provider, the webhook and
// return routes, the payer's pages (through the portal's PortalHost), the receipt and ERP write-back jobs,
// and AutoPay's daily run.
import { Effect, Layer, Result } from "effect"
import type { SqlClient } from "effect/sql"
import { AuditLog } from "../../core/audit/AuditLog.ts"
import { handlerOf } from "../../core/jobs/Job.ts"
import { JobQueue } from "../../core/jobs/JobQueue.ts"
import * as RecurringSchedule from "../../core/jobs/RecurringSchedule.ts"
import { definePlugin } from "../../core/plugin/Plugin.ts"
import { PortalHost } from "../../core/plugin/PortalHost.ts"
import { Renderers } from "../../core/render/Renderers.ts"
import { Store } from "../../core/store/Store.ts"
import { AutoPay, autoPayChargeJob, autoPayRunJob } from "./AutoPay.ts"
import { paymentsMigrations } from "./migrations/index.ts"
import { receiptJob, writeBackJob } from "./PaymentJobs.ts"
import { PaymentLedger } from "./PaymentLedger.ts"
import { paymentPagesRoutes } from "./PaymentPages.ts"
import type { PaymentProvider } from "./PaymentProvider.ts"
import { returnRoute, webhookRoute } from "./PaymentRoutes.ts"
import { Payments } from "./Payments.ts"
import { PaymentsConfig } from "./PaymentsConfig.ts"
import { type InvalidMinimum, PaymentsSettings, resolveSettings } from "./PaymentsSettings.ts"
import * as MollieProvider from "./providers/MollieProvider.ts"
import * as StripeProvider from "./providers/StripeProvider.ts"

/** The services the plugin provides. */
export type PaymentsServices = Payments | AutoPay | PaymentLedger | PaymentProvider | PaymentsSettings

/**
 * What the plugin needs from the application: the store's client, Store and audit log, the job queue, the
 * renderer registry (for receipts) and the portal's PortalHost (for the payer's pages); its jobs and routes
 * also use its own services.
 */
export type PaymentsRequirements =
  | SqlClient.SqlClient
  | Store
  | AuditLog
  | JobQueue
  | Renderers
  | PortalHost
  | PaymentsServices

/** The payments plugin, for `composePlugins([paymentsPlugin, ...], { settings: { payments: {...} } })`. */
export const paymentsPlugin = definePlugin<PaymentsConfig, PaymentsServices, InvalidMinimum, PaymentsRequirements>({
  id: "payments",
  version: "0.1.0",
  description: "Online payments through Stripe or Mollie: invoices, partial and advance payments, credit, AutoPay.",
  config: PaymentsConfig,
  feature: "payments",
  requires: { services: [Store, AuditLog, JobQueue, Renderers, PortalHost] },
  migrations: paymentsMigrations,
  make: (config) => {
    const provider =
      config.provider.kind === "stripe" ? StripeProvider.layer(config.provider) : MollieProvider.layer(config.provider)
    const settings = Layer.effect(PaymentsSettings, Effect.fromResult(resolveSettings(config)))
    const autoPayRun = RecurringSchedule.recurring({
      name: "payments/autopay",
      job: autoPayRunJob,
      payload: {},
      cron: config.autoPaySchedule ?? "0 6 * * *",
      timeZone: config.autoPayTimeZone ?? "UTC"
    })
    return {
      layer: AutoPay.layer.pipe(
        Layer.provideMerge(Payments.layer),
        Layer.provideMerge(PaymentLedger.layer),
        Layer.provideMerge(provider),
        Layer.provideMerge(settings)
      ),
      routes: [webhookRoute(config.provider.kind), returnRoute, ...paymentPagesRoutes],
      jobs: [handlerOf(receiptJob), handlerOf(writeBackJob), handlerOf(autoPayRunJob), handlerOf(autoPayChargeJob)],
      schedules: Result.isSuccess(autoPayRun) ? [autoPayRun.success] : []
    }
  }
})
