// PDF rendering throughput: a one-page invoice through the browser pool, against launching a browser for every
// document; prints `BENCH render pdf_*` lines. Runs on its own with `node bench/render-pdf.ts`.
import { Console, Effect } from "effect"
import { BrowserPool } from "../renderers/pdf/BrowserPool.ts"
import { PdfRenderer } from "../renderers/pdf/PdfRenderer.ts"
import { invoiceHtml, sampleInvoice } from "../test/renderers/pdf/InvoiceFixture.ts"

const pooledDocuments = 200
const launchedDocuments = 10
const warmUpDocuments = 10

const html = invoiceHtml(sampleInvoice(12))
const options = { locale: "de-DE" }

const now = Effect.sync(() => performance.now())

const percentile = (sorted: ReadonlyArray<number>, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN

/** Renders `count` documents through one pool, `concurrency` at a time; per-document times in ms. */
const throughPool = Effect.gen(function* () {
  const renderer = yield* PdfRenderer
  const pool = yield* BrowserPool
  const concurrency = pool.config.concurrency
  yield* Effect.forEach(Array.from({ length: warmUpDocuments }), () => renderer.renderPdf(html, options), {
    concurrency
  })
  const started = yield* now
  const times = yield* Effect.forEach(
    Array.from({ length: pooledDocuments }),
    () =>
      Effect.gen(function* () {
        const start = yield* now
        yield* renderer.renderPdf(html, options)
        return (yield* now) - start
      }),
    { concurrency }
  )
  const seconds = ((yield* now) - started) / 1000
  return { perSecond: pooledDocuments / seconds, times: [...times].sort((a, b) => a - b), concurrency }
}).pipe(Effect.provide(PdfRenderer.layer()))

/** Renders each document with a browser launched for it and closed after it. */
const launchPerDocument = Effect.gen(function* () {
  const started = yield* now
  for (let i = 0; i < launchedDocuments; i++) {
    yield* PdfRenderer.use((renderer) => renderer.renderPdf(html, options)).pipe(
      Effect.provide(PdfRenderer.layer({ concurrency: 1 }))
    )
  }
  return launchedDocuments / (((yield* now) - started) / 1000)
})

const bench = Effect.gen(function* () {
  const pooled = yield* throughPool
  const launched = yield* launchPerDocument
  yield* Console.log(`BENCH render pdf_per_s=${pooled.perSecond.toFixed(1)}`)
  yield* Console.log(`BENCH render pdf_launch_per_doc_per_s=${launched.toFixed(2)}`)
  yield* Console.log(`BENCH render pdf_pool_speedup=${(pooled.perSecond / launched).toFixed(1)}`)
  yield* Console.log(`BENCH render pdf_p50_ms=${percentile(pooled.times, 50).toFixed(1)}`)
  yield* Console.log(`BENCH render pdf_p95_ms=${percentile(pooled.times, 95).toFixed(1)}`)
  yield* Console.log(
    `# render pdf: ${pooledDocuments} pooled documents at concurrency ${pooled.concurrency}, ${launchedDocuments} with a launch each`
  )
}).pipe(Effect.catchTag("BrowserUnavailable", (error) => Console.log(`SKIP render pdf: ${error.message}`)))

/** Runs the PDF benchmark and prints its `BENCH render pdf_*` lines. */
export const runPdfBench = (): Promise<void> => Effect.runPromise(bench)

if (import.meta.main) await runPdfBench()
