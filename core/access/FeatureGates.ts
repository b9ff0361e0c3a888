// Features switched on or off per account tier ("standard" customers may not get statements or payments).
import { Context, Effect, Layer, Schema } from "effect"
import { Tier } from "../domain/Account.ts"

/** A portal feature that can be sold per tier. */
export const Feature = Schema.Literals(["statements", "bulk-export", "payments", "comments"])
export type Feature = typeof Feature.Type

/**
 * The gate configuration: the features of each named tier, and the features of any tier not named.
 * Written by the business in its config file; decoding fails on an unknown feature name.
 */
export const FeatureGatesConfig = Schema.Struct({
  default: Schema.Array(Feature),
  tiers: Schema.Record(Tier, Schema.Array(Feature))
})
export type FeatureGatesConfig = typeof FeatureGatesConfig.Type

/** Every feature for every tier: what a portal without gate configuration offers. */
export const allFeaturesEverywhere: FeatureGatesConfig = { default: Feature.literals, tiers: {} }

/** Whether `feature` is enabled for accounts of `tier`. A named tier replaces the default, it does not add to it. */
export const isEnabled = (config: FeatureGatesConfig, tier: Tier, feature: Feature): boolean =>
  (Object.hasOwn(config.tiers, tier) ? (config.tiers[tier] ?? []) : config.default).includes(feature)

/** The account's tier does not include the feature. */
export class FeatureDisabled extends Schema.TaggedError<FeatureDisabled>()("FeatureDisabled", {
  tier: Tier,
  feature: Feature
}) {
  override get message(): string {
    return `the feature "${this.feature}" is not enabled for tier "${this.tier}"`
  }
}

/** The feature gates in force. */
export class FeatureGates extends Context.Service<FeatureGates, FeatureGatesConfig>()(
  "portico/core/access/FeatureGates"
) {
  /** Gates from a configuration. */
  static readonly layer = (config: FeatureGatesConfig): Layer.Layer<FeatureGates> => Layer.succeed(FeatureGates, config)
  /** Every feature enabled for every tier. */
  static readonly layerAllEnabled: Layer.Layer<FeatureGates> = Layer.succeed(FeatureGates, allFeaturesEverywhere)
}

/** Succeeds when the tier has the feature, fails with `FeatureDisabled` otherwise. */
export const requireFeature = Effect.fn("FeatureGates.requireFeature")(function* (tier: Tier, feature: Feature) {
  const config = yield* FeatureGates
  if (!isEnabled(config, tier, feature)) return yield* new FeatureDisabled({ tier, feature })
})
