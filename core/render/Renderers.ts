// The registry the starter and plugins find renderers in, by format. It is built from plain values and
// layers at composition time (no global registry, no module paths): a new format is one more argument.
import { Context, Effect, Layer, Schema } from "effect"
import { Format, type RenderError, type Rendered, type Renderer, type RenderRequest } from "./Renderer.ts"

/** No renderer is registered for the format asked for. */
export class RendererNotFound extends Schema.TaggedError<RendererNotFound>()("RendererNotFound", {
  format: Schema.String,
  available: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `no renderer for format "${this.format}"; available: ${this.available.join(", ") || "none"}`
  }
}

/** Two renderers claim one format, or a format name is invalid: the composition is wrong. */
export class RendererConflict extends Schema.TaggedError<RendererConflict>()("RendererConflict", {
  message: Schema.String
}) {}

/** A renderer, or an effect that builds one from services (such as `HtmlRenderer.renderer`). */
export type RendererSource = Renderer | Effect.Effect<Renderer, unknown, unknown>

type SourceError<S> = S extends Effect.Effect<Renderer, infer E, infer _R> ? E : never
type SourceServices<S> = S extends Effect.Effect<Renderer, infer _E, infer R> ? R : never

/** The renderers of an application, by format. */
export class Renderers extends Context.Service<
  Renderers,
  {
    /** The registered formats, in registration order. */
    readonly formats: ReadonlyArray<string>
    readonly get: (format: string) => Effect.Effect<Renderer, RendererNotFound>
    /** Finds the format's renderer and renders with it. */
    readonly render: (format: string, request: RenderRequest) => Effect.Effect<Rendered, RendererNotFound | RenderError>
  }
>()("portico/core/render/Renderers") {
  /** A registry of the given renderers; fails when two share a format or a format name is invalid. */
  static readonly make = (renderers: ReadonlyArray<Renderer>): Effect.Effect<Renderers["Service"], RendererConflict> =>
    Effect.gen(function* () {
      const byFormat = new Map<string, Renderer>()
      for (const renderer of renderers) {
        if (!Schema.is(Format)(renderer.format)) {
          return yield* new RendererConflict({ message: `invalid renderer format "${renderer.format}"` })
        }
        if (byFormat.has(renderer.format)) {
          return yield* new RendererConflict({
            message: `two renderers are registered for format "${renderer.format}"`
          })
        }
        byFormat.set(renderer.format, renderer)
      }
      const formats = [...byFormat.keys()]
      const get = (format: string): Effect.Effect<Renderer, RendererNotFound> => {
        const renderer = byFormat.get(format)
        return renderer === undefined
          ? Effect.fail(new RendererNotFound({ format, available: formats }))
          : Effect.succeed(renderer)
      }
      return Renderers.of({
        formats,
        get,
        render: (format, request) => Effect.flatMap(get(format), (renderer) => renderer.render(request))
      })
    })

  /**
   * The registry layer from renderers and renderer-building effects; it needs what those effects need:
   * `Renderers.layer(HtmlRenderer.renderer, CsvRenderer.renderer, myJsonRenderer).pipe(Layer.provide(...))`.
   */
  static readonly layer = <const Sources extends ReadonlyArray<RendererSource>>(
    ...sources: Sources
  ): Layer.Layer<Renderers, RendererConflict | SourceError<Sources[number]>, SourceServices<Sources[number]>> =>
    Layer.effect(
      Renderers,
      Effect.flatMap(
        Effect.forEach(
          sources,
          (source): Effect.Effect<Renderer, SourceError<Sources[number]>, SourceServices<Sources[number]>> =>
            Effect.isEffect(source) ? narrow(source) : Effect.succeed<Renderer>(source)
        ),
        Renderers.make
      )
    )
}

// The conditional types above recover each source's error and requirements; this re-states a source effect
// with them, which is what it already is.
const narrow = <S extends RendererSource>(
  source: Effect.Effect<Renderer, unknown, unknown>
): Effect.Effect<Renderer, SourceError<S>, SourceServices<S>> =>
  source as Effect.Effect<Renderer, SourceError<S>, SourceServices<S>>
