// Migration ids are namespaced and checked; checksums change with any change to the SQL and only then.
import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { checksum, migration } from "../../../core/store/Migration.ts"
import { coreMigrations } from "../../../core/store/migrations/coreMigrations.ts"

describe("Migration", () => {
  it("ids are <namespace>/<4 digits>_<name>", () => {
    assert.strictEqual(migration("core/0001_initial", []).id, "core/0001_initial")
    assert.strictEqual(migration("plugin-payments/0012_checkout", []).id, "plugin-payments/0012_checkout")
    for (const bad of ["0001_initial", "core/1_initial", "Core/0001_initial", "core/0001-initial", "core/0001_"]) {
      assert.throws(() => migration(bad, []))
    }
  })

  it("the core list is in order and its ids are unique", () => {
    const ids = coreMigrations.map((m) => m.id)
    assert.deepStrictEqual(ids, [
      "core/0001_initial",
      "core/0002_row_level_security",
      "core/0003_audit_log",
      "core/0004_inline_document_lines",
      "core/0005_json_document_text"
    ])
  })

  it("a checksum is a sha256 that changes exactly when the statements change", () =>
    fc.assert(
      fc.property(fc.array(fc.string()), fc.array(fc.string()), (a, b) => {
        const left = checksum(migration("test/0001_a", a))
        const right = checksum(migration("test/0001_b", b))
        assert.match(left, /^[0-9a-f]{64}$/)
        assert.strictEqual(left === right, a.join("\n;\n") === b.join("\n;\n"))
      })
    ))
})
