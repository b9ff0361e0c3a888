// Runs the plugin built in docs/plugins.md: the page's code blocks that start with `// file: NAME` are written
// to a temp folder (with `portico/...` imports pointed at this repository), imported, composed on PGlite, and
// exercised: the migration ran, the route answers, a new invoice is greeted through the job. Also: the page's
// payments settings and starter `pluginTiers` examples decode as the portal decodes them.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer, Result, Schema } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { SqlClient } from "effect/sql"
import { Tier } from "../core/domain/Account.ts"
import { CurrencyCode } from "../core/domain/Currency.ts"
import { AccountId, InvoiceId } from "../core/domain/Ids.ts"
import { DomainEvents } from "../core/events/index.ts"
import { type JobHandlers, JobQueue, JobWorker } from "../core/jobs/index.ts"
import type { ComposedPlugins, PluginRegistry } from "../core/plugin/index.ts"
import type { DatabaseClient } from "../core/store/Database.ts"
import { PaymentsConfig } from "../plugins/payments/PaymentsConfig.ts"
import { PortalConfigFile } from "../starter/config/PortalConfig.ts"
import { selectTiers } from "../starter/plugins/PluginTiers.ts"
import { starterPlugins } from "../starter/plugins/StarterPlugins.ts"

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, "..")
const page = readFileSync(join(here, "plugins.md"), "utf8")

const modules: Record<string, string> = {
  "portico/core/jobs": "core/jobs/index.ts",
  "portico/core/plugin": "core/plugin/index.ts",
  "portico/core/store": "core/store/index.ts",
  "portico/core/events": "core/events/index.ts"
}
const blocks = [...page.matchAll(/```ts\n\/\/ file: (\S+)\n([\s\S]*?)```/g)].map((match) => ({
  name: match[1] ?? "",
  code: Object.entries(modules).reduce(
    (code, [from, to]) => code.replaceAll(`from "${from}"`, `from ${JSON.stringify(join(root, to))}`),
    match[2] ?? ""
  )
}))
const dir = join(tmpdir(), `portico-plugin-docs-${process.pid}`)
mkdirSync(dir, { recursive: true })
for (const block of blocks) writeFileSync(join(dir, block.name), block.code)

const example: {
  readonly plugins: ComposedPlugins<never, unknown, never>
  readonly services: Layer.Layer<JobQueue | JobHandlers | PluginRegistry | DomainEvents | DatabaseClient, unknown>
} = await import(pathToFileURL(join(dir, "GreeterApp.ts")).href)

describe("docs/plugins.md", () => {
  it("holds the walk-through's plugin and application", () => {
    assert.deepStrictEqual(
      blocks.map((block) => block.name),
      ["GreeterPlugin.ts", "GreeterApp.ts"]
    )
    assert.deepStrictEqual(
      example.plugins.migrations.map((m) => m.id),
      ["greeter/0001_greetings"]
    )
  })

  it.effect(
    "the greeter answers on its route and greets a new invoice through its job",
    () =>
      Effect.gen(function* () {
        const app = yield* Layer.build(example.services)
        const { handler, dispose } = HttpRouter.toWebHandler(
          example.plugins.routes.pipe(Layer.provide(Layer.succeedContext(app)), Layer.provide(HttpServer.layerServices))
        )
        yield* Effect.addFinalizer(() => Effect.promise(dispose))
        const hello = yield* Effect.promise(async () => {
          const response = await handler(new Request("http://portal.test/plugins/greeter/hello"), Context.empty())
          return [response.status, await response.text()] as const
        })
        assert.deepStrictEqual(hello, [200, "Hello, world!"])
        const queue = Context.get(app, JobQueue)
        const enqueued = yield* queue.nextEnqueue
        yield* Context.get(app, DomainEvents).publish({
          _tag: "InvoiceChanged",
          change: "inserted",
          invoiceId: InvoiceId.make("INV-7"),
          accountId: AccountId.make("acme"),
          source: { source: "erp", externalId: "INV-7" },
          status: "open",
          open: { currency: CurrencyCode.make("EUR"), minor: 100 },
          events: []
        })
        yield* enqueued
        assert.strictEqual(yield* JobWorker.drain("docs").pipe(Effect.provideContext(app)), 1)
        const sql = Context.get(app, SqlClient.SqlClient)
        const rows = yield* sql<{ key: string; text: string }>`select key, text from greetings`
        assert.deepStrictEqual(
          rows.map((row) => [row.key, row.text]),
          [["INV-7", "Hello, INV-7!"]]
        )
      }).pipe(Effect.scoped),
    60_000
  )
})

/** The first JSON block after `heading` (a line of its own). */
const jsonAfter = (heading: string): unknown => {
  const from = page.indexOf(`\n${heading}\n`)
  const block = from < 0 ? undefined : /```json\n([\s\S]*?)```/.exec(page.slice(from))?.[1]
  return JSON.parse(block ?? "null")
}

describe("docs/plugins.md settings examples", () => {
  it("the payments example decodes with the plugin's Schema", () => {
    const { payments } = Schema.decodeUnknownSync(Schema.Struct({ payments: PaymentsConfig }))(jsonAfter("## Payments"))
    assert.deepStrictEqual(
      [payments.provider.kind, payments.minimumPartialPayment, payments.portalUrl],
      ["stripe", { EUR: "10.00", USD: "10.00" }, "https://billing.example.com"]
    )
  })

  it("the starter's pluginTiers example decodes with the config file's Schema and names known plugins", () => {
    const file = Schema.decodeUnknownSync(PortalConfigFile)(jsonAfter("### Tiers"))
    assert.deepStrictEqual(file.pluginTiers, { reminders: [Tier.make("premium")] })
    assert.isTrue(Result.isSuccess(selectTiers(starterPlugins, file.pluginTiers)))
  })
})
