// The comments and analytics plugins as data: manifests, the comments tier feature, namespaced migrations in
// start order, and settings decoded (or refused, naming the field) when the composition is planned.
import { assert, describe, it } from "@effect/vitest"
import { PluginConfigInvalid } from "../../../core/plugin/PluginErrors.ts"
import { composePlugins } from "../../../core/plugin/PluginRegistry.ts"
import { analyticsPlugin } from "../../../plugins/analytics/AnalyticsPlugin.ts"
import { commentsPlugin } from "../../../plugins/comments/CommentsPlugin.ts"

describe("the comments and analytics plugins", () => {
  it("declare manifests, the comments tier feature and namespaced migrations", () => {
    const composed = composePlugins([commentsPlugin, analyticsPlugin])
    assert.deepStrictEqual(
      composed.manifests.map((m) => [m.id, m.version, m.feature ?? null, m.requires.services]),
      [
        [
          "comments",
          "1.0.0",
          "comments",
          ["portico/core/plugin/PortalHost", "portico/core/store/Store", "portico/core/audit/AuditLog"]
        ],
        ["analytics", "1.0.0", null, ["portico/core/plugin/PortalHost", "portico/core/store/Store"]]
      ]
    )
    assert.deepStrictEqual(
      composed.migrations.map((m) => m.id),
      ["comments/0001_invoice_comments", "analytics/0001_audit_indexes"]
    )
  })

  it("decode their settings: defaults, a chosen permission, and a refusal that names the field", () => {
    assert.isFalse(commentsPlugin.build({}) instanceof PluginConfigInvalid)
    assert.isFalse(commentsPlugin.build({ disputePermission: "view-invoices" }) instanceof PluginConfigInvalid)
    const refused = commentsPlugin.build({ disputePermission: "approve" })
    assert.instanceOf(refused, PluginConfigInvalid)
    assert.match(
      refused instanceof PluginConfigInvalid ? refused.message : "",
      /^plugin "comments": invalid config at disputePermission: Expected "view-invoices" \| "download" \| "pay"/
    )
  })
})
