// WCAG contrast arithmetic against known values, and the default theme's colour pairs against AA.
import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { contrastRatio, normalizeHex, relativeLuminance, wcagAA } from "../../../core/render/Contrast.ts"
import { contrastChecks, defaultTheme } from "../../../core/render/Theme.ts"

const hex = fc
  .array(fc.integer({ min: 0, max: 255 }), { minLength: 3, maxLength: 3 })
  .map((rgb) => `#${rgb.map((c) => c.toString(16).padStart(2, "0")).join("")}`)

describe("WCAG contrast", () => {
  it("matches the reference values", () => {
    assert.strictEqual(relativeLuminance("#000000"), 0)
    assert.strictEqual(relativeLuminance("#ffffff"), 1)
    assert.closeTo(contrastRatio("#000", "#fff"), 21, 1e-9)
    assert.closeTo(contrastRatio("#777777", "#ffffff"), 4.48, 0.01)
    assert.closeTo(contrastRatio("#767676", "#ffffff"), 4.54, 0.01)
    assert.strictEqual(normalizeHex("#AbC"), "#aabbcc")
  })

  it("is symmetric and between 1 and 21", () =>
    fc.assert(
      fc.property(hex, hex, (a, b) => {
        const ratio = contrastRatio(a, b)
        assert.closeTo(ratio, contrastRatio(b, a), 1e-12)
        assert.isAtLeast(ratio, 1)
        assert.isAtMost(ratio, 21 + 1e-9)
        assert.closeTo(contrastRatio(a, a), 1, 1e-12)
      })
    ))

  it("the default theme passes AA on every pair it draws", () => {
    const checks = contrastChecks(defaultTheme.colors)
    assert.strictEqual(checks.length, 4)
    for (const check of checks) {
      assert.isTrue(check.passes, `${check.pair}: ${check.ratio}`)
      assert.isAtLeast(check.ratio, check.required)
    }
    const body = checks.find((check) => check.pair === "text on background")
    assert.isAtLeast(body?.ratio ?? 0, wcagAA.normalText)
    // #1f2933: L = 0.2126·0.01371 + 0.7152·0.02219 + 0.0722·0.0331 ≈ 0.02118, so (1 + 0.05) / (0.02118 + 0.05) ≈ 14.75
    assert.closeTo(body?.ratio ?? 0, 14.755, 0.01)
  })
})
