// `portico check`, `portico sync` and `portico quarantine list` as subprocesses on the documented CSV example
// (copied to a temp folder, with its embedded PGlite store there): output, exit codes, and a broken source.
import { execFile } from "node:child_process"
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"

const entry = join(import.meta.dirname, "porticoWithSync.ts")
const example = join(import.meta.dirname, "../../../../docs/examples/csv")
const slow = { timeout: 240_000 }

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

const portico = (args: ReadonlyArray<string>, cwd: string): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [entry, ...args],
      { env: { ...process.env, DATABASE_URL: "", NO_COLOR: "1" }, cwd },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1
        resolve({ code, stdout, stderr })
      }
    )
  })

let dir = ""
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "portico-sync-cli-"))
  await cp(example, dir, { recursive: true })
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe("portico sync commands", () => {
  it(
    "check reports the example source ready; sync writes it and lists the quarantined row; quarantine list shows why",
    slow,
    async () => {
      const check = await portico(["check", "--config", "portico.json"], dir)
      expect(check.code, check.stderr).toBe(0)
      expect(check.stdout).toContain('source "acme-erp" (CSV export files, adapter csv)')
      expect(check.stdout).toMatch(/ok +invoices file: .*invoices\.csv has the 15 columns/)
      expect(check.stdout).toContain("ok: 1 of 1 source(s) ready")

      const sync = await portico(["sync", "--config", "portico.json"], dir)
      expect(sync.code, sync.stderr).toBe(0)
      expect(sync.stdout).toContain('sync of "acme-erp" succeeded')
      expect(sync.stdout).toMatch(/invoices\s+3\s+2\s+0\s+0\s+1/)
      expect(sync.stdout).toContain("1 record(s) quarantined; see them with: portico quarantine list --source acme-erp")
      expect(sync.stdout).toContain(
        'RE-2026-003: line 5: issueDate (from "InvoiceDate"): expected a date as dd.mm.yyyy'
      )

      const again = await portico(["sync", "--config", "portico.json"], dir)
      expect(again.code, again.stderr).toBe(0)
      expect(again.stdout).toMatch(/total\s+0\s+0\s+0\s+0\s+0\s+0/)

      const list = await portico(["quarantine", "list", "--config", "portico.json"], dir)
      expect(list.code, list.stderr).toBe(0)
      expect(list.stdout).toMatch(/#1 {2}acme-erp {2}invoices {2}RE-2026-003 .* line 5: issueDate/)
      const json = await portico(
        ["quarantine", "list", "--config", "portico.json", "--json", "--source", "acme-erp"],
        dir
      )
      expect(json.code, json.stderr).toBe(0)
      const records = JSON.parse(json.stdout) as Array<{ externalId: string; raw: string }>
      expect(records.map((r) => r.externalId)).toEqual(["RE-2026-003"])
      expect(records[0]?.raw).toContain("31.02.2026")
    }
  )

  it(
    "a source whose export lost a mapped column fails check (exit 1) and sync (exit 1) with the column named",
    slow,
    async () => {
      const broken = join(dir, "broken")
      await cp(example, broken, { recursive: true })
      const file = join(broken, "payments.csv")
      await writeFile(file, (await readFile(file, "utf8")).replace("Applied", "Allocated"))
      await writeFile(
        join(broken, "portico.json"),
        (await readFile(join(broken, "portico.json"), "utf8")).replace('"schedule": { "every": "15 minutes" },', "")
      )
      const check = await portico(["check", "-c", "portico.json"], broken)
      expect(check.code).toBe(1)
      expect(check.stdout).toMatch(/FAIL {2}payments file: .*column "Applied" not in the header/)
      const sync = await portico(["sync", "-c", "portico.json"], broken)
      expect(sync.code).toBe(1)
      expect(sync.stdout).toContain('sync of "acme-erp" failed')
      expect(sync.stderr).toMatch(/while syncing payments: SchemaMismatch/)
      const watch = await portico(["sync", "-c", "portico.json", "--watch"], broken)
      expect(watch.code).toBe(2)
      expect(watch.stderr).toContain('--watch needs a "schedule" on every source; "acme-erp" has none')
    }
  )

  it("an unknown adapter or bad settings are usage errors (exit 2) naming the source and field", slow, async () => {
    const config = JSON.parse(await readFile(join(example, "portico.json"), "utf8")) as {
      sources: Array<Record<string, unknown>>
    }
    const wrongAdapter = { ...config, sources: [{ ...config.sources[0], adapter: "excel" }] }
    await writeFile(join(dir, "wrong-adapter.json"), JSON.stringify(wrongAdapter))
    const unknown = await portico(["check", "--config", "wrong-adapter.json"], dir)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain(
      'sources[0] ("acme-erp").adapter: "excel" is not one of "csv", "rest", "epicor", "sql"'
    )
    const badSettings = { ...config, sources: [{ ...config.sources[0], settings: { accounts: { path: "x.csv" } } }] }
    await writeFile(join(dir, "bad-settings.json"), JSON.stringify(badSettings))
    const bad = await portico(["sync", "--config", "bad-settings.json"], dir)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('sources[0] ("acme-erp").settings')
    expect(bad.stderr).toMatch(/mapping|key/)
  })
})
