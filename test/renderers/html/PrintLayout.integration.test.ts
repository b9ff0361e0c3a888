// The shipped templates printed by Chromium: a short invoice fits one page on Letter and on A4, the totals sit
// at the end of the line (right in left-to-right pages, left in right-to-left ones), and the status badge lines
// up with the title above it.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { locale } from "../../../core/render/Locale.ts"
import { sampleInvoice, sampleViewModels } from "../../../core/render/Samples.ts"
import { defaultTheme } from "../../../core/render/Theme.ts"
import type { ViewModel } from "../../../core/render/ViewModels.ts"
import { HtmlRenderer } from "../../../renderers/html/HtmlRenderer.ts"
import { BrowserPool } from "../../../renderers/pdf/BrowserPool.ts"
import { PdfRenderer } from "../../../renderers/pdf/PdfRenderer.ts"
import { chromiumAvailability } from "../../support/Requirements.ts"
import { testPdfConfig } from "../pdf/PdfTestSupport.ts"

const chromium = chromiumAvailability()

const Live = Layer.mergeAll(HtmlRenderer.layer, PdfRenderer.layer({ ...testPdfConfig(), concurrency: 1 }))

interface Box {
  readonly left: number
  readonly right: number
}

// The boxes of the elements the layout promises something about, as laid out for print on the locale's
// paper (the viewport is the printable width: A4 182 mm, Letter 188 mm at 96 px per inch).
const boxes = (document: ViewModel, tag: string) =>
  Effect.gen(function* () {
    const html = yield* HtmlRenderer.use((renderer) =>
      renderer.renderHtml({ document, theme: defaultTheme, locale: locale(tag) })
    )
    const width = Math.round(((tag === "en-US" ? 187.9 : 182) / 25.4) * 96)
    return yield* BrowserPool.use((pool) =>
      pool.withPage((lease) =>
        lease.run("measuring the layout", async (page) => {
          await page.setViewportSize({ width, height: 1200 })
          await page.emulateMedia({ media: "print" })
          await page.setContent(html, { waitUntil: "load" })
          const box = async (selector: string): Promise<Box | undefined> => {
            const found = await page.locator(selector).first().boundingBox()
            return found === null ? undefined : { left: found.x, right: found.x + found.width }
          }
          return {
            main: await box("main"),
            totals: await box("table.totals"),
            title: await box("h1"),
            status: await box(".status")
          }
        })
      )
    )
  })

const near = (actual: number | undefined, expected: number | undefined, what: string) => {
  expect(actual, what).toBeDefined()
  expect(expected, what).toBeDefined()
  expect(Math.abs((actual ?? 0) - (expected ?? 0)), what).toBeLessThan(1)
}

describe.skipIf(!chromium.available)("the shipped templates in print", () => {
  it.live(
    "a short document of every kind prints on one page, on Letter (en-US) and on A4 (de-DE, ar-EG)",
    () =>
      Effect.gen(function* () {
        const html = yield* HtmlRenderer
        const pdf = yield* PdfRenderer
        for (const tag of ["en-US", "de-DE", "ar-EG"]) {
          for (const document of sampleViewModels) {
            const page = yield* html.renderHtml({ document, theme: defaultTheme, locale: locale(tag) })
            const printed = yield* pdf.renderPdf(page, { locale: tag })
            expect(printed.pages, `${tag} ${document._tag}`).toBe(1)
          }
        }
      }).pipe(Effect.provide(Live)),
    180_000
  )

  it.live(
    "the totals sit at the end of the line and the status badge lines up with the title's end",
    () =>
      Effect.gen(function* () {
        for (const tag of ["en-US", "de-DE"]) {
          const { main, totals, title, status } = yield* boxes(sampleInvoice, tag)
          near(totals?.right, main?.right, `${tag}: totals at the right`)
          near(status?.right, title?.right, `${tag}: badge under the title's right end`)
        }
        const { main, totals, title, status } = yield* boxes(sampleInvoice, "ar-EG")
        near(totals?.left, main?.left, "ar-EG: totals at the left")
        near(status?.left, title?.left, "ar-EG: badge under the title's left end")
      }).pipe(Effect.provide(Live)),
    120_000
  )
})
