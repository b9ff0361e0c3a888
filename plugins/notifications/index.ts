// The notifications plugin: outbox e-mail, in-app notifications, preferences, templates.
export * from "./EmailTransport.ts"
export * from "./InAppNotifications.ts"
export * from "./MessageTemplates.ts"
export * from "./migrations/index.ts"
export * from "./Notifications.ts"
export * from "./NotificationsConfig.ts"
export * from "./NotificationsPlugin.ts"
export * from "./Topics.ts"
