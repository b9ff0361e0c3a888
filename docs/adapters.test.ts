// Runs the adapter built in docs/adapters.md through the conformance kit: the page's code blocks that
// start with `// file: NAME` are written to a temp folder (with `portico/...` imports pointed at this
// repository) and the fixture module is imported from there.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import type { Effect, Scope } from "effect"
import { conformanceSuite, type SourceFixture } from "../adapters/testkit/index.ts"
import type { AdapterManifest } from "../core/erp/index.ts"

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, "..")
const page = readFileSync(join(here, "adapters.md"), "utf8")

const blocks = [...page.matchAll(/```ts\n\/\/ file: (\S+)\n([\s\S]*?)```/g)].map((match) => ({
  name: match[1] ?? "",
  code: (match[2] ?? "")
    .replaceAll('from "portico/core/erp"', `from ${JSON.stringify(join(root, "core/erp/index.ts"))}`)
    .replaceAll('from "portico/adapters/testkit"', `from ${JSON.stringify(join(root, "adapters/testkit/index.ts"))}`)
}))

const dir = join(tmpdir(), `portico-docs-${process.pid}`)
mkdirSync(dir, { recursive: true })
for (const block of blocks) writeFileSync(join(dir, block.name), block.code)

const adapterModule: { readonly jsonLinesManifest: AdapterManifest<unknown> } = await import(
  pathToFileURL(join(dir, "JsonLinesAdapter.ts")).href
)
const fixtureModule: {
  readonly jsonLinesFixture: (context: {
    readonly sourceId: string
  }) => Effect.Effect<SourceFixture, unknown, Scope.Scope>
} = await import(pathToFileURL(join(dir, "JsonLinesFixture.ts")).href)

describe("docs/adapters.md", () => {
  it("holds the walk-through's adapter and fixture", () => {
    expect(blocks.map((block) => block.name)).toEqual(["JsonLinesAdapter.ts", "JsonLinesFixture.ts"])
    expect(adapterModule.jsonLinesManifest.id).toBe("json-lines")
  })
})

conformanceSuite("json-lines (docs walk-through)", {
  fixture: fixtureModule.jsonLinesFixture,
  manifest: adapterModule.jsonLinesManifest
})
