// Source paths into JSON values: "Customer.Name", "lines[2].qty", "['Rechnungs-Nr.']". A path with no dots
// or brackets is a plain key, which is also how a CSV column name is looked up.
import { Predicate } from "effect"

type Segment = string | number

const cache = new Map<string, ReadonlyArray<Segment> | undefined>()

const tokenize = (path: string): ReadonlyArray<Segment> | undefined => {
  const segments: Array<Segment> = []
  let i = 0
  let current = ""
  const flush = () => {
    if (current !== "") segments.push(current)
    current = ""
  }
  while (i < path.length) {
    const ch = path[i]
    if (ch === ".") {
      flush()
      i++
    } else if (ch === "[") {
      flush()
      const close = path.indexOf("]", i)
      if (close < 0) return undefined
      const inner = path.slice(i + 1, close)
      const quoted = /^(['"])(.*)\1$/.exec(inner)
      if (quoted !== null) segments.push(quoted[2] ?? "")
      else if (/^\d+$/.test(inner)) segments.push(Number(inner))
      else return undefined
      i = close + 1
    } else {
      current += ch
      i++
    }
  }
  flush()
  return segments
}

/** Parses a path into segments; undefined when the brackets are malformed. */
export const parsePath = (path: string): ReadonlyArray<Segment> | undefined => {
  const hit = cache.get(path)
  if (hit !== undefined || cache.has(path)) return hit
  const parsed = tokenize(path)
  if (cache.size < 10_000) cache.set(path, parsed)
  return parsed
}

/**
 * The value at `path` in `source`. A key present as-is wins over path syntax, so CSV headers with dots
 * ("Betrag inkl. MwSt.") work without quoting.
 */
export const getPath = (source: unknown, path: string): unknown => {
  if (Predicate.isObject(source) && !Array.isArray(source) && Object.hasOwn(source, path)) {
    return (source as Record<string, unknown>)[path] // safe: isObject, own key
  }
  const segments = parsePath(path)
  if (segments === undefined) return undefined
  let value: unknown = source
  for (const segment of segments) {
    if (typeof segment === "number") {
      if (!Array.isArray(value)) return undefined
      value = value[segment]
    } else {
      if (!Predicate.isObject(value) || Array.isArray(value) || !Object.hasOwn(value, segment)) return undefined
      value = (value as Record<string, unknown>)[segment] // safe: isObject, own key
    }
  }
  return value
}
