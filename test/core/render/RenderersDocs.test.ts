// docs/renderers.md shows the example renderers exactly as the tests run them.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"

const root = join(import.meta.dirname, "../../..")
const docs = readFileSync(join(root, "docs/renderers.md"), "utf8")

// The code block after `<!-- example: path -->`, and the file at `path` without its two header lines, with
// the test's relative imports written from the repository root as the document does.
const exampleBlock = (path: string): string | undefined =>
  new RegExp(`<!-- example: ${path.replaceAll(".", "\\.")} -->\\n\`\`\`ts\\n([\\s\\S]*?)\\n\`\`\``).exec(docs)?.[1]
const exampleFile = (path: string): string =>
  readFileSync(join(root, path), "utf8").split("\n").slice(2).join("\n").replaceAll("../../../", "./").trim()

describe("docs/renderers.md", () => {
  for (const path of ["test/core/render/PlainTextRenderer.ts"]) {
    it(`shows ${path} as it is`, () => {
      const block = exampleBlock(path)
      assert.isDefined(block, `no example block for ${path}`)
      assert.strictEqual(block, exampleFile(path))
    })
  }

  it("names the shipped registry entries, each exported where the document says", async () => {
    const [html, pdf, csv] = await Promise.all([
      import("../../../renderers/html/index.ts"),
      import("../../../renderers/pdf/index.ts"),
      import("../../../renderers/csv/index.ts")
    ])
    assert.include(docs, "Renderers.layer(HtmlRenderer.renderer, PdfRenderer.renderer, csvRenderer)")
    assert.isTrue(Effect.isEffect(html.HtmlRenderer.renderer))
    assert.isTrue(Effect.isEffect(pdf.PdfRenderer.renderer))
    assert.strictEqual(csv.csvRenderer.format, "csv")
  })
})
