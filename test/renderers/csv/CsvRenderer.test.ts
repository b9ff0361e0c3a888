// The CSV renderer turns every view model into a translated table, and streams invoice exports.
import { createHash } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Effect, Stream } from "effect"
import { locale } from "../../../core/render/Locale.ts"
import {
  sampleInvoice,
  sampleInvoiceList,
  sampleOpenItemStatement,
  samplePaymentReceipt,
  sampleStatement,
  sampleViewModels
} from "../../../core/render/Samples.ts"
import { defaultTheme } from "../../../core/render/Theme.ts"
import type { ViewModel } from "../../../core/render/ViewModels.ts"
import { csvRenderer, invoiceExportStream, makeCsvRenderer } from "../../../renderers/csv/CsvRenderer.ts"

const renderCsv = (document: ViewModel, tag: string, renderer = csvRenderer) =>
  Effect.gen(function* () {
    const rendered = yield* renderer.render({ document, theme: defaultTheme, locale: locale(tag) })
    assert.strictEqual(rendered.body._tag, "Bytes")
    const bytes = rendered.body._tag === "Bytes" ? rendered.body.bytes : new Uint8Array()
    return { rendered, bytes, text: new TextDecoder().decode(bytes) }
  })

describe("CsvRenderer", () => {
  it.effect("renders every kind with a file name, content type and the SHA-256 of its bytes", () =>
    Effect.gen(function* () {
      for (const document of sampleViewModels) {
        const { rendered, bytes } = yield* renderCsv(document, "en")
        assert.strictEqual(rendered.contentType, "text/csv; charset=utf-8")
        assert.isTrue(rendered.fileName.endsWith(".csv"))
        assert.strictEqual(rendered.sha256, createHash("sha256").update(bytes).digest("hex"))
        const records: ReadonlyArray<ReadonlyArray<string>> = parse(Buffer.from(bytes), { delimiter: "," })
        assert.isAbove(records.length, 1, document._tag)
      }
    })
  )

  it.effect("an invoice's lines in German: ';', decimal commas, translated headers, ISO-free plain numbers", () =>
    Effect.gen(function* () {
      const { text, rendered } = yield* renderCsv(sampleInvoice, "de")
      assert.strictEqual(rendered.fileName, "invoice-INV-2026-0042.csv")
      const lines = text.split("\r\n")
      assert.strictEqual(
        lines[0],
        "Rechnungsnummer;Pos.;Artikel;Beschreibung;Menge;Einheit;Einzelpreis;Rabatt;Steuersatz;Währung;Betrag"
      )
      assert.strictEqual(lines[1], "INV-2026-0042;1;HX-200;Hydraulic pump HX-200;2;pc;1250,00;;19;EUR;2500,00")
      assert.strictEqual(lines[2], "INV-2026-0042;2;;Installation, on site;3,5;h;95,00;10;19;EUR;299,25")
    })
  )

  it.effect("statements, receipts and lists keep dates ISO and amounts plain", () =>
    Effect.gen(function* () {
      const statement = (yield* renderCsv(sampleStatement, "en")).text.split("\r\n")
      assert.strictEqual(statement[0], "Date,Type,Reference,Description,Due date,Currency,Debit,Credit,Balance")
      assert.strictEqual(statement[1], "2026-11-02,Invoice,INV-2026-0042,,2026-12-02,EUR,3373.91,,3823.91")
      const open = (yield* renderCsv(sampleOpenItemStatement, "en")).text.split("\r\n")
      assert.strictEqual(open[0], "Date,Type,Reference,Due date,Currency,Original amount,Open")
      assert.strictEqual(open[2], "2026-11-15,Unallocated payment,SEPA-2026-11-15-0091,,EUR,1500.00,-50.00")
      const receipt = (yield* renderCsv(samplePaymentReceipt, "en")).text.split("\r\n")
      assert.strictEqual(receipt[1], "SEPA-2026-11-15-0091,2026-11-15,INV-2026-0042,EUR,1000.00")
      const list = (yield* renderCsv(sampleInvoiceList, "fr")).text.split("\r\n")
      assert.strictEqual(
        list[0],
        "Numéro de facture;Date de facture;Date d’échéance;Statut;Devise;Total TTC;Reste à payer"
      )
      assert.strictEqual(list[1], "INV-2026-0042;2026-11-02;2026-12-02;Partiellement payée;EUR;3373,91;2373,91")
    })
  )

  it.effect("a renderer made with a BOM writes one", () =>
    Effect.gen(function* () {
      const { bytes } = yield* renderCsv(sampleInvoiceList, "en", makeCsvRenderer({ bom: true }))
      assert.deepStrictEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf])
    })
  )

  it.effect("streams an invoice export row by row", () =>
    Effect.gen(function* () {
      const row = sampleInvoiceList.rows[0]
      assert.isDefined(row)
      if (row === undefined) return
      const rows = Stream.range(1, 3000).pipe(Stream.map((n) => ({ ...row, number: `INV-${n}` })))
      const chunks = yield* Stream.runCollect(invoiceExportStream(rows, locale("nl")))
      const text = Buffer.concat(chunks).toString("utf8")
      const lines = text.trimEnd().split("\r\n")
      assert.strictEqual(lines.length, 3001)
      assert.strictEqual(lines[0], "Factuurnummer;Factuurdatum;Vervaldatum;Status;Valuta;Totaal;Te betalen")
      assert.strictEqual(lines[3000], "INV-3000;2026-11-02;2026-12-02;Deels betaald;EUR;3373,91;2373,91")
    })
  )
})
