// Why a plugin composition refused to start, and why a plugin refused an account: each names the plugin and
// the field, requirement or tier at fault.
import { Schema } from "effect"

/** A plugin's settings do not decode; `field` is the first offending path ("stripe.secretKey"). */
export class PluginConfigInvalid extends Schema.TaggedError<PluginConfigInvalid>()("PluginConfigInvalid", {
  pluginId: Schema.String,
  field: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `plugin "${this.pluginId}": invalid config at ${this.field}: ${this.detail.replaceAll("\n", " ")}`
  }
}

/** The plugin list cannot start: a duplicate id, a required plugin or service missing, or a cycle. */
export class PluginCompositionError extends Schema.TaggedError<PluginCompositionError>()("PluginCompositionError", {
  pluginId: Schema.String,
  problem: Schema.Literals(["duplicate-id", "missing-plugin", "missing-service", "cycle", "duplicate-job-kind"]),
  detail: Schema.String
}) {
  override get message(): string {
    return `plugin "${this.pluginId}": ${this.problem}: ${this.detail}`
  }
}

/** Everything that stops a composition at start-up. */
export type PluginStartError = PluginConfigInvalid | PluginCompositionError

/** The account's tier does not have the plugin switched on. */
export class PluginDisabled extends Schema.TaggedError<PluginDisabled>()("PluginDisabled", {
  pluginId: Schema.String,
  tier: Schema.String
}) {
  override get message(): string {
    return `the plugin "${this.pluginId}" is not enabled for tier "${this.tier}"`
  }
}
