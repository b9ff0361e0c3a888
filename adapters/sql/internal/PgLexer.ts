// A PostgreSQL-accurate tokenizer for the integrator's SELECT. The SQL parser does not lex exactly as
// PostgreSQL does (backslashes in standard strings, dollar quotes, nested comments), so the safety checks
// that must not be fooled by such differences (statement boundaries, bind parameters, function calls)
// run on these tokens, which follow the server's own rules with standard_conforming_strings on.

/** One token; comments and whitespace are dropped. `value` is the folded name for words. */
export interface Token {
  readonly kind: "word" | "quoted-identifier" | "string" | "parameter" | "number" | "punctuation" | "operator"
  readonly value: string
  /** Where the token starts and ends (exclusive) in the text. */
  readonly start: number
  readonly end: number
}

/** Why the text could not be tokenized. */
export interface LexFailure {
  readonly problem: "unterminated" | "unicode-escape"
  readonly detail: string
  readonly start: number
}

export type LexResult =
  | { readonly ok: true; readonly tokens: ReadonlyArray<Token> }
  | { readonly ok: false; readonly failure: LexFailure }

const isIdentStart = (c: string): boolean => /[A-Za-z_\u0080-\uffff]/.test(c)
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_$\u0080-\uffff]/.test(c)
const isDigit = (c: string): boolean => c >= "0" && c <= "9"
const operatorChars = "+-*/<>=~!@#%^&|`?"

/** Where a block comment that starts at `start` ends (exclusive); PostgreSQL nests block comments. */
const blockCommentEnd = (text: string, start: number): number | undefined => {
  let depth = 0
  let i = start
  while (i < text.length) {
    if (text.startsWith("/*", i)) {
      depth++
      i += 2
    } else if (text.startsWith("*/", i)) {
      depth--
      i += 2
      if (depth === 0) return i
    } else i++
  }
  return undefined
}

/** End (exclusive) of a quoted run opened at `start`, where a doubled quote escapes itself. */
const quotedEnd = (text: string, start: number, quote: string, backslashEscapes: boolean): number | undefined => {
  let i = start + 1
  while (i < text.length) {
    const c = text[i]
    if (backslashEscapes && c === "\\") i += 2
    else if (c === quote) {
      if (text[i + 1] === quote) i += 2
      else return i + 1
    } else i++
  }
  return undefined
}

/** A dollar-quote opening tag at `start` (`$$` or `$tag$`), if there is one. */
const dollarTag = (text: string, start: number): string | undefined => {
  const match = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(start, start + 130))
  return match === null ? undefined : match[0]
}

/** Tokenizes `text` the way PostgreSQL does. */
export const lex = (text: string): LexResult => {
  const tokens: Array<Token> = []
  const fail = (problem: LexFailure["problem"], detail: string, start: number): LexResult => ({
    ok: false,
    failure: { problem, detail, start }
  })
  let i = 0
  while (i < text.length) {
    const c = text[i] ?? ""
    const next = text[i + 1] ?? ""
    if (/\s/.test(c)) {
      i++
    } else if (c === "-" && next === "-") {
      const end = text.indexOf("\n", i)
      i = end === -1 ? text.length : end + 1
    } else if (c === "/" && next === "*") {
      const end = blockCommentEnd(text, i)
      if (end === undefined) return fail("unterminated", "a /* comment is never closed", i)
      i = end
    } else if ((c === "U" || c === "u") && next === "&" && (text[i + 2] === "'" || text[i + 2] === '"')) {
      return fail("unicode-escape", "Unicode-escaped strings and identifiers (U&'...', U&\"...\") are not allowed", i)
    } else if ((c === "E" || c === "e") && next === "'" && !isIdentPart(text[i - 1] ?? " ")) {
      const end = quotedEnd(text, i + 1, "'", true)
      if (end === undefined) return fail("unterminated", "a string literal is never closed", i)
      tokens.push({ kind: "string", value: text.slice(i, end), start: i, end })
      i = end
    } else if (c === "'") {
      const end = quotedEnd(text, i, "'", false)
      if (end === undefined) return fail("unterminated", "a string literal is never closed", i)
      tokens.push({ kind: "string", value: text.slice(i, end), start: i, end })
      i = end
    } else if (c === '"') {
      const end = quotedEnd(text, i, '"', false)
      if (end === undefined) return fail("unterminated", "a quoted identifier is never closed", i)
      tokens.push({ kind: "quoted-identifier", value: text.slice(i + 1, end - 1).replaceAll('""', '"'), start: i, end })
      i = end
    } else if (c === "$" && isDigit(next)) {
      let end = i + 1
      while (isDigit(text[end] ?? "")) end++
      tokens.push({ kind: "parameter", value: text.slice(i, end), start: i, end })
      i = end
    } else if (c === "$" && dollarTag(text, i) !== undefined) {
      const tag = dollarTag(text, i) ?? "$$"
      const close = text.indexOf(tag, i + tag.length)
      if (close === -1) return fail("unterminated", `a dollar-quoted string ${tag} is never closed`, i)
      tokens.push({ kind: "string", value: text.slice(i, close + tag.length), start: i, end: close + tag.length })
      i = close + tag.length
    } else if (isIdentStart(c)) {
      let end = i + 1
      while (isIdentPart(text[end] ?? "")) end++
      tokens.push({ kind: "word", value: text.slice(i, end).toLowerCase(), start: i, end })
      i = end
    } else if (isDigit(c) || (c === "." && isDigit(next))) {
      let end = i + 1
      while (/[0-9A-Za-z_.]/.test(text[end] ?? "")) end++
      tokens.push({ kind: "number", value: text.slice(i, end), start: i, end })
      i = end
    } else if (operatorChars.includes(c)) {
      let end = i + 1
      // A `--` or `/*` inside an operator run starts a comment, as in the server's lexer.
      while (operatorChars.includes(text[end] ?? " ") && !text.startsWith("--", end) && !text.startsWith("/*", end))
        end++
      tokens.push({ kind: "operator", value: text.slice(i, end), start: i, end })
      i = end
    } else {
      tokens.push({ kind: "punctuation", value: c, start: i, end: i + 1 })
      i++
    }
  }
  return { ok: true, tokens }
}

/**
 * The text rebuilt from its tokens with every comment gone, every string literal replaced by 's' and every
 * quoted identifier by "q": the same statement structure, in a form no other SQL lexer can read differently.
 */
export const neutralize = (text: string, tokens: ReadonlyArray<Token>): string => {
  let out = ""
  let previousEnd = 0
  for (const token of tokens) {
    if (token.start > previousEnd) out += " "
    out +=
      token.kind === "string" ? "'s'" : token.kind === "quoted-identifier" ? '"q"' : text.slice(token.start, token.end)
    previousEnd = token.end
  }
  return out
}
