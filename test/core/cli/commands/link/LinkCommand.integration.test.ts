// Runs `portico link` as a subprocess (Node 24, bin/portico.ts) against an embedded store holding the demo
// data: create prints a link signed with the portal's keys, list shows it, revoke revokes it; new-key prints
// a key and its hash; requests that do not go together exit 2 with the reason.
import { execFile } from "node:child_process"
import { createHash } from "node:crypto"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect, Layer, Result } from "effect"
import { decode } from "../../../../../core/access/SignedLink.ts"
import { LocalDate } from "../../../../../core/domain/LocalDate.ts"
import { DomainEvents } from "../../../../../core/events/DomainEvents.ts"
import * as StoreLayer from "../../../../../core/store/StoreLayer.ts"
import { SyncEngine } from "../../../../../core/sync/SyncEngine.ts"
import { resolvePortalSettings } from "../../../../../starter/config/PortalSettings.ts"
import { loadDemoData } from "../../../../../starter/demo/DemoData.ts"
import { portalMigrations } from "../../../../../starter/migrations/index.ts"

const bin = join(import.meta.dirname, "../../../../../bin/portico.ts")
const secret = "link-command-test-secret-0123456789abcdef"
const slow = { timeout: 240_000 }

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

const portico = (args: ReadonlyArray<string>): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, DATABASE_URL: "", PORTICO_SECRET: secret, NO_COLOR: "1" }, cwd: tmpdir() },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1
        resolve({ code, stdout, stderr })
      }
    )
  })

let folder = ""
let dataDir = ""

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "portico-link-"))
  dataDir = join(folder, "data")
  const store = StoreLayer.layer({ dataDir }, portalMigrations)
  await Effect.runPromise(
    loadDemoData({ workDir: join(folder, "demo"), today: LocalDate.make("2026-01-15") }).pipe(
      Effect.provide(SyncEngine.layer.pipe(Layer.provideMerge(DomainEvents.layer), Layer.provideMerge(store))),
      Effect.scoped
    )
  )
}, 240_000)

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe("portico link", slow, () => {
  it("create prints a link signed with the portal's keys; list shows it; revoke revokes it", async () => {
    const base = ["--data-dir", dataDir, "--public-url", "https://billing.example.com"]
    const created = await portico(["link", "create", "--invoice", "demo:INV-1004", "--expires", "3 days", ...base])
    assert.strictEqual(created.code, 0, created.stderr)
    const url = new URL(created.stdout.trim())
    assert.strictEqual(url.origin, "https://billing.example.com")
    assert.strictEqual(url.pathname, "/auth/link")
    const settings = await Effect.runPromise(resolvePortalSettings({ file: {}, store: {}, overrides: { secret } }))
    const grant = decode(settings.auth.linkKeys, url.searchParams.get("token") ?? "", Date.now())
    assert.isTrue(Result.isSuccess(grant))
    const id = Result.isSuccess(grant) ? grant.success.id : ""
    assert.strictEqual(Result.isSuccess(grant) ? grant.success.invoiceId : undefined, "demo:INV-1004")
    assert.include(created.stderr, `invoice link ${id} for account demo:C1001`)

    const listed = await portico(["link", "list", "--account", "demo:C1001", ...base])
    assert.strictEqual(listed.code, 0, listed.stderr)
    assert.match(listed.stdout, new RegExp(`^${id}\\tdemo:INV-1004\\texpires `, "m"))

    const revoked = await portico(["link", "revoke", "--id", id, ...base])
    assert.strictEqual(revoked.code, 0, revoked.stderr)
    assert.strictEqual(revoked.stdout.trim(), `revoked ${id}`)
    const after = await portico(["link", "list", "--account", "demo:C1001", ...base])
    assert.match(after.stdout, new RegExp(`^${id}\\tdemo:INV-1004\\trevoked `, "m"))
  })

  it("refuses a contact with an account it is not linked to, and an unknown link, with exit code 2", async () => {
    const base = ["--data-dir", dataDir]
    const wrong = await portico(["link", "create", "--contact", "demo:K3", "--account", "demo:C1001", ...base])
    assert.strictEqual(wrong.code, 2)
    assert.include(wrong.stderr, "the contact is not linked to that account")
    const unknown = await portico(["link", "revoke", "--id", "no-such-link", ...base])
    assert.strictEqual(unknown.code, 2)
    assert.include(unknown.stderr, "no link no-such-link")
  })

  it("new-key prints a key and the sha256 to configure", async () => {
    const run = await portico(["link", "new-key", "--id", "billing-app"])
    assert.strictEqual(run.code, 0)
    const key = /^key: +(\S+)$/m.exec(run.stdout)?.[1] ?? ""
    const hash = createHash("sha256").update(key).digest("hex")
    assert.include(run.stdout, `PORTICO_API_KEY_SHA256=billing-app:${hash}`)
    assert.include(run.stdout, `"sha256": "${hash}"`)
  })
})
