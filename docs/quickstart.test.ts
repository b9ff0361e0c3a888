// Runs the README's library example (docs/examples/quickstart.ts) on the CSV files of docs/examples/csv, and
// checks that the README shows that example word for word, so the two cannot drift apart.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { quickstart } from "./examples/quickstart.ts"

const here = import.meta.dirname
const example = readFileSync(join(here, "examples/quickstart.ts"), "utf8")
const csvDir = join(here, "examples/csv")

/** The example config's CSV settings, file paths made absolute (the CLI resolves them against the config file). */
const settings: unknown = JSON.parse(readFileSync(join(csvDir, "portico.json"), "utf8"), (key, value) =>
  key === "path" && typeof value === "string" ? join(csvDir, value) : value
).sources[0].settings

describe("README quickstart", () => {
  it("is shown in the README exactly as it is tested", () => {
    const readme = readFileSync(join(here, "../README.md"), "utf8")
    assert.include(readme, example.trim())
  })

  it.effect(
    "syncs the example CSV export and lists the contact's invoices in its scope",
    () =>
      Effect.gen(function* () {
        const lines = yield* quickstart(settings)
        assert.deepStrictEqual(lines, ["RE-2026-002: overdue, open 7140"])
      }),
    120_000
  )
})
