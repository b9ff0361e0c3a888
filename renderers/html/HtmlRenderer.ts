// The HTML renderer: Handlebars templates (templates/*.hbs) compiled and checked once when the layer is
// built, filled with data that PageContext has already formatted and cleaned. Every value is HTML-escaped;
// the one unescaped slot is the theme's own CSS. The pages need nothing from the network.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Context, Effect, Layer, Schema } from "effect"
import Handlebars from "handlebars"
import { sha256Hex } from "../../core/render/Digest.ts"
import { type Locale, locale as makeLocale } from "../../core/render/Locale.ts"
import type { Catalog } from "../../core/render/Messages.ts"
import { documentFileName, RenderError, type Renderer, type RenderRequest } from "../../core/render/Renderer.ts"
import { sampleViewModels } from "../../core/render/Samples.ts"
import { defaultTheme, Theme } from "../../core/render/Theme.ts"
import { viewModelKinds } from "../../core/render/ViewModels.ts"
import { type Formatter, makeFormatter } from "./Format.ts"
import { type PageContext, pageContext, type TemplateName } from "./internal/PageContext.ts"

/** The partials every document template may use. */
export const partialNames = ["layout", "header", "table", "lines", "totals", "footer"] as const
/** The document templates, one per view model kind. */
export const documentTemplateNames: ReadonlyArray<TemplateName> = [
  "invoice",
  "credit-note",
  "receipt",
  "statement",
  "invoice-list"
]
/** A template file name without `.hbs`. */
export type TemplateFileName = (typeof partialNames)[number] | TemplateName

/** Where the shipped templates are. */
export const templatesDirectory = join(import.meta.dirname, "templates")

/** Settings of the HTML renderer. */
export interface HtmlRendererOptions {
  /** Template sources that replace shipped ones, by file name without `.hbs` (a business's own layout). */
  readonly templates?: { readonly [K in TemplateFileName]?: string }
  /** Label catalogs by language, added to or replacing the shipped ones. */
  readonly catalogs?: { readonly [language: string]: Catalog }
}

/** A template that cannot be read or compiled, or that fails on the sample documents at start-up. */
export class HtmlTemplateError extends Schema.TaggedError<HtmlTemplateError>()("HtmlTemplateError", {
  template: Schema.String,
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

const format = "html"
const contentType = "text/html; charset=utf-8"
const encoder = new TextEncoder()

const readTemplate = (name: TemplateFileName, options: HtmlRendererOptions) =>
  Effect.try({
    try: () => options.templates?.[name] ?? readFileSync(join(templatesDirectory, `${name}.hbs`), "utf8"),
    catch: (cause) => new HtmlTemplateError({ template: name, message: `cannot read template ${name}.hbs`, cause })
  })

// One isolated Handlebars environment per layer: no helpers or partials leak between renderers or into
// the global Handlebars. `strict` makes a misspelt field an error instead of an empty string.
const compileAll = Effect.fnUntraced(function* (options: HtmlRendererOptions) {
  const handlebars = Handlebars.create()
  const compileOptions = { strict: true, knownHelpersOnly: true, preventIndent: true }
  for (const name of partialNames) {
    const source = yield* readTemplate(name, options)
    const template = yield* Effect.try({
      try: () => handlebars.compile<PageContext>(source, compileOptions),
      catch: (cause) =>
        new HtmlTemplateError({ template: name, message: `template ${name}.hbs does not compile`, cause })
    })
    handlebars.registerPartial(name, template)
  }
  const documents = new Map<TemplateName, Handlebars.TemplateDelegate<PageContext>>()
  for (const name of documentTemplateNames) {
    const source = yield* readTemplate(name, options)
    documents.set(
      name,
      yield* Effect.try({
        try: () => handlebars.compile<PageContext>(source, compileOptions),
        catch: (cause) =>
          new HtmlTemplateError({ template: name, message: `template ${name}.hbs does not compile`, cause })
      })
    )
  }
  return documents
})

const makeHtmlRenderer = Effect.fnUntraced(function* (options: HtmlRendererOptions) {
  const documents = yield* compileAll(options)
  // Themes are usually decoded once and reused: remember which objects passed, so a render re-checks a
  // theme (its CSS cannot close its <style>, its colours and fonts cannot end a declaration) only once.
  const validThemes = new WeakSet<Theme>()
  const isValidTheme = (theme: Theme): boolean => {
    if (validThemes.has(theme)) return true
    const valid = Schema.is(Theme)(theme)
    if (valid) validThemes.add(theme)
    return valid
  }
  const formatters = new Map<Locale, Formatter>()
  const formatterFor = (locale: Locale): Formatter => {
    const known = formatters.get(locale)
    if (known !== undefined) return known
    const created = makeFormatter(locale)
    if (formatters.size >= 256) formatters.clear()
    formatters.set(locale, created)
    return created
  }

  const renderHtml = (request: RenderRequest): Effect.Effect<string, RenderError> =>
    Effect.suspend(() => {
      if (!isValidTheme(request.theme)) {
        return Effect.fail(
          new RenderError({ format, reason: "InvalidInput", message: "the theme does not decode; use decodeTheme" })
        )
      }
      return Effect.try({
        try: () => {
          const context = pageContext(request, formatterFor(request.locale), options.catalogs)
          // compileAll compiled a template for every TemplateName, so the lookup always finds one.
          return documents.get(context.template)?.(context) ?? ""
        },
        catch: (cause) =>
          new RenderError({
            format,
            reason: "Failed",
            message: `rendering ${request.document._tag} as HTML failed: ${String(cause)}`,
            cause
          })
      })
    })

  const renderer: Renderer = {
    format,
    contentType,
    kinds: viewModelKinds,
    render: (request) =>
      Effect.map(renderHtml(request), (html) => {
        const bytes = encoder.encode(html)
        return {
          format,
          contentType,
          fileName: documentFileName(request.document, "html"),
          body: { _tag: "Bytes", bytes },
          sha256: sha256Hex(bytes)
        }
      })
  }

  // Templates are compiled lazily by Handlebars; rendering every sample once here makes a broken template
  // fail the layer at start-up, not a customer's download.
  const english = makeLocale("en")
  for (const document of sampleViewModels) {
    yield* renderHtml({ document, theme: defaultTheme, locale: english }).pipe(
      Effect.mapError(
        (error) => new HtmlTemplateError({ template: document._tag, message: error.message, cause: error.cause })
      )
    )
  }
  return { renderHtml, renderer }
})

/** Renders view models to standalone, accessible, print-ready HTML pages. */
export class HtmlRenderer extends Context.Service<
  HtmlRenderer,
  {
    /** The page as a string (for HTTP responses, or for the PDF renderer to print). */
    readonly renderHtml: (request: RenderRequest) => Effect.Effect<string, RenderError>
    /** The renderer for the `Renderers` registry (format "html"). */
    readonly renderer: Renderer
  }
>()("portico/renderers/html/HtmlRenderer") {
  /** Compiles the templates (shipped, or replaced through `options`) and checks each on the samples. */
  static readonly layerWith = (options: HtmlRendererOptions = {}): Layer.Layer<HtmlRenderer, HtmlTemplateError> =>
    Layer.effect(HtmlRenderer, makeHtmlRenderer(options))

  /** The renderer with the shipped templates and catalogs. */
  static readonly layer: Layer.Layer<HtmlRenderer, HtmlTemplateError> = HtmlRenderer.layerWith()

  /** The registry entry, for `Renderers.layer(HtmlRenderer.renderer, ...)`. */
  static readonly renderer: Effect.Effect<Renderer, never, HtmlRenderer> = Effect.map(
    Effect.service(HtmlRenderer),
    (service) => service.renderer
  )
}
