// The PDF renderer: a Chromium page pool and the HTML-to-PDF service on top of it.
export { BrowserPool, type PageLease, type PoolStats, type WithPageOptions } from "./BrowserPool.ts"
export { type PaperSize, paperSizeForLocale } from "./PaperSize.ts"
export { decodePdfConfig, PdfConfig, type PdfConfigInput, RemoteBrowser } from "./PdfConfig.ts"
export {
  BrowserUnavailable,
  BrowserUnavailableReason,
  PdfConfigError,
  PdfRenderError,
  PdfRenderErrorReason,
  PdfTimeout
} from "./PdfErrors.ts"
export { asRenderError, defaultPdfDate, type PdfDocument, PdfRenderer, type RenderPdfOptions } from "./PdfRenderer.ts"
