// What every PdfRenderer must do, whichever browser it prints on (local, Playwright server, CDP): the invoice's
// text survives into the PDF, paper follows the locale, and the same document gives the same bytes every time.
import { createHash } from "node:crypto"
import { assert, expect, layer } from "@effect/vitest"
import { DateTime, Effect, type Layer } from "effect"
import { BrowserPool } from "../../../renderers/pdf/BrowserPool.ts"
import { normalisePdf, sha256Hex } from "../../../renderers/pdf/internal/DeterministicPdf.ts"
import { PdfRenderer } from "../../../renderers/pdf/PdfRenderer.ts"
import { invoiceHtml, sampleInvoice } from "./InvoiceFixture.ts"
import { infoEntry, pdfText, xrefMismatches } from "./PdfTestSupport.ts"

const mediaBox = (bytes: Uint8Array): string | undefined =>
  /\/MediaBox\s*\[([^\]]*)\]/.exec(Buffer.from(bytes).toString("latin1"))?.[1]?.trim()

const printRaw = (html: string) =>
  Effect.gen(function* () {
    const pool = yield* BrowserPool
    return yield* pool.withPage((lease) =>
      Effect.gen(function* () {
        yield* lease.run("loading", (page) => page.setContent(html))
        return yield* lease.run("printing", (page) => page.pdf({ format: "A4", tagged: true, printBackground: true }))
      })
    )
  })

/** Runs the shared PDF renderer tests, as suite `name`, against a layer that provides the renderer and its pool. */
export const pdfRendererConformance = (name: string, rendererLayer: Layer.Layer<PdfRenderer | BrowserPool, unknown>) =>
  layer(rendererLayer, { timeout: "60 seconds" })(name, (it) => {
    it.effect("puts the invoice number, dates, every line and the totals into the PDF text", () =>
      Effect.gen(function* () {
        const renderer = yield* PdfRenderer
        const invoice = sampleInvoice(8)
        const pdf = yield* renderer.renderPdf(invoiceHtml(invoice), { locale: "en-GB" })
        const { text, pages } = yield* pdfText(pdf.bytes)
        expect(pages).toBe(1)
        expect(pdf.pages).toBe(1)
        expect(text).toContain(`Invoice ${invoice.number}`)
        expect(text).toContain(`Issued ${invoice.issued}`)
        expect(text).toContain(`Due ${invoice.due}`)
        expect(text).toContain(invoice.customer)
        for (const line of invoice.lines) {
          expect(text).toContain(line.description)
          expect(text).toContain(line.amount)
        }
        expect(text).toContain(`Subtotal ${invoice.subtotal}`)
        expect(text).toContain(`VAT 20% ${invoice.tax}`)
        expect(text).toContain(`Total due (EUR) ${invoice.total}`)
      })
    )

    it.effect("prints en-US, en-CA and es-MX on Letter and de-DE, en-GB on A4", () =>
      Effect.gen(function* () {
        const renderer = yield* PdfRenderer
        const html = invoiceHtml(sampleInvoice(3))
        const box = (locale: string) =>
          renderer.renderPdf(html, { locale }).pipe(Effect.map((pdf) => mediaBox(pdf.bytes)))
        for (const locale of ["en-US", "en-CA", "es-MX"]) expect(yield* box(locale)).toBe("0 0 612 792")
        for (const locale of ["de-DE", "en-GB"]) expect(yield* box(locale)).toMatch(/^0 0 595\.\d+ 842\.\d+$/)
      })
    )

    it.effect("prints on the paper given, or on the one the document's @page rule names, over the locale's", () =>
      Effect.gen(function* () {
        const renderer = yield* PdfRenderer
        const html = invoiceHtml(sampleInvoice(3))
        const given = yield* renderer.renderPdf(html, { locale: "de-DE", paper: "Letter" })
        expect(mediaBox(given.bytes)).toBe("0 0 612 792")
        const sized = html.replace("@page {", "@page { size: Letter;")
        expect(sized).not.toBe(html)
        const ruled = yield* renderer.renderPdf(sized, { locale: "de-DE" })
        expect(mediaBox(ruled.bytes)).toBe("0 0 612 792")
      })
    )

    it.effect("gives the same bytes, and the SHA-256 of those bytes, for the same document", () =>
      Effect.gen(function* () {
        const renderer = yield* PdfRenderer
        const html = invoiceHtml(sampleInvoice(12))
        const first = yield* renderer.renderPdf(html, { locale: "de-DE" })
        const second = yield* renderer.renderPdf(html, { locale: "de-DE" })
        expect(second.sha256).toBe(first.sha256)
        expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true)
        expect(first.sha256).toBe(createHash("sha256").update(first.bytes).digest("hex"))
        const other = yield* renderer.renderPdf(invoiceHtml(sampleInvoice(12, "INV-2026-00043")), { locale: "de-DE" })
        expect(other.sha256).not.toBe(first.sha256)
      })
    )

    it.effect("Chromium stamps the time of printing; after normalising, prints from different seconds are equal", () =>
      Effect.gen(function* () {
        const html = invoiceHtml(sampleInvoice(4))
        const first = yield* printRaw(html)
        const stamped = infoEntry(first, "CreationDate")
        expect(stamped).toMatch(/^D:\d{14}/)
        // Print until the clock has moved on to another second: waits on the stamp itself, not on a sleep.
        const later = yield* printRaw(html).pipe(
          Effect.repeat({ until: (raw) => infoEntry(raw, "CreationDate") !== stamped })
        )
        expect(sha256Hex(later)).not.toBe(sha256Hex(first))
        const date = new Date("2026-11-02T00:00:00Z")
        expect(sha256Hex(normalisePdf(later, date))).toBe(sha256Hex(normalisePdf(first, date)))
      })
    )

    it.effect("writes the document's own date, or the epoch, as creation and modification date", () =>
      Effect.gen(function* () {
        const renderer = yield* PdfRenderer
        const html = invoiceHtml(sampleInvoice(2))
        const dated = yield* renderer.renderPdf(html, {
          locale: "de-DE",
          date: DateTime.makeUnsafe("2026-11-02T09:15:00Z")
        })
        expect(infoEntry(dated.bytes, "CreationDate")).toBe("D:20261102091500+00'00'")
        expect(infoEntry(dated.bytes, "ModDate")).toBe("D:20261102091500+00'00'")
        const undated = yield* renderer.renderPdf(html, { locale: "de-DE" })
        expect(infoEntry(undated.bytes, "CreationDate")).toBe("D:19700101000000+00'00'")
        expect(xrefMismatches(dated.bytes)).toEqual([])
        expect(xrefMismatches(undated.bytes)).toEqual([])
      })
    )

    it.effect("uses the given title, else the HTML title", () =>
      Effect.gen(function* () {
        const renderer = yield* PdfRenderer
        const html = invoiceHtml(sampleInvoice(2))
        const plain = yield* renderer.renderPdf(html, { locale: "en-US" })
        expect(infoEntry(plain.bytes, "Title")).toBe("Invoice INV-2026-00042")
        const titled = yield* renderer.renderPdf(html, { locale: "en-US", title: "Acme invoice 42" })
        expect(infoEntry(titled.bytes, "Title")).toBe("Acme invoice 42")
      })
    )

    it.effect("counts the pages of a long invoice as unpdf does", () =>
      Effect.gen(function* () {
        const renderer = yield* PdfRenderer
        const invoice = sampleInvoice(90)
        const pdf = yield* renderer.renderPdf(invoiceHtml(invoice), { locale: "de-DE" })
        const { pages, text } = yield* pdfText(pdf.bytes)
        assert.isAbove(pages, 2)
        expect(pdf.pages).toBe(pages)
        expect(text).toContain("Service line 90:")
        expect(text).toContain(`Total due (EUR) ${invoice.total}`)
      })
    )
  })
