// The starter portal's composition, the example to copy: the store (PGlite or PostgreSQL, migrated), the sync
// engine and ERP sources, the renderers, the portal's use cases, sign-in, and the routes, served over HTTP.
import { Layer } from "effect"
import { FeatureGates } from "../core/access/FeatureGates.ts"
import { DomainEvents } from "../core/events/DomainEvents.ts"
import { PortalSettings } from "../core/portal/PortalSettings.ts"
import * as StoreLayer from "../core/store/StoreLayer.ts"
import type { ResolvedSource } from "../core/sync/SourceConfig.ts"
import { SyncEngine } from "../core/sync/SyncEngine.ts"
import { HtmlRenderer } from "../renderers/html/index.ts"
import { PdfRenderer } from "../renderers/pdf/index.ts"
import { ApiRoutes } from "./api/ApiRoutes.ts"
import { AuthRoutes, AuthServices } from "./auth/AuthLayer.ts"
import { AuthSettings } from "./auth/AuthSettings.ts"
import { DevMailRoutes } from "./auth/DevMailRoutes.ts"
import { DevMailbox, Mailer } from "./auth/Mailer.ts"
import type { PortalSettings as StarterSettings } from "./config/PortalSettings.ts"
import { portalMigrations } from "./migrations/index.ts"
import { CustomerPages } from "./pages/CustomerPages.ts"
import { PortalUseCases } from "./pages/PortalComposition.ts"
import { AssetRoutes } from "./server/AssetRoutes.ts"
import { Branding } from "./server/Branding.ts"
import { serve } from "./server/PortalServer.ts"
import { sourceSync } from "./server/Sources.ts"

/** Every migration the portal's database needs, in order: core, sync engine, portal use cases, sign-in. */
export const migrations = portalMigrations

/**
 * The whole portal as one layer. `customerRoutes` are the customer pages and JSON API (route layers that put
 * `AuthMiddleware.layer` in front of themselves); `sources` the ERP sources to keep in sync while serving.
 * The output keeps the store, the sync engine and the mailbox reachable, for start-up work such as demo data.
 */
export const portal = <E, R>(
  settings: StarterSettings,
  customerRoutes: Layer.Layer<never, E, R>,
  sources: ReadonlyArray<ResolvedSource> = []
) => {
  const store = StoreLayer.layer(settings.store, migrations)
  const sync = SyncEngine.layer.pipe(Layer.provideMerge(DomainEvents.layer))
  const renderers = Layer.mergeAll(HtmlRenderer.layer, PdfRenderer.layer())
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
  const routes = Layer.mergeAll(
    AuthRoutes,
    AssetRoutes,
    customerRoutes,
    sourceSync(sources),
    settings.demo ? DevMailRoutes : Layer.empty
  )
  return serve(routes, settings, settings.security).pipe(Layer.provideMerge(services))
}

/** The starter portal: the customer pages and the JSON API on `portal`. What `npm start` and `portico serve` run. */
export const starterPortal = (settings: StarterSettings, sources: ReadonlyArray<ResolvedSource> = []) =>
  portal(settings, Layer.mergeAll(CustomerPages, ApiRoutes), sources)
