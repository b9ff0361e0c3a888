// Composing plugins: a valid list starts in dependency order with services, routes under /plugins/<id>,
// event handlers, job handlers and tier switches (each plugin's gate reaching its layer, events and jobs); an
// invalid one fails at start with the plugin and the field or requirement at fault.
import { assert, describe, it } from "@effect/vitest"
import { Context, Deferred, Effect, Exit, Layer, Queue, Redacted, Schema } from "effect"
import { HttpRouter, HttpServer, HttpServerResponse } from "effect/http"
import { FeatureGates } from "../../../core/access/FeatureGates.ts"
import type { Tier } from "../../../core/domain/Account.ts"
import { CurrencyCode } from "../../../core/domain/Currency.ts"
import { AccountId, InvoiceId } from "../../../core/domain/Ids.ts"
import { DomainEvents, type InvoiceChanged } from "../../../core/events/DomainEvents.ts"
import { defineJob, handlerOf } from "../../../core/jobs/Job.ts"
import { JobHandlers } from "../../../core/jobs/JobHandlers.ts"
import { AccountTiers } from "../../../core/plugin/AccountTiers.ts"
import { definePlugin } from "../../../core/plugin/Plugin.ts"
import { PluginGate } from "../../../core/plugin/PluginGate.ts"
import { composePlugins, PluginRegistry } from "../../../core/plugin/PluginRegistry.ts"

class Greeter extends Context.Service<Greeter, { readonly greet: (name: string) => string }>()("test/Greeter") {}
class Shouter extends Context.Service<Shouter, { readonly shout: (name: string) => string }>()("test/Shouter") {}
class Missing extends Context.Service<Missing, { readonly nothing: true }>()("test/Missing") {}

const greeter = definePlugin({
  id: "greeter",
  version: "1.0.0",
  description: "Greets by name.",
  config: Schema.Struct({ greeting: Schema.String, apiKey: Schema.RedactedFromValue(Schema.String) }),
  make: (config) => ({
    layer: Layer.succeed(Greeter, Greeter.of({ greet: (name) => `${config.greeting}, ${name}` })),
    routes: [
      {
        route: HttpRouter.route(
          "GET",
          "/hello",
          Effect.map(Greeter, (g) => HttpServerResponse.text(g.greet("world")))
        )
      }
    ]
  })
})

const shouter = definePlugin({
  id: "shouter",
  version: "0.1.0",
  description: "Shouts what the greeter says.",
  config: Schema.Struct({}),
  requires: { plugins: ["greeter"], services: [Greeter] },
  make: () => ({
    layer: Layer.effect(
      Shouter,
      Effect.map(Greeter, (g) => Shouter.of({ shout: (name) => g.greet(name).toUpperCase() }))
    )
  })
})

const settings = { greeter: { greeting: "Hello", apiKey: "secret-key-123" } }

const premium = "premium" as Tier
const standard = "standard" as Tier
/** Two accounts, one per tier. */
const tiers = AccountTiers.fixed({ "acc-premium": premium, "acc-standard": standard })

const invoiceChanged: InvoiceChanged = {
  _tag: "InvoiceChanged",
  change: "inserted",
  invoiceId: InvoiceId.make("inv-1"),
  accountId: AccountId.make("acc-1"),
  source: { source: "erp", externalId: "INV-1" },
  status: "open",
  open: { currency: CurrencyCode.make("EUR"), minor: 100 },
  events: []
}

const startFailure = <A, E>(layer: Layer.Layer<A, E, DomainEvents>) =>
  Effect.gen(function* () {
    const exit = yield* Effect.exit(Effect.scoped(Layer.build(layer.pipe(Layer.provide(DomainEvents.layer)))))
    assert.isTrue(Exit.isFailure(exit))
    const reason = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail") : undefined
    const error = reason?._tag === "Fail" ? reason.error : undefined
    return error instanceof Error ? error : undefined
  })

describe("composePlugins", () => {
  it.effect("starts plugins after those they require, and each sees the services before it", () =>
    Effect.gen(function* () {
      // listed dependant-first on purpose: the start order comes from `requires`
      const composed = composePlugins([shouter, greeter], { settings })
      assert.deepStrictEqual(
        composed.manifests.map((m) => m.id),
        ["greeter", "shouter"]
      )
      const shout = yield* Effect.map(Shouter, (s) => s.shout("ada")).pipe(
        Effect.provide(composed.layer.pipe(Layer.provide(DomainEvents.layer)))
      )
      assert.strictEqual(shout, "HELLO, ADA")
    })
  )

  it.effect("mounts a plugin's routes under /plugins/<id>", () =>
    Effect.gen(function* () {
      const composed = composePlugins([greeter], { settings })
      const app = composed.routes.pipe(
        Layer.provide(composed.layer),
        Layer.provide(DomainEvents.layer),
        Layer.provide(HttpServer.layerServices)
      )
      const { handler, dispose } = HttpRouter.toWebHandler(app)
      const response = yield* Effect.promise(() =>
        handler(new Request("http://portal.test/plugins/greeter/hello"), Context.empty())
      )
      const missing = yield* Effect.promise(() => handler(new Request("http://portal.test/hello"), Context.empty()))
      yield* Effect.promise(dispose)
      assert.strictEqual(response.status, 200)
      assert.strictEqual(yield* Effect.promise(() => response.text()), "Hello, world")
      assert.strictEqual(missing.status, 404)
    })
  )

  it.effect("delivers domain events to a plugin's handler and registers its job kinds", () =>
    Effect.gen(function* () {
      const seen = yield* Deferred.make<string>()
      const ping = defineJob({ kind: "listener/ping", payload: Schema.Struct({}), run: () => Effect.void })
      const listener = definePlugin({
        id: "listener",
        version: "1.0.0",
        description: "Listens.",
        config: Schema.Struct({}),
        make: () => ({
          onEvent: (event) => Deferred.succeed(seen, event._tag),
          jobs: [handlerOf(ping)]
        })
      })
      const composed = composePlugins([listener])
      const [tag, kinds] = yield* Effect.gen(function* () {
        const events = yield* DomainEvents
        yield* events.publish(invoiceChanged)
        return [yield* Deferred.await(seen), (yield* JobHandlers).kinds] as const
      }).pipe(Effect.provide(composed.layer.pipe(Layer.provideMerge(DomainEvents.layer))))
      assert.strictEqual(tag, "InvoiceChanged")
      assert.deepStrictEqual(kinds, ["listener/ping"])
    })
  )

  it.effect("switches plugins per tier: by FeatureGates for a declared feature, else by the tiers option", () =>
    Effect.gen(function* () {
      const payments = definePlugin({
        id: "pay",
        version: "1.0.0",
        description: "Sold as the payments feature.",
        config: Schema.Struct({}),
        feature: "payments",
        make: () => ({})
      })
      const composed = composePlugins([greeter, payments], { settings, tiers: { greeter: ["premium"] } })
      const gates = FeatureGates.layer({ default: [], tiers: { premium: ["payments"] } as Record<Tier, never> })
      const registry = yield* PluginRegistry.pipe(
        Effect.provide(
          composed.layer.pipe(Layer.provide(DomainEvents.layer), Layer.provide(gates), Layer.provide(tiers))
        )
      )
      assert.deepStrictEqual(
        [registry.isEnabled("greeter", premium), registry.isEnabled("greeter", standard)],
        [true, false]
      )
      assert.deepStrictEqual([registry.isEnabled("pay", premium), registry.isEnabled("pay", standard)], [true, false])
      assert.isFalse(registry.isEnabled("unknown", premium))
      const refused = yield* Effect.flip(registry.require("pay", standard))
      assert.strictEqual(refused.message, 'the plugin "pay" is not enabled for tier "standard"')
      const gate = registry.gate("pay")
      assert.deepStrictEqual(
        [
          gate.everywhere,
          yield* gate.allows("acc-premium"),
          yield* gate.allows("acc-standard"),
          yield* gate.allows("acc-unknown")
        ],
        [false, true, false, false]
      )
      assert.isTrue(registry.gate("greeter").isEnabled(premium))
      assert.isFalse(yield* registry.gate("unknown").allows("acc-premium"))
    })
  )

  it.effect("gives each plugin its gate, and holds back events of accounts whose tier has the plugin off", () =>
    Effect.gen(function* () {
      class GateSeen extends Context.Service<GateSeen, { readonly pluginId: string }>()("test/GateSeen") {}
      const seen = yield* Queue.unbounded<string>()
      const whose = defineJob({
        kind: "tiered/whose",
        payload: Schema.Struct({ accountId: Schema.String }),
        run: ({ accountId }) =>
          Effect.flatMap(Effect.service(PluginGate), (gate) =>
            Effect.flatMap(gate.allows(accountId), (on) => Queue.offer(seen, `${gate.pluginId} job ${accountId} ${on}`))
          )
      })
      const tiered = definePlugin({
        id: "tiered",
        version: "1.0.0",
        description: "Only for premium accounts.",
        config: Schema.Struct({}),
        make: () => ({
          layer: Layer.effect(
            GateSeen,
            Effect.map(Effect.service(PluginGate), (gate) => GateSeen.of({ pluginId: gate.pluginId }))
          ),
          onEvent: (event) => Queue.offer(seen, `event ${event.accountId}`),
          jobs: [handlerOf(whose)]
        })
      })
      const composed = composePlugins([tiered], { tiers: { tiered: ["premium"] } })
      const lines = yield* Effect.gen(function* () {
        const events = yield* DomainEvents
        // In publishing order: were the standard account's event delivered, it would come first.
        yield* events.publish({ ...invoiceChanged, accountId: AccountId.make("acc-standard") })
        yield* events.publish({ ...invoiceChanged, accountId: AccountId.make("acc-premium") })
        const event = yield* Queue.take(seen)
        const job = (yield* JobHandlers).get("tiered/whose")
        const context = { jobId: "j1", kind: "tiered/whose", attempt: 1, maxAttempts: 1, dedupeKey: null }
        yield* job?.run({ accountId: "acc-standard" }, context) ?? Effect.void
        yield* job?.run({ accountId: "acc-premium" }, context) ?? Effect.void
        return [(yield* GateSeen).pluginId, event, yield* Queue.take(seen), yield* Queue.take(seen)]
      }).pipe(Effect.provide(composed.layer.pipe(Layer.provideMerge(DomainEvents.layer), Layer.provide(tiers))))
      assert.deepStrictEqual(lines, [
        "tiered",
        "event acc-premium",
        "tiered job acc-standard false",
        "tiered job acc-premium true"
      ])
    })
  )
})

describe("composePlugins refuses to start", () => {
  it.effect("on settings that do not decode, naming the plugin and the field, never the secret", () =>
    Effect.gen(function* () {
      const error = yield* startFailure(
        composePlugins([greeter], { settings: { greeter: { greeting: 42, apiKey: "secret-key-123" } } }).layer
      )
      assert.strictEqual(error?.name, "PluginConfigInvalid")
      assert.match(String(error?.message), /^plugin "greeter": invalid config at greeting: Expected string/)
      assert.notInclude(String(error?.message), "secret-key-123")
      const decoded = greeter.build(settings.greeter)
      assert.isFalse(decoded instanceof Error)
      assert.strictEqual(String(Redacted.make("x")), "<redacted>")
    })
  )

  it.effect("on a missing setting", () =>
    Effect.gen(function* () {
      const error = yield* startFailure(composePlugins([greeter], { settings: { greeter: { greeting: "Hi" } } }).layer)
      assert.strictEqual(error?.message, 'plugin "greeter": invalid config at apiKey: Missing key   at ["apiKey"]')
    })
  )

  it.effect("on a required plugin that is not in the list", () =>
    Effect.gen(function* () {
      const greeterElsewhere = Layer.succeed(Greeter, Greeter.of({ greet: (name) => name }))
      const error = yield* startFailure(composePlugins([shouter]).layer.pipe(Layer.provide(greeterElsewhere)))
      assert.strictEqual(
        error?.message,
        'plugin "shouter": missing-plugin: requires the plugin "greeter", which is not in the list'
      )
    })
  )

  it.effect("on a required service no layer provides", () =>
    Effect.gen(function* () {
      const needy = definePlugin({
        id: "needy",
        version: "1.0.0",
        description: "Needs a service nobody has.",
        config: Schema.Struct({}),
        requires: { services: [Missing] },
        make: () => ({})
      })
      const error = yield* startFailure(composePlugins([needy]).layer)
      assert.strictEqual(
        error?.message,
        'plugin "needy": missing-service: requires the service "test/Missing", which no layer provides'
      )
    })
  )

  it.effect("on a plugin switched for some tiers only, without a way to read accounts' tiers", () =>
    Effect.gen(function* () {
      const error = yield* startFailure(composePlugins([greeter], { settings, tiers: { greeter: ["premium"] } }).layer)
      assert.strictEqual(
        error?.message,
        'plugin "greeter": missing-service: it is switched on for some tiers only, which needs accounts\' tiers: provide AccountTiers or the store'
      )
    })
  )

  it.effect("on a duplicate id, a cycle, or a job kind claimed twice", () =>
    Effect.gen(function* () {
      const duplicate = yield* startFailure(composePlugins([greeter, greeter], { settings }).layer)
      assert.strictEqual(duplicate?.message, 'plugin "greeter": duplicate-id: listed twice')
      const a = definePlugin({
        id: "a",
        version: "1.0.0",
        description: "a",
        config: Schema.Struct({}),
        requires: { plugins: ["b"] },
        make: () => ({})
      })
      const b = definePlugin({
        id: "b",
        version: "1.0.0",
        description: "b",
        config: Schema.Struct({}),
        requires: { plugins: ["a"] },
        make: () => ({})
      })
      const cycle = yield* startFailure(composePlugins([a, b]).layer)
      assert.strictEqual(cycle?.message, 'plugin "a": cycle: a → b → a')
      const job = handlerOf(defineJob({ kind: "shared/job", payload: Schema.Struct({}), run: () => Effect.void }))
      const one = definePlugin({
        id: "one",
        version: "1.0.0",
        description: "",
        config: Schema.Struct({}),
        make: () => ({ jobs: [job] })
      })
      const two = definePlugin({
        id: "two",
        version: "1.0.0",
        description: "",
        config: Schema.Struct({}),
        make: () => ({ jobs: [job] })
      })
      const twice = yield* startFailure(composePlugins([one, two]).layer)
      assert.strictEqual(
        twice?.message,
        'plugin "two": duplicate-job-kind: job kind "shared/job" is already handled by plugin "one"'
      )
    })
  )

  it("throws at definition for a malformed id or an unnamespaced migration", () => {
    assert.throws(() =>
      definePlugin({ id: "Not_Kebab", version: "1.0.0", description: "", config: Schema.Struct({}), make: () => ({}) })
    )
  })
})
