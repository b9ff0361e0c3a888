// File names for downloads and archive entries are one safe path segment, and unique within a folder.
import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { safeFileName, UniqueFileNames } from "../../../core/render/FileName.ts"

// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
const controls = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/
const reserved = /^\s*(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])\s*(\..*)?$/i

const nameArbitrary = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc
    .array(
      fc.constantFrom(
        "..",
        "/",
        "\\",
        ":",
        "CON",
        "nul",
        ".pdf",
        " ",
        ".",
        "\u202e",
        "\u0000",
        "a",
        "é",
        "😀",
        "\t",
        "LPT1",
        "*"
      ),
      { maxLength: 20 }
    )
    .map((parts) => parts.join(""))
)

describe("safeFileName", () => {
  it("is always one safe, bounded, non-reserved segment, and idempotent", () =>
    fc.assert(
      fc.property(nameArbitrary, (name) => {
        const safe = safeFileName(name)
        assert.isAbove(safe.length, 0)
        assert.notMatch(safe, /[/\\:*?"<>|]/)
        assert.notMatch(safe, controls)
        assert.notMatch(safe, /^[.\s]|[.\s]$/)
        assert.notMatch(safe, reserved)
        assert.isAtMost(Buffer.byteLength(safe), 200)
        assert.isFalse(safe.includes(".."))
        assert.strictEqual(safeFileName(safe), safe)
      }),
      { numRuns: 2000 }
    ))

  it("cleans the examples", () => {
    assert.strictEqual(safeFileName("../../etc/passwd"), "_._etc_passwd")
    assert.strictEqual(safeFileName("..\\..\\boot.ini"), "_._boot.ini")
    assert.strictEqual(safeFileName("nul.tar.gz"), "_nul.tar.gz")
    assert.strictEqual(safeFileName("invoice\u202Efdp.exe"), "invoicefdp.exe")
    assert.strictEqual(safeFileName("CON.pdf"), "_CON.pdf")
    assert.strictEqual(safeFileName("lpt1"), "_lpt1")
    assert.strictEqual(safeFileName("  report. . "), "report")
    assert.strictEqual(safeFileName("a\u0000b\nc.pdf"), "ab c.pdf")
    assert.strictEqual(safeFileName("...", "invoice.pdf"), "invoice.pdf")
    assert.strictEqual(safeFileName(""), "document")
    const long = safeFileName(`${"ü".repeat(300)}.pdf`)
    assert.isTrue(long.endsWith(".pdf"))
    assert.isAtMost(Buffer.byteLength(long), 200)
  })
})

describe("UniqueFileNames", () => {
  it("numbers repeated names, case-insensitively", () => {
    const names = new UniqueFileNames()
    assert.deepStrictEqual(
      ["invoice.pdf", "invoice.pdf", "INVOICE.pdf", "invoice (2).pdf", "invoice/../x.pdf"].map((name) =>
        names.next(name)
      ),
      ["invoice.pdf", "invoice (2).pdf", "INVOICE (3).pdf", "invoice (2) (2).pdf", "invoice_._x.pdf"]
    )
  })

  it("a reserved name is avoided by later names", () => {
    const names = new UniqueFileNames()
    assert.isTrue(names.reserve("manifest.csv"))
    assert.strictEqual(names.next("Manifest.csv"), "Manifest (2).csv")
  })

  it("never gives out the same name twice (ignoring case)", () =>
    fc.assert(
      fc.property(fc.array(nameArbitrary, { maxLength: 60 }), (input) => {
        const names = new UniqueFileNames()
        const out = input.map((name) => names.next(name))
        assert.strictEqual(new Set(out.map((name) => name.toLowerCase())).size, out.length)
        for (const name of out) assert.strictEqual(safeFileName(name), name)
      })
    ))
})
