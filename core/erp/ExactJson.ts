// JSON parsing that keeps every number exactly as the source wrote it. ERPs send amounts as JSON numbers
// (Epicor `"DocInvoiceAmt":1190.00`, Business Central, Odoo), in API responses and in webhook pushes alike;
// `JSON.parse` would turn them into floats.
import { BigDecimal, Option, Result } from "effect"

/** The reviver context of JSON.parse with source text access (TC39 proposal, shipped in V8/Node 21+). */
interface ReviverContext {
  readonly source?: string
}
type SourceReviver = (key: string, value: unknown, context?: ReviverContext) => unknown
const parseWithReviver: (text: string, reviver: SourceReviver) => unknown = JSON.parse

/**
 * Parses JSON text; every number becomes a string holding its exact source text (`1190.00` → `"1190.00"`,
 * `1e3` → `"1e3"`), so no amount ever passes through a float. Where the runtime lacks source text access
 * the number's shortest round-trip form (`String(n)`) is used, which is exact for up to 15 significant
 * digits; `decimalText` below refuses anything longer rather than rounding.
 */
export const parseExact = (text: string): Result.Result<unknown, string> =>
  Result.try({
    try: () =>
      parseWithReviver(text, (_key, value, context) =>
        typeof value === "number" ? (context?.source ?? String(value)) : value
      ),
    catch: (error) => (error instanceof Error ? error.message : "invalid JSON")
  })

const plainDecimal = /^-?\d+(\.\d+)?$/

/**
 * A JSON value read by `parseExact` (or a plain number) as a plain decimal string ("1190.00", "-5", "0.015").
 * Exponent forms are expanded exactly. A JS number is accepted only when it has at most 15 significant
 * digits (beyond that a float may not be the decimal that was sent).
 */
export const decimalText = (value: unknown): Result.Result<string, string> => {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return Result.fail(`expected a finite number, got ${String(value)}`)
    const text = String(value)
    const digits = text.replace(/^-/, "").replace(/e.*$/i, "").replace(".", "").replace(/^0+/, "")
    if (digits.length > 15) {
      return Result.fail(`the number ${text} has more significant digits than a float carries exactly`)
    }
    return decimalText(text)
  }
  if (typeof value !== "string") return Result.fail(`expected a number, got ${JSON.stringify(value) ?? "nothing"}`)
  const trimmed = value.trim()
  if (plainDecimal.test(trimmed)) return Result.succeed(trimmed)
  const parsed = /^-?\d+(\.\d+)?[eE][+-]?\d+$/.test(trimmed) ? BigDecimal.fromString(trimmed) : Option.none()
  return Option.match(parsed, {
    onNone: () => Result.fail(`expected a decimal number, got "${value}"`),
    onSome: (decimal) => Result.succeed(BigDecimal.format(decimal))
  })
}
