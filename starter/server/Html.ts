// Escaped HTML for server-rendered pages: `html` escapes every interpolated value unless it is already
// `Html` (from another `html` call or `raw`), so page code cannot forget to escape.

/** A fragment of HTML that is safe to write as is. */
export class Html {
  readonly value: string
  constructor(value: string) {
    this.value = value
  }
  toString(): string {
    return this.value
  }
}

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }

/** Escapes text for an HTML element or a quoted attribute. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => entities[char] ?? char)

/** Trusted markup (written by the portal itself, never from input). */
export const raw = (markup: string): Html => new Html(markup)

type Value = string | number | Html | undefined | null | false | ReadonlyArray<Value>

const render = (value: Value): string => {
  if (value === undefined || value === null || value === false) return ""
  if (value instanceof Html) return value.value
  if (Array.isArray(value)) return value.map(render).join("")
  return escapeHtml(String(value))
}

/** A template literal that escapes its values: html`<p>${name}</p>`. Arrays are concatenated. */
export const html = (strings: TemplateStringsArray, ...values: ReadonlyArray<Value>): Html =>
  new Html(strings.reduce((out, part, index) => out + part + (index < values.length ? render(values[index]) : ""), ""))
