// The portal's own static assets: its stylesheet, the theme as CSS variables, and the analytics bootstrap
// (an external script, since the CSP allows no inline script).
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"
import { analyticsJs, assetPaths, Branding, themeCss } from "./Branding.ts"

const cached = { "cache-control": "public, max-age=300" }

/** `/assets/portal.css`, `/assets/theme.css` and, with an analytics id, `/assets/analytics.js`. */
export const AssetRoutes = HttpRouter.use((router) =>
  Effect.gen(function* () {
    const branding = yield* Branding
    const portalCss = yield* Effect.promise(() => readFile(join(import.meta.dirname, "assets", "portal.css"), "utf8"))
    const css = (body: string) =>
      HttpServerResponse.text(body, { contentType: "text/css; charset=utf-8", headers: cached })
    yield* router.add("GET", assetPaths.portalCss, css(portalCss))
    yield* router.add("GET", assetPaths.themeCss, css(themeCss(branding.theme)))
    if (branding.analyticsId !== undefined) {
      yield* router.add(
        "GET",
        assetPaths.analyticsJs,
        HttpServerResponse.text(analyticsJs(branding.analyticsId), {
          contentType: "text/javascript; charset=utf-8",
          headers: cached
        })
      )
    }
  })
)
