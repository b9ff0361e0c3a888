// The notifications plugin as data: its config, migrations and contributions (the services, the delivery and
// relay jobs, the relay's schedule, and the event handler that turns invoice events into messages).
import { Effect, Layer, Option, Result } from "effect"
import type { SqlClient } from "effect/sql"
import { handlerOf } from "../../core/jobs/Job.ts"
import type { JobQueue } from "../../core/jobs/JobQueue.ts"
import { recurring } from "../../core/jobs/RecurringSchedule.ts"
import { definePlugin, type PluginContributions } from "../../core/plugin/Plugin.ts"
import { PluginConfigInvalid } from "../../core/plugin/PluginErrors.ts"
import type { PluginGate } from "../../core/plugin/PluginGate.ts"
import type { Store } from "../../core/store/Store.ts"
import { EmailTransport } from "./EmailTransport.ts"
import { InAppNotifications } from "./InAppNotifications.ts"
import { notificationsMigrations } from "./migrations/index.ts"
import { Notifications } from "./Notifications.ts"
import { NotificationsConfig } from "./NotificationsConfig.ts"

/** The plugin's services over an e-mail transport of the caller's choosing (tests, another mail route). */
export const notificationsLayer = (config: NotificationsConfig) =>
  Layer.merge(Notifications.layer(config), InAppNotifications.layer)

/**
 * How the plugin's mail leaves: SMTP when its settings name a server (an operator's explicit choice), else
 * the `EmailTransport` the host provides; with neither, the plugin fails at start naming `smtp`.
 */
export const transportFor = (config: NotificationsConfig): Layer.Layer<EmailTransport, PluginConfigInvalid> =>
  config.smtp !== undefined
    ? EmailTransport.smtp({ url: config.smtp.url, from: config.smtp.from })
    : Layer.effect(
        EmailTransport,
        Effect.flatMap(Effect.serviceOption(EmailTransport), (given) =>
          Option.match(given, {
            onSome: Effect.succeed,
            onNone: () =>
              Effect.fail(
                new PluginConfigInvalid({
                  pluginId: "notifications",
                  field: "smtp",
                  detail: "no SMTP server is configured and the portal provides no EmailTransport"
                })
              )
          })
        )
      )

/**
 * The notifications plugin: outbox e-mail over SMTP (or the host's transport), in-app notifications,
 * per-contact preferences. Needs the store, the job queue and the portal's migrations (its recipients query
 * reads the portal's settings).
 */
export const notificationsPlugin = definePlugin({
  id: "notifications",
  version: "1.0.0",
  description: "Tells contacts about new invoices, status changes and reminders, by e-mail and in the portal.",
  config: NotificationsConfig,
  migrations: notificationsMigrations,
  make: (
    config
  ): PluginContributions<
    Notifications | InAppNotifications | EmailTransport,
    PluginConfigInvalid,
    Notifications | Store | SqlClient.SqlClient | JobQueue | PluginGate
  > => {
    const relaySchedule = recurring({
      name: "notifications/relay",
      job: Notifications.relayJob,
      payload: {},
      cron: config.relayCron
    })
    return {
      layer: notificationsLayer(config).pipe(Layer.provideMerge(transportFor(config))),
      jobs: [handlerOf(Notifications.deliverJob(config)), handlerOf(Notifications.relayJob)],
      // The config's Schema checked the cron expression, so the schedule always parses.
      schedules: Result.isSuccess(relaySchedule) ? [relaySchedule.success] : [],
      onEvent: (event) =>
        event._tag === "InvoiceChanged"
          ? Effect.asVoid(
              Effect.flatMap(Notifications, (notifications) =>
                notifications.recordEvents(
                  event.events.map((fact) => ({
                    eventId: fact.eventId,
                    type: fact._tag,
                    invoiceId: event.invoiceId,
                    occurredOn: fact.occurredOn
                  }))
                )
              )
            )
          : Effect.void
    }
  }
})
