// `npm run bench -- http` (or `node bench/http.ts`): the starter portal on the PostgreSQL server with 100,000
// seeded invoices, under load from autocannon on 127.0.0.1: requests per second and p95 latency of the
// invoice list page (/activity) and the JSON list endpoint, against a minimal `node:http` server doing the same
// database work per request (the same SQL in the same scoped transaction: session lookup, the use case and its
// audit entry) with a bare response. Prints `BENCH http <metric>=<value>` lines; the target is the starter at
// half the minimal server's throughput or better.
import { createHash } from "node:crypto"
import { createServer, type Server } from "node:http"
import { cpus, loadavg } from "node:os"
import autocannon from "autocannon"
import { type Context, Effect, Exit, Layer, ManagedRuntime, Option, Redacted, Schema, Scope } from "effect"
import { HttpServer } from "effect/http"
import { SqlClient } from "effect/sql"
import { ContactPrincipal, CurrentPrincipal } from "../core/access/Principal.ts"
import { AccountId, ContactId } from "../core/domain/Ids.ts"
import { Portal } from "../core/portal/Portal.ts"
import { dayIn } from "../core/portal/PortalSettings.ts"
import { connect } from "../core/store/Database.ts"
import { Invoices } from "../core/store/Invoices.ts"
import { Store } from "../core/store/Store.ts"
import * as StoreLayer from "../core/store/StoreLayer.ts"
import { ApiRoutes } from "../starter/api/ApiRoutes.ts"
import { Sessions } from "../starter/auth/Sessions.ts"
import { resolvePortalSettings } from "../starter/config/PortalSettings.ts"
import { portal } from "../starter/main.ts"
import { CustomerPages } from "../starter/pages/CustomerPages.ts"
import { accountId, seed } from "./generate/Seed.ts"

/** What the benchmark runs. */
export interface HttpBenchOptions {
  readonly invoices: number
  readonly accounts: number
  /** Seconds of load per target. */
  readonly duration: number
  /** Concurrent connections of the load generator. */
  readonly connections: number
  /** The PostgreSQL server whose fresh `portico_bench_http` database is used (and dropped afterwards). */
  readonly serverUrl: string
  /** Connections in each server's pool. */
  readonly pool: number
}

const usage =
  "usage: node bench/http.ts [--invoices 100000] [--accounts 1000] [--duration 10] [--connections 16] [--pool 10] [--server-url URL]"

/** Parses `--invoices`, `--accounts`, `--duration`, `--connections`, `--pool`, `--server-url`. */
export const parseHttpArgs = (args: ReadonlyArray<string>): HttpBenchOptions => {
  const value = (name: string): string | undefined => {
    const index = args.indexOf(name)
    return index === -1 ? undefined : args[index + 1]
  }
  const number = (name: string, fallback: number): number => {
    const raw = value(name)
    const parsed = raw === undefined ? fallback : Number(raw)
    if (!Number.isInteger(parsed) || parsed <= 0)
      throw new RangeError(`${name} needs a positive whole number\n${usage}`)
    return parsed
  }
  return {
    invoices: number("--invoices", 100_000),
    accounts: number("--accounts", 1_000),
    duration: number("--duration", 10),
    connections: number("--connections", 16),
    pool: number("--pool", 10),
    serverUrl: value("--server-url") ?? process.env.PORTICO_BENCH_PG_URL ?? "postgres://root@127.0.0.1:5432/test"
  }
}

const benchDatabase = "portico_bench_http"
const apiKey = "bench-api-key-0123456789abcdef0123456789"
const bigAccount = AccountId.make(accountId(1))
const contactId = ContactId.make("bench-contact")

const line = (metric: string, value: number | string) => process.stdout.write(`BENCH http ${metric}=${value}\n`)
const note = (text: string) => process.stdout.write(`# ${text}\n`)

/** The p-th percentile (0..100) of sorted milliseconds, nearest rank. */
const percentile = (sorted: ReadonlyArray<number>, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN

/** The load of one target: requests per second, p95 and p50 in ms, and how many answers were not 200. */
interface Load {
  readonly rps: number
  readonly p95: number
  readonly p50: number
  readonly non2xx: number
  readonly requests: number
}

const load = (
  url: string,
  headers: Record<string, string>,
  options: HttpBenchOptions
): Promise<Load & { readonly latencies: ReadonlyArray<number> }> =>
  new Promise((resolve, reject) => {
    const latencies: Array<number> = []
    const instance = autocannon(
      { url, headers, connections: options.connections, duration: options.duration, pipelining: 1 },
      (error, result) => {
        if (error !== null && error !== undefined) return reject(error)
        latencies.sort((a, b) => a - b)
        resolve({
          rps: Math.round((result.requests.total / options.duration) * 10) / 10,
          p95: Math.round(percentile(latencies, 95) * 100) / 100,
          p50: Math.round(percentile(latencies, 50) * 100) / 100,
          non2xx: result.non2xx,
          requests: result.requests.total,
          latencies
        })
      }
    )
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime))
  })

const databaseUrl = (serverUrl: string): string => {
  const url = new URL(serverUrl)
  url.pathname = `/${benchDatabase}`
  return url.toString()
}

/** Runs `statements` on the server's admin database. */
const admin = (serverUrl: string, statements: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    for (const statement of statements) yield* sql.unsafe(statement)
  }).pipe(Effect.provide(connect({ url: Redacted.make(serverUrl), maxConnections: 1 })), Effect.scoped)

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c)

/**
 * A second, barer baseline: node:http and only the store's `Invoices.list` for the same viewer (its own scoped
 * transaction), as JSON: no session lookup and no audit entry. Reported for scale, not for the target.
 */
const minimalServer = (options: HttpBenchOptions) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const runtime = ManagedRuntime.make(
        StoreLayer.repositories.pipe(
          Layer.provideMerge(
            connect({ url: Redacted.make(databaseUrl(options.serverUrl)), maxConnections: options.pool })
          )
        )
      )
      const principal = ContactPrincipal.make({
        contactId,
        links: [
          { accountId: bigAccount, role: "viewer" },
          { accountId: AccountId.make(accountId(2)), role: "viewer" }
        ],
        activeAccountId: bigAccount
      })
      const list = Effect.gen(function* () {
        const invoices = yield* Invoices
        return yield* invoices.list({ asOf: dayIn("UTC", Date.now()), accountId: bigAccount })
      }).pipe(Effect.provideService(CurrentPrincipal, principal))
      const server: Server = createServer((request, response) => {
        runtime.runPromise(list).then(
          (page) => {
            if (request.url?.startsWith("/api/") === true) {
              response.writeHead(200, { "content-type": "application/json" })
              response.end(JSON.stringify({ items: page.items, nextCursor: page.nextCursor ?? null }))
              return
            }
            response.writeHead(200, { "content-type": "text/html; charset=utf-8" })
            response.end(
              `<!DOCTYPE html><title>Invoices</title><table>${page.items
                .map(
                  (i) =>
                    `<tr><td>${escapeHtml(i.number)}</td><td>${i.issueDate}</td><td>${i.dueDate}</td><td>${i.statusAsOf}</td><td>${i.total.minor}</td></tr>`
                )
                .join("")}</table>`
            )
          },
          (error: unknown) => {
            response.writeHead(500)
            response.end(String(error))
          }
        )
      })
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      return { server, runtime, baseUrl: `http://127.0.0.1:${port}` }
    }),
    ({ server, runtime }) =>
      Effect.promise(async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()))
        await runtime.dispose()
      })
  )

/**
 * The baseline the target is judged against: `node:http` doing the same database work as the starter for
 * the same request (the same SQL in the same scoped transaction): the session looked up by its cookie, then
 * the same use case through the same services and pool (the viewer's accounts, the list, its audit entry),
 * written as a bare HTML table or JSON. What it leaves out is the starter's HTTP stack: router, middleware,
 * CSRF, security headers and the page frame.
 */
const sameSqlServer = (context: Context.Context<Portal | Sessions | Store>) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const run = Effect.runPromiseWith(context)
      const handle = (cookie: string, json: boolean) =>
        Effect.gen(function* () {
          const sessions = yield* Sessions
          const portalUseCases = yield* Portal
          const store = yield* Store
          const session = yield* sessions.resolve(cookie)
          if (Option.isNone(session)) return { status: 401, body: "sign in" }
          const principal = session.value.principal
          if (json) {
            const list = yield* portalUseCases
              .invoiceList(bigAccount, {})
              .pipe(Effect.provideService(CurrentPrincipal, principal))
            return {
              status: 200,
              body: JSON.stringify({
                asOf: list.asOf,
                items: list.page.items,
                nextCursor: list.page.nextCursor ?? null
              })
            }
          }
          const page = yield* store
            .withScope(
              Effect.gen(function* () {
                const accounts = yield* portalUseCases.accounts
                const activity = yield* portalUseCases.activity(bigAccount, {})
                return { accounts, activity }
              })
            )
            .pipe(Effect.provideService(CurrentPrincipal, principal))
          return {
            status: 200,
            body: `<!DOCTYPE html><title>${escapeHtml(page.activity.account.name)}</title><p>${page.accounts.length} accounts</p><table>${page.activity.invoices.items
              .map(
                (i) =>
                  `<tr><td>${escapeHtml(i.number)}</td><td>${i.issueDate}</td><td>${i.dueDate}</td><td>${i.statusAsOf}</td><td>${i.total.minor}</td></tr>`
              )
              .join("")}</table>`
          }
        })
      const server: Server = createServer((request, response) => {
        const cookie = /(?:^|;\s*)portico_session=([^;]+)/.exec(request.headers.cookie ?? "")?.[1] ?? ""
        const json = request.url?.startsWith("/api/") === true
        run(handle(cookie, json)).then(
          (answer) => {
            response.writeHead(answer.status, {
              "content-type": json ? "application/json" : "text/html; charset=utf-8"
            })
            response.end(answer.body)
          },
          (error: unknown) => {
            response.writeHead(500)
            response.end(String(error))
          }
        )
      })
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      return { server, baseUrl: `http://127.0.0.1:${port}` }
    }),
    ({ server }) => Effect.promise(() => new Promise<void>((resolve) => server.close(() => resolve())))
  )

/** The starter on the bench database; gives its URL. */
const starterServer = (options: HttpBenchOptions) =>
  Effect.gen(function* () {
    const settings = yield* resolvePortalSettings({
      file: {},
      overrides: {
        host: "127.0.0.1",
        port: 0,
        secret: "bench-secret-0123456789abcdef0123456789abcdef",
        apiKeys: [{ id: "bench", sha256: createHash("sha256").update(apiKey).digest("hex") }]
      },
      store: { url: Redacted.make(databaseUrl(options.serverUrl)), maxConnections: options.pool }
    })
    const scope = yield* Scope.Scope
    const context = yield* Layer.buildWithScope(portal(settings, Layer.mergeAll(CustomerPages, ApiRoutes)), scope)
    const server = yield* Effect.provide(Effect.service(HttpServer.HttpServer), context)
    const address = server.address
    if (address._tag === "UnixPathAddress") return yield* Effect.die("the starter listens on TCP")
    const sql = yield* Effect.provide(Effect.service(SqlClient.SqlClient), context)
    return { baseUrl: `http://127.0.0.1:${address.port}`, sql, context }
  })

const decodeCreated = Schema.decodeUnknownSync(Schema.Struct({ url: Schema.String }))

/** Signs the seeded viewer in through a magic link from the host-app API; gives the session cookie. */
const signIn = (baseUrl: string) =>
  Effect.promise(async () => {
    const created = await fetch(`${baseUrl}/api/links`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ contactId })
    })
    const { url } = decodeCreated(await created.json())
    const target = new URL(url)
    const followed = await fetch(`${baseUrl}${target.pathname}${target.search}`, { redirect: "manual" })
    const cookie = followed.headers
      .getSetCookie()
      .map((header) => header.split(";")[0] ?? "")
      .filter((pair) => pair.startsWith("portico_"))
      .join("; ")
    if (!cookie.includes("portico_session=")) throw new Error(`sign-in failed: ${followed.status}`)
    return cookie
  })

const program = (options: HttpBenchOptions) =>
  Effect.gen(function* () {
    note(
      `machine: ${cpus().length} CPUs, load average ${loadavg()
        .map((n) => n.toFixed(1))
        .join(" ")}; ${options.connections} connections for ${options.duration} s per target, pools of ${options.pool}`
    )
    yield* admin(options.serverUrl, [
      `drop database if exists ${benchDatabase} with (force)`,
      `create database ${benchDatabase}`
    ])
    yield* Effect.addFinalizer(() =>
      Effect.orDie(admin(options.serverUrl, [`drop database if exists ${benchDatabase} with (force)`]))
    )
    const starter = yield* starterServer(options)
    const started = Date.now()
    const seeded = yield* seed({ accounts: options.accounts, invoices: options.invoices, bigAccountShare: 0.02 }).pipe(
      Effect.provideService(SqlClient.SqlClient, starter.sql)
    )
    line("invoices", options.invoices)
    line("accounts", options.accounts)
    line("list_account_invoices", seeded.bigAccountInvoices)
    line("seed_s", Math.round((Date.now() - started) / 100) / 10)
    const cookie = yield* signIn(starter.baseUrl)
    const minimal = yield* sameSqlServer(starter.context)
    const listOnly = yield* minimalServer(options)
    const targets = [
      { name: "starter_page", url: `${starter.baseUrl}/activity`, headers: { cookie } },
      { name: "minimal_page", url: `${minimal.baseUrl}/list`, headers: { cookie } },
      {
        name: "starter_json",
        url: `${starter.baseUrl}/api/accounts/${encodeURIComponent(bigAccount)}/invoices`,
        headers: { cookie }
      },
      { name: "minimal_json", url: `${minimal.baseUrl}/api/list`, headers: { cookie } },
      { name: "list_only_json", url: `${listOnly.baseUrl}/api/list`, headers: {} }
    ] as const
    // The machine is shared, so its load drifts during a run: the targets take turns in short rounds, and
    // each figure sums its rounds, so drift hits the starter and the baseline alike.
    const rounds = Math.max(1, Math.min(options.duration, 5))
    const slice = { ...options, duration: Math.max(1, Math.round(options.duration / rounds)) }
    for (const target of targets)
      yield* Effect.promise(() => load(target.url, target.headers, { ...options, duration: 1 }))
    const collected = new Map<string, Array<Load & { readonly latencies: ReadonlyArray<number> }>>()
    for (let round = 0; round < rounds; round++) {
      for (const target of targets) {
        const result = yield* Effect.promise(() => load(target.url, target.headers, slice))
        collected.set(target.name, [...(collected.get(target.name) ?? []), result])
      }
    }
    const results = new Map<string, Load>()
    for (const target of targets) {
      const parts = collected.get(target.name) ?? []
      const latencies = parts.flatMap((part) => part.latencies).sort((a, b) => a - b)
      const result: Load = {
        rps:
          Math.round((parts.reduce((sum, part) => sum + part.requests, 0) / (slice.duration * parts.length)) * 10) / 10,
        p95: Math.round(percentile(latencies, 95) * 100) / 100,
        p50: Math.round(percentile(latencies, 50) * 100) / 100,
        non2xx: parts.reduce((sum, part) => sum + part.non2xx, 0),
        requests: latencies.length
      }
      results.set(target.name, result)
      line(`${target.name}_rps`, result.rps)
      line(`${target.name}_p95_ms`, result.p95)
      line(`${target.name}_p50_ms`, result.p50)
      if (result.non2xx > 0) line(`${target.name}_non_2xx`, result.non2xx)
    }
    const ratio = (a: string, b: string) =>
      Math.round(((results.get(a)?.rps ?? 0) / (results.get(b)?.rps ?? Number.NaN)) * 100) / 100
    const pageRatio = ratio("starter_page", "minimal_page")
    const jsonRatio = ratio("starter_json", "minimal_json")
    line("page_vs_minimal", pageRatio)
    line("json_vs_minimal", jsonRatio)
    line("target_half_of_minimal", pageRatio >= 0.5 && jsonRatio >= 0.5 ? "met" : "missed")
    line("json_vs_list_only", ratio("starter_json", "list_only_json"))
    note(
      "minimal_*: node:http with the same SQL per request (session lookup, then the use case's scoped transaction with its audit entry); list_only_json: node:http running only the list query, no session and no audit entry"
    )
  })

/** Runs the HTTP benchmark with command-line style arguments and prints `BENCH http ...` lines. */
export const runHttpBench = async (args: ReadonlyArray<string>): Promise<void> => {
  const exit = await Effect.runPromiseExit(Effect.scoped(program(parseHttpArgs(args))))
  if (Exit.isFailure(exit)) {
    process.stderr.write(`bench http failed: ${String(exit.cause)}\n`)
    process.exitCode = 1
  }
}

if (import.meta.main) await runHttpBench(process.argv.slice(2))
