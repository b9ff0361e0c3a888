// The PostgreSQL tokenizer: where strings, comments and identifiers end, the way the server decides.
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { lex, neutralize } from "../../../../adapters/sql/internal/PgLexer.ts"

const kinds = (text: string) => {
  const result = lex(text)
  return result.ok ? result.tokens.map((t) => `${t.kind}:${t.value}`) : [`fail:${result.failure.problem}`]
}

describe("lex", () => {
  it("reads strings, escape strings, dollar quotes and quoted identifiers as PostgreSQL does", () => {
    expect(kinds("select 'a\\' , E'b\\'c' , $x$ ; $x$, \"Q\"\"q\", $1")).toEqual([
      "word:select",
      "string:'a\\'",
      "punctuation:,",
      "string:E'b\\'c'",
      "punctuation:,",
      "string:$x$ ; $x$",
      "punctuation:,",
      'quoted-identifier:Q"q',
      "punctuation:,",
      "parameter:$1"
    ])
  })

  it("skips nested block comments and line comments, and an operator stops at a comment", () => {
    expect(kinds("a /* x /* y */ ; */ b -- ; c\n+-- d\n e")).toEqual(["word:a", "word:b", "operator:+", "word:e"])
  })

  it("fails on anything left open, and on Unicode escapes", () => {
    expect(["'x", '"x', "/* x", "$a$ x", "U&'x'"].map(kinds)).toEqual([
      ["fail:unterminated"],
      ["fail:unterminated"],
      ["fail:unterminated"],
      ["fail:unterminated"],
      ["fail:unicode-escape"]
    ])
  })

  it("neutralizes strings and comments but keeps the statement's shape", () => {
    const text = "select x::int, E'a\\'b' /* c */ from \"T\" -- d"
    const result = lex(text)
    expect(result.ok && neutralize(text, result.tokens)).toBe("select x::int, 's' from \"q\"")
  })

  it("never throws, and its tokens are in order inside the text", () =>
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."ab $'\"E-/*;\\\n1&U".split("")), maxLength: 40 }), (text) => {
        const result = lex(text)
        if (!result.ok) return result.failure.start >= 0 && result.failure.start < text.length
        return result.tokens.every(
          (t, i) => t.start < t.end && t.end <= text.length && (i === 0 || (result.tokens[i - 1]?.end ?? 0) <= t.start)
        )
      })
    ))
})
