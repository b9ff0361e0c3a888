// Date formats of ERP exports ("dd.mm.yyyy", "mm/dd/yyyy", "d.m.yy", "yyyy-mm-dd", "iso") parsed into
// ISO LocalDate strings. Two-digit years pivot at 70: 69 is 2069, 70 is 1970.
const tokenPattern = /yyyy|yy|dd|d|mm|m/g

interface Compiled {
  readonly regex: RegExp
  readonly order: ReadonlyArray<"year" | "year2" | "month" | "day">
}

const compiledCache = new Map<string, Compiled | undefined>()

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")

const compile = (format: string): Compiled | undefined => {
  const order: Array<"year" | "year2" | "month" | "day"> = []
  let source = "^"
  let last = 0
  for (const match of format.matchAll(tokenPattern)) {
    source += escapeRegex(format.slice(last, match.index))
    const token = match[0]
    const kind = token === "yyyy" ? "year" : token === "yy" ? "year2" : token.startsWith("d") ? "day" : "month"
    order.push(kind)
    source += token === "yyyy" ? "(\\d{4})" : token.length === 2 ? "(\\d{2})" : "(\\d{1,2})"
    last = match.index + token.length
  }
  source += `${escapeRegex(format.slice(last))}$`
  const kinds = new Set(order.map((k) => (k === "year2" ? "year" : k)))
  if (order.length !== 3 || kinds.size !== 3) return undefined
  return { regex: new RegExp(source), order }
}

/** Whether `format` is one this parser understands (day, month and year tokens, once each, or "iso"). */
export const isDateFormat = (format: string): boolean => format === "iso" || compiledFor(format) !== undefined

const compiledFor = (format: string): Compiled | undefined => {
  if (!compiledCache.has(format)) compiledCache.set(format, compile(format))
  return compiledCache.get(format)
}

const valid = (year: number, month: number, day: number): boolean => {
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

/**
 * Parses `text` in `format` to "YYYY-MM-DD", or undefined when it does not match or is no real date.
 * "iso" accepts "2026-11-21" and a date-time starting with one ("2026-11-21T10:00:00Z" → its date part).
 */
export const parseDate = (text: string, format: string): string | undefined => {
  if (format === "iso") {
    const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(text)
    if (match === null) return undefined
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
    return valid(y, m, d) ? `${match[1]}-${match[2]}-${match[3]}` : undefined
  }
  const compiled = compiledFor(format)
  if (compiled === undefined) return undefined
  const match = compiled.regex.exec(text)
  if (match === null) return undefined
  let year = 0
  let month = 0
  let day = 0
  compiled.order.forEach((kind, index) => {
    const n = Number(match[index + 1])
    if (kind === "year") year = n
    else if (kind === "year2") year = n < 70 ? 2000 + n : 1900 + n
    else if (kind === "month") month = n
    else day = n
  })
  return valid(year, month, day) ? `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` : undefined
}

/** Formats an ISO date ("2026-03-07") in `format` ("d.m.yy" → "7.3.26"); the inverse of parseDate. */
export const formatDate = (iso: string, format: string): string => {
  if (format === "iso") return iso
  const [year = "", month = "", day = ""] = iso.split("-")
  return format.replace(tokenPattern, (token) => {
    if (token === "yyyy") return year
    if (token === "yy") return year.slice(2)
    if (token === "dd") return day
    if (token === "d") return String(Number(day))
    if (token === "mm") return month
    return String(Number(month))
  })
}
