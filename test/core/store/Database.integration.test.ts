// Choosing and configuring the database: settings decode with field-naming errors, the environment selects
// embedded or server, an embedded data directory survives a restart, and a server gets its statement timeout.
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import * as Database from "../../../core/store/Database.ts"
import { sqlErrorDetail } from "../../../core/store/internal/sqlErrorDetail.ts"
import { coreMigrations } from "../../../core/store/migrations/coreMigrations.ts"
import { decodeStoreConfig, storeConfigFromEnv } from "../../../core/store/StoreConfig.ts"
import { databaseUrl, postgres } from "../../support/Databases.ts"
import { postgresAvailability } from "../../support/Requirements.ts"

const pg = await postgresAvailability()

describe("StoreConfig", () => {
  it.effect("a malformed URL or pool size fails naming the field", () =>
    Effect.gen(function* () {
      const badUrl = yield* Effect.flip(decodeStoreConfig({ url: "mysql://x" }))
      assert.include(String(badUrl), "url")
      const badPool = yield* Effect.flip(decodeStoreConfig({ maxConnections: 0 }))
      assert.include(String(badPool), "maxConnections")
      const good = yield* decodeStoreConfig({ url: "postgres://u@h:5432/d", maxConnections: 5 })
      assert.strictEqual(Redacted.value(good.url!), "postgres://u@h:5432/d")
    })
  )

  it.effect("the environment chooses: no DATABASE_URL is embedded, a URL is a server", () =>
    Effect.gen(function* () {
      const read = (env: Record<string, string>) =>
        storeConfigFromEnv.pipe(Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env }))))
      assert.deepStrictEqual(yield* read({ PORTICO_DATA_DIR: "/var/lib/portico" }), { dataDir: "/var/lib/portico" })
      const server = yield* read({ DATABASE_URL: "postgres://root@db:5432/portico", PORTICO_DB_MAX_CONNECTIONS: "20" })
      assert.strictEqual(Redacted.value(server.url!), "postgres://root@db:5432/portico")
      assert.strictEqual(server.maxConnections, 20)
      const bad = yield* Effect.exit(read({ DATABASE_URL: "http://nope" }))
      assert.isTrue(Exit.isFailure(bad))
      assert.include(String(bad), "DATABASE_URL")
    })
  )
})

describe("Database", () => {
  it.effect("an embedded data directory keeps its data and migrations across restarts", () =>
    Effect.gen(function* () {
      const dataDir = yield* Effect.acquireRelease(
        Effect.promise(() => mkdtemp(join(tmpdir(), "portico-pglite-"))),
        (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
      )
      const write = Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`create table public.kept (n int)`
        yield* sql`insert into public.kept values (42)`
      })
      yield* write.pipe(Effect.provide(Database.layer({ dataDir })))
      const read = Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ n: number }>`select n from public.kept`
        const migrations = yield* sql<{ n: bigint }>`select count(*) as n from portico.schema_migrations`
        return [rows[0]?.n, Number(migrations[0]?.n)]
      })
      const again = yield* read.pipe(Effect.provide(Database.layerFrom(Effect.succeed({ dataDir }))))
      assert.deepStrictEqual(again, [42, coreMigrations.length])
    }).pipe(Effect.scoped)
  )

  it.effect.skipIf(!pg.available)("a server connection runs with the configured statement timeout", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const defaults = yield* sql<{ statement_timeout: string }>`show statement_timeout`
      assert.strictEqual(defaults[0]?.statement_timeout, "30s")
      const current = yield* sql<{ db: string }>`select current_database() as db`
      const short = Database.connect({ url: Redacted.make(databaseUrl(current[0]!.db)), statementTimeoutMs: 1500 })
      const [setting, slow] = yield* Effect.gen(function* () {
        const client = yield* SqlClient.SqlClient
        const shown = yield* client<{ statement_timeout: string }>`show statement_timeout`
        const sleep = yield* Effect.flip(client`select pg_sleep(5)`)
        return [shown[0]?.statement_timeout, sleep] as const
      }).pipe(Effect.provide(short))
      assert.strictEqual(setting, "1500ms")
      assert.include(sqlErrorDetail(slow), "statement timeout")
    }).pipe(Effect.provide(postgres()))
  )
})
