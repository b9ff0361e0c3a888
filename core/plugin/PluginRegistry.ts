// Composing plugins at start-up: validate the list (unique ids, required plugins present and ordered before
// their dependants, no cycles, settings that decode, no job kind claimed twice), then build one Layer with
// the registry of tier switches, every plugin's services, the job handlers and the event subscriptions, plus
// the routes and schedules layers the starter mounts. Each plugin's layer, event handler, jobs and routes run
// with its own PluginGate; its event handler only sees events of accounts whose tier has it on. Plain code:
// the plugins are values passed in, nothing is looked up by name.
import { Context, Effect, Layer, Option, Result, Stream } from "effect"
import { HttpRouter } from "effect/http"
import { SqlClient } from "effect/sql"
import { FeatureGates, isEnabled as featureEnabled } from "../access/FeatureGates.ts"
import type { Tier } from "../domain/Account.ts"
import { DomainEvents } from "../events/DomainEvents.ts"
import type { JobContext, JobHandler } from "../jobs/Job.ts"
import { JobHandlers } from "../jobs/JobHandlers.ts"
import type { JobQueue } from "../jobs/JobQueue.ts"
import * as RecurringSchedule from "../jobs/RecurringSchedule.ts"
import type { Migration } from "../store/Migration.ts"
import { Store } from "../store/Store.ts"
import { AccountTiers } from "./AccountTiers.ts"
import { startOrder } from "./internal/startOrder.ts"
import type { AnyPlugin, Plugin, PluginContributions, PluginManifest, PluginRoute } from "./Plugin.ts"
import { PluginCompositionError, PluginConfigInvalid, PluginDisabled, type PluginStartError } from "./PluginErrors.ts"
import { PluginGate } from "./PluginGate.ts"

/** The services a list of plugins provides. */
export type ProvidesOf<P> = P extends Plugin<infer A, infer _E, infer _R> ? A : never
/** The errors a list of plugins' layers may fail with. */
export type ErrorOf<P> = P extends Plugin<infer _A, infer E, infer _R> ? E : never
/** What a list of plugins needs. */
export type RequirementsOf<P> = P extends Plugin<infer _A, infer _E, infer R> ? R : never

/** How to compose: each plugin's raw settings by id, and for plugins without a tier feature, their tiers. */
export interface CompositionOptions {
  /** Raw settings by plugin id (from the config file); a plugin without an entry gets `{}`. */
  readonly settings?: Readonly<Record<string, unknown>>
  /**
   * For plugins that declare no `feature`: the tiers it is switched on for (absent: every tier). Plugins that
   * declare a feature follow `FeatureGates` instead. A plugin switched on for some tiers only needs accounts'
   * tiers: `AccountTiers` when the application provides it, else the store's (`Store` and `SqlClient`).
   */
  readonly tiers?: Readonly<Record<string, ReadonlyArray<string>>>
}

/** The composed plugins, for the starter to use. */
export interface ComposedPlugins<P, E, R> {
  /** Manifests in start order (every plugin after those it requires). */
  readonly manifests: ReadonlyArray<PluginManifest>
  /** The plugins' migrations in start order: `[...coreMigrations, ...jobsMigrations, ...composed.migrations]`. */
  readonly migrations: ReadonlyArray<Migration>
  /**
   * Every plugin's services, `PluginRegistry` and `JobHandlers` (for `JobWorker.layer`), and the event
   * handlers subscribed to `DomainEvents`. Fails at build with a `PluginStartError` naming the plugin.
   */
  readonly layer: Layer.Layer<
    P | PluginRegistry | JobHandlers,
    E | PluginStartError,
    Exclude<R, P | PluginGate> | DomainEvents
  >
  /**
   * The routes, for the starter's router: plugin routes under `/plugins/<id>`, root routes as declared.
   * Their handlers get the plugins' services (and their plugin's gate) when the layer is built: provide it
   * with `layer`.
   */
  readonly routes: Layer.Layer<
    never,
    never,
    HttpRouter.HttpRouter | PluginRegistry | Exclude<R | P, HttpRouter.Provided | PluginGate>
  >
  /** The recurring schedules, enqueueing their ticks (run it in every process; ticks are deduplicated). */
  readonly schedules: Layer.Layer<never, never, JobQueue>
}

/** The running composition: which plugins are in, and whether each is on for a tier. */
export class PluginRegistry extends Context.Service<
  PluginRegistry,
  {
    readonly manifests: ReadonlyArray<PluginManifest>
    /** Whether the plugin is composed and switched on for accounts of `tier`. */
    readonly isEnabled: (pluginId: string, tier: Tier) => boolean
    /** Fails with PluginDisabled unless `isEnabled`. */
    readonly require: (pluginId: string, tier: Tier) => Effect.Effect<void, PluginDisabled>
    /** The plugin's gate (for a plugin not composed: one that is closed for every account). */
    readonly gate: (pluginId: string) => PluginGate["Service"]
  }
>()("portico/core/plugin/PluginRegistry") {}

interface Planned {
  readonly manifest: PluginManifest
  readonly serviceKeys: AnyPlugin["serviceKeys"]
  readonly contributions: PluginContributions<never, unknown, unknown>
}

const validate = (
  plugins: ReadonlyArray<AnyPlugin>,
  options: CompositionOptions
): Result.Result<ReadonlyArray<Planned>, PluginStartError> => {
  const byId = new Map<string, AnyPlugin>()
  for (const plugin of plugins) {
    const id = plugin.manifest.id
    if (byId.has(id)) {
      return Result.fail(new PluginCompositionError({ pluginId: id, problem: "duplicate-id", detail: "listed twice" }))
    }
    byId.set(id, plugin)
  }
  for (const plugin of plugins) {
    for (const required of plugin.manifest.requires.plugins) {
      if (!byId.has(required)) {
        return Result.fail(
          new PluginCompositionError({
            pluginId: plugin.manifest.id,
            problem: "missing-plugin",
            detail: `requires the plugin "${required}", which is not in the list`
          })
        )
      }
    }
  }
  const order = startOrder(plugins.map((plugin) => plugin.manifest))
  if (Result.isFailure(order)) {
    return Result.fail(
      new PluginCompositionError({
        pluginId: order.failure[0] ?? "",
        problem: "cycle",
        detail: order.failure.join(" → ")
      })
    )
  }
  const planned: Array<Planned> = []
  const kinds = new Map<string, string>()
  for (const id of order.success) {
    const plugin = byId.get(id)
    if (plugin === undefined) continue
    const built = plugin.build(options.settings?.[id])
    if (built instanceof PluginConfigInvalid) return Result.fail(built)
    for (const job of built.jobs ?? []) {
      const owner = kinds.get(job.kind)
      if (owner !== undefined) {
        return Result.fail(
          new PluginCompositionError({
            pluginId: id,
            problem: "duplicate-job-kind",
            detail: `job kind "${job.kind}" is already handled by plugin "${owner}"`
          })
        )
      }
      kinds.set(job.kind, id)
    }
    planned.push({ manifest: plugin.manifest, serviceKeys: plugin.serviceKeys, contributions: built })
  }
  return Result.succeed(planned)
}

/** Fails when a service the plugin declares is not in the context it starts in. */
const checkServices = (planned: Planned) =>
  Effect.gen(function* () {
    const context = yield* Effect.context<never>()
    for (const key of planned.serviceKeys) {
      if (Option.isNone(Context.getOption(context, key))) {
        return yield* new PluginCompositionError({
          pluginId: planned.manifest.id,
          problem: "missing-service",
          detail: `requires the service "${key.key}", which no layer provides`
        })
      }
    }
  })

/** Runs `effect` with the gate of `pluginId` from the registry. */
const gated =
  (pluginId: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, Exclude<R, PluginGate> | PluginRegistry> =>
    Effect.flatMap(Effect.service(PluginRegistry), (registry) =>
      Effect.provideService(effect, PluginGate, registry.gate(pluginId))
    )

/**
 * Runs a plugin's event handler for every published event of an account whose tier has the plugin on; a
 * failure (of the handler, or of reading the account's tier) is logged and the next event handled.
 */
const subscribe = (planned: Planned) =>
  Effect.gen(function* () {
    const onEvent = planned.contributions.onEvent
    if (onEvent === undefined) return
    const gate = (yield* PluginRegistry).gate(planned.manifest.id)
    const events = yield* DomainEvents
    const stream = yield* events.subscription
    yield* Effect.forkScoped(
      Stream.runForEach(stream, (event) =>
        Effect.flatMap(gate.allows(event.accountId), (on) => (on ? onEvent(event) : Effect.void)).pipe(
          Effect.provideService(PluginGate, gate),
          Effect.catchCause((cause) =>
            Effect.logWarning(`plugin ${planned.manifest.id}: event handler failed for ${event._tag}`, cause)
          )
        )
      )
    )
  })

/** How a plugin is switched per tier: on for every tier, or only for the tiers `isEnabled` accepts. */
interface TierSwitch {
  readonly everywhere: boolean
  readonly isEnabled: (tier: Tier) => boolean
}

const everyTier: TierSwitch = { everywhere: true, isEnabled: () => true }
const noTier: TierSwitch = { everywhere: false, isEnabled: () => false }

/** Where accounts' tiers come from: the application's `AccountTiers`, else the store's, else nowhere. */
const accountTiers = Effect.gen(function* () {
  const given = yield* Effect.serviceOption(AccountTiers)
  if (Option.isSome(given)) return given
  const sql = yield* Effect.serviceOption(SqlClient.SqlClient)
  const store = yield* Effect.serviceOption(Store)
  return Option.isSome(sql) && Option.isSome(store)
    ? Option.some(AccountTiers.fromStore(sql.value, store.value))
    : Option.none()
})

const registryOf = (planned: ReadonlyArray<Planned>, options: CompositionOptions) =>
  Effect.gen(function* () {
    const gates = yield* Effect.serviceOption(FeatureGates)
    const switchOf = (manifest: PluginManifest): TierSwitch => {
      const feature = manifest.feature
      if (feature !== undefined) {
        if (Option.isNone(gates)) return everyTier
        const config = gates.value
        return {
          everywhere:
            config.default.includes(feature) && Object.values(config.tiers).every((list) => list.includes(feature)),
          isEnabled: (tier) => featureEnabled(config, tier, feature)
        }
      }
      const tiers = options.tiers?.[manifest.id]
      return tiers === undefined ? everyTier : { everywhere: false, isEnabled: (tier) => tiers.includes(tier) }
    }
    const switches = new Map(planned.map((p) => [p.manifest.id as string, switchOf(p.manifest)]))
    const tiers = yield* accountTiers
    const restricted = planned.find((p) => switches.get(p.manifest.id)?.everywhere === false)
    if (restricted !== undefined && Option.isNone(tiers)) {
      return yield* new PluginCompositionError({
        pluginId: restricted.manifest.id,
        problem: "missing-service",
        detail: "it is switched on for some tiers only, which needs accounts' tiers: provide AccountTiers or the store"
      })
    }
    const gateOf = (pluginId: string): PluginGate["Service"] => {
      const { everywhere, isEnabled } = switches.get(pluginId) ?? noTier
      return PluginGate.of({
        pluginId,
        everywhere,
        isEnabled,
        allows: (accountId) =>
          everywhere
            ? Effect.succeed(true)
            : Option.match(tiers, {
                onNone: () => Effect.succeed(false),
                onSome: (source) => Effect.map(source.tierOf(accountId), Option.exists(isEnabled))
              })
      })
    }
    const gateById = new Map(planned.map((p) => [p.manifest.id as string, gateOf(p.manifest.id)]))
    const isEnabled = (pluginId: string, tier: Tier): boolean => (switches.get(pluginId) ?? noTier).isEnabled(tier)
    return PluginRegistry.of({
      manifests: planned.map((p) => p.manifest),
      isEnabled,
      require: (pluginId, tier) =>
        isEnabled(pluginId, tier) ? Effect.void : Effect.fail(new PluginDisabled({ pluginId, tier })),
      gate: (pluginId) => gateById.get(pluginId) ?? gateOf(pluginId)
    })
  })

/**
 * Composes `plugins` with their settings. The list is validated now; a problem surfaces as the failure of
 * `layer` (so the application fails at start-up with the plugin's id and the field or requirement at fault).
 */
export const composePlugins = <const Plugins extends ReadonlyArray<AnyPlugin>>(
  plugins: Plugins,
  options: CompositionOptions = {}
): ComposedPlugins<ProvidesOf<Plugins[number]>, ErrorOf<Plugins[number]>, RequirementsOf<Plugins[number]>> => {
  type P = ProvidesOf<Plugins[number]>
  type E = ErrorOf<Plugins[number]>
  type R = RequirementsOf<Plugins[number]>
  const plan = validate(plugins, options)
  const manifests = startOrder(plugins.map((plugin) => plugin.manifest)).pipe(
    Result.map((ids) => ids.flatMap((id) => plugins.filter((p) => p.manifest.id === id).map((p) => p.manifest))),
    Result.getOrElse(() => plugins.map((plugin) => plugin.manifest))
  )
  const migrations = manifests.flatMap((manifest) => manifest.migrations)
  const planned = Result.getOrElse(plan, () => [])
  // The registry comes first, so every plugin's layer starts with its gate; each plugin starts on top of
  // those before it, so its requirements on them are met.
  let services: Layer.Layer<never, unknown, unknown> = Layer.effect(PluginRegistry, registryOf(planned, options))
  for (const entry of planned) {
    const gate = Layer.effect(PluginGate, gated(entry.manifest.id)(Effect.service(PluginGate)))
    const own = Layer.merge(Layer.effectDiscard(checkServices(entry)), entry.contributions.layer ?? Layer.empty)
    services = Layer.provideMerge(own.pipe(Layer.provide(gate)), services)
  }
  const jobs: ReadonlyArray<JobHandler<unknown>> = planned.flatMap((entry) =>
    (entry.contributions.jobs ?? []).map((job) => ({
      ...job,
      run: (payload: unknown, context: JobContext) => gated(entry.manifest.id)(job.run(payload, context))
    }))
  )
  const runtime = Layer.mergeAll(
    JobHandlers.layer(jobs),
    Layer.effectDiscard(Effect.forEach(planned, subscribe, { discard: true }))
  )
  const composed: Layer.Layer<never, unknown, unknown> = Result.isFailure(plan)
    ? Layer.effectDiscard(Effect.fail(plan.failure))
    : Layer.provideMerge(runtime, services)
  const routes = planned.flatMap((entry) =>
    (entry.contributions.routes ?? []).map((route: PluginRoute<unknown>) => ({
      pluginId: entry.manifest.id,
      route: route.mount === "root" ? route.route : HttpRouter.prefixRoute(route.route, `/plugins/${entry.manifest.id}`)
    }))
  )
  // Handlers run with the services present when the routes layer is built (the composed plugins' and the
  // application's) and their plugin's gate; per-request services (the request, its route context) still
  // come from the router.
  const routesLayer: Layer.Layer<never, never, unknown> = Layer.effectDiscard(
    Effect.gen(function* () {
      const context = yield* Effect.context<never>()
      const registry = yield* PluginRegistry
      const router = yield* HttpRouter.HttpRouter
      yield* router.addAll(
        routes.map(({ pluginId, route }) => ({
          ...route,
          handler: Effect.provideContext(route.handler, context).pipe(
            Effect.provideService(PluginGate, registry.gate(pluginId))
          )
        }))
      )
    })
  )
  const schedules = planned.flatMap((entry) => entry.contributions.schedules ?? [])
  return {
    manifests,
    migrations,
    // The loop above forgets, in its static type, what each plugin's layer provides and needs; the plugins'
    // own types say it: their services (P), their errors (E), and their requirements less what the plugins
    // started before them provide (validated by id above, and by service key when the layer builds).
    layer: composed as Layer.Layer<
      P | PluginRegistry | JobHandlers,
      E | PluginStartError,
      Exclude<R, P | PluginGate> | DomainEvents
    >,
    routes: routesLayer as ComposedPlugins<P, E, R>["routes"],
    schedules: RecurringSchedule.layer(schedules)
  }
}
