// The reminders plugin as data: it requires the notifications plugin (reminders go out through its outbox),
// runs one job a day on a recurring schedule, and offers the preview route when a token is configured.
import { Result } from "effect"
import type { SqlClient } from "effect/sql"
import { handlerOf } from "../../core/jobs/Job.ts"
import { recurring } from "../../core/jobs/RecurringSchedule.ts"
import { definePlugin, type PluginContributions } from "../../core/plugin/Plugin.ts"
import type { PluginGate } from "../../core/plugin/PluginGate.ts"
import type { Store } from "../../core/store/Store.ts"
import { Notifications } from "../notifications/Notifications.ts"
import { previewRoute } from "./internal/PreviewRoute.ts"
import { remindersMigrations } from "./migrations/index.ts"
import { Reminders } from "./Reminders.ts"
import { RemindersConfig } from "./RemindersConfig.ts"

/** The reminders plugin: dunning sequences with per-account overrides, a daily run, a preview. */
export const remindersPlugin = definePlugin({
  id: "reminders",
  version: "1.0.0",
  description: "Sends dunning reminders before and after invoices fall due, and stops when they are settled.",
  config: RemindersConfig,
  requires: { plugins: ["notifications"], services: [Notifications] },
  migrations: remindersMigrations,
  make: (
    config
  ): PluginContributions<Reminders, never, Reminders | Store | SqlClient.SqlClient | Notifications | PluginGate> => {
    const daily = Reminders.dailyJob(config.timeZone)
    const schedule = recurring({
      name: "reminders/daily",
      job: daily,
      payload: {},
      cron: config.cron,
      timeZone: config.timeZone
    })
    return {
      layer: Reminders.layer(config),
      jobs: [handlerOf(daily)],
      // The config's Schema checked the cron expression and the time zone, so the schedule always parses.
      schedules: Result.isSuccess(schedule) ? [schedule.success] : [],
      ...(config.previewToken === undefined
        ? {}
        : {
            routes: [
              {
                route: previewRoute({
                  token: config.previewToken,
                  defaultDays: config.previewDays,
                  timeZone: config.timeZone
                })
              }
            ]
          })
    }
  }
})
