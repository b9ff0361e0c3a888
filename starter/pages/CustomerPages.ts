// The customer pages as one route layer for main.ts: the pages behind sign-in and their static files.
import { Layer } from "effect"
import { PageAssets } from "./PageAssets.ts"
import { PortalRoutes } from "./PortalRoutes.ts"

/** `/`, `/activity`, `/invoices/:id`, `/statements`, `/documents`, `/billing`, `/notifications`, `/events`, `/assets/pages.*`. */
export const CustomerPages = Layer.mergeAll(PortalRoutes, PageAssets)
