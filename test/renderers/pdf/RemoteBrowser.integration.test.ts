// The pool on a remote browser, as a rendering fleet would run it: a Playwright server (`launchServer`) on
// 127.0.0.1 and a Chromium reached over CDP; reconnection after the server restarts; the server outlives the pool.
import { createServer } from "node:net"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { type BrowserServer, chromium } from "playwright-core"
import { BrowserPool } from "../../../renderers/pdf/BrowserPool.ts"
import { launchArgs } from "../../../renderers/pdf/internal/BrowserSource.ts"
import { PdfRenderer } from "../../../renderers/pdf/PdfRenderer.ts"
import { chromiumAvailability, chromiumPath } from "../../support/Requirements.ts"
import { invoiceHtml, sampleInvoice } from "./InvoiceFixture.ts"
import { pdfRendererConformance } from "./PdfRendererConformance.ts"
import { pdfText } from "./PdfTestSupport.ts"

const availability = chromiumAvailability()

/** A port nobody listens on right now (asked of the kernel, then released). */
const freePort = Effect.callback<number>((resume) => {
  const probe = createServer()
  probe.listen(0, "127.0.0.1", () => {
    const address = probe.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    probe.close(() => resume(Effect.succeed(port)))
  })
})

/** A Playwright browser server on 127.0.0.1, closed with the test's scope. */
const browserServer = (options: { readonly port?: number; readonly wsPath?: string } = {}) =>
  Effect.acquireRelease(
    Effect.promise(() => {
      const executablePath = chromiumPath()
      return chromium.launchServer({
        ...(executablePath === undefined ? {} : { executablePath }),
        args: [...launchArgs],
        host: "127.0.0.1",
        ...options
      })
    }),
    (server: BrowserServer) => Effect.promise(() => server.close())
  )

const invoice = sampleInvoice(5)

const renderInvoice = PdfRenderer.use((renderer) => renderer.renderPdf(invoiceHtml(invoice), { locale: "en-US" })).pipe(
  Effect.flatMap((pdf) => pdfText(pdf.bytes))
)

describe.skipIf(!availability.available)("BrowserPool on a remote browser", () => {
  pdfRendererConformance(
    "the shared PDF renderer tests through a Playwright server",
    Layer.unwrap(
      browserServer().pipe(
        Effect.map((server) => PdfRenderer.layer({ remote: { endpoint: server.wsEndpoint() }, concurrency: 2 }))
      )
    )
  )

  it.effect("renders through a Playwright server and leaves the server running when the pool closes", () =>
    Effect.gen(function* () {
      const server = yield* browserServer()
      const { text } = yield* renderInvoice.pipe(
        Effect.provide(PdfRenderer.layer({ remote: { endpoint: server.wsEndpoint() }, concurrency: 2 }))
      )
      expect(text).toContain(`Invoice ${invoice.number}`)
      expect(text).toContain(`Total due (EUR) ${invoice.total}`)
      // The pool only disconnected: a new client still gets the same server.
      const again = yield* Effect.promise(() => chromium.connect(server.wsEndpoint()))
      expect(again.isConnected()).toBe(true)
      yield* Effect.promise(() => again.close())
    })
  )

  it.effect("reconnects when the remote server was killed and came back at the same endpoint", () =>
    Effect.gen(function* () {
      const port = yield* freePort
      const endpointOptions = { port, wsPath: "/portico-pdf" }
      const first = yield* browserServer(endpointOptions)
      const endpoint = first.wsEndpoint()
      yield* Effect.gen(function* () {
        const pool = yield* BrowserPool
        expect((yield* renderInvoice).text).toContain(invoice.number)
        yield* Effect.promise(() => first.kill())
        const second = yield* browserServer(endpointOptions)
        expect(second.wsEndpoint()).toBe(endpoint)
        expect((yield* renderInvoice).text).toContain(invoice.number)
        expect((yield* pool.stats).launches).toBe(2)
      }).pipe(Effect.provide(PdfRenderer.layer({ remote: { endpoint }, concurrency: 1 })))
    })
  )

  it.effect("renders over the DevTools protocol (connectOverCDP)", () =>
    Effect.gen(function* () {
      const port = yield* freePort
      const executablePath = chromiumPath()
      // A browser started by someone else, listening for DevTools clients on a local port.
      yield* Effect.acquireRelease(
        Effect.promise(() =>
          chromium.launch({
            ...(executablePath === undefined ? {} : { executablePath }),
            args: [...launchArgs, `--remote-debugging-port=${port}`, "--remote-debugging-address=127.0.0.1"]
          })
        ),
        (browser) => Effect.promise(() => browser.close())
      )
      const { text } = yield* renderInvoice.pipe(
        Effect.provide(
          PdfRenderer.layer({ remote: { endpoint: `http://127.0.0.1:${port}`, protocol: "cdp" }, concurrency: 1 })
        )
      )
      expect(text).toContain(`Invoice ${invoice.number}`)
    })
  )
})
