// `npm run bench -- render`: HTML renders per second, and the peak memory of a ZIP export of 2,000 and
// 10,000 PDFs written by the streaming writer against the same archive built in memory with jszip (each
// variant in a child process, peak from its maxRSS). Calls bench/render-pdf.ts when present. Prints
// `BENCH render <metric>=<value>` lines (memory in MiB, 2^20 bytes); runs on its own with `node bench/render.ts`.
import { spawnSync } from "node:child_process"
import { createHash, randomBytes } from "node:crypto"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Stream } from "effect"
import type { InvoiceView } from "../core/render/ViewModels.ts"
import type { NamedDocument } from "../renderers/zip/ZipExport.ts"

// Modules are loaded where they are used, so a ZIP child process holds only what its variant needs and its
// peak memory is the writer's, not the HTML renderer's or the other variant's.
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

// ---- ZIP, one variant per child process -----------------------------------------------------------------

type Variant = "stream" | "jszip"

// Each document is its own copy of the PDF with a trailing comment naming it, as if rendered or fetched
// one by one: no variant can share one buffer across entries.
const documentAt = (base: Uint8Array, index: number): NamedDocument => {
  const suffix = Buffer.from(`\n% portico bench document ${index}\n`)
  const bytes = new Uint8Array(base.byteLength + suffix.byteLength)
  bytes.set(base)
  bytes.set(suffix, base.byteLength)
  return {
    fileName: `invoice-INV-${String(index).padStart(6, "0")}.pdf`,
    contentType: "application/pdf",
    bytes,
    documentNumber: `INV-${String(index).padStart(6, "0")}`,
    kind: "Invoice"
  }
}

const modifiedAt = new Date("2026-11-21T00:00:00Z")

const runStream = async (base: Uint8Array, count: number): Promise<number> => {
  const { zipStream } = await import("../renderers/zip/ZipExport.ts")
  const documents = Stream.unfold(0, (index) =>
    Effect.sync(() => (index < count ? ([documentAt(base, index), index + 1] as const) : undefined))
  )
  let bytes = 0
  await Effect.runPromise(
    Stream.runForEach(zipStream(documents, { modifiedAt }), (chunk) =>
      Effect.sync(() => {
        bytes += chunk.byteLength
      })
    )
  )
  return bytes
}

const runJszip = async (base: Uint8Array, count: number): Promise<number> => {
  const { default: JSZip } = await import("jszip")
  const { manifestCsv } = await import("../renderers/zip/Manifest.ts")
  const zip = new JSZip()
  const manifest = []
  for (let index = 0; index < count; index++) {
    const document = documentAt(base, index)
    zip.file(document.fileName, document.bytes, { binary: true, compression: "STORE", date: modifiedAt })
    manifest.push({
      fileName: document.fileName,
      documentNumber: document.documentNumber ?? "",
      kind: document.kind ?? "",
      contentType: document.contentType,
      sha256: createHash("sha256").update(document.bytes).digest("hex"),
      size: document.bytes.byteLength
    })
  }
  zip.file("manifest.csv", manifestCsv(manifest), { compression: "DEFLATE", date: modifiedAt })
  const archive = await zip.generateAsync({ type: "nodebuffer" })
  return archive.byteLength
}

/** In a child process: builds one archive and prints its size, time and peak memory as JSON. */
const zipChild = async (variant: Variant, count: number, pdfPath: string) => {
  const base = new Uint8Array(readFileSync(pdfPath))
  // Load the variant's modules first: the baseline is the process ready to write, before any document.
  if (variant === "stream") await import("../renderers/zip/ZipExport.ts")
  else await Promise.all([import("jszip"), import("../renderers/zip/Manifest.ts")])
  const baseline = process.memoryUsage().rss
  let sampledPeak = baseline
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)
  }, 20)
  const started = performance.now()
  const bytes = variant === "stream" ? await runStream(base, count) : await runJszip(base, count)
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  const maxRss = process.resourceUsage().maxRSS * 1024
  print(JSON.stringify({ variant, count, bytes, seconds, baseline, peak: Math.max(maxRss, sampledPeak) }))
}

interface ChildResult {
  readonly bytes: number
  readonly seconds: number
  readonly baseline: number
  readonly peak: number
}

const zipVariant = (variant: Variant, count: number, pdfPath: string): ChildResult | string => {
  const child = spawnSync(process.execPath, [import.meta.filename, "--zip-child", variant, String(count), pdfPath], {
    encoding: "utf8",
    maxBuffer: 1024 * 1024
  })
  const line = child.stdout.trim().split("\n").at(-1) ?? ""
  if (child.status !== 0 || !line.startsWith("{")) return `exit ${child.status}: ${child.stderr.trim().slice(-300)}`
  return JSON.parse(line)
}

const zipBench = async () => {
  const pdf = await onePdf()
  const directory = mkdtempSync(join(tmpdir(), "portico-bench-"))
  const pdfPath = join(directory, "invoice.pdf")
  writeFileSync(pdfPath, pdf.bytes)
  print(`# render zip: every entry is ${pdf.note} (${pdf.bytes.byteLength} bytes), copied per document`)
  try {
    const runs: ReadonlyArray<readonly [Variant, number, string]> = [
      ["stream", 2000, "zip_stream_peak_mb_2k"],
      ["stream", 10_000, "zip_stream_peak_mb"],
      ["jszip", 2000, "zip_jszip_peak_mb_2k"],
      ["jszip", 10_000, "zip_jszip_peak_mb"]
    ]
    const peaks = new Map<string, number>()
    for (const [variant, count, metric] of runs) {
      const result = zipVariant(variant, count, pdfPath)
      if (typeof result === "string") {
        print(`# render zip: ${variant} with ${count} documents failed: ${result}`)
        continue
      }
      peaks.set(metric, result.peak)
      print(`BENCH render ${metric}=${mb(result.peak)}`)
      if (count === 10_000) print(`BENCH render zip_${variant}_above_baseline_mb=${mb(result.peak - result.baseline)}`)
      print(
        `# render zip: ${variant}, ${count} documents, ${mb(result.bytes)} MB archive in ${result.seconds.toFixed(1)} s (${(result.bytes / 1024 / 1024 / result.seconds).toFixed(0)} MB/s), process baseline ${mb(result.baseline)} MB`
      )
    }
    const small = peaks.get("zip_stream_peak_mb_2k")
    const large = peaks.get("zip_stream_peak_mb")
    if (small !== undefined && large !== undefined) {
      print(`BENCH render zip_stream_growth_mb_2k_to_10k=${mb(large - small)}`)
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

if (import.meta.main) {
  const [flag, variant, count, pdfPath] = process.argv.slice(2)
  if (flag === "--zip-child" && (variant === "stream" || variant === "jszip") && pdfPath !== undefined) {
    await zipChild(variant, Number(count), pdfPath)
  } else {
    await runRenderBench(process.argv.slice(2))
  }
}
