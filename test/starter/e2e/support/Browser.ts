// Chromium for the browser tests (playwright-core), launched once per suite and closed with it, and the
// screenshots the suite leaves in test-output/screenshots/ at desktop (1280×800) and phone (390×844) widths.
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { Context, Effect, Layer } from "effect"
import { chromium, type Page, type Browser as PlaywrightBrowser } from "playwright-core"
import { chromiumPath } from "../../../support/Requirements.ts"

/** The launched browser. */
export class Browser extends Context.Service<Browser, PlaywrightBrowser>()("test/starter/Browser") {
  static readonly layer = Layer.effect(
    Browser,
    Effect.acquireRelease(
      Effect.promise(() =>
        chromium.launch({
          executablePath: chromiumPath() ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run"
          ]
        })
      ),
      (browser) => Effect.promise(() => browser.close())
    )
  )
}

/** Where screenshots go (gitignored). */
export const screenshotDirectory = join(import.meta.dirname, "..", "..", "..", "..", "test-output", "screenshots")

export const viewports = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 }
} as const

/** Screenshots of the current page at both widths (full page), named `<name>-desktop.png` and `<name>-phone.png`. */
export const screenshots = async (page: Page, name: string): Promise<void> => {
  mkdirSync(screenshotDirectory, { recursive: true })
  for (const [label, size] of Object.entries(viewports)) {
    await page.setViewportSize(size)
    await page.screenshot({ path: join(screenshotDirectory, `${name}-${label}.png`), fullPage: true })
  }
  await page.setViewportSize(viewports.desktop)
}
