// The portal analytics plugin, declared as data: the figures the business watches, a page and a JSON
// endpoint under /plugins/analytics, and the audit-log indexes that keep them fast.
import { Schema } from "effect"
import type { SqlClient } from "effect/sql"
import { definePlugin, type PluginContributions } from "../../core/plugin/Plugin.ts"
import { PortalHost } from "../../core/plugin/PortalHost.ts"
import { Store } from "../../core/store/Store.ts"
import { analyticsMigrations } from "./AnalyticsMigrations.ts"
import { analyticsRoutes } from "./AnalyticsRoutes.ts"
import { PortalAnalytics } from "./PortalAnalytics.ts"

/** The plugin has no settings. */
export const AnalyticsConfig = Schema.Struct({})

/** What the plugin's layer and routes need. */
export type AnalyticsNeeds = PortalAnalytics | PortalHost | Store | SqlClient.SqlClient

/**
 * The plugin: `PortalAnalytics`, `GET /plugins/analytics/` (page) and `/plugins/analytics/report.json`, and the
 * `analytics/0001_audit_indexes` migration. Needs a `PortalHost` (API-key auth for the business) and the store.
 */
export const analyticsPlugin = definePlugin({
  id: "analytics",
  version: "1.0.0",
  description: "Time to first view, sign-ins, views and downloads, and unseen overdue invoices, for the business.",
  config: AnalyticsConfig,
  requires: { services: [PortalHost, Store] },
  migrations: analyticsMigrations,
  make: (): PluginContributions<PortalAnalytics, never, AnalyticsNeeds> => ({
    layer: PortalAnalytics.layer,
    routes: analyticsRoutes()
  })
})
