// Wiring for the portal tests: a fresh PGlite store migrated for the starter portal, the sync engine and
// event bus, the real HTML and PDF renderers, and the demo data loaded through the CSV adapter as of today.
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Clock, Effect, Layer } from "effect"
import { FeatureGates } from "../../../../core/access/FeatureGates.ts"
import { ContactPrincipal, CurrentPrincipal, LinkPrincipal, type Principal } from "../../../../core/access/Principal.ts"
import { AccountId, ContactId, InvoiceId } from "../../../../core/domain/Ids.ts"
import { DomainEvents } from "../../../../core/events/index.ts"
import { portalUseCaseMigrations } from "../../../../core/portal/migrations/index.ts"
import { dayIn, PortalSettings } from "../../../../core/portal/PortalSettings.ts"
import { StoreLayer } from "../../../../core/store/index.ts"
import { storeWithSyncMigrations } from "../../../../core/sync/migrations/index.ts"
import { SyncEngine } from "../../../../core/sync/SyncEngine.ts"
import { HtmlRenderer } from "../../../../renderers/html/index.ts"
import { PdfRenderer } from "../../../../renderers/pdf/index.ts"
import { loadDemoData } from "../../../../starter/demo/DemoData.ts"
import { PortalUseCases } from "../../../../starter/pages/PortalComposition.ts"
import { testPdfConfig } from "../../../renderers/pdf/PdfTestSupport.ts"
import { pglite } from "../../../support/Databases.ts"

/** Every migration a starter portal database gets from the core, the sync engine and the portal. */
export const testMigrations = [...storeWithSyncMigrations, ...portalUseCaseMigrations]

const base = SyncEngine.layer.pipe(
  Layer.provideMerge(DomainEvents.layer),
  Layer.provideMerge(StoreLayer.repositories),
  Layer.provideMerge(pglite(testMigrations))
)

/** The demo data, loaded once the store is up. */
const demo = Layer.effectDiscard(
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    yield* loadDemoData({ workDir: mkdtempSync(join(tmpdir(), "portico-demo-")), today: dayIn("UTC", now) })
  })
)

/** The portal over a fresh demo store, with `gates` (every feature by default). */
export const portalTestLayer = (gates: Layer.Layer<FeatureGates> = FeatureGates.layerAllEnabled) =>
  PortalUseCases.pipe(
    Layer.provideMerge(demo),
    Layer.provideMerge(
      Layer.mergeAll(
        gates,
        PortalSettings.layer({ timeZone: "UTC" }),
        HtmlRenderer.layer,
        PdfRenderer.layer(testPdfConfig())
      )
    ),
    Layer.provideMerge(base)
  )

/** Demo ids. */
export const ids = {
  northwind: AccountId.make("demo:C1001"),
  globex: AccountId.make("demo:C1002"),
  initech: AccountId.make("demo:C1003"),
  kaiju: AccountId.make("demo:C1004"),
  anna: ContactId.make("demo:K1"),
  ben: ContactId.make("demo:K2"),
  invoice: (number: string) => InvoiceId.make(`demo:${number}`)
}

/** Anna: admin of Northwind, ap-contact of Initech, looking at Northwind. */
export const anna = ContactPrincipal.make({
  contactId: ids.anna,
  links: [
    { accountId: ids.northwind, role: "admin" },
    { accountId: ids.initech, role: "ap-contact" }
  ],
  activeAccountId: ids.northwind
})

/** Ben: viewer at Northwind. */
export const ben = ContactPrincipal.make({
  contactId: ids.ben,
  links: [{ accountId: ids.northwind, role: "viewer" }],
  activeAccountId: ids.northwind
})

/** Carla: finance approver at Globex. */
export const carla = ContactPrincipal.make({
  contactId: ContactId.make("demo:K3"),
  links: [{ accountId: ids.globex, role: "finance-approver" }],
  activeAccountId: ids.globex
})

/** A signed link to Northwind's INV-1004 only. */
export const oneInvoiceLink = LinkPrincipal.make({
  linkId: "link-1",
  accountId: ids.northwind,
  invoiceId: ids.invoice("INV-1004"),
  permissions: ["view-invoices", "download"]
})

/** Runs `effect` as `principal`. */
export const as =
  (principal: Principal) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.provideService(effect, CurrentPrincipal, principal)
