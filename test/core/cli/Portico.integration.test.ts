// Runs the real `portico` command as a subprocess (Node 24, bin/portico.ts) against a fresh PostgreSQL
// database and a temporary PGlite folder: help, usage errors, migrate, and audit verify on an intact and a
// tampered log, checking exit codes and what is printed.
import { execFile } from "node:child_process"
import { randomUUID } from "node:crypto"
import { existsSync } from "node:fs"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { CurrentPrincipal, system } from "../../../core/access/Principal.ts"
import { AuditLog } from "../../../core/audit/AuditLog.ts"
import { AccountId } from "../../../core/domain/Ids.ts"
import { connect } from "../../../core/store/Database.ts"
import { Store } from "../../../core/store/Store.ts"
import type { StoreConfig } from "../../../core/store/StoreConfig.ts"
import { starterPortalMigrations } from "../../../starter/plugins/StarterPlugins.ts"
import { postgresAvailability, postgresUrl } from "../../support/Requirements.ts"

const bin = join(import.meta.dirname, "../../../bin/portico.ts")

// Each test starts Node several times (and PGlite's WASM): generous on a busy machine.
const slow = { timeout: 240_000 }

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `node bin/portico.ts ...args` with this test's Node (24) and waits for it to exit. */
const portico = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, DATABASE_URL: "", NO_COLOR: "1", ...env }, cwd: tmpdir() },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1
        resolve({ code, stdout, stderr })
      }
    )
  })

/** Appends `count` audit entries for `accountId` (creating the account) and returns their ids in order. */
const appendEntries = (config: StoreConfig, accountId: string, count: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`insert into portico.accounts (id, source, external_id, number, name, tier, currency, content_hash)
      values (${accountId}, 'test', ${accountId}, '1', 'Test', 'standard', 'EUR', 'x') on conflict do nothing`
    const audit = yield* AuditLog
    const ids: Array<string> = []
    for (let i = 0; i < count; i++) {
      const entry = yield* audit.append({
        action: "download",
        outcome: "success",
        accountId: AccountId.make(accountId),
        records: [{ kind: "invoice", id: `inv-${i}` }]
      })
      ids.push(entry.id)
    }
    return ids
  }).pipe(
    Effect.provideService(CurrentPrincipal, system("cli test")),
    Effect.provide(AuditLog.layer.pipe(Layer.provide(Store.layer), Layer.provideMerge(connect(config)))),
    Effect.scoped,
    Effect.runPromise
  )

/** Runs raw SQL as the connecting (superuser) role with triggers off: what an attacker with disk access does. */
const tamper = (config: StoreConfig, statement: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.withTransaction(
      Effect.gen(function* () {
        yield* sql`set local session_replication_role = replica`
        yield* sql.unsafe(statement)
      })
    )
  }).pipe(Effect.provide(connect(config)), Effect.scoped, Effect.runPromise)

describe("portico (no database needed)", slow, () => {
  it("--help on every command exits 0 and describes it", async () => {
    const root = await portico(["--help"])
    expect(root.code).toBe(0)
    expect(root.stdout).toContain("migrate")
    expect(root.stdout).toContain("audit")
    const migrate = await portico(["migrate", "--help"])
    expect(migrate.code).toBe(0)
    expect(migrate.stdout).toContain("--database-url")
    expect(migrate.stdout).toContain("--config")
    const audit = await portico(["audit", "--help"])
    expect(audit.code).toBe(0)
    expect(audit.stdout).toContain("verify")
    const verify = await portico(["audit", "verify", "--help"])
    expect(verify.code).toBe(0)
    expect(verify.stdout).toContain("--account")
  })

  it("usage errors exit 2 with a message", async () => {
    expect((await portico([])).code).toBe(2)
    expect((await portico(["audit"])).code).toBe(2)
    const unknown = await portico(["migrate", "--bogus"])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("--bogus")
    const badUrl = await portico(["migrate", "--database-url", "mysql://x"])
    expect(badUrl.code).toBe(2)
    expect(badUrl.stderr).toContain("postgres://")
  })

  it("config file errors exit 2 and name the file and the field", async () => {
    const dir = await mkdtemp(join(tmpdir(), "portico-cli-"))
    const missing = await portico(["migrate", "--config", join(dir, "absent.json")])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("absent.json")
    const notJson = join(dir, "broken.json")
    await writeFile(notJson, "{ database: ")
    const broken = await portico(["migrate", "--config", notJson])
    expect(broken.code).toBe(2)
    expect(broken.stderr).toContain("not valid JSON")
    const wrongType = join(dir, "wrong.json")
    await writeFile(wrongType, JSON.stringify({ database: { url: "http://example.com" } }))
    const wrong = await portico(["audit", "verify", "--config", wrongType])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('["database"]["url"]')
    await rm(dir, { recursive: true, force: true })
  })

  it("audit verify refuses a missing embedded folder with exit 2 and creates nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "portico-cli-"))
    const config = join(dir, "portico.json")
    await writeFile(config, JSON.stringify({ database: { dataDir: "absent" } }))
    const run = await portico(["audit", "verify", "--config", config])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`no embedded store at ${join(dir, "absent")}`)
    expect(existsSync(join(dir, "absent"))).toBe(false)
    await rm(dir, { recursive: true, force: true })
  })

  it("an unreachable database exits 3 and says why", async () => {
    const run = await portico(["migrate", "--database-url", "postgres://nobody@127.0.0.1:1/none"])
    expect(run.code).toBe(3)
    expect(run.stderr).toContain("migrate failed")
    expect(run.stderr).toContain("ECONNREFUSED")
  })
})

describe("portico on an embedded PGlite folder", slow, () => {
  let dir = ""
  let configFile = ""
  let config: StoreConfig = {}

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "portico-cli-pglite-"))
    configFile = join(dir, "portico.json")
    // a relative dataDir is taken relative to the config file's folder
    await writeFile(configFile, JSON.stringify({ database: { dataDir: "data" } }))
    config = { dataDir: join(dir, "data") }
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it("migrates, verifies, and exits 1 naming the entry after tampering", async () => {
    const first = await portico(["migrate", "--config", configFile])
    expect(first.stderr).toBe("")
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(`embedded store at ${join(dir, "data")}`)
    expect(first.stdout).toContain("applied core/0001_initial")
    const again = await portico(["migrate", "--config", configFile])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain("up to date")

    const ids = await appendEntries(config, "acc-pglite", 4)
    const intact = await portico(["audit", "verify", "--config", configFile])
    expect(intact.code).toBe(0)
    expect(intact.stdout).toContain("1 chain(s), 4 entries verified")

    await tamper(config, `update portico.audit_log set records = '[]'::jsonb where id = '${ids[2]}'`)
    const tampered = await portico(["audit", "verify", "--config", configFile])
    expect(tampered.code).toBe(1)
    expect(tampered.stderr).toContain(`BROKEN account acc-pglite: entry ${ids[2]} (#3 in the chain): hash-mismatch`)
  })
})

const availability = await postgresAvailability()

describe.skipIf(!availability.available)("portico on a PostgreSQL server", slow, () => {
  const database = `portico_cli_${randomUUID().replaceAll("-", "").slice(0, 12)}`
  const admin = new URL(postgresUrl)
  const url = new URL(postgresUrl)
  url.pathname = `/${database}`
  const config: StoreConfig = { url: Redacted.make(url.toString()) }
  const adminSql = (statement: string) =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql.unsafe(statement)
    }).pipe(Effect.provide(connect({ url: Redacted.make(admin.toString()) })), Effect.scoped, Effect.runPromise)

  beforeAll(() => adminSql(`create database ${database}`))
  afterAll(() => adminSql(`drop database if exists ${database} with (force)`))

  it("refuses to verify an unmigrated database with exit 3", async () => {
    const run = await portico(["audit", "verify", "--database-url", url.toString()])
    expect(run.code).toBe(3)
    expect(run.stderr).toContain("portico migrate")
  })

  it("migrates through DATABASE_URL and --database-url alike", async () => {
    const first = await portico(["migrate"], { DATABASE_URL: url.toString() })
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(`PostgreSQL at ${url.toString()}`)
    expect(first.stdout).toContain("applied core/0003_audit_log")
    const again = await portico(["migrate", "--database-url", url.toString()])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain(`up to date: ${starterPortalMigrations.length} migrations applied before`)
  })

  it("verifies each chain, and detects an edited and a deleted entry", async () => {
    const a = await appendEntries(config, "acc-a", 3)
    const b = await appendEntries(config, "acc-b", 3)
    const ok = await portico(["audit", "verify", "--database-url", url.toString()])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain("2 chain(s), 6 entries verified, no broken link")

    await tamper(config, `update portico.audit_log set outcome = 'denied' where id = '${a[1]}'`)
    const edited = await portico(["audit", "verify", "--database-url", url.toString()])
    expect(edited.code).toBe(1)
    expect(edited.stderr).toContain(`BROKEN account acc-a: entry ${a[1]} (#2 in the chain): hash-mismatch`)
    expect(edited.stderr).toContain("FAILED: 1 of 2 chain(s) broken")
    expect(edited.stderr).not.toContain("acc-b")

    const onlyB = await portico(["audit", "verify", "--account", "acc-b", "--database-url", url.toString()])
    expect(onlyB.code).toBe(0)
    expect(onlyB.stdout).toContain("1 chain(s), 3 entries verified")

    await tamper(config, `delete from portico.audit_log where id = '${b[1]}'`)
    const deleted = await portico(["audit", "verify", "--account", "acc-b", "--database-url", url.toString()])
    expect(deleted.code).toBe(1)
    expect(deleted.stderr).toContain(`BROKEN account acc-b: entry ${b[2]} (#2 in the chain): sequence-gap`)
  })
})
