// The starter portal with plugins, as `npm start`/`portico serve` build it: settings resolved from a config
// file whose `plugins` section turns on notifications (mailing a real SMTP server on 127.0.0.1), reminders,
// comments and analytics; `starterPortal` composes them. The store is a PGlite folder or a fresh database on
// the PostgreSQL server, so a second portal can be started on the same data.
import { createHash, randomBytes } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg"
import { Context, Effect, Layer, Redacted, Schema } from "effect"
import { HttpServer } from "effect/http"
import { SqlClient } from "effect/sql"
import type { JobWorkerOptions } from "../../../../core/jobs/JobWorker.ts"
import type { StoreConfig } from "../../../../core/store/StoreConfig.ts"
import { PortalConfigFile } from "../../../../starter/config/PortalConfig.ts"
import { resolvePortalSettings } from "../../../../starter/config/PortalSettings.ts"
import { starterPortal } from "../../../../starter/main.ts"
import { databaseUrl } from "../../../support/Databases.ts"
import { postgresUrl } from "../../../support/Requirements.ts"
import { testApiKey } from "../../e2e/support/StarterHarness.ts"

/** Where the notifications plugin's deep links point. */
export const mailBaseUrl = "https://portal.example.com"

/** The `plugins` section of the tests' config file: all four plugins, mail to `smtpPort`. */
export const pluginsSection = (smtpPort: number) => ({
  notifications: {
    baseUrl: mailBaseUrl,
    smtp: { url: `smtp://127.0.0.1:${smtpPort}`, from: "billing@portal.example" },
    maxAttempts: 3,
    retryBaseSeconds: 1
  },
  reminders: { sequence: [0, 3] },
  comments: {},
  analytics: {}
})

/** The config file of the tests, as JSON would give it. */
export const configFile = (plugins: unknown) => ({
  portal: {
    host: "127.0.0.1",
    port: 0,
    secret: "test-secret-0123456789abcdef0123456789abcdef",
    apiKeys: [{ id: "tests", sha256: createHash("sha256").update(testApiKey).digest("hex") }]
  },
  plugins
})

/** The starter's settings from a config file (decoded as `portico serve` decodes it), workers polling fast. */
export const settingsFrom = (json: unknown, store: StoreConfig) =>
  Effect.gen(function* () {
    const file = yield* Schema.decodeUnknownEffect(PortalConfigFile)(json)
    const settings = yield* resolvePortalSettings({ file, overrides: {}, store })
    const jobs: JobWorkerOptions = { pollInterval: "100 millis", shutdownTimeout: "30 seconds" }
    return { ...settings, jobs }
  })

/** A running portal's address. */
export class PortalUrl extends Context.Service<PortalUrl, { readonly baseUrl: string }>()(
  "test/starter/plugins/PortalUrl"
) {}

/** The starter portal (with its services kept reachable) for `json` over `store`. */
export const pluginPortal = (json: unknown, store: StoreConfig) =>
  Layer.unwrap(
    Effect.map(settingsFrom(json, store), (settings) =>
      Layer.effect(
        PortalUrl,
        Effect.gen(function* () {
          const address = (yield* HttpServer.HttpServer).address
          if (address._tag === "UnixPathAddress") return yield* Effect.die("the portal listens on TCP")
          return { baseUrl: `http://127.0.0.1:${address.port}` }
        })
      ).pipe(Layer.provideMerge(starterPortal(settings)))
    )
  )

/** A PGlite folder, removed with the scope. */
export const pgliteStore = Effect.map(
  Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "portico-starter-plugins-"))),
    (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
  ),
  (dir): StoreConfig => ({ dataDir: join(dir, "db") })
)

const admin = (statement: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(statement)
  }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(postgresUrl), maxConnections: 1 })))

/** A fresh database on the PostgreSQL server, dropped with the scope. */
export const postgresStore = Effect.map(
  Effect.acquireRelease(
    Effect.map(
      Effect.sync(() => `portico_test_${randomBytes(6).toString("hex")}`),
      (name) => name
    ).pipe(Effect.tap((name) => admin(`create database ${name}`))),
    (name) => Effect.orDie(admin(`drop database if exists ${name} with (force)`))
  ),
  (name): StoreConfig => ({ url: Redacted.make(databaseUrl(name)) })
)
