// The example settings in docs/adapters-rest-epicor.md decode with the adapters' own config Schemas, so the
// documentation cannot drift from the code.
import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import { EpicorConfig } from "../../../adapters/epicor/index.ts"
import { RestConfig } from "../../../adapters/rest/index.ts"

const markdown = readFileSync(new URL("../../../docs/adapters-rest-epicor.md", import.meta.url), "utf8")
const fence = "```"
const blocks = (tag: string): Array<unknown> =>
  [...markdown.matchAll(new RegExp(`${fence}json ${tag}\\n([\\s\\S]*?)${fence}`, "g"))].map((match) =>
    JSON.parse(match[1] ?? "")
  )

describe("docs/adapters-rest-epicor.md", () => {
  it("has REST examples (Business Central, Odoo) that decode as RestConfig", () => {
    const examples = blocks("rest-config")
    assert.strictEqual(examples.length, 2)
    for (const example of examples) {
      const decoded = Schema.decodeUnknownSync(RestConfig)(example)
      assert.isAbove(Object.keys(decoded.entities).length, 1)
    }
  })

  it("has an Epicor example that decodes as EpicorConfig", () => {
    const [example] = blocks("epicor-config")
    const decoded = Schema.decodeUnknownSync(EpicorConfig)(example)
    assert.strictEqual(decoded.company, "EPIC06")
    assert.strictEqual(String(decoded.apiKey).includes("<api key>"), false, "the key prints redacted")
  })
})
