// The read-only SELECT check: hostile statements are all refused with the right problem, legitimate
// reporting queries are all accepted, and keywords inside strings, comments and identifiers confuse nothing.
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import { type UnsafeQueryProblem, validateReadOnlySelect } from "../../../adapters/sql/ReadOnlySelect.ts"
import { postgresDialect } from "../../../adapters/sql/SqlDialect.ts"
import { hostileCorpus, legitimateCorpus } from "./support/QueryCorpus.ts"
import { poisonedSelect, safeSelect } from "./support/SelectArbitrary.ts"

const check = (text: string) => validateReadOnlySelect(text, postgresDialect)

const problemOf = (text: string): UnsafeQueryProblem | "accepted" => {
  const result = check(text)
  return Result.isSuccess(result) ? "accepted" : result.failure.problem
}

describe("validateReadOnlySelect", () => {
  it("refuses every hostile statement, each for the right reason", () => {
    const outcomes = hostileCorpus.map(([text]) => [text, problemOf(text)] as const)
    expect(outcomes).toEqual(hostileCorpus)
  })

  it("accepts every legitimate reporting SELECT", () => {
    const refused = legitimateCorpus
      .map((text) => [text, check(text)] as const)
      .filter(([, result]) => Result.isFailure(result))
      .map(([text, result]) => [text, Result.isFailure(result) ? result.failure.message : ""])
    expect(refused).toEqual([])
  })

  it("drops a trailing semicolon and keeps the query otherwise as written", () => {
    const result = check("select * from invoices ;  -- done")
    expect(Result.isSuccess(result) && result.success.text).toBe("select * from invoices")
  })

  it("names the problem in the message", () => {
    const result = check("with gone as (delete from invoices returning *) select * from gone")
    expect(Result.isFailure(result) && result.failure.message).toMatch(/refused \(data-modifying\).*DELETE/)
  })

  const keyword = fc.constantFrom(
    "delete",
    "insert into t values (1)",
    "update t set a = 1",
    "drop table t",
    "; delete from t",
    "for update",
    "pg_sleep(10)",
    "$1",
    "*/ delete /*"
  )
  const quoteSafe = (s: string) => s.replaceAll("'", "''")

  it("keywords inside a string literal are only data", () =>
    fc.assert(
      fc.property(
        keyword,
        fc.string({ maxLength: 20 }),
        (word, noise) => problemOf(`select '${quoteSafe(`${noise} ${word}`)}' as x from t`) === "accepted"
      )
    ))

  it("keywords inside a comment are ignored", () =>
    fc.assert(
      fc.property(keyword, fc.string({ maxLength: 20 }), (word, noise) => {
        const comment = `${noise} ${word}`.replaceAll("*/", "").replaceAll("/*", "")
        return problemOf(`select a /* ${comment} */ from t`) === "accepted"
      })
    ))

  it("keywords inside a dollar-quoted string are only data", () =>
    fc.assert(
      fc.property(
        keyword.filter((w) => !w.includes("$")),
        fc.stringMatching(/^[a-z]{0,6}$/),
        (word, tag) => problemOf(`select $${tag}$ ${word} $${tag}$ as note`) === "accepted"
      )
    ))

  const hostileStatement = fc.constantFrom(
    ...hostileCorpus.filter(([, problem]) => problem !== "empty").map(([t]) => t)
  )
  const legit = fc.constantFrom(...legitimateCorpus.filter((t) => !t.includes(";")))

  it("a legitimate SELECT followed by anything hostile is refused", () =>
    fc.assert(
      fc.property(legit, hostileStatement, (first, second) => problemOf(`${first};\n${second}`) !== "accepted")
    ))

  it("a forbidden function is refused however it is spelled", () =>
    fc.assert(
      fc.property(
        fc.constantFrom("pg_sleep", "pg_read_file", "lo_import", "dblink", "set_config", "nextval", "pg_advisory_lock"),
        fc.constantFrom("", "pg_catalog.", "public."),
        fc.constantFrom(
          (s: string) => s,
          (s: string) => s.toUpperCase(),
          (s: string) => `"${s}"`
        ),
        (name, schema, spell) => {
          const call = `${schema}${spell(name)}(1)`
          return [
            `select ${call}`,
            `select a from t where a = ${call}`,
            `select * from t join lateral ${call} x on true`
          ]
            .map(problemOf)
            .every((problem) => problem === "forbidden-function")
        }
      )
    ))
})

describe("validateReadOnlySelect on generated queries", () => {
  it("accepts generated reporting SELECTs, whatever their strings and comments contain", () =>
    fc.assert(
      fc.property(safeSelect, (text) => {
        const result = check(text)
        if (Result.isFailure(result)) throw new Error(`${result.failure.message}\n${text}`)
      }),
      { numRuns: 300 }
    ))

  it("refuses the same queries with a forbidden call planted anywhere", () =>
    fc.assert(
      fc.property(poisonedSelect, (text) => problemOf(text) === "forbidden-function"),
      { numRuns: 300 }
    ))
})
