// scripts/copy-assets.ts finds every file the compiled code reads at run time and copies it to the same path
// under the output folder, leaving TypeScript to tsc.
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { templatesDirectory } from "../../renderers/html/HtmlRenderer.ts"
import { documentTemplateNames, partialNames } from "../../renderers/html/index.ts"
import { copyAssets, runtimeAssets } from "../../scripts/copy-assets.ts"

const root = join(import.meta.dirname, "../..")

describe("copy-assets", () => {
  it("lists every HTML template and no TypeScript", () => {
    const assets = runtimeAssets(root)
    for (const name of [...partialNames, ...documentTemplateNames]) {
      assert.include(assets, `renderers/html/templates/${name}.hbs`)
    }
    assert.deepStrictEqual(
      assets.filter((asset) => /\.(ts|mts|cts|tsx)$/.test(asset)),
      []
    )
    assert.deepStrictEqual(
      assets.filter((asset) => asset.startsWith("test/") || asset.startsWith("node_modules/")),
      []
    )
  })

  it("copies them to the same paths under the output folder, byte for byte", () => {
    const out = mkdtempSync(join(tmpdir(), "portico-assets-"))
    try {
      const copied = copyAssets(root, out)
      assert.deepStrictEqual(copied, runtimeAssets(root))
      for (const name of [...partialNames, ...documentTemplateNames]) {
        assert.strictEqual(
          readFileSync(join(out, "renderers/html/templates", `${name}.hbs`), "utf8"),
          readFileSync(join(templatesDirectory, `${name}.hbs`), "utf8")
        )
      }
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})
