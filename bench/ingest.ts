// `npm run bench -- ingest`: generates a CSV export of 1,000,000 invoice lines (200,000 invoices of 5 lines,
// streamed to a temp file), syncs it into a fresh PostgreSQL database through the CSV adapter and the sync
// engine, and loads the same file with COPY into an equivalent lines table as the physical baseline. A first
// run at a fifth of the size shows whether memory stays flat as the file grows.
import { execFile } from "node:child_process"
import { randomBytes } from "node:crypto"
import { createWriteStream } from "node:fs"
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises"
import { cpus, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { CsvAdapter } from "../adapters/csv/index.ts"
import { makeAdapter } from "../core/erp/index.ts"
import { DomainEvents } from "../core/events/index.ts"
import * as StoreLayer from "../core/store/StoreLayer.ts"
import { storeWithSyncMigrations } from "../core/sync/migrations/index.ts"
import { SyncEngine } from "../core/sync/SyncEngine.ts"

/** What the benchmark runs. */
export interface IngestBenchOptions {
  /** 1 = 1,000,000 invoice lines (200,000 invoices); the small run is a fifth of it. */
  readonly scale: number
  readonly batchSize: number
  /** A PostgreSQL URL whose server gets the fresh bench databases. */
  readonly serverUrl: string
}

const usage = "usage: node bench/ingest.ts [--scale 0.05] [--batch-size 1000] [--server-url URL]"

/** Parses `--scale`, `--batch-size`, `--server-url`. */
export const parseArgs = (args: ReadonlyArray<string>): IngestBenchOptions => {
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
  return {
    scale: number("--scale", 1),
    batchSize: Math.round(number("--batch-size", 1000)),
    serverUrl:
      value("--server-url") ??
      process.env.PORTICO_BENCH_PG_URL ??
      process.env.PORTICO_TEST_PG_URL ??
      "postgres://root@127.0.0.1:5432/test"
  }
}

const linesPerInvoice = 5
const accounts = 2000
const columns = [
  "InvoiceNo",
  "Customer",
  "InvoiceDate",
  "DueDate",
  "Currency",
  "NetTotal",
  "TaxTotal",
  "Total",
  "Line",
  "Description",
  "Qty",
  "UnitPrice",
  "VatRate",
  "LineNet"
]

const cents = (minor: number) => `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, "0")}`

/** Writes `invoices` invoices of 5 lines each (consistent totals, 19% VAT per line) and the accounts file. */
const generate = async (dir: string, invoices: number) => {
  const write = async (path: string, rows: (emit: (line: string) => Promise<void>) => Promise<void>) => {
    const out = createWriteStream(path)
    const emit = (line: string) =>
      out.write(line) ? Promise.resolve() : new Promise<void>((resolve) => out.once("drain", () => resolve()))
    await rows(emit)
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())))
  }
  const accountsFile = join(dir, "customers.csv")
  await write(accountsFile, async (emit) => {
    await emit("CustomerNo,Name,Currency\n")
    for (let a = 1; a <= accounts; a++) await emit(`C${a},Customer ${a},EUR\n`)
  })
  const invoicesFile = join(dir, "invoices.csv")
  await write(invoicesFile, async (emit) => {
    await emit(`${columns.join(",")}\n`)
    for (let i = 1; i <= invoices; i++) {
      const lines = Array.from({ length: linesPerInvoice }, (_, l) => {
        const quantity = ((i + l) % 9) + 1
        const price = 1000 + ((i * 7 + l) % 50) * 25
        const net = quantity * price
        return { quantity, price, net, tax: Math.floor((net * 19 + 50) / 100) }
      })
      const net = lines.reduce((s, l) => s + l.net, 0)
      const tax = lines.reduce((s, l) => s + l.tax, 0)
      const day = String((i % 28) + 1).padStart(2, "0")
      const head = `INV-${i},C${(i % accounts) + 1},2026-03-${day},2026-04-${day},EUR,${cents(net)},${cents(tax)},${cents(net + tax)}`
      let chunk = ""
      lines.forEach((l, n) => {
        chunk += `${head},${n + 1},Item ${n + 1} of invoice ${i},${l.quantity},${cents(l.price)},19,${cents(l.net)}\n`
      })
      await emit(chunk)
    }
  })
  return { accountsFile, invoicesFile, bytes: (await stat(invoicesFile)).size }
}

const settingsFor = (files: { accountsFile: string; invoicesFile: string }) => ({
  accounts: {
    path: files.accountsFile,
    key: "CustomerNo",
    mapping: { number: "CustomerNo", name: "Name", currency: "Currency" }
  },
  invoices: {
    path: files.invoicesFile,
    creditNotes: { _tag: "none" },
    header: {
      number: "InvoiceNo",
      accountNumber: "Customer",
      issueDate: "InvoiceDate",
      dueDate: "DueDate",
      currency: "Currency",
      netTotal: "NetTotal",
      taxTotal: "TaxTotal",
      total: "Total"
    },
    lines: {
      lineNumber: "Line",
      description: "Description",
      quantity: "Qty",
      unitPrice: "UnitPrice",
      taxRate: "VatRate",
      lineNet: "LineNet"
    }
  }
})

const admin = <A, E>(serverUrl: string, run: (sql: SqlClient.SqlClient) => Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return yield* run(sql)
  }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(serverUrl), maxConnections: 1 })), Effect.runPromise)

const databaseUrl = (serverUrl: string, name: string) => {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** Samples the resident set size every 50 ms; `stop` gives the peak in MB. */
const rssSampler = () => {
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 50)
  return () => {
    clearInterval(timer)
    return Math.round(Math.max(peak, process.memoryUsage().rss) / (1024 * 1024))
  }
}

/**
 * Milliseconds the server spent executing statements in the database at `url` so far (pg_stat_database's
 * active_time, PostgreSQL 14+; the statistics are flushed about once a second, hence the wait).
 */
const serverActiveMs = async (url: string) => {
  await new Promise((resolve) => setTimeout(resolve, 1200))
  const rows = await admin(
    url,
    (sql) =>
      sql<{
        ms: number | null
      }>`select active_time::float8 as ms from pg_stat_database where datname = current_database()`
  )
  return Number(rows[0]?.ms ?? 0)
}

/** Syncs the generated files into a fresh database `name`; gives the seconds taken and the peak RSS. */
const ingest = async (
  options: IngestBenchOptions,
  name: string,
  files: { accountsFile: string; invoicesFile: string }
) => {
  if (typeof globalThis.gc === "function") globalThis.gc()
  const url = databaseUrl(options.serverUrl, name)
  const activeBefore = await serverActiveMs(url)
  const cpuBefore = process.cpuUsage()
  const stop = rssSampler()
  const layer = SyncEngine.layer.pipe(
    Layer.provideMerge(DomainEvents.layer),
    Layer.provideMerge(StoreLayer.layer({ url: Redacted.make(url), maxConnections: 2 }, storeWithSyncMigrations))
  )
  const run = await Effect.gen(function* () {
    const adapter = yield* makeAdapter(CsvAdapter, { sourceId: "bench" }, settingsFor(files))
    const engine = yield* SyncEngine
    return yield* engine.run(adapter, { batchSize: options.batchSize })
  }).pipe(Effect.scoped, Effect.provide(layer), Effect.runPromise)
  const peakMb = stop()
  const cpu = process.cpuUsage(cpuBefore)
  const serverSeconds = ((await serverActiveMs(url)) - activeBefore) / 1000
  const invoices = run.entities.find((e) => e.entity === "invoices")
  if (run.status !== "succeeded" || invoices === undefined || invoices.quarantined > 0) {
    throw new Error(`the bench sync did not write everything: ${JSON.stringify(run.entities)}`)
  }
  return {
    seconds: run.durationMs / 1000,
    peakMb,
    invoices: invoices.inserted,
    nodeCpuSeconds: (cpu.user + cpu.system) / 1e6,
    serverSeconds
  }
}

const linesTable = `create table bench_lines (
  invoice_no text not null, customer text not null, invoice_date date not null, due_date date not null,
  currency text not null, net_total numeric not null, tax_total numeric not null, total numeric not null,
  line int not null, description text not null, qty numeric not null, unit_price numeric not null,
  vat_rate numeric not null, line_net numeric not null, primary key (invoice_no, line))`

/** Loads the invoice lines with psql's \copy (COPY ... FROM STDIN); gives the seconds taken. */
const copy = async (options: IngestBenchOptions, name: string, file: string) => {
  await admin(databaseUrl(options.serverUrl, name), (sql) => sql.unsafe(linesTable))
  const started = performance.now()
  await new Promise<void>((resolve, reject) =>
    execFile(
      "psql",
      [
        databaseUrl(options.serverUrl, name),
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        `\\copy bench_lines from '${file.replaceAll("'", "''")}' with (format csv, header true)`
      ],
      (error, _stdout, stderr) => (error ? reject(new Error(`psql \\copy failed: ${stderr}`)) : resolve())
    )
  )
  return (performance.now() - started) / 1000
}

/** Runs the benchmark and prints its `BENCH ingest ...` lines. */
export const runIngestBench = async (args: ReadonlyArray<string>): Promise<void> => {
  const options = parseArgs(args)
  const invoices = Math.round(200_000 * options.scale)
  const small = Math.round(invoices / 5)
  const dir = await mkdtemp(join(tmpdir(), "portico-ingest-"))
  const suffix = randomBytes(4).toString("hex")
  const names = [`portico_bench_ingest_${suffix}_small`, `portico_bench_ingest_${suffix}`]
  try {
    process.stdout.write(`BENCH ingest machine cpus=${cpus().length} load1=${loadavg()[0]?.toFixed(2)}\n`)
    for (const name of names) await admin(options.serverUrl, (sql) => sql.unsafe(`create database ${name}`))

    const smallDir = join(dir, "small")
    const bigDir = join(dir, "full")
    await Promise.all([mkdir(smallDir), mkdir(bigDir)])
    const smallFiles = await generate(smallDir, small)
    const a = await ingest(options, names[0] ?? "", smallFiles)
    const smallLines = small * linesPerInvoice
    process.stdout.write(
      `BENCH ingest lines_200k=${smallLines} rows_per_s_200k=${Math.round(smallLines / a.seconds)} peak_rss_mb_200k=${a.peakMb}\n`
    )

    const files = await generate(bigDir, invoices)
    const lines = invoices * linesPerInvoice
    process.stdout.write(
      `BENCH ingest lines=${lines} invoices=${invoices} file_mb=${(files.bytes / 1048576).toFixed(1)}\n`
    )
    const b = await ingest(options, names[1] ?? "", files)
    const rate = lines / b.seconds
    process.stdout.write(`BENCH ingest seconds=${b.seconds.toFixed(2)} batch_size=${options.batchSize}\n`)
    process.stdout.write(`BENCH ingest rows_per_s=${Math.round(rate)}\n`)
    process.stdout.write(`BENCH ingest peak_rss_mb=${b.peakMb}\n`)
    process.stdout.write(
      `BENCH ingest node_cpu_s=${b.nodeCpuSeconds.toFixed(1)} server_active_s=${b.serverSeconds.toFixed(1)}\n`
    )

    const copySeconds = await copy(options, names[1] ?? "", files.invoicesFile)
    const copyRate = lines / copySeconds
    process.stdout.write(`BENCH ingest copy_seconds=${copySeconds.toFixed(2)}\n`)
    process.stdout.write(`BENCH ingest copy_rows_per_s=${Math.round(copyRate)}\n`)
    process.stdout.write(`BENCH ingest ratio_to_copy=${(rate / copyRate).toFixed(3)}\n`)
  } finally {
    for (const name of names) {
      await admin(options.serverUrl, (sql) => sql.unsafe(`drop database if exists ${name} with (force)`)).catch(
        () => undefined
      )
    }
    await rm(dir, { recursive: true, force: true })
  }
}

if (import.meta.main) await runIngestBench(process.argv.slice(2))
