// The portal's use cases wired for the starter: `Portal` over the store, its own `PortalStore`, and the
// renderers behind `DocumentFiles`. main.ts provides the store, the renderers, feature gates and settings.
import { Layer } from "effect"
import { Portal } from "../../core/portal/Portal.ts"
import { PortalStore } from "../../core/portal/PortalStore.ts"
import { DocumentRendering } from "./DocumentRendering.ts"

/**
 * `Portal` (and `PortalStore`, `DocumentFiles`) from: the store's repositories, `Store` and the SQL client,
 * `AuditLog`, `FeatureGates`, `PortalSettings`, `HtmlRenderer` and `PdfRenderer`.
 */
export const PortalUseCases = Portal.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(PortalStore.layer, DocumentRendering))
)
