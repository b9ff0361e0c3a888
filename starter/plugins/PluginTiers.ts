// The starter config's `pluginTiers`: for plugins without a tier feature, the account tiers each is switched
// on for (passed to composePlugins as `tiers`). It sits beside `plugins`, not inside a plugin's entry, because
// each entry is decoded by its plugin's own Schema, which knows nothing of tiers.
import { Result, Schema } from "effect"
import { Tier } from "../../core/domain/Account.ts"
import type { AnyPlugin } from "../../core/plugin/Plugin.ts"
import { UnknownPlugin } from "./StarterPlugins.ts"

/** `pluginTiers` as the config file holds it: tiers by plugin id (`{ "reminders": ["premium"] }`). */
export const PluginTiers = Schema.Record(Schema.String, Schema.Array(Tier))
export type PluginTiers = typeof PluginTiers.Type

/** A `pluginTiers` entry for a plugin that its tier feature switches instead (FeatureGates). */
export class PluginTiersNotApplicable extends Schema.TaggedError<PluginTiersNotApplicable>()(
  "PluginTiersNotApplicable",
  { pluginId: Schema.String, feature: Schema.String }
) {
  override get message(): string {
    return `pluginTiers.${this.pluginId}: plugin "${this.pluginId}" is switched per tier by its tier feature "${this.feature}" (FeatureGates), not by pluginTiers`
  }
}

/**
 * The tiers to compose `available` with; fails on an entry naming a plugin that is not available (a typo must
 * not leave a plugin on for every tier) or one switched by a tier feature (the entry would be ignored).
 */
export const selectTiers = (
  available: ReadonlyArray<AnyPlugin>,
  tiers: PluginTiers | undefined
): Result.Result<PluginTiers, UnknownPlugin | PluginTiersNotApplicable> => {
  const known = available.map((plugin) => plugin.manifest.id)
  for (const pluginId of Object.keys(tiers ?? {})) {
    const plugin = available.find((candidate) => candidate.manifest.id === pluginId)
    if (plugin === undefined) return Result.fail(new UnknownPlugin({ pluginId, known, setting: "pluginTiers" }))
    const feature = plugin.manifest.feature
    if (feature !== undefined) return Result.fail(new PluginTiersNotApplicable({ pluginId, feature }))
  }
  return Result.succeed(tiers ?? {})
}
