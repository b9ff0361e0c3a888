// The date and identifier rewrite: same length, xref intact, dates fixed, identifiers a digest of the content,
// on hand-built PDFs shaped like Chromium's (Info dates, XMP metadata, trailer /ID).
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { countPages, normalisePdf, sha256Hex } from "../../../renderers/pdf/internal/DeterministicPdf.ts"
import { infoEntry, xrefMismatches } from "./PdfTestSupport.ts"

interface Stamp {
  readonly pdfDate: string
  readonly xmpDate: string
  readonly id: string
  readonly uuid: string
}

const encoder = new TextEncoder()

// A small PDF with a correct xref table, stamped like Skia stamps PDF/A output.
const buildPdf = (stamp: Stamp, body = "BT /F1 12 Tf 72 720 Td (Invoice INV-1) Tj ET"): Uint8Array => {
  const xmp =
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description>` +
    `<xmp:CreateDate>${stamp.xmpDate}</xmp:CreateDate><xmp:ModifyDate>${stamp.xmpDate}</xmp:ModifyDate>` +
    `<xmp:MetadataDate>${stamp.xmpDate}</xmp:MetadataDate>` +
    `<xmpMM:DocumentID>uuid:${stamp.uuid}</xmpMM:DocumentID><xmpMM:InstanceID>uuid:${stamp.uuid}</xmpMM:InstanceID>` +
    `</rdf:Description></rdf:RDF></x:xmpmeta>`
  const objects = [
    `<</Title (Invoice INV-1)\n/Producer (Skia/PDF m156)\n/CreationDate (${stamp.pdfDate})\n/ModDate (${stamp.pdfDate})>>`,
    `<</Type /Catalog\n/Pages 3 0 R\n/Metadata 5 0 R>>`,
    `<</Type /Pages\n/Kids [4 0 R 6 0 R]\n/Count 2>>`,
    `<</Type /Page\n/Parent 3 0 R\n/Contents 7 0 R>>`,
    `<</Type /Metadata\n/Subtype /XML\n/Length ${xmp.length}>> stream\n${xmp}\nendstream`,
    `<</Type /Page\n/Parent 3 0 R\n/Contents 7 0 R>>`,
    `<</Length ${body.length}>> stream\n${body}\nendstream`
  ]
  let text = "%PDF-1.4\n"
  const offsets: Array<number> = []
  objects.forEach((object, index) => {
    offsets.push(text.length)
    text += `${index + 1} 0 obj\n${object}\nendobj\n`
  })
  const xref = text.length
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  text += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("")
  text += `trailer\n<</Size ${objects.length + 1}\n/Root 2 0 R\n/Info 1 0 R\n/ID [<${stamp.id}> <${stamp.id}>]>>\n`
  text += `startxref\n${xref}\n%%EOF`
  return encoder.encode(text)
}

const stampA: Stamp = {
  pdfDate: "D:20261121073006+00'00'",
  xmpDate: "2026-11-21T07:30:06+00:00",
  id: "8A3F00C2D41E9B7765AA01FE33C0D2B1",
  uuid: "8a3f00c2-d41e-9b77-65aa-01fe33c0d2b1"
}
const stampB: Stamp = {
  pdfDate: "D:20301231235959+00'00'",
  xmpDate: "2030-12-31T23:59:59+00:00",
  id: "0123456789ABCDEF0123456789ABCDEF",
  uuid: "01234567-89ab-cdef-0123-456789abcdef"
}

const issued = new Date("2026-11-02T00:00:00Z")
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1")

describe("normalisePdf", () => {
  it("the hand-built PDF is well formed before any rewrite", () => {
    expect(xrefMismatches(buildPdf(stampA))).toEqual([])
  })

  it("writes the given date into the Info dictionary and the XMP metadata", () => {
    const out = normalisePdf(buildPdf(stampA), issued)
    expect(infoEntry(out, "CreationDate")).toBe("D:20261102000000+00'00'")
    expect(infoEntry(out, "ModDate")).toBe("D:20261102000000+00'00'")
    expect(text(out)).toContain("<xmp:CreateDate>2026-11-02T00:00:00+00:00</xmp:CreateDate>")
    expect(text(out)).toContain("<xmp:MetadataDate>2026-11-02T00:00:00+00:00</xmp:MetadataDate>")
    expect(text(out)).not.toContain("2026-11-21")
  })

  it("keeps the length and every xref offset", () => {
    const input = buildPdf(stampA)
    const out = normalisePdf(input, issued)
    expect(out.length).toBe(input.length)
    expect(xrefMismatches(out)).toEqual([])
  })

  it("replaces the trailer /ID and the XMP uuids with a digest of the content", () => {
    const out = text(normalisePdf(buildPdf(stampA), issued))
    expect(out).not.toContain(stampA.id)
    expect(out).not.toContain(stampA.uuid)
    const id = /\/ID \[<([0-9a-f]{32})> <([0-9a-f]{32})>\]/.exec(out)
    expect(id?.[1]).toBeDefined()
    expect(id?.[1]).toBe(id?.[2])
    expect(out).toContain(`uuid:${id?.[1]?.slice(0, 8)}-`)
  })

  it("makes documents that differ only in their stamps byte-identical", () => {
    expect(sha256Hex(buildPdf(stampA))).not.toBe(sha256Hex(buildPdf(stampB)))
    expect(sha256Hex(normalisePdf(buildPdf(stampA), issued))).toBe(sha256Hex(normalisePdf(buildPdf(stampB), issued)))
  })

  it("gives different content a different identifier", () => {
    const a = text(normalisePdf(buildPdf(stampA, "BT (one) Tj ET"), issued))
    const b = text(normalisePdf(buildPdf(stampA, "BT (two) Tj ET"), issued))
    const idOf = (pdf: string) => /\/ID \[<([0-9a-f]+)>/.exec(pdf)?.[1]
    expect(idOf(a)).not.toBe(idOf(b))
  })

  it("pads a longer date with spaces after the string and shortens a shorter one to a valid prefix", () => {
    const long = normalisePdf(buildPdf({ ...stampA, pdfDate: "D:20261121073006+01'00'  " }), issued)
    expect(text(long)).toContain("/CreationDate (D:20261102000000+00'00')  \n")
    const short = normalisePdf(buildPdf({ ...stampA, pdfDate: "D:20261121073006Z" }), issued)
    expect(infoEntry(short, "CreationDate")).toBe("D:20261102000000Z")
    expect(xrefMismatches(short)).toEqual([])
  })

  it("renumbers tagged-PDF structure ids by rank, keeping their order and width", () => {
    const structure = (a: number, b: number) => {
      const id = (n: number) => `(node${String(n).padStart(8, "0")})`
      return `/Headers [${id(b)}] /IDTree <</Names [${id(a)} 3 0 R ${id(b)} 4 0 R] /Limits [${id(a)} ${id(b)}]>>`
    }
    const early = normalisePdf(buildPdf(stampA, structure(27, 28)), issued)
    const late = normalisePdf(buildPdf(stampA, structure(198, 1042)), issued)
    expect(text(early)).toContain(
      "/Headers [(node00000002)] /IDTree <</Names [(node00000001) 3 0 R (node00000002) 4 0 R] /Limits [(node00000001) (node00000002)]>>"
    )
    expect(sha256Hex(late)).toBe(sha256Hex(early))
    expect(xrefMismatches(late)).toEqual([])
  })

  it("property: whatever the stamps, they normalise to the same bytes, of the same length, with a valid xref", () => {
    const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`))
    const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9A-F]{${n}}$`))
    const stamp: fc.Arbitrary<Stamp> = fc.record({
      pdfDate: digits(14).map((d) => `D:${d}+00'00'`),
      xmpDate: fc
        .date({ min: new Date("1990-01-01"), max: new Date("2090-01-01"), noInvalidDate: true })
        .map((d) => `${d.toISOString().slice(0, 19)}+00:00`),
      id: hex(32),
      uuid: hex(32).map(
        (h) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
      )
    })
    const date = fc.date({ min: new Date("1970-01-01"), max: new Date("9999-12-31"), noInvalidDate: true })
    fc.assert(
      fc.property(stamp, stamp, date, (a, b, when) => {
        const outA = normalisePdf(buildPdf(a), when)
        const outB = normalisePdf(buildPdf(b), when)
        return (
          outA.length === buildPdf(a).length && sha256Hex(outA) === sha256Hex(outB) && xrefMismatches(outA).length === 0
        )
      })
    )
  })
})

describe("countPages", () => {
  it("counts page objects, not the page tree", () => {
    expect(countPages(buildPdf(stampA))).toBe(2)
  })
})
