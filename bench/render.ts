// `npm run bench -- render`: HTML renders per second, and the peak memory of a ZIP export of 2,000 and
// 10,000 PDFs written by the streaming writer against the same archive built in memory with jszip, with
// default V8 settings and with the heap capped (each run a child process, bench/render-zip.ts). Then
// bench/render-pdf.ts. Prints `BENCH render <metric>=<value>` lines (memory in MiB, 2^20 bytes).
import { spawnSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import type { InvoiceView } from "../core/render/ViewModels.ts"
import type { ZipRun } from "./render-zip.ts"

// Loaded where they are used: the HTML renderer is not needed to write the sample PDF's archive.
const html = () => import("../renderers/html/HtmlRenderer.ts")
const render = () => import("../core/render/index.ts")

const print = (line: string) => process.stdout.write(`${line}\n`)
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)

// ---- HTML -------------------------------------------------------------------------------------------------

/** The sample invoice with `count` lines, like a busy month's invoice. */
const invoiceWithLines = (sampleInvoice: InvoiceView, count: number): InvoiceView => {
  const first = sampleInvoice.lines[0]
  if (first === undefined) return sampleInvoice
  return {
    ...sampleInvoice,
    lines: Array.from({ length: count }, (_, index) => ({
      ...first,
      lineNumber: index + 1,
      description: `${first.description} — lot ${index + 1}`
    }))
  }
}

const htmlBench = async () => {
  const { HtmlRenderer } = await html()
  const { defaultTheme, locale, sampleInvoice } = await render()
  const bench = Effect.gen(function* () {
    const html = yield* HtmlRenderer
    const request = { document: invoiceWithLines(sampleInvoice, 30), theme: defaultTheme, locale: locale("de-DE") }
    for (let index = 0; index < 300; index++) yield* html.renderHtml(request)
    const count = 3000
    const times: Array<number> = []
    const started = performance.now()
    for (let index = 0; index < count; index++) {
      const start = performance.now()
      yield* html.renderHtml(request)
      times.push(performance.now() - start)
    }
    const seconds = (performance.now() - started) / 1000
    times.sort((a, b) => a - b)
    const page = yield* html.renderHtml(request)
    print(`BENCH render html_per_s=${(count / seconds).toFixed(0)}`)
    print(`BENCH render html_p50_ms=${(times[Math.floor(count * 0.5)] ?? 0).toFixed(3)}`)
    print(`BENCH render html_p95_ms=${(times[Math.floor(count * 0.95)] ?? 0).toFixed(3)}`)
    print(
      `# render html: a 30-line invoice in de-DE, ${count} renders after 300 warm-up, ${page.length} characters each`
    )
  }).pipe(Effect.provide(HtmlRenderer.layer))
  await Effect.runPromise(bench)
}

// ---- the PDF every archive entry is made from ----------------------------------------------------------------

interface PdfSample {
  readonly bytes: Uint8Array
  readonly real: boolean
  readonly note: string
}

// One real invoice PDF from the PDF renderer when it and a browser are there; else 30 KB of random bytes
// (incompressible, as a PDF's compressed streams are).
const onePdf = async (): Promise<PdfSample> => {
  const modulePath = "../renderers/pdf/PdfRenderer.ts"
  if (!existsSync(new URL(modulePath, import.meta.url))) {
    return { bytes: randomBytes(30_000), real: false, note: "renderers/pdf is absent" }
  }
  const { PdfRenderer } = await import("../renderers/pdf/PdfRenderer.ts")
  const { HtmlRenderer } = await html()
  const { defaultTheme, locale, sampleInvoice } = await render()
  const program = Effect.gen(function* () {
    const html = yield* HtmlRenderer
    const page = yield* html.renderHtml({ document: sampleInvoice, theme: defaultTheme, locale: locale("en-GB") })
    const pdf = yield* PdfRenderer
    return yield* pdf.renderPdf(page, { locale: "en-GB" })
  }).pipe(Effect.provide([HtmlRenderer.layer, PdfRenderer.layer({ concurrency: 1 })]), Effect.scoped)
  const exit = await Effect.runPromiseExit(program)
  if (exit._tag === "Success") return { bytes: exit.value.bytes, real: true, note: "one real invoice PDF" }
  return {
    bytes: randomBytes(30_000),
    real: false,
    note: `no PDF could be rendered (${String(exit.cause).slice(0, 120)})`
  }
}

// ---- ZIP, one run per child process (bench/render-zip.ts) ---------------------------------------------------

type Variant = "stream" | "jszip"

// The heap cap of the flatness runs: 64 MiB of old generation and 4 MiB semi-spaces. A writer that keeps its
// documents, or anything per document beyond a small record, runs out of heap as the count grows; one that
// streams completes at any count. (Documents are array buffers outside the heap, so the cap bounds the
// writer's own objects; the live runs below count the buffers too.)
const heapCap = ["--max-old-space-size=64", "--max-semi-space-size=4"]

const zipRun = (
  variant: Variant,
  count: number,
  pdfPath: string,
  flags: ReadonlyArray<string> = []
): ZipRun | string => {
  const live = flags.includes("--expose-gc") ? ["--live"] : []
  const child = spawnSync(
    process.execPath,
    [...flags, join(import.meta.dirname, "render-zip.ts"), variant, String(count), pdfPath, ...live],
    { encoding: "utf8", maxBuffer: 1024 * 1024 }
  )
  const line = child.stdout.trim().split("\n").at(-1) ?? ""
  if (child.status !== 0 || !line.startsWith("{")) {
    const reason = /heap out of memory|Reached heap limit/.test(child.stderr)
      ? "out of heap"
      : child.stderr.trim().slice(-300)
    return `exit ${child.status ?? child.signal}: ${reason}`
  }
  return JSON.parse(line)
}

const zipBench = async () => {
  const pdf = await onePdf()
  const directory = mkdtempSync(join(tmpdir(), "portico-bench-"))
  const pdfPath = join(directory, "invoice.pdf")
  writeFileSync(pdfPath, pdf.bytes)
  print(`# render zip: every entry is ${pdf.note} (${pdf.bytes.byteLength} bytes), copied per document`)
  const report = (metric: string, variant: Variant, count: number, flags: ReadonlyArray<string> = []) => {
    const result = zipRun(variant, count, pdfPath, flags)
    const setting = flags.length === 0 ? "default V8 settings" : flags.join(" ")
    if (typeof result === "string") {
      print(`# render zip: ${variant}, ${count} documents, ${setting}: failed (${result})`)
      return undefined
    }
    print(`BENCH render ${metric}=${mb(result.peak)}`)
    print(
      `# render zip: ${variant}, ${count} documents, ${setting}: ${mb(result.bytes)} MiB archive in ${result.seconds.toFixed(1)} s; RSS ${mb(result.bare)} MiB bare (Node and its TypeScript stripping), ${mb(result.baseline)} MiB with the modules loaded, peak ${mb(result.peak)} MiB`
    )
    return result
  }
  const growth = (metric: string, small?: ZipRun, large?: ZipRun) => {
    if (small !== undefined && large !== undefined) print(`BENCH render ${metric}=${mb(large.peak - small.peak)}`)
  }
  try {
    const stream2k = report("zip_stream_peak_mb_2k", "stream", 2000)
    const stream10k = report("zip_stream_peak_mb", "stream", 10_000)
    growth("zip_stream_growth_mb_2k_to_10k", stream2k, stream10k)
    if (stream10k !== undefined)
      print(`BENCH render zip_stream_above_baseline_mb=${mb(stream10k.peak - stream10k.baseline)}`)
    report("zip_jszip_peak_mb_2k", "jszip", 2000)
    const jszip10k = report("zip_jszip_peak_mb", "jszip", 10_000)
    if (jszip10k !== undefined)
      print(`BENCH render zip_jszip_above_baseline_mb=${mb(jszip10k.peak - jszip10k.baseline)}`)

    // Flatness with the heap capped: the streamed export completes at both counts with about the same peak.
    const capped2k = report("zip_stream_capped_peak_mb_2k", "stream", 2000, heapCap)
    const capped10k = report("zip_stream_capped_peak_mb", "stream", 10_000, heapCap)
    growth("zip_stream_capped_growth_mb_2k_to_10k", capped2k, capped10k)
    print(`BENCH render zip_stream_capped_completed_10k=${capped10k === undefined ? 0 : 1}`)
    const jszipCapped = report("zip_jszip_capped_peak_mb", "jszip", 10_000, heapCap)
    print(`BENCH render zip_jszip_capped_completed_10k=${jszipCapped === undefined ? 0 : 1}`)

    // What stays alive: heap plus array buffers after full collections, every 1,000 documents.
    const live = zipRun("stream", 10_000, pdfPath, ["--expose-gc"])
    if (typeof live === "string") print(`# render zip: live-memory run failed (${live})`)
    else {
      const at = (documents: number) => live.live?.find((sample) => sample.documents === documents)?.bytes
      const [at2k, at10k] = [at(2000), at(10_000)]
      if (at2k !== undefined && at10k !== undefined) {
        print(`BENCH render zip_stream_live_mb_2k=${mb(at2k)}`)
        print(`BENCH render zip_stream_live_mb=${mb(at10k)}`)
        print(`BENCH render zip_stream_live_growth_mb_2k_to_10k=${mb(at10k - at2k)}`)
      }
      print(
        `# render zip: live MiB every 1,000 documents: ${(live.live ?? []).map((sample) => mb(sample.bytes)).join(", ")}`
      )
    }
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
}

/** Runs the render benchmarks: HTML, ZIP, and the PDF benchmark when bench/render-pdf.ts exists. */
export const runRenderBench = async (_args: ReadonlyArray<string> = []): Promise<void> => {
  await htmlBench()
  await zipBench()
  const pdfBench = "./render-pdf.ts"
  if (existsSync(new URL(pdfBench, import.meta.url))) {
    const { runPdfBench } = await import(pdfBench)
    if (typeof runPdfBench === "function") await runPdfBench()
  }
}

if (import.meta.main) await runRenderBench(process.argv.slice(2))
