// The slice of OData v4 query options the Epicor fake understands: `$filter` comparisons joined by `and`/`or`,
// `$orderby`, `$top`, `$skip`, `$select`. Anything else answers 400 like a real OData service would.
import { Result } from "effect"

/** A JSON number kept as its source text, so fixtures can send `1190.00` byte for byte. */
export class RawNumber {
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
}

/** A wire value: JSON with numbers possibly given as their exact text. */
export type WireValue =
  | string
  | number
  | boolean
  | null
  | RawNumber
  | ReadonlyArray<WireValue>
  | { readonly [key: string]: WireValue }
export type WireRow = { readonly [key: string]: WireValue }

/** Serialises a wire value, writing RawNumbers verbatim. */
export const toJsonText = (value: WireValue): string => {
  if (value instanceof RawNumber) return value.text
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(",")}]`
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as { readonly [key: string]: WireValue })
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${toJsonText(item)}`).join(",")}}`
  }
  return JSON.stringify(value)
}

type Comparable =
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "text"; readonly value: string }
type Operator = "eq" | "ne" | "gt" | "ge" | "lt" | "le"
interface Comparison {
  readonly field: string
  readonly op: Operator
  readonly literal: Comparable
}
/** Disjunctive normal form: OR of ANDs (no parentheses, as Epicor clients send). */
export type Filter = ReadonlyArray<ReadonlyArray<Comparison>>

const isoDateTime = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/

const toComparable = (value: WireValue | undefined): Comparable | undefined => {
  if (value instanceof RawNumber) return { kind: "number", value: Number(value.text) }
  if (typeof value === "number") return { kind: "number", value }
  if (typeof value === "boolean") return { kind: "text", value: String(value) }
  if (typeof value === "string") {
    if (isoDateTime.test(value))
      return {
        kind: "number",
        value: Date.parse(/[Zz]|[+-]\d\d:\d\d$/.test(value) || !value.includes("T") ? value : `${value}Z`)
      }
    return { kind: "text", value }
  }
  return undefined
}

const parseLiteral = (text: string): Comparable | undefined => {
  if (/^'.*'$/.test(text)) return { kind: "text", value: text.slice(1, -1).replaceAll("''", "'") }
  if (text === "true" || text === "false") return { kind: "text", value: text }
  if (/^-?\d+(\.\d+)?$/.test(text)) return { kind: "number", value: Number(text) }
  if (isoDateTime.test(text)) return toComparable(text)
  return undefined
}

/** Parses `$filter`; an error message for anything outside the supported slice. */
export const parseFilter = (text: string): Result.Result<Filter, string> => {
  const groups: Array<Array<Comparison>> = []
  for (const group of text.split(/\s+or\s+/)) {
    const comparisons: Array<Comparison> = []
    for (const term of group.split(/\s+and\s+/)) {
      // Parentheses around single comparisons (as clients add when joining filters) are accepted.
      const match = /^\s*\(?\s*(\w+)\s+(eq|ne|gt|ge|lt|le)\s+(.+?)\s*\)?\s*$/.exec(term)
      const literal = match === null ? undefined : parseLiteral(match[3] ?? "")
      if (match === null || literal === undefined) return Result.fail(`Syntax error at '${term.trim()}' in $filter.`)
      comparisons.push({ field: match[1] ?? "", op: match[2] as Operator, literal }) // safe: regex alternatives
    }
    groups.push(comparisons)
  }
  return Result.succeed(groups)
}

const compare = (a: Comparable, b: Comparable): number =>
  a.kind === "number" && b.kind === "number"
    ? a.value - b.value
    : String(a.value) < String(b.value)
      ? -1
      : String(a.value) > String(b.value)
        ? 1
        : 0

const holds = (row: WireRow, comparison: Comparison): boolean => {
  const value = toComparable(row[comparison.field])
  if (value === undefined) return false
  const order = compare(value, comparison.literal)
  switch (comparison.op) {
    case "eq":
      return order === 0
    case "ne":
      return order !== 0
    case "gt":
      return order > 0
    case "ge":
      return order >= 0
    case "lt":
      return order < 0
    case "le":
      return order <= 0
  }
}

/** Rows matching the filter. */
export const applyFilter = (rows: ReadonlyArray<WireRow>, filter: Filter): ReadonlyArray<WireRow> =>
  rows.filter((row) => filter.some((group) => group.every((comparison) => holds(row, comparison))))

/** Rows sorted by `$orderby` (`A,B desc`). */
export const applyOrderBy = (rows: ReadonlyArray<WireRow>, orderBy: string): ReadonlyArray<WireRow> => {
  const keys = orderBy.split(",").map((part) => {
    const [field = "", direction = "asc"] = part.trim().split(/\s+/)
    return { field, sign: direction === "desc" ? -1 : 1 }
  })
  return [...rows].sort((a, b) => {
    for (const key of keys) {
      const left = toComparable(a[key.field])
      const right = toComparable(b[key.field])
      if (left === undefined || right === undefined) continue
      const order = compare(left, right)
      if (order !== 0) return order * key.sign
    }
    return 0
  })
}

/** The row with only the `$select`ed fields (all when none are given). */
export const applySelect = (row: WireRow, select: string | null, keep: ReadonlyArray<string>): WireRow => {
  if (select === null || select === "") return row
  const fields = new Set([...select.split(",").map((field) => field.trim()), ...keep])
  return Object.fromEntries(Object.entries(row).filter(([key]) => fields.has(key)))
}
