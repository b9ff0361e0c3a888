// The plugins the starter portal ships with, and how the `plugins` section of its config picks among them:
// a plugin with a section is loaded (its section decoded by its own Schema when the portal starts), a plugin
// without one is not.
import { Redacted, Result, Schema } from "effect"
import type { AnyPlugin } from "../../core/plugin/Plugin.ts"
import { analyticsPlugin } from "../../plugins/analytics/AnalyticsPlugin.ts"
import { commentsPlugin } from "../../plugins/comments/CommentsPlugin.ts"
import { notificationsPlugin } from "../../plugins/notifications/NotificationsPlugin.ts"
import { paymentsPlugin } from "../../plugins/payments/PaymentsPlugin.ts"
import { remindersPlugin } from "../../plugins/reminders/RemindersPlugin.ts"
import { portalMigrationsWith } from "../migrations/starterMigrations.ts"

/** Every plugin the starter can load, in any order (composition orders them by what they require). */
export const starterPlugins = [
  notificationsPlugin,
  remindersPlugin,
  commentsPlugin,
  analyticsPlugin,
  paymentsPlugin
] as const

/** One of the starter's plugins. */
export type StarterPlugin = (typeof starterPlugins)[number]

/**
 * The `plugins` section as the file holds it: each plugin's raw settings by id (`{}` for a plugin with no
 * settings). Each entry is decoded by its plugin's own Schema at start-up, so errors name plugin and field.
 */
export const PluginsSection = Schema.Record(Schema.String, Schema.Record(Schema.String, Schema.Unknown))
export type PluginsSection = typeof PluginsSection.Type

/**
 * The section as the portal keeps it: redacted as a whole, because entries hold secrets (an SMTP URL with a
 * password, a provider key) that only the plugins' own Schemas mark as secret once decoded.
 */
export type PluginSettings = Redacted.Redacted<PluginsSection>

/** A plugin named in the `plugins` section (or in `setting`, such as `pluginTiers`) that the portal does not know. */
export class UnknownPlugin extends Schema.TaggedError<UnknownPlugin>()("UnknownPlugin", {
  pluginId: Schema.String,
  known: Schema.Array(Schema.String),
  setting: Schema.optionalKey(Schema.String)
}) {
  override get message(): string {
    const where = `${this.setting ?? "plugins"}.${this.pluginId}`
    return `${where}: no plugin "${this.pluginId}" in this portal (it has: ${this.known.join(", ")})`
  }
}

/**
 * The plugins of `available` that `settings` configures, in the order of `available`; fails on a section
 * naming a plugin that is not available (a typo must not silently leave a plugin off).
 */
export const selectPlugins = <P extends AnyPlugin>(
  available: ReadonlyArray<P>,
  settings: PluginSettings | undefined
): Result.Result<ReadonlyArray<P>, UnknownPlugin> => {
  const section = sectionOf(settings)
  const known = available.map((plugin) => plugin.manifest.id)
  const unknown = Object.keys(section).find((id) => !known.includes(id))
  if (unknown !== undefined) return Result.fail(new UnknownPlugin({ pluginId: unknown, known }))
  return Result.succeed(available.filter((plugin) => Object.hasOwn(section, plugin.manifest.id)))
}

/** The setting of each plugin that defaults to the portal's public URL. */
const publicUrlSettings = new Map([
  ["notifications", "baseUrl"],
  ["payments", "portalUrl"]
])

/**
 * The starter's defaults, filled in before the plugins decode their entries: unless the entry sets them, the
 * notifications plugin's `baseUrl` (where its deep links point) and the payments plugin's `portalUrl` (where
 * the provider sends the payer back) are the portal's public URL.
 */
export const withPortalDefaults = (section: PluginsSection, publicUrl: URL): PluginsSection =>
  Object.fromEntries(
    Object.entries(section).map(([pluginId, entry]) => {
      const setting = publicUrlSettings.get(pluginId)
      return setting === undefined || Object.hasOwn(entry, setting)
        ? [pluginId, entry]
        : [pluginId, { [setting]: publicUrl.origin, ...entry }]
    })
  )

/** The raw settings by plugin id, for `composePlugins` (which decodes each with its plugin's Schema). */
export const sectionOf = (settings: PluginSettings | undefined): PluginsSection =>
  settings === undefined ? {} : Redacted.value(settings)

/** The starter portal's migration list (`npm start`, `portico serve` and `portico migrate` all use it). */
export const starterPortalMigrations = portalMigrationsWith(starterPlugins)
