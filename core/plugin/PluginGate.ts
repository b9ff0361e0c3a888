// One plugin's per-account switch: whether the plugin is on for an account's tier. The composition gives
// every plugin its own gate (its layer, event handler, jobs and routes see the gate of their plugin), and it
// already holds back the domain events of accounts whose tier has the plugin off; batch jobs and services
// that act for many accounts ask the gate themselves, per account.
import { Context, Effect, Layer } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import type { Tier } from "../domain/Account.ts"

/** The gate of the plugin it is given to. */
export class PluginGate extends Context.Service<
  PluginGate,
  {
    readonly pluginId: string
    /** Whether the plugin is on for every tier (then no account's tier needs reading). */
    readonly everywhere: boolean
    /** Whether the plugin is on for accounts of `tier`. */
    readonly isEnabled: (tier: Tier) => boolean
    /** Whether the plugin is on for the account's tier; false for an account the store does not hold. */
    readonly allows: (accountId: string) => Effect.Effect<boolean, SqlError>
  }
>()("portico/core/plugin/PluginGate") {
  /** A gate open for every account: for a plugin's services used without a composition (tests, tools). */
  static readonly open = (pluginId: string): Layer.Layer<PluginGate> =>
    Layer.succeed(
      PluginGate,
      PluginGate.of({ pluginId, everywhere: true, isEnabled: () => true, allows: () => Effect.succeed(true) })
    )
}
