// The demo as `npm start` runs it: its config names no plugins, so notifications and reminders come on with
// the demo's section, and the notifications plugin mails through the demo mailbox (no SMTP server). Loading
// the demo data announces the invoice issued three days ago, and the worker delivers its e-mail to the
// mailbox that /dev/mail lists, with the deep link to the invoice on the portal.
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Fiber, Result } from "effect"
import { dayIn } from "../../../core/portal/PortalSettings.ts"
import { DevMailbox } from "../../../starter/auth/Mailer.ts"
import { demoPlugins, withDemoPlugins } from "../../../starter/config/DemoPlugins.ts"
import { resolvePortalSettings } from "../../../starter/config/PortalSettings.ts"
import { loadDemoData } from "../../../starter/demo/DemoData.ts"
import { starterPortal } from "../../../starter/main.ts"
import { selectPlugins, starterPlugins } from "../../../starter/plugins/StarterPlugins.ts"

/** A PGlite folder, removed with the scope. */
const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "portico-demo-notifications-"))),
  (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
)

describe("the demo's notifications", () => {
  it("the demo config keeps a config's own plugins section, and otherwise switches on notifications and reminders", () => {
    assert.deepStrictEqual(withDemoPlugins({}).plugins, demoPlugins)
    assert.deepStrictEqual(withDemoPlugins({ plugins: { comments: {} } }).plugins, { comments: {} })
  })

  it.live(
    "a new invoice of the demo data is mailed into the demo mailbox",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const settings = yield* resolvePortalSettings({
          file: withDemoPlugins({}),
          overrides: { host: "127.0.0.1", port: 0, demo: true, secret: "test-secret-0123456789abcdef0123456789abcdef" },
          store: { dataDir: join(dir, "db") }
        })
        const chosen = Result.getOrElse(selectPlugins(starterPlugins, settings.plugins), () => [])
        assert.deepStrictEqual(
          chosen.map((plugin) => plugin.manifest.id),
          ["notifications", "reminders"]
        )
        const mail = yield* Effect.gen(function* () {
          const mailbox = yield* DevMailbox
          const carla = yield* Effect.forkChild(mailbox.next("carla@globex.example"))
          const today = dayIn("UTC", yield* Clock.currentTimeMillis)
          yield* loadDemoData({ workDir: join(dir, "demo"), today })
          return yield* Fiber.join(carla).pipe(Effect.timeout("30 seconds"))
        }).pipe(Effect.provide(starterPortal({ ...settings, jobs: { pollInterval: "100 millis" } })))
        assert.strictEqual(mail.subject, "New invoice INV-3004")
        assert.include(mail.text, "Hello Carla Diaz,")
        assert.include(mail.text, `${settings.auth.publicUrl.origin}/invoices/demo%3AINV-3004`)
        assert.include(mail.html, "<a href=")
      }).pipe(Effect.scoped),
    120_000
  )
})
