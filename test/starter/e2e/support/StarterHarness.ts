// The starter portal running in-process for the HTTP and browser tests: the real composition (main.ts's
// `portal` with the customer pages and the JSON API) on 127.0.0.1 and a free port, over a PGlite store in a
// temp folder, with the demo data loaded through the CSV adapter and the sync engine as of today. Gives the
// base URL and an API key for the host-app link API.
import { createHash } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Clock, Context, Effect, Layer } from "effect"
import { HttpServer } from "effect/http"
import type { SigningKeys } from "../../../../core/access/SignedLink.ts"
import { dayIn } from "../../../../core/portal/PortalSettings.ts"
import { ApiRoutes } from "../../../../starter/api/ApiRoutes.ts"
import { resolvePortalSettings } from "../../../../starter/config/PortalSettings.ts"
import { loadDemoData } from "../../../../starter/demo/DemoData.ts"
import { portal } from "../../../../starter/main.ts"
import { CustomerPages } from "../../../../starter/pages/CustomerPages.ts"

/** The API key the harness configures for the host-app link API. */
export const testApiKey = "test-api-key-0123456789abcdef0123456789"

/** The running starter. */
export class Starter extends Context.Service<Starter, { readonly baseUrl: string; readonly linkKeys: SigningKeys }>()(
  "test/starter/Starter"
) {}

/** The starter over a fresh PGlite folder (removed afterwards), demo data loaded; `Starter` gives its URL. */
export const starterLayer = Layer.unwrap(
  Effect.gen(function* () {
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(join(tmpdir(), "portico-starter-"))),
      (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
    )
    const settings = yield* resolvePortalSettings({
      file: {},
      overrides: {
        host: "127.0.0.1",
        port: 0,
        demo: true,
        secret: "test-secret-0123456789abcdef0123456789abcdef",
        apiKeys: [{ id: "tests", sha256: createHash("sha256").update(testApiKey).digest("hex") }]
      },
      store: { dataDir: join(dir, "db") }
    })
    const app = portal(settings, Layer.mergeAll(CustomerPages, ApiRoutes))
    const ready = Layer.effect(
      Starter,
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        yield* loadDemoData({ workDir: join(dir, "demo"), today: dayIn("UTC", now) })
        const server = yield* HttpServer.HttpServer
        const address = server.address
        if (address._tag === "UnixPathAddress") return yield* Effect.die("the starter listens on TCP")
        return { baseUrl: `http://127.0.0.1:${address.port}`, linkKeys: settings.auth.linkKeys }
      })
    )
    return ready.pipe(Layer.provideMerge(app))
  })
)
