// The browser pool on a real Chromium: page reuse, the concurrency bound, recycling of pages and browsers,
// time-outs, recovery from a crash, clean shutdown, and that nothing leaves the machine.
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Latch, Schema } from "effect"
import type { Browser, Page } from "playwright-core"
import { BrowserPool, type PageLease } from "../../../renderers/pdf/BrowserPool.ts"
import type { PdfConfigInput } from "../../../renderers/pdf/PdfConfig.ts"
import { PdfRenderer } from "../../../renderers/pdf/PdfRenderer.ts"
import { chromiumAvailability } from "../../support/Requirements.ts"
import { invoiceHtml, sampleInvoice } from "./InvoiceFixture.ts"
import { pdfText, testPdfConfig } from "./PdfTestSupport.ts"

const availability = chromiumAvailability()

const poolLayer = (overrides: PdfConfigInput = {}) => BrowserPool.layer({ ...testPdfConfig(), ...overrides })

/** Loads a small document and prints it; returns the page it ran on. */
const printOn = (lease: PageLease, label = "hello") =>
  lease
    .run("loading", (page) => page.setContent(`<p>${label}</p>`))
    .pipe(Effect.andThen(lease.run("printing", (page) => page.pdf())), Effect.as(lease.page))

const browserOf = (page: Page): Effect.Effect<Browser> =>
  Effect.sync(() => page.context().browser()).pipe(
    Effect.flatMap((browser) =>
      browser === null ? Effect.die("a pooled page has a browser") : Effect.succeed(browser)
    )
  )

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const ProcessInfo = Schema.Struct({
  processInfo: Schema.Array(Schema.Struct({ type: Schema.String, id: Schema.Number }))
})

/** The pid of the browser process behind a page, from the DevTools protocol. */
const browserPid = (lease: PageLease) =>
  lease
    .run("asking for the process list", async (page) => {
      const browser = page.context().browser()
      if (browser === null) throw new Error("the page has no browser")
      const session = await browser.newBrowserCDPSession()
      return session.send("SystemInfo.getProcessInfo")
    })
    .pipe(
      Effect.flatMap(Schema.decodeUnknownEffect(ProcessInfo)),
      Effect.map((info) => info.processInfo.find((process) => process.type === "browser")?.id),
      Effect.flatMap((pid) => (pid === undefined ? Effect.die("no browser process listed") : Effect.succeed(pid)))
    )

/** A local HTTP server that counts the requests it receives. */
const countingServer = Effect.acquireRelease(
  Effect.callback<{ readonly port: number; readonly hits: () => number; readonly close: () => void }>((resume) => {
    let hits = 0
    const server = createServer((_request, response) => {
      hits++
      response.end("body { color: red }")
    })
    server.listen(0, "127.0.0.1", () =>
      resume(
        Effect.succeed({
          port: (server.address() as AddressInfo).port,
          hits: () => hits,
          close: () => server.close()
        })
      )
    )
  }),
  (server) => Effect.sync(server.close)
)

describe.skipIf(!availability.available)("BrowserPool on Chromium", () => {
  it.effect("reuses one page for documents rendered one after another", () =>
    Effect.gen(function* () {
      const pool = yield* BrowserPool
      const pages = yield* Effect.forEach([1, 2, 3, 4, 5], () => pool.withPage((lease) => printOn(lease)))
      expect(new Set(pages).size).toBe(1)
      expect(yield* pool.stats).toEqual({ launches: 1, pagesCreated: 1, renders: 5, idlePages: 1 })
    }).pipe(Effect.provide(poolLayer()))
  )

  it.effect("never lends more pages at once than its concurrency", () =>
    Effect.gen(function* () {
      const pool = yield* BrowserPool
      const bothIn = yield* Latch.make()
      let active = 0
      let peak = 0
      // Every use waits until two are in at once, so an unbounded pool would let all six in together.
      const use = (lease: PageLease) =>
        Effect.gen(function* () {
          active++
          peak = Math.max(peak, active)
          if (active >= 2) yield* bothIn.open
          yield* bothIn.await
          yield* printOn(lease)
          active--
        })
      yield* Effect.forEach([1, 2, 3, 4, 5, 6], () => pool.withPage(use), { concurrency: "unbounded" })
      expect(peak).toBe(2)
      const stats = yield* pool.stats
      expect(stats.pagesCreated).toBe(2)
      expect(stats.renders).toBe(6)
    }).pipe(Effect.provide(poolLayer({ concurrency: 2 })))
  )

  it.effect("replaces a page after pageRendersBeforeRecycle renders", () =>
    Effect.gen(function* () {
      const pool = yield* BrowserPool
      const pages = yield* Effect.forEach([1, 2, 3, 4, 5], () => pool.withPage((lease) => printOn(lease)))
      const [a, b, c, d, e] = pages
      expect([a === b, b === c, c === d, d === e]).toEqual([true, false, true, false])
      expect(a?.isClosed()).toBe(true)
      expect(c?.isClosed()).toBe(true)
      expect(e?.isClosed()).toBe(false)
      expect((yield* pool.stats).pagesCreated).toBe(3)
      expect((yield* pool.stats).launches).toBe(1)
    }).pipe(Effect.provide(poolLayer({ concurrency: 1, pageRendersBeforeRecycle: 2 })))
  )

  it.effect("replaces the browser after browserRendersBeforeRecycle renders and closes the old one", () =>
    Effect.gen(function* () {
      const pool = yield* BrowserPool
      const pages = yield* Effect.forEach([1, 2, 3, 4, 5, 6, 7], () => pool.withPage((lease) => printOn(lease)))
      const browsers = yield* Effect.forEach(pages, browserOf)
      expect(new Set(browsers).size).toBe(3)
      expect(browsers.map((browser) => browser.isConnected())).toEqual([false, false, false, false, false, false, true])
      expect((yield* pool.stats).launches).toBe(3)
    }).pipe(Effect.provide(poolLayer({ concurrency: 1, browserRendersBeforeRecycle: 3 })))
  )

  it.live("fails a use that outlives its time-out with PdfTimeout, discards the page and keeps serving", () =>
    Effect.gen(function* () {
      const pool = yield* BrowserPool
      let stuck: Page | undefined
      const error = yield* pool
        .withPage((lease) => Effect.sync(() => (stuck = lease.page)).pipe(Effect.andThen(Effect.never)), {
          timeout: "300 millis"
        })
        .pipe(Effect.flip)
      expect(error._tag).toBe("PdfTimeout")
      expect(error._tag === "PdfTimeout" ? error.timeoutMillis : undefined).toBe(300)
      expect(stuck?.isClosed()).toBe(true)
      const next = yield* pool.withPage((lease) => printOn(lease))
      expect(next).not.toBe(stuck)
      expect(yield* pool.stats).toMatchObject({ launches: 1, pagesCreated: 2 })
    }).pipe(Effect.provide(poolLayer({ concurrency: 1 })))
  )

  it.live("times out a real render that cannot finish in time", () =>
    Effect.gen(function* () {
      const renderer = yield* PdfRenderer
      const html = invoiceHtml(sampleInvoice(3000))
      const error = yield* renderer.renderPdf(html, { locale: "de-DE", timeout: "1 millis" }).pipe(Effect.flip)
      expect(error._tag).toBe("PdfTimeout")
      const pdf = yield* renderer.renderPdf(invoiceHtml(sampleInvoice(3)), { locale: "de-DE" })
      expect(pdf.pages).toBe(1)
    }).pipe(Effect.provide(PdfRenderer.layer({ ...testPdfConfig(), concurrency: 1 })))
  )

  it.effect("launches a new browser when the old one was closed out from under the pool", () =>
    Effect.gen(function* () {
      const pool = yield* BrowserPool
      const renderer = yield* PdfRenderer
      const first = yield* pool.withPage((lease) => browserOf(lease.page))
      yield* Effect.promise(() => first.close())
      const pdf = yield* renderer.renderPdf(invoiceHtml(sampleInvoice(2)), { locale: "en-US" })
      expect((yield* pdfText(pdf.bytes)).text).toContain("Invoice INV-2026-00042")
      const second = yield* pool.withPage((lease) => browserOf(lease.page))
      expect(second).not.toBe(first)
      expect(second.isConnected()).toBe(true)
      expect((yield* pool.stats).launches).toBe(2)
    }).pipe(Effect.provide(PdfRenderer.layer({ ...testPdfConfig(), concurrency: 1 })))
  )

  it.effect("survives the browser process being killed in the middle of a render by retrying on a new one", () =>
    Effect.gen(function* () {
      const pool = yield* BrowserPool
      const pids: Array<number> = []
      let attempts = 0
      const pdf = yield* pool.withPage((lease) =>
        Effect.gen(function* () {
          attempts++
          const pid = yield* browserPid(lease)
          pids.push(pid)
          if (attempts === 1) process.kill(pid, "SIGKILL")
          yield* lease.run("loading", (page) => page.setContent(invoiceHtml(sampleInvoice(2))))
          return yield* lease.run("printing", (page) => page.pdf())
        })
      )
      expect(attempts).toBe(2)
      expect(pids[1]).not.toBe(pids[0])
      expect(isAlive(pids[0] ?? 0)).toBe(false)
      expect((yield* pdfText(pdf)).text).toContain("Invoice INV-2026-00042")
      expect((yield* pool.stats).launches).toBe(2)
    }).pipe(Effect.provide(poolLayer({ concurrency: 1 })))
  )

  it.effect("closes its pages and the browser, and the browser process ends, when the layer's scope closes", () =>
    Effect.gen(function* () {
      const { browser, page, pid } = yield* Effect.gen(function* () {
        const pool = yield* BrowserPool
        return yield* pool.withPage((lease) =>
          Effect.all({ browser: browserOf(lease.page), page: Effect.succeed(lease.page), pid: browserPid(lease) })
        )
      }).pipe(Effect.provide(poolLayer()))
      expect(page.isClosed()).toBe(true)
      expect(browser.isConnected()).toBe(false)
      expect(isAlive(pid)).toBe(false)
    })
  )

  it.effect("loads inline data but blocks http and file references, which never reach their server", () =>
    Effect.gen(function* () {
      const server = yield* countingServer
      const pool = yield* BrowserPool
      const base = `http://127.0.0.1:${server.port}`
      const png =
        "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEklEQVR4nGP4z8DAwMDAwMDAAAANBgEBJ5uE4wAAAABJRU5ErkJggg=="
      const html = `<html><head>
        <link rel="stylesheet" href="${base}/style.css">
        <style>@font-face { font-family: Remote; src: url(${base}/font.woff2); } body { font-family: Remote; background: url(${base}/bg.png); }</style>
        </head><body>
        <img id="http" src="${base}/logo.png"><img id="file" src="file:///etc/hostname"><img id="data" src="data:image/png;base64,${png}">
        <iframe src="${base}/frame.html"></iframe><p>offline</p></body></html>`
      const { widths, blocked } = yield* pool.withPage((lease) =>
        Effect.gen(function* () {
          yield* lease.run("loading", (page) => page.setContent(html))
          const raw = yield* lease.run("reading the images", (page) =>
            page.evaluate("Array.from(document.images, (image) => [image.id, image.naturalWidth])")
          )
          yield* lease.run("printing", (page) => page.pdf())
          const widths = yield* Schema.decodeUnknownEffect(Schema.Array(Schema.Tuple([Schema.String, Schema.Number])))(
            raw
          )
          return { widths: Object.fromEntries(widths), blocked: lease.blockedRequests() }
        })
      )
      expect(widths).toEqual({ http: 0, file: 0, data: 4 })
      expect(server.hits()).toBe(0)
      for (const path of ["style.css", "logo.png", "frame.html"]) expect(blocked).toContain(`${base}/${path}`)
    }).pipe(Effect.provide(poolLayer()))
  )

  it.effect("blocks requests made by page scripts too, when scripts are enabled", () =>
    Effect.gen(function* () {
      const server = yield* countingServer
      const pool = yield* BrowserPool
      const base = `http://127.0.0.1:${server.port}`
      const html = `<html><body><p>scripted</p><script>
        fetch("${base}/fetch").catch(() => {}); new Image().src = "${base}/beacon.gif";
        const xhr = new XMLHttpRequest(); xhr.open("GET", "${base}/xhr"); xhr.send();
        </script></body></html>`
      const urls = [`${base}/fetch`, `${base}/beacon.gif`, `${base}/xhr`]
      const blocked = yield* pool.withPage((lease) =>
        lease
          .run("loading and waiting for the script's requests to fail", async (page) => {
            const failed = urls.map((url) => page.waitForEvent("requestfailed", (request) => request.url() === url))
            await page.setContent(html)
            await Promise.all(failed)
          })
          .pipe(Effect.map(() => lease.blockedRequests()))
      )
      expect(server.hits()).toBe(0)
      expect(blocked).toEqual(expect.arrayContaining(urls))
    }).pipe(Effect.provide(poolLayer({ javaScriptEnabled: true })))
  )

  it.effect("renders an invoice whose template points at a live server without that server seeing a request", () =>
    Effect.gen(function* () {
      const server = yield* countingServer
      const renderer = yield* PdfRenderer
      const base = `http://127.0.0.1:${server.port}`
      const invoice = {
        ...sampleInvoice(3),
        extra: `<img src="${base}/x"><link rel="stylesheet" href="${base}/s.css">`
      }
      const pdf = yield* renderer.renderPdf(invoiceHtml(invoice), { locale: "en-GB" })
      expect(server.hits()).toBe(0)
      expect((yield* pdfText(pdf.bytes)).text).toContain(`Total due (EUR) ${invoice.total}`)
    }).pipe(Effect.provide(PdfRenderer.layer(testPdfConfig())))
  )
})
