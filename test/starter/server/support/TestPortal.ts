// A real starter portal on 127.0.0.1 for HTTP tests: in-memory PGlite or a fresh database on the PostgreSQL
// server, demo data loaded through the CSV adapter and the sync engine, the demo mailbox (or SMTP when
// given), and a few test routes behind AuthMiddleware that show who is signed in and read one invoice.
import { randomBytes } from "node:crypto"
import { mkdtemp, rm } from "node:fs/promises"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeServices } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
import { Context, Effect, Layer, Option, Redacted } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"
import { SqlClient } from "effect/sql"
import { CurrentPrincipal, system } from "../../../../core/access/Principal.ts"
import type { AuditEntry } from "../../../../core/audit/AuditEntry.ts"
import { AuditLog } from "../../../../core/audit/AuditLog.ts"
import { InvoiceId } from "../../../../core/domain/Ids.ts"
import { today } from "../../../../core/portal/PortalSettings.ts"
import { Invoices } from "../../../../core/store/Invoices.ts"
import type { StoreConfig } from "../../../../core/store/StoreConfig.ts"
import { apiKeyHash } from "../../../../starter/auth/ApiKeys.ts"
import { AuthMiddleware, CurrentSession } from "../../../../starter/auth/AuthMiddleware.ts"
import { AuthHousekeeping, type SweepReport } from "../../../../starter/auth/Housekeeping.ts"
import { DevMailbox } from "../../../../starter/auth/Mailer.ts"
import {
  type PortalSectionInput,
  type PortalSettings,
  resolvePortalSettings
} from "../../../../starter/config/PortalSettings.ts"
import { loadDemoData } from "../../../../starter/demo/DemoData.ts"
import { portal } from "../../../../starter/main.ts"
import { postgresUrl } from "../../../support/Requirements.ts"

/** The API key the test portal accepts (configured by its hash). */
export const testApiKey = "test-host-app-key-0123456789abcdef"
/** The master secret of the test portal. */
export const testSecret = "a-test-secret-that-is-long-enough-0123456789"

/** What a test needs to talk to the running portal. */
export interface TestPortalShape {
  readonly baseUrl: string
  readonly settings: PortalSettings
  readonly mailbox: DevMailbox["Service"]
  /** The audit entries of an account's chain (null: the system chain), read as the system. */
  readonly audit: (accountId: string | null) => Effect.Effect<ReadonlyArray<AuditEntry>>
  /** Runs sign-in's housekeeping sweep now. */
  readonly sweep: Effect.Effect<SweepReport>
}

export class TestPortal extends Context.Service<TestPortal, TestPortalShape>()("test/starter/TestPortal") {}

const TestRoutes = HttpRouter.use((router) =>
  Effect.gen(function* () {
    const invoices = yield* Invoices
    yield* router.add(
      "GET",
      "/test/whoami",
      Effect.gen(function* () {
        const session = yield* CurrentSession
        const principal = yield* CurrentPrincipal
        return HttpServerResponse.jsonUnsafe({ principal, stage: session.stage })
      })
    )
    yield* router.add("POST", "/test/form", HttpServerResponse.text("accepted"))
    yield* router.add(
      "GET",
      "/invoices/:id",
      Effect.gen(function* () {
        const params = yield* HttpRouter.params
        const asOf = yield* today
        const found = yield* invoices.detail(InvoiceId.make(params.id ?? ""), asOf).pipe(Effect.option)
        return Option.isNone(found)
          ? HttpServerResponse.text("not found", { status: 404 })
          : HttpServerResponse.jsonUnsafe({ id: found.value.invoice.id, number: found.value.invoice.number })
      }).pipe(Effect.orDie)
    )
  })
).pipe(Layer.provide(AuthMiddleware.layer))

const admin = <A, E>(run: (sql: SqlClient.SqlClient) => Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    return yield* run(yield* SqlClient.SqlClient)
  }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(postgresUrl), maxConnections: 1 })))

/** A fresh database on the test server, dropped afterwards; its store settings. */
const freshPostgres = Effect.gen(function* () {
  const name = `portico_starter_${randomBytes(6).toString("hex")}`
  yield* Effect.acquireRelease(
    admin((sql) => sql.unsafe(`create database ${name}`)),
    () => Effect.orDie(admin((sql) => sql.unsafe(`drop database if exists ${name} with (force)`)))
  )
  const url = new URL(postgresUrl)
  url.pathname = `/${name}`
  return { url: Redacted.make(url.toString()), maxConnections: 4 } satisfies StoreConfig
})

// The mailed links carry the public URL, so the port is chosen before the server starts.
const freePort = Effect.promise(
  () =>
    new Promise<number>((resolve, reject) => {
      const probe = createServer()
      probe.once("error", reject)
      probe.listen(0, "127.0.0.1", () => {
        const address = probe.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        probe.close(() => resolve(port))
      })
    })
)

/** The portal for tests, with demo data; `overrides` adjust its `portal` settings. */
export const testPortal = (options: {
  readonly backend: "pglite" | "postgres"
  readonly overrides?: PortalSectionInput
}): Layer.Layer<TestPortal, unknown> =>
  Layer.unwrap(
    Effect.gen(function* () {
      const port = yield* freePort
      const store = options.backend === "pglite" ? ({} satisfies StoreConfig) : yield* freshPostgres
      const settings = yield* resolvePortalSettings({
        file: {},
        store,
        overrides: {
          host: "127.0.0.1",
          port,
          secret: testSecret,
          demo: true,
          apiKeys: [{ id: "test-host", sha256: apiKeyHash(testApiKey) }],
          ...options.overrides
        }
      })
      const workDir = yield* Effect.acquireRelease(
        Effect.promise(() => mkdtemp(join(tmpdir(), "portico-starter-"))),
        (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
      )
      const app = portal(settings, TestRoutes)
      const ready = Layer.effect(
        TestPortal,
        Effect.gen(function* () {
          yield* loadDemoData({ workDir, today: yield* today })
          const mailbox = yield* DevMailbox
          const log = yield* AuditLog
          const audit = (accountId: string | null) =>
            log
              .entries(accountId)
              .pipe(Effect.provideService(CurrentPrincipal, system("test reads the audit log")), Effect.orDie)
          const sweep = Effect.orDie((yield* AuthHousekeeping).sweep)
          return { baseUrl: settings.auth.publicUrl.origin, settings, mailbox, audit, sweep } satisfies TestPortalShape
        })
      )
      return ready.pipe(Layer.provide(app), Layer.provide(NodeServices.layer))
    })
  )
