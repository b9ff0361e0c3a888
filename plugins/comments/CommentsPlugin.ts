// The comments and disputes plugin, declared as data: a thread per invoice between the customer and the
// business, "needs attention" until the business resolves it, and disputes that pause collection.
import { Schema } from "effect"
import type { SqlClient } from "effect/sql"
import { Permission } from "../../core/access/Permission.ts"
import { AuditLog } from "../../core/audit/AuditLog.ts"
import type { DomainEvents } from "../../core/events/DomainEvents.ts"
import { definePlugin, type PluginContributions } from "../../core/plugin/Plugin.ts"
import { PortalHost } from "../../core/plugin/PortalHost.ts"
import { Store } from "../../core/store/Store.ts"
import { Comments, type CommentsRules } from "./Comments.ts"
import { commentsMigrations } from "./CommentsMigrations.ts"
import { commentsRoutes } from "./CommentsRoutes.ts"

/** The plugin's settings (every field optional). */
export const CommentsConfig = Schema.Struct({
  /** The permission a customer needs on an invoice to comment on it. Default "view-invoices". */
  commentPermission: Schema.optionalKey(Permission),
  /** The permission a customer needs on an invoice to dispute it. Default "pay". */
  disputePermission: Schema.optionalKey(Permission)
})
export type CommentsConfig = typeof CommentsConfig.Type

/** What the plugin's layer and routes need from the application (and from their own layer). */
export type CommentsNeeds = Comments | PortalHost | Store | AuditLog | DomainEvents | SqlClient.SqlClient

/** The rules a config means, defaults filled in. */
export const rulesOf = (config: CommentsConfig): CommentsRules => ({
  commentPermission: config.commentPermission ?? "view-invoices",
  disputePermission: config.disputePermission ?? "pay"
})

/**
 * The plugin: the `Comments` use cases (announcing `CommentAdded` and disputes' `InvoiceChanged` on the domain
 * event bus), customer pages and the business API under `/plugins/comments`, and the
 * `comments/0001_invoice_comments` migration. Needs a `PortalHost` (the starter's: `StarterHost.layer`), the
 * store, the audit log and the bus; switched per tier by the "comments" feature.
 */
export const commentsPlugin = definePlugin({
  id: "comments",
  version: "1.0.0",
  description: "A thread per invoice between customer and business, needs-attention flags, and disputes.",
  config: CommentsConfig,
  feature: "comments",
  requires: { services: [PortalHost, Store, AuditLog] },
  migrations: commentsMigrations,
  make: (config): PluginContributions<Comments, never, CommentsNeeds> => {
    const rules = rulesOf(config)
    return {
      layer: Comments.layer(rules),
      routes: commentsRoutes(rules)
    }
  }
})
