// A small HTML tokenizer for tests: it reads markup the way a browser's tokenizer does for the constructs
// Portico's templates use (tags, quoted attributes, comments, doctype, raw-text <style>/<script>, RCDATA
// <title>), so a test can see exactly which elements and attributes a rendered page contains.

/** A start tag with its attributes (values decoded), an end tag, or a run of text (decoded). */
export type Token =
  | { readonly type: "start"; readonly name: string; readonly attributes: ReadonlyArray<readonly [string, string]> }
  | { readonly type: "end"; readonly name: string }
  | { readonly type: "text"; readonly text: string; readonly raw: boolean }

const named: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", nbsp: "\u00a0" }

/** Decodes character references as HTML does for the ones escapers produce. */
export const decodeEntities = (value: string): string =>
  value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (match, body: string) => {
    if (body.startsWith("#x")) return String.fromCodePoint(Number.parseInt(body.slice(2), 16))
    if (body.startsWith("#")) return String.fromCodePoint(Number.parseInt(body.slice(1), 10))
    return named[body] ?? match
  })

const rawText = new Set(["style", "script", "title", "textarea"])

/** Tokenizes `html`. A `<` that cannot start a tag is text, as in a browser. */
export const tokenize = (html: string): ReadonlyArray<Token> => {
  const tokens: Array<Token> = []
  let at = 0
  let text = ""
  const flush = () => {
    if (text !== "") tokens.push({ type: "text", text: decodeEntities(text), raw: false })
    text = ""
  }
  while (at < html.length) {
    const char = html[at]
    if (char !== "<") {
      text += char
      at++
      continue
    }
    if (html.startsWith("<!--", at)) {
      flush()
      const end = html.indexOf("-->", at + 4)
      at = end === -1 ? html.length : end + 3
      continue
    }
    if (/^<!doctype/i.test(html.slice(at, at + 9))) {
      flush()
      const end = html.indexOf(">", at)
      at = end === -1 ? html.length : end + 1
      continue
    }
    const end = /^<\/([a-zA-Z][^\s/>]*)\s*>/.exec(html.slice(at))
    if (end !== null) {
      flush()
      tokens.push({ type: "end", name: (end[1] ?? "").toLowerCase() })
      at += end[0].length
      continue
    }
    const start = /^<([a-zA-Z][^\s/>]*)/.exec(html.slice(at))
    if (start === null) {
      text += char
      at++
      continue
    }
    flush()
    const name = (start[1] ?? "").toLowerCase()
    at += start[0].length
    const attributes: Array<readonly [string, string]> = []
    const attribute = /^[\s/]*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/
    for (;;) {
      const rest = html.slice(at)
      const close = /^[\s/]*>/.exec(rest)
      if (close !== null) {
        at += close[0].length
        break
      }
      const match = attribute.exec(rest)
      if (match === null) {
        at = html.length
        break
      }
      attributes.push([(match[1] ?? "").toLowerCase(), decodeEntities(match[2] ?? match[3] ?? match[4] ?? "")])
      at += match[0].length
    }
    tokens.push({ type: "start", name, attributes })
    if (rawText.has(name)) {
      const closing = html.toLowerCase().indexOf(`</${name}`, at)
      const stop = closing === -1 ? html.length : closing
      const content = html.slice(at, stop)
      tokens.push({
        type: "text",
        text: name === "title" || name === "textarea" ? decodeEntities(content) : content,
        raw: true
      })
      at = stop
    }
  }
  flush()
  return tokens
}

/** The markup of a page without its text: element names and attribute names, in order. */
export const skeleton = (tokens: ReadonlyArray<Token>): ReadonlyArray<string> =>
  tokens.flatMap((token) =>
    token.type === "start"
      ? [`<${token.name}${token.attributes.map(([name]) => ` ${name}`).join("")}>`]
      : token.type === "end"
        ? [`</${token.name}>`]
        : []
  )
