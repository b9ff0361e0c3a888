// The customer pages' own static files: their stylesheet and the progressive-enhancement script. Served
// from memory, same origin, so the CSP (`script-src 'self'`) allows the script without any inline code.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"
import { pagePaths } from "./PortalShell.ts"

const asset = (name: string) => Effect.sync(() => readFileSync(join(import.meta.dirname, "assets", name), "utf8"))

/** `/assets/pages.css` and `/assets/pages.js`, read once when the layer is built. */
export const PageAssets = HttpRouter.use((router) =>
  Effect.gen(function* () {
    const css = yield* asset("pages.css")
    const js = yield* asset("pages.js")
    const headers = { "cache-control": "public, max-age=300" }
    yield* router.add(
      "GET",
      pagePaths.css,
      HttpServerResponse.text(css, { contentType: "text/css; charset=utf-8", headers })
    )
    yield* router.add(
      "GET",
      pagePaths.js,
      HttpServerResponse.text(js, { contentType: "text/javascript; charset=utf-8", headers })
    )
  })
)
