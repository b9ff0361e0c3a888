// The starter portal's composition, the example to copy: the store (PGlite or PostgreSQL, migrated), the sync
// engine and ERP sources, the renderers, the portal's use cases, sign-in, the plugins the config switches on
// (their services, routes, event handlers, job workers and schedules), and the routes, served over HTTP.
import { Effect, Layer, Result } from "effect"
import { FeatureGates } from "../core/access/FeatureGates.ts"
import { DomainEvents } from "../core/events/DomainEvents.ts"
import type { JobHandlers } from "../core/jobs/JobHandlers.ts"
import { JobQueue } from "../core/jobs/JobQueue.ts"
import * as JobWorker from "../core/jobs/JobWorker.ts"
import type { AnyPlugin } from "../core/plugin/Plugin.ts"
import { composePlugins } from "../core/plugin/PluginRegistry.ts"
import { PortalSettings } from "../core/portal/PortalSettings.ts"
import { Renderers } from "../core/render/Renderers.ts"
import * as StoreLayer from "../core/store/StoreLayer.ts"
import type { ResolvedSource } from "../core/sync/SourceConfig.ts"
import { SyncEngine } from "../core/sync/SyncEngine.ts"
import { checkoutOriginsOf } from "../plugins/payments/CheckoutOrigins.ts"
import { paymentsPlugin } from "../plugins/payments/PaymentsPlugin.ts"
import { HtmlRenderer } from "../renderers/html/index.ts"
import { PdfRenderer } from "../renderers/pdf/index.ts"
import { ApiRoutes } from "./api/ApiRoutes.ts"
import { AuthRoutes, AuthServices } from "./auth/AuthLayer.ts"
import { AuthSettings } from "./auth/AuthSettings.ts"
import { DevMailRoutes } from "./auth/DevMailRoutes.ts"
import { DevMailbox, Mailer } from "./auth/Mailer.ts"
import type { PortalSettings as StarterSettings } from "./config/PortalSettings.ts"
import { demoEmailTransport } from "./demo/DemoMailTransport.ts"
import { portalMigrations, portalMigrationsWith } from "./migrations/index.ts"
import { CustomerPages } from "./pages/CustomerPages.ts"
import { PortalUseCases } from "./pages/PortalComposition.ts"
import { selectTiers } from "./plugins/PluginTiers.ts"
import { sectionOf, selectPlugins, starterPlugins } from "./plugins/StarterPlugins.ts"
import { AssetRoutes } from "./server/AssetRoutes.ts"
import { Branding } from "./server/Branding.ts"
import { serve } from "./server/PortalServer.ts"
import { sourceSync } from "./server/Sources.ts"
import * as StarterHost from "./server/StarterHost.ts"

/** The starter as the plugins' `PortalHost` (`StarterHost.layer`), for portals composed by hand. */
export { StarterHost }

/** The migrations of a portal without plugins: core, sync engine, portal use cases, sign-in. */
export const migrations = portalMigrations

/**
 * The whole portal as one layer. `customerRoutes` are the customer pages and JSON API (route layers that put
 * `AuthMiddleware.layer` in front of themselves); `sources` the ERP sources to keep in sync while serving.
 * `plugins` are the plugins the portal may load: those with an entry in `settings.plugins` are composed with
 * their settings, the database is migrated with `portalMigrationsWith(plugins)` (configured or not), and a job
 * worker and the plugins' schedules run with the portal (closing the layer lets a running job finish). A
 * plugin whose settings do not decode fails the layer naming the plugin and the field.
 * The output keeps the store, the sync engine and the mailbox reachable, for start-up work such as demo data.
 */
export const portal = <E, R, P extends AnyPlugin = never>(
  settings: StarterSettings,
  customerRoutes: Layer.Layer<never, E, R>,
  sources: ReadonlyArray<ResolvedSource> = [],
  plugins: ReadonlyArray<P> = []
) => {
  const store = StoreLayer.layer(settings.store, portalMigrationsWith(plugins))
  const sync = SyncEngine.layer.pipe(Layer.provideMerge(DomainEvents.layer))
  // The renderers, and their registry by format (the payments plugin renders receipts through it).
  const renderers = Renderers.layer(HtmlRenderer.renderer, PdfRenderer.renderer).pipe(
    Layer.provideMerge(Layer.mergeAll(HtmlRenderer.layer, PdfRenderer.layer()))
  )
  const configuration = Layer.mergeAll(
    AuthSettings.layer(settings.auth),
    Branding.layer(settings.branding),
    PortalSettings.layer({ theme: settings.branding.theme }),
    FeatureGates.layerAllEnabled
  )
  const mail =
    settings.smtp !== undefined ? Mailer.smtp(settings.smtp) : settings.demo ? DevMailbox.mailer : Mailer.none

  const services = Layer.mergeAll(AuthServices, PortalUseCases).pipe(
    Layer.provideMerge(Layer.mergeAll(mail, renderers, configuration)),
    Layer.provideMerge(DevMailbox.layer),
    Layer.provideMerge(sync),
    Layer.provideMerge(store)
  )

  // The plugins the config switches on, over the portal's services, the job queue, the starter as the
  // PortalHost of the comments, analytics and payments plugins and, in the demo, the demo mailbox as the
  // notifications plugin's e-mail route; `pluginTiers` switches them per account tier. A section or
  // `pluginTiers` entry naming an unknown plugin stops start-up.
  const selection = selectPlugins(plugins, settings.plugins)
  const tiers = selectTiers(plugins, settings.pluginTiers)
  const chosen = Result.getOrElse(selection, (): ReadonlyArray<P> => [])
  const extensions = composePlugins(chosen, {
    settings: sectionOf(settings.plugins),
    tiers: Result.getOrElse(tiers, () => ({}))
  })
  const selected = Layer.effectDiscard(
    Result.isFailure(selection)
      ? Effect.fail(selection.failure)
      : Result.isFailure(tiers)
        ? Effect.fail(tiers.failure)
        : Effect.void
  )
  // Jobs run only in a portal with plugins (only then is the job queue's table migrated).
  const workers: Layer.Layer<never, never, JobQueue | JobHandlers> =
    chosen.length === 0 ? Layer.empty : Layer.merge(JobWorker.layer(settings.jobs), extensions.schedules)
  const extended = workers.pipe(
    Layer.provideMerge(Layer.merge(selected, extensions.layer)),
    Layer.provideMerge(
      Layer.mergeAll(JobQueue.layer, StarterHost.layer, settings.demo ? demoEmailTransport : Layer.empty)
    )
  )

  const routes = Layer.mergeAll(
    AuthRoutes,
    AssetRoutes,
    customerRoutes,
    extensions.routes,
    sourceSync(sources),
    settings.demo ? DevMailRoutes : Layer.empty
  )
  // The payments plugin's forms redirect straight to its provider's hosted checkout: the CSP lets them.
  const paying = chosen.some((plugin) => plugin.manifest.id === paymentsPlugin.manifest.id)
  const security = paying
    ? { ...settings.security, formAction: checkoutOriginsOf(sectionOf(settings.plugins)[paymentsPlugin.manifest.id]) }
    : settings.security
  // Built inside out: store, services, plugins and workers, then the server; closed the other way round,
  // so the server stops taking requests before a running job is let finish.
  return serve(routes, settings, security).pipe(Layer.provideMerge(extended), Layer.provideMerge(services))
}

/**
 * The starter portal: the customer pages, the JSON API and the starter's plugins (those its config names) on
 * `portal`. What `npm start` and `portico serve` run.
 */
export const starterPortal = (settings: StarterSettings, sources: ReadonlyArray<ResolvedSource> = []) =>
  portal(settings, Layer.mergeAll(CustomerPages, ApiRoutes), sources, starterPlugins)
