// Return-to values: only paths on the portal survive, whatever is thrown at the check.
import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { safeReturnTo } from "../../../starter/auth/Paths.ts"

describe("safeReturnTo", () => {
  it("keeps local paths with their query", () => {
    assert.strictEqual(safeReturnTo("/invoices/INV-1?tab=lines"), "/invoices/INV-1?tab=lines")
    assert.strictEqual(safeReturnTo("/"), "/")
  })

  it("refuses other sites, schemes and tricks", () => {
    for (const value of [
      "//evil.example",
      "///evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "evil.example",
      "/\tevil",
      "/%0d%0aSet-Cookie:x",
      "",
      undefined
    ]) {
      const kept = safeReturnTo(value)
      assert.isTrue(kept === undefined || (kept.startsWith("/") && !kept.startsWith("//")), String(value))
    }
    assert.isUndefined(safeReturnTo("//evil.example"))
    assert.isUndefined(safeReturnTo("https://evil.example/"))
    assert.isUndefined(safeReturnTo("/\\evil.example"))
  })

  it("whatever it keeps resolves to the portal's own origin", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (value) => {
        const kept = safeReturnTo(value)
        if (kept === undefined) return true
        const base = "https://portal.example"
        return new URL(kept, base).origin === base && kept.startsWith("/") && !kept.startsWith("//")
      }),
      { numRuns: 2000 }
    )
  })
})
