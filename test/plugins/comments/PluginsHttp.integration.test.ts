// The comments and analytics plugins composed into the real starter portal over HTTP (PGlite, demo data): a
// signed-in customer comments through the CSRF-protected form, the business sees the flag through its API key
// and resolves it; a dispute opened on the page moves the invoice to disputed and back; the analytics page and
// JSON answer the business only.
import { createHash } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, layer } from "@effect/vitest"
import { Clock, Context, Effect, Exit, Layer } from "effect"
import { HttpServer } from "effect/http"
import { composePlugins } from "../../../core/plugin/PluginRegistry.ts"
import { dayIn } from "../../../core/portal/PortalSettings.ts"
import { migrate } from "../../../core/store/Migrator.ts"
import { analyticsPlugin } from "../../../plugins/analytics/AnalyticsPlugin.ts"
import { commentsPlugin } from "../../../plugins/comments/CommentsPlugin.ts"
import { ApiRoutes } from "../../../starter/api/ApiRoutes.ts"
import { resolvePortalSettings } from "../../../starter/config/PortalSettings.ts"
import { loadDemoData } from "../../../starter/demo/DemoData.ts"
import { migrations, portal } from "../../../starter/main.ts"
import { CustomerPages } from "../../../starter/pages/CustomerPages.ts"
import * as StarterHost from "../../../starter/server/StarterHost.ts"
import { csrfTokenOf, httpSession, signInAs } from "../../starter/e2e/support/HttpSession.ts"
import { testApiKey } from "../../starter/e2e/support/StarterHarness.ts"

class Portal extends Context.Service<Portal, { readonly baseUrl: string }>()("test/plugins/Portal") {}

const composed = composePlugins([commentsPlugin, analyticsPlugin])

/** The starter with both plugins' routes (through the starter's PortalHost) and their migrations applied. */
const portalLayer = Layer.unwrap(
  Effect.gen(function* () {
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(join(tmpdir(), "portico-plugins-"))),
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
    const pluginRoutes = composed.routes.pipe(Layer.provide(composed.layer), Layer.provide(StarterHost.layer))
    const app = portal(settings, Layer.mergeAll(CustomerPages, ApiRoutes, pluginRoutes))
    const ready = Layer.effect(
      Portal,
      Effect.gen(function* () {
        // The starter migrates its own list; the plugins' migrations come after it.
        yield* migrate([...migrations, ...composed.migrations])
        yield* loadDemoData({ workDir: join(dir, "demo"), today: dayIn("UTC", yield* Clock.currentTimeMillis) })
        const address = (yield* HttpServer.HttpServer).address
        if (address._tag === "UnixPathAddress") return yield* Effect.die("the portal listens on TCP")
        return { baseUrl: `http://127.0.0.1:${address.port}` }
      })
    )
    return ready.pipe(Layer.provideMerge(app))
  })
)

const api = (baseUrl: string, path: string, init: { method?: string; body?: unknown; key?: string | null } = {}) =>
  Effect.promise(async () => {
    const headers: Record<string, string> = { "content-type": "application/json" }
    if (init.key !== null) headers.authorization = `Bearer ${init.key ?? testApiKey}`
    const response = await fetch(new URL(path, baseUrl), {
      method: init.method ?? "GET",
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) })
    })
    const text = await response.text()
    return { status: response.status, type: response.headers.get("content-type") ?? "", text }
  })

const pageText = (session: ReturnType<typeof httpSession>, path: string) =>
  Effect.flatMap(session.get(path), (response) => Effect.promise(() => response.text()))

const invoicePath = (id: string) => `/plugins/comments/invoices/${encodeURIComponent(id)}`
const apiPath = (id: string) => `/plugins/comments/api/invoices/${encodeURIComponent(id)}`

describe("comments and analytics plugins in the starter", () => {
  layer(portalLayer, { timeout: 120_000, excludeTestServices: true })((it) => {
    it.effect("a comment flags the invoice; the business sees it through its API key and resolves it", () =>
      Effect.gen(function* () {
        const { baseUrl } = yield* Portal
        const session = httpSession(baseUrl)
        yield* signInAs(session, baseUrl, "demo:K1")
        const id = "demo:INV-1004"
        const page = yield* session.get(invoicePath(id))
        const html = yield* Effect.promise(() => page.text())
        assert.strictEqual(page.status, 200)
        assert.include(html, "Questions about invoice INV-1004")
        const token = csrfTokenOf(html)
        assert.isDefined(token)

        const forged = yield* session.post(`${invoicePath(id)}/comments`, { body: "no token" })
        assert.strictEqual(forged.status, 403)
        const posted = yield* session.post(`${invoicePath(id)}/comments`, {
          _csrf: token ?? "",
          body: "<script>alert(1)</script> Why two scanners?"
        })
        assert.strictEqual(posted.status, 303)
        const followed = yield* session.follow(posted)
        const after = yield* Effect.promise(() => followed.text())
        assert.include(after, "&lt;script&gt;alert(1)&lt;/script&gt; Why two scanners?")
        assert.notInclude(after, "<script>alert(1)")
        assert.include(after, "Waiting for the business to reply.")

        assert.strictEqual((yield* api(baseUrl, "/plugins/comments/api/attention", { key: null })).status, 401)
        assert.strictEqual((yield* api(baseUrl, "/plugins/comments/api/attention", { key: "wrong" })).status, 401)
        const queue = yield* api(baseUrl, "/plugins/comments/api/attention")
        assert.strictEqual(queue.status, 200)
        assert.include(queue.text, `"invoiceId":"${id}"`)
        assert.include(queue.text, `"needsAttention":true`)

        const resolved = yield* api(baseUrl, `${apiPath(id)}/resolve`, {
          method: "POST",
          body: { note: "Answered by phone" }
        })
        assert.strictEqual(resolved.status, 201)
        assert.include(resolved.text, `"kind":"resolved"`)
        const emptied = yield* api(baseUrl, "/plugins/comments/api/attention")
        assert.notInclude(emptied.text, `"invoiceId":"${id}"`)
        const thread = yield* api(baseUrl, apiPath(id))
        assert.include(thread.text, `"needsAttention":false`)

        const foreign = yield* session.get(invoicePath("demo:INV-3001"))
        assert.strictEqual(foreign.status, 404)
        const unsigned = yield* httpSession(baseUrl).get(invoicePath(id))
        assert.strictEqual(unsigned.status, 303)
      })
    )

    it.effect("a dispute opened on the page pauses the invoice as disputed; the business resolves it", () =>
      Effect.gen(function* () {
        const { baseUrl } = yield* Portal
        const session = httpSession(baseUrl)
        yield* signInAs(session, baseUrl, "demo:K1")
        const id = "demo:INV-1004"
        const before = JSON.parse((yield* api(baseUrl, apiPath(id))).text).status as string
        const html = yield* pageText(session, invoicePath(id))
        assert.include(html, "Open a dispute")
        const opened = yield* session.post(`${invoicePath(id)}/dispute`, {
          _csrf: csrfTokenOf(html) ?? "",
          reason: "Eight scanners ordered, six delivered"
        })
        assert.strictEqual(opened.status, 303)
        const disputed = JSON.parse((yield* api(baseUrl, apiPath(id))).text)
        assert.strictEqual(disputed.status, "disputed")
        const page = yield* pageText(session, invoicePath(id))
        assert.include(page, "Disputed: Eight scanners ordered, six delivered")
        assert.include(page, "reminders are paused")
        assert.notInclude(page, "Open a dispute")

        const resolved = yield* api(baseUrl, `${apiPath(id)}/dispute/resolve`, { method: "POST" })
        assert.strictEqual(resolved.status, 200)
        assert.strictEqual(JSON.parse(resolved.text).after, before)
        const again = yield* api(baseUrl, `${apiPath(id)}/dispute/resolve`, { method: "POST" })
        assert.strictEqual(again.status, 409)
        const noReason = yield* api(baseUrl, `${apiPath(id)}/dispute`, { method: "POST", body: { reason: " " } })
        assert.strictEqual(noReason.status, 422)
        const byBusiness = yield* api(baseUrl, `${apiPath(id)}/dispute`, {
          method: "POST",
          body: { reason: "Checking the delivery notes" }
        })
        assert.strictEqual(byBusiness.status, 201)
        assert.deepStrictEqual(
          [JSON.parse(byBusiness.text).before, JSON.parse(byBusiness.text).after],
          [before, "disputed"]
        )
        assert.strictEqual((yield* api(baseUrl, `${apiPath(id)}/dispute/resolve`, { method: "POST" })).status, 200)
      })
    )

    it.effect("a misconfigured composition fails at start, naming the plugin and the field", () =>
      Effect.gen(function* () {
        const misconfigured = composePlugins([commentsPlugin, analyticsPlugin], {
          settings: { comments: { commentPermission: "gossip" } }
        })
        const exit = yield* Effect.exit(
          Effect.scoped(Layer.build(misconfigured.layer.pipe(Layer.provide(StarterHost.layer))))
        )
        const reason = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail") : undefined
        const error = reason?._tag === "Fail" ? reason.error : undefined
        assert.match(
          error instanceof Error ? error.message : "",
          /^plugin "comments": invalid config at commentPermission: Expected "view-invoices"/
        )
      })
    )

    it.effect("the analytics page and JSON answer the business's API key only", () =>
      Effect.gen(function* () {
        const { baseUrl } = yield* Portal
        assert.strictEqual((yield* api(baseUrl, "/plugins/analytics/report.json", { key: null })).status, 401)
        const report = yield* api(baseUrl, "/plugins/analytics/report.json?from=2025-01-01&to=2026-12-31&period=month")
        assert.strictEqual(report.status, 200)
        const json = JSON.parse(report.text)
        assert.deepStrictEqual(Object.keys(json).sort(), [
          "activity",
          "asOf",
          "firstViewPeriods",
          "firstViews",
          "from",
          "period",
          "signInsPerContact",
          "signInsPerPeriod",
          "to",
          "unseenOverdue"
        ])
        assert.isTrue(json.signInsPerContact.some((row: { contactId: string }) => row.contactId === "demo:K1"))
        const bad = yield* api(baseUrl, "/plugins/analytics/report.json?period=year")
        assert.strictEqual(bad.status, 400)
        const page = yield* api(baseUrl, "/plugins/analytics/?from=2025-01-01&to=2026-12-31")
        assert.strictEqual(page.status, 200)
        assert.include(page.type, "text/html")
        assert.include(page.text, '<caption class="visually-hidden">Sign-ins by period</caption>')
        assert.include(page.text, '<th scope="col">')
      })
    )
  })
})
