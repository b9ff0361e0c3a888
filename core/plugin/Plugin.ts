// The plugin contract: a plugin declares itself as data (id, version, config Schema, what it requires, its
// migrations, the tier feature that gates it) and, from its decoded config, contributes a Layer of services,
// HTTP routes, domain event handlers, durable jobs and recurring schedules. Composition is plain code.
import { type Context, type Effect, type Layer, Result, Schema } from "effect"
import type { HttpRouter } from "effect/http"
import type { Feature } from "../access/FeatureGates.ts"
import type { DomainEvent } from "../events/DomainEvents.ts"
import type { JobHandler } from "../jobs/Job.ts"
import type { RecurringSchedule } from "../jobs/RecurringSchedule.ts"
import type { Migration } from "../store/Migration.ts"
import { PluginConfigInvalid } from "./PluginErrors.ts"

/** A plugin id: kebab-case, "payments", "dunning-reminders". */
export const PluginId = Schema.String.check(
  Schema.isPattern(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { expected: "a kebab-case id such as payments" })
)
export type PluginId = typeof PluginId.Type

/** A semantic version, "1.2.0". */
export const PluginVersion = Schema.String.check(
  Schema.isPattern(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, { expected: "a semantic version such as 1.0.0" })
)

/** Where a route is mounted: under `/plugins/<id>` (the default), or at its own path from the root. */
export type RouteMount = "plugin" | "root"

/** One HTTP route a plugin adds; `mount: "root"` for paths a third party calls (a provider's webhook). */
export interface PluginRoute<R> {
  readonly route: HttpRouter.Route<unknown, R>
  readonly mount?: RouteMount
}

/**
 * What a plugin adds, built from its decoded config. Every part is optional. `Provides` is what `layer`
 * adds; `R` is what the parts need: from the application, from the plugins in `requires.plugins`, or from
 * this plugin's own layer (the composition removes what the plugins provide from what the whole needs).
 */
export interface PluginContributions<Provides, E, R> {
  /** The plugin's services. */
  readonly layer?: Layer.Layer<Provides, E, R>
  /** Routes, mounted by the starter under `/plugins/<id>` or at the root (see `PluginRoute`). */
  readonly routes?: ReadonlyArray<PluginRoute<R>>
  /**
   * Called for every domain event published after start-up. Failures are logged, never stop the
   * subscription; work that must not be lost belongs in a job the handler enqueues.
   */
  readonly onEvent?: (event: DomainEvent) => Effect.Effect<void, unknown, R>
  /** The job kinds the plugin runs (their kinds should start with the plugin id: "payments/autopay"). */
  readonly jobs?: ReadonlyArray<JobHandler<R>>
  /** Recurring schedules; their jobs must be among `jobs`. */
  readonly schedules?: ReadonlyArray<RecurringSchedule<R>>
}

/** What a plugin needs from its host: other plugins (by id, started before it) and services (checked at start). */
export interface PluginRequirements {
  readonly plugins?: ReadonlyArray<string>
  readonly services?: ReadonlyArray<Context.Key<unknown, unknown>>
}

/** The declaration a plugin module exports, as data. */
export interface PluginManifest {
  readonly id: PluginId
  readonly version: string
  readonly description: string
  readonly requires: { readonly plugins: ReadonlyArray<string>; readonly services: ReadonlyArray<string> }
  /** The tier feature that switches the plugin on or off per account (FeatureGates); absent: per-plugin tiers. */
  readonly feature?: Feature
  /** Namespaced migrations (`<id>/0001_...`), run after the core's. */
  readonly migrations: ReadonlyArray<Migration>
}

/**
 * A plugin, ready to compose: its manifest, its config Schema (for documentation and tooling), the service
 * keys it checks for at start, and `build`, which decodes raw settings and returns the contributions.
 */
export interface Plugin<Provides, E, R> {
  readonly manifest: PluginManifest
  readonly configSchema: Schema.Top
  readonly serviceKeys: ReadonlyArray<Context.Key<unknown, unknown>>
  /** Decodes raw settings: the contributions, or the invalid field (a plain union keeps the type covariant). */
  readonly build: (settings: unknown) => PluginContributions<Provides, E, R> | PluginConfigInvalid
}

/** A plugin of any services, errors and requirements (what lists of plugins hold). */
export type AnyPlugin = Plugin<never, unknown, unknown>

/** The definition `definePlugin` takes. */
export interface PluginDefinition<Config, Provides, E, R> {
  readonly id: string
  readonly version: string
  readonly description: string
  /** Decodes the plugin's settings; mark secrets with `Schema.Redacted` so they never print. */
  readonly config: Schema.Codec<Config, unknown>
  readonly requires?: PluginRequirements
  readonly feature?: Feature
  readonly migrations?: ReadonlyArray<Migration>
  readonly make: (config: Config) => PluginContributions<Provides, E, R>
}

/** `["stripe"]["secretKey"]` → `stripe.secretKey`: the path of the first issue in a Schema error message. */
const firstField = (message: string): string => {
  const at = /at (\[.*\])/.exec(message)?.[1]
  if (at === undefined) return "(root)"
  return [...at.matchAll(/\[("([^"]*)"|(\d+))\]/g)].map((m) => m[2] ?? m[3] ?? "").join(".")
}

/**
 * Declares a plugin: checks its id, version and migration namespaces now (a plugin is a literal in code, so a
 * mistake throws at import), and returns it ready for `composePlugins`.
 */
export const definePlugin = <Config, Provides, E, R>(
  definition: PluginDefinition<Config, Provides, E, R>
): Plugin<Provides, E, R> => {
  const id = Schema.decodeUnknownSync(PluginId)(definition.id)
  Schema.decodeUnknownSync(PluginVersion)(definition.version)
  const migrations = definition.migrations ?? []
  for (const migration of migrations) {
    if (!migration.id.startsWith(`${id}/`)) {
      throw new RangeError(`plugin ${id}: migration ${migration.id} must be namespaced "${id}/..."`)
    }
  }
  const decode = Schema.decodeUnknownResult(definition.config)
  const serviceKeys = definition.requires?.services ?? []
  return {
    manifest: {
      id,
      version: definition.version,
      description: definition.description,
      requires: { plugins: definition.requires?.plugins ?? [], services: serviceKeys.map((key) => key.key) },
      ...(definition.feature === undefined ? {} : { feature: definition.feature }),
      migrations
    },
    configSchema: definition.config,
    serviceKeys,
    build: (settings) =>
      Result.match(decode(settings ?? {}, { errors: "all" }), {
        onFailure: (error): PluginContributions<Provides, E, R> | PluginConfigInvalid =>
          new PluginConfigInvalid({ pluginId: id, field: firstField(error.message), detail: error.message }),
        onSuccess: (config) => definition.make(config)
      })
  }
}
