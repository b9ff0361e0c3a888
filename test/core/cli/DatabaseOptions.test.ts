// Which database the CLI opens: flag, config file, DATABASE_URL, default folder; and the config file format,
// its errors, and its extension by other sections.
import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { NodeServices } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Option, Redacted, Schema } from "effect"
import { ConfigFile, ConfigFileError, configFileFields, readConfigFile } from "../../../core/cli/ConfigFile.ts"
import { defaultDataDir, describeDatabase, storeConfigFrom } from "../../../core/cli/DatabaseOptions.ts"

const env = (vars: Record<string, string>) =>
  Layer.mergeAll(NodeServices.layer, ConfigProvider.layer(ConfigProvider.fromEnvRecord(vars)))

const tempFile = (name: string, content: string) =>
  Effect.promise(async () => {
    const dir = await mkdtemp(join(tmpdir(), "portico-config-"))
    const file = join(dir, name)
    await writeFile(file, content)
    return { dir, file }
  })

const url = (config: { readonly url?: Redacted.Redacted<string> }) =>
  config.url === undefined ? undefined : Redacted.value(config.url)

describe("storeConfigFrom", () => {
  it.effect("defaults to the embedded store in .portico/data under the working directory", () =>
    Effect.gen(function* () {
      const config = yield* storeConfigFrom({ databaseUrl: Option.none(), config: Option.none() })
      expect(config).toEqual({ dataDir: resolve(defaultDataDir) })
      expect(describeDatabase(config)).toBe(`embedded store at ${resolve(defaultDataDir)}`)
    }).pipe(Effect.provide(env({})))
  )

  it.effect("uses DATABASE_URL when no flag or file says otherwise", () =>
    Effect.gen(function* () {
      const config = yield* storeConfigFrom({ databaseUrl: Option.none(), config: Option.none() })
      expect(url(config)).toBe("postgres://env@db/portico")
    }).pipe(Effect.provide(env({ DATABASE_URL: "postgres://env@db/portico" })))
  )

  it.effect("--database-url beats the file and the environment, keeping the file's other settings", () =>
    Effect.gen(function* () {
      const { file } = yield* tempFile("p.json", JSON.stringify({ database: { dataDir: "x", maxConnections: 3 } }))
      const config = yield* storeConfigFrom({
        databaseUrl: Option.some("postgres://flag@db/portico"),
        config: Option.some(file)
      })
      expect(url(config)).toBe("postgres://flag@db/portico")
      expect(config.maxConnections).toBe(3)
    }).pipe(Effect.provide(env({ DATABASE_URL: "postgres://env@db/portico" })))
  )

  it.effect("an explicit config file beats DATABASE_URL and rebases a relative dataDir on its folder", () =>
    Effect.gen(function* () {
      const { dir, file } = yield* tempFile("p.json", JSON.stringify({ database: { dataDir: "store" } }))
      const config = yield* storeConfigFrom({ databaseUrl: Option.none(), config: Option.some(file) })
      expect(config).toEqual({ dataDir: join(dir, "store") })
    }).pipe(Effect.provide(env({ DATABASE_URL: "postgres://env@db/portico" })))
  )

  it.effect("a config file without a database section means the default folder, not memory", () =>
    Effect.gen(function* () {
      const { file } = yield* tempFile("p.json", JSON.stringify({ sources: [] }))
      const config = yield* storeConfigFrom({ databaseUrl: Option.none(), config: Option.some(file) })
      expect(config.dataDir).toBe(resolve(defaultDataDir))
    }).pipe(Effect.provide(env({})))
  )

  it("hides the password when describing a server", () => {
    expect(describeDatabase({ url: Redacted.make("postgres://me:secret@db:5432/p") })).toBe(
      "PostgreSQL at postgres://me:***@db:5432/p"
    )
  })
})

describe("readConfigFile", () => {
  it.effect("names the file and the failing field", () =>
    Effect.gen(function* () {
      const { file } = yield* tempFile("bad.json", JSON.stringify({ database: { maxConnections: 0 } }))
      const error = yield* Effect.flip(readConfigFile(file, ConfigFile))
      expect(error).toBeInstanceOf(ConfigFileError)
      expect(error.path).toBe(file)
      expect(error.message).toContain('["database"]["maxConnections"]')
    }).pipe(Effect.provide(NodeServices.layer))
  )

  it.effect("can be extended with another section by spreading configFileFields", () =>
    Effect.gen(function* () {
      const Extended = Schema.Struct({ ...configFileFields, sources: Schema.Array(Schema.String) })
      const { file } = yield* tempFile(
        "ext.json",
        JSON.stringify({ database: { url: "postgres://a@b/c" }, sources: ["csv"] })
      )
      const read = yield* readConfigFile(file, Extended)
      expect(read.sources).toEqual(["csv"])
      expect(read.database === undefined ? undefined : url(read.database)).toBe("postgres://a@b/c")
      const missing = yield* Effect.flip(readConfigFile(join(tmpdir(), "no-such-portico.json"), Extended))
      expect(missing.detail).toContain("cannot read it")
    }).pipe(Effect.provide(NodeServices.layer))
  )
})
