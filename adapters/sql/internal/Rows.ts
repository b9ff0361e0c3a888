// Turns driver rows into plain JSON data (what the quarantine keeps and the field mapping reads), and
// builds external ids from primary-key values.
import { Predicate } from "effect"

/** A row as plain JSON: no bigint, Date or byte arrays, so it survives the quarantine table unchanged. */
export type JsonRow = Readonly<Record<string, unknown>>

const toHex = (bytes: Uint8Array): string =>
  `\\x${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`

/** One value as JSON: bigint and numeric stay exact as text, timestamps become ISO text, bytes hex. */
export const jsonValue = (value: unknown): unknown => {
  if (typeof value === "bigint") return value.toString()
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "invalid date" : value.toISOString()
  if (value instanceof Uint8Array) return toHex(value)
  if (Array.isArray(value)) return value.map(jsonValue)
  if (Predicate.isObject(value)) {
    const out: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(value)) out[key] = jsonValue(inner)
    return out
  }
  return value
}

/** Internal columns the adapter adds to each page query; stripped before a row is handed on. */
export const internalPrefix = "__portico_"

/** The row without the adapter's own columns, as JSON. */
export const jsonRow = (row: Readonly<Record<string, unknown>>): JsonRow => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) if (!key.startsWith(internalPrefix)) out[key] = jsonValue(value)
  return out
}

/** The text values of the adapter's key columns `${internalPrefix}${name}0..n-1`; undefined for SQL NULL. */
export const keyTexts = (row: Readonly<Record<string, unknown>>, name: string, count: number) =>
  Array.from({ length: count }, (_, i) => {
    const value = row[`${internalPrefix}${name}${i}`]
    return typeof value === "string" ? value : undefined
  })

const escapePart = (part: string): string => part.replaceAll("%", "%25").replaceAll("/", "%2F")

/** The external id of a row: its one key value, or several joined by "/" (with "%" and "/" escaped). */
export const externalIdOf = (keys: ReadonlyArray<string>): string =>
  keys.length === 1 ? (keys[0] ?? "") : keys.map(escapePart).join("/")

/** The key values an external id was made of (`externalIdOf` reversed); undefined when it has another count. */
export const keysOfExternalId = (externalId: string, count: number): ReadonlyArray<string> | undefined => {
  if (count === 1) return [externalId]
  const parts = externalId.split("/").map((part) => part.replaceAll("%2F", "/").replaceAll("%25", "%"))
  return parts.length === count ? parts : undefined
}
