// `npm run bench -- store`: seeds 1,000,000 invoices over 10,000 accounts on the PostgreSQL server (and
// 100,000 on embedded PGlite), then measures invoice-list latency: keyset against OFFSET pagination on the
// first and a deep page, and the scoped list under row-level security against the same query without it.
import { cpus, loadavg } from "node:os"
import { Duration, Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { ContactPrincipal, CurrentPrincipal } from "../core/access/Principal.ts"
import { AccountId, ContactId } from "../core/domain/Ids.ts"
import { localDate } from "../core/domain/LocalDate.ts"
import { connect, type DatabaseClient } from "../core/store/Database.ts"
import { defaultLimit, defaultSort, encodeCursor, type InvoiceQuery } from "../core/store/InvoiceQuery.ts"
import { Invoices } from "../core/store/Invoices.ts"
import { migrate } from "../core/store/Migrator.ts"
import { coreMigrations } from "../core/store/migrations/coreMigrations.ts"
import { applyScope, databaseScope, Store } from "../core/store/Store.ts"
import { type SeedResult, seed } from "./generate/Seed.ts"

/** What the benchmark runs. */
export interface StoreBenchOptions {
  /** 1 = 1,000,000 invoices over 10,000 accounts on the server. */
  readonly scale: number
  /** Invoices on PGlite at scale 1 (100,000), scaled like the server figures. */
  readonly pgliteInvoices: number
  /** Timed runs per figure (after warm-up). */
  readonly samples: number
  readonly server: boolean
  readonly pglite: boolean
  /** A PostgreSQL URL whose server gets the fresh `portico_bench` database. */
  readonly serverUrl: string
}

const usage = `usage: node bench/store.ts [--scale 0.01] [--samples 300] [--no-server] [--no-pglite] [--server-url URL]`

/** Parses `--scale`, `--samples`, `--no-server`, `--no-pglite`, `--server-url`. */
export const parseArgs = (args: ReadonlyArray<string>): StoreBenchOptions => {
  const value = (name: string): string | undefined => {
    const index = args.indexOf(name)
    return index === -1 ? undefined : args[index + 1]
  }
  const number = (name: string, fallback: number): number => {
    const raw = value(name)
    const parsed = raw === undefined ? fallback : Number(raw)
    if (!Number.isFinite(parsed) || parsed <= 0) throw new RangeError(`${name} needs a positive number\n${usage}`)
    return parsed
  }
  const scale = number("--scale", 1)
  return {
    scale,
    pgliteInvoices: Math.round(100_000 * scale),
    samples: Math.round(number("--samples", 300)),
    server: !args.includes("--no-server"),
    pglite: !args.includes("--no-pglite"),
    serverUrl: value("--server-url") ?? process.env.PORTICO_BENCH_PG_URL ?? "postgres://root@127.0.0.1:5432/test"
  }
}

const pageSize = defaultLimit
const wantedDeepPage = 500
// 15% of the invoices in one account, so page 500 exists at 100,000 invoices too.
const bigAccountShare = 0.15
const benchDatabase = "portico_bench"
const asOf = localDate("2026-01-01")

const line = (prefix: string, metric: string, value: number | string) =>
  Effect.sync(() => process.stdout.write(`BENCH store ${prefix}${metric}=${value}\n`))
const note = (text: string) => Effect.sync(() => process.stdout.write(`# ${text}\n`))

/** The p-th percentile (0..100) of sorted milliseconds, nearest rank. */
const percentile = (sorted: ReadonlyArray<number>, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN

const round = (ms: number): number => Math.round(ms * 1000) / 1000

interface Figure {
  readonly name: string
  readonly run: Effect.Effect<number, unknown>
}

/**
 * Times every figure `samples` times, round-robin (so drift in the machine's load touches all figures alike),
 * after a warm-up, and gives p50/p95 in milliseconds per figure. Each run must return a full page.
 */
const timeAll = (figures: ReadonlyArray<Figure>, samples: number) =>
  Effect.gen(function* () {
    for (let i = 0; i < Math.min(30, samples); i++) for (const figure of figures) yield* figure.run
    const times = new Map(figures.map((figure) => [figure.name, [] as Array<number>]))
    for (let i = 0; i < samples; i++) {
      for (const figure of figures) {
        const [elapsed, rows] = yield* Effect.timed(figure.run)
        if (rows !== pageSize) return yield* Effect.die(`${figure.name} returned ${rows} rows, not ${pageSize}`)
        times.get(figure.name)?.push(Duration.toMillis(elapsed))
      }
    }
    return new Map(
      [...times].map(([name, ms]) => {
        const sorted = [...ms].sort((a, b) => a - b)
        return [name, { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)) }] as const
      })
    )
  })

/**
 * The baseline without row-level security: the same scoped transaction and settings (`applyScope`) as `Store.layer`
 * writes, but the role stays the connecting superuser (which bypasses RLS), so `Invoices` runs the very
 * same SQL with the very same WHERE and only the policies are missing.
 */
const ownerStore = Layer.effect(
  Store,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return Store.of({
      withScope: (effect) =>
        Effect.gen(function* () {
          const scope = databaseScope(yield* CurrentPrincipal)
          return yield* sql.withTransaction(Effect.andThen(applyScope(sql, scope, { role: "none" }), effect))
        })
    })
  })
)

/** Measures and prints every figure on the connected, seeded database, through the store's `Invoices`. */
const measure = (prefix: string, seeded: SeedResult, samples: number) =>
  Effect.gen(function* () {
    const withRls = yield* Invoices.pipe(Effect.provide(Invoices.layer.pipe(Layer.provide(Store.layer))))
    const withoutRls = yield* Invoices.pipe(Effect.provide(Invoices.layer.pipe(Layer.provide(ownerStore))))
    const account = AccountId.make(seeded.bigAccountId)
    // A signed-in viewer of the big account, looking at it: the portal's everyday list.
    const principal = ContactPrincipal.make({
      contactId: ContactId.make(seeded.contactId),
      links: [{ accountId: account, role: "viewer" }],
      activeAccountId: account
    })
    const query: InvoiceQuery = { asOf, accountId: account, limit: pageSize }
    const deepPage = Math.min(wantedDeepPage, Math.floor(seeded.bigAccountInvoices / pageSize))
    const deepOffset = (deepPage - 1) * pageSize
    // The deep page's cursor as a client holds it: made from the last row of the page before.
    const [before] = yield* withRls
      .listWithOffset({ ...query, limit: 1 }, deepOffset - 1)
      .pipe(Effect.provideService(CurrentPrincipal, principal))
    if (before === undefined) return yield* Effect.die("the big account has fewer invoices than the deep page")
    const cursor = encodeCursor({ sort: defaultSort, key: before.issueDate, id: before.id })
    const deep: InvoiceQuery = { ...query, cursor }
    const count = (page: { readonly items: ReadonlyArray<unknown> }) => page.items.length
    const figures: ReadonlyArray<Figure> = [
      { name: "keyset_first", run: withRls.list(query).pipe(Effect.map(count)) },
      { name: "keyset_deep", run: withRls.list(deep).pipe(Effect.map(count)) },
      { name: "offset_first", run: withRls.listWithOffset(query, 0).pipe(Effect.map((rows) => rows.length)) },
      { name: "offset_deep", run: withRls.listWithOffset(query, deepOffset).pipe(Effect.map((rows) => rows.length)) },
      { name: "norls_keyset_first", run: withoutRls.list(query).pipe(Effect.map(count)) },
      { name: "norls_keyset_deep", run: withoutRls.list(deep).pipe(Effect.map(count)) }
    ].map((figure) => ({ ...figure, run: Effect.provideService(figure.run, CurrentPrincipal, principal) }))
    const results = yield* timeAll(figures, samples)
    yield* line(prefix, "page_size", pageSize)
    yield* line(prefix, "deep_page", deepPage)
    for (const [name, { p50, p95 }] of results) {
      yield* line(prefix, `${name}_p50_ms`, p50)
      yield* line(prefix, `${name}_p95_ms`, p95)
    }
    const get = (name: string) => results.get(name) ?? { p50: Number.NaN, p95: Number.NaN }
    const cost = (rls: string, plain: string) => Math.round((get(rls).p50 / get(plain).p50 - 1) * 1000) / 10
    const rlsFirst = cost("keyset_first", "norls_keyset_first")
    const rlsDeep = cost("keyset_deep", "norls_keyset_deep")
    yield* line(prefix, "rls_cost_first_pct", rlsFirst)
    yield* line(prefix, "rls_cost_deep_pct", rlsDeep)
    const worst = Math.max(get("keyset_first").p95, get("keyset_deep").p95)
    yield* line(prefix, "target_keyset_p95_under_5ms", worst < 5 ? "met" : "missed")
    yield* line(prefix, "target_rls_cost_under_20pct", Math.max(rlsFirst, rlsDeep) < 20 ? "met" : "missed")
  })

const seedAndMeasure = (prefix: string, invoices: number, accounts: number, samples: number) =>
  Effect.gen(function* () {
    yield* migrate(coreMigrations)
    const started = yield* Effect.timed(
      seed({
        accounts,
        invoices,
        bigAccountShare,
        onProgress: (done) => process.stderr.write(`  ${prefix || "server_"}seeded ${done}/${invoices}\r`)
      })
    )
    process.stderr.write("\n")
    const [elapsed, seeded] = started
    yield* line(prefix, "invoices", invoices)
    yield* line(prefix, "accounts", accounts)
    yield* line(prefix, "big_account_invoices", seeded.bigAccountInvoices)
    yield* line(prefix, "seed_s", Math.round(Duration.toMillis(elapsed) / 100) / 10)
    yield* measure(prefix, seeded, samples)
  })

const freshDatabase = (serverUrl: string): Effect.Effect<Layer.Layer<DatabaseClient, unknown>, unknown> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`drop database if exists ${benchDatabase} with (force)`)
    yield* sql.unsafe(`create database ${benchDatabase}`)
    const url = new URL(serverUrl)
    url.pathname = `/${benchDatabase}`
    return connect({ url: Redacted.make(url.toString()), maxConnections: 2 })
  }).pipe(Effect.provide(connect({ url: Redacted.make(serverUrl) })), Effect.scoped)

/** Runs the store benchmark with command-line style arguments and prints `BENCH store ...` lines. */
export const runStoreBench = async (args: ReadonlyArray<string>): Promise<void> => {
  const options = parseArgs(args)
  const program = Effect.gen(function* () {
    yield* note(
      `machine: ${cpus().length} CPUs, load average ${loadavg()
        .map((n) => n.toFixed(1))
        .join(" ")} (latencies include waiting for a CPU when other work is running)`
    )
    yield* note(
      "targets: p95 < 5 ms for any page of the keyset list (as the portal runs it, under RLS); RLS costs < 20% (p50)"
    )
    if (options.server) {
      const invoices = Math.round(1_000_000 * options.scale)
      const accounts = Math.max(2, Math.round(10_000 * options.scale))
      yield* note(`PostgreSQL server: ${invoices} invoices over ${accounts} accounts in ${benchDatabase}`)
      const database = yield* freshDatabase(options.serverUrl)
      yield* seedAndMeasure("", invoices, accounts, options.samples).pipe(Effect.provide(database), Effect.scoped)
    }
    if (options.pglite) {
      const invoices = options.pgliteInvoices
      const accounts = Math.max(2, Math.round(invoices / 100))
      yield* note(`embedded PGlite (in memory): ${invoices} invoices over ${accounts} accounts`)
      yield* seedAndMeasure("pglite_", invoices, accounts, options.samples).pipe(
        Effect.provide(connect({})),
        Effect.scoped
      )
    }
  })
  await Effect.runPromise(program)
}

if (import.meta.main) {
  await runStoreBench(process.argv.slice(2))
}
