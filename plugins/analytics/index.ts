// The portal analytics plugin.
export * from "./AnalyticsMigrations.ts"
export * from "./AnalyticsPlugin.ts"
export * from "./AnalyticsRoutes.ts"
export * from "./PortalAnalytics.ts"
