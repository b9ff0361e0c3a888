// A declarative mapping from source fields (JSON paths or CSV column names) to canonical field names,
// with per-field transforms. It is data, so it lives in the JSON config file and is validated with Schema.
import { Predicate, Result, Schema } from "effect"
import { isDateFormat, parseDate } from "./DateFormats.ts"
import { getPath } from "./internal/paths.ts"
import { negateDecimal, parseDecimal } from "./NumberFormats.ts"
import { RecordRejected } from "./RecordRejected.ts"

/** A date format: day, month and year tokens (dd d mm m yyyy yy) with any separators, or "iso". */
export const DateFormat = Schema.String.check(
  Schema.makeFilter(
    (format: string) => isDateFormat(format) || `expected a date format such as "dd.mm.yyyy" or "iso", got "${format}"`
  )
)

/** The separators of a number format. */
export const DecimalSeparator = Schema.Literals([".", ","])
export const ThousandsSeparator = Schema.Literals(["", ".", ",", " ", "'", "\u00a0", "\u202f"])

/** One step applied to a source value, in order. Every step takes and gives text. */
export const Transform = Schema.Union([
  /** Removes surrounding whitespace (applied to every value anyway before `default`). */
  Schema.TaggedStruct("trim", {}),
  Schema.TaggedStruct("uppercase", {}),
  Schema.TaggedStruct("lowercase", {}),
  /** Parses a date in `format` to "YYYY-MM-DD". */
  Schema.TaggedStruct("date", { format: DateFormat }),
  /** Parses a locale number ("1.234,56", "1.234,56-", "(1,234.56)") to a plain decimal ("-1234.56"). */
  Schema.TaggedStruct("decimal", {
    decimalSeparator: DecimalSeparator,
    thousandsSeparator: Schema.optionalKey(ThousandsSeparator)
  }),
  /** Flips the sign of a plain decimal (after `decimal`). */
  Schema.TaggedStruct("negate", {}),
  /** Replaces whole values by a table ("G2" → "credit-note"); values not in the table are rejected. */
  Schema.TaggedStruct("map", { values: Schema.Record(Schema.String, Schema.String) })
])
export type Transform = typeof Transform.Type

/** How one canonical field is filled: from a source path or a constant, then transformed. */
export const FieldRule = Schema.Struct({
  /** A source path ("Customer.Name", "lines[0].qty") or a CSV column name. */
  from: Schema.optionalKey(Schema.String),
  /** A fixed value, used instead of `from`. */
  constant: Schema.optionalKey(Schema.String),
  /** Used when the source value is missing or blank (before transforms). */
  default: Schema.optionalKey(Schema.String),
  transforms: Schema.optionalKey(Schema.Array(Transform))
})
export type FieldRule = typeof FieldRule.Type

/** canonical field name → rule; a bare string is shorthand for `{ from: string }`. */
export const FieldMapping = Schema.Record(Schema.String, Schema.Union([Schema.String, FieldRule]))
export type FieldMapping = typeof FieldMapping.Type

/** The mapped values: canonical field name → text, absent when the source had none and no default. */
export type MappedFields = Readonly<Record<string, string | undefined>>

const describeSource = (field: string, rule: FieldRule): string =>
  rule.from === undefined ? field : `${field} (from "${rule.from}")`

const toText = (value: unknown): string | undefined => {
  if (value === undefined || value === null) return undefined
  if (typeof value === "string") return value
  if (typeof value === "number" || typeof value === "bigint") return String(value)
  if (typeof value === "boolean") return value ? "true" : "false"
  return undefined
}

const applyTransform = (value: string, transform: Transform): Result.Result<string, string> => {
  switch (transform._tag) {
    case "trim":
      return Result.succeed(value.trim())
    case "uppercase":
      return Result.succeed(value.toUpperCase())
    case "lowercase":
      return Result.succeed(value.toLowerCase())
    case "date": {
      const parsed = parseDate(value.trim(), transform.format)
      return parsed === undefined
        ? Result.fail(`expected a date as ${transform.format}, got "${value}"`)
        : Result.succeed(parsed)
    }
    case "decimal": {
      const format = {
        decimalSeparator: transform.decimalSeparator,
        thousandsSeparator: transform.thousandsSeparator ?? ""
      }
      const parsed = parseDecimal(value, format)
      const example = format.decimalSeparator === "," ? "1.234,56" : "1,234.56"
      return parsed === undefined
        ? Result.fail(
            `expected a number with decimal separator "${format.decimalSeparator}" (like ${example}), got "${value}"`
          )
        : Result.succeed(parsed)
    }
    case "negate":
      return /^-?\d+(\.\d+)?$/.test(value)
        ? Result.succeed(negateDecimal(value))
        : Result.fail(`cannot negate "${value}": expected a plain decimal (add a "decimal" transform first)`)
    case "map": {
      const mapped = Object.hasOwn(transform.values, value) ? transform.values[value] : undefined
      return mapped === undefined
        ? Result.fail(
            `"${value}" is not one of ${Object.keys(transform.values)
              .map((k) => `"${k}"`)
              .join(", ")}`
          )
        : Result.succeed(mapped)
    }
  }
}

const noTransforms: ReadonlyArray<Transform> = []

/** One rule's value for `source`: its text, undefined when absent, or why it is wrong. */
const ruleValue = (field: string, rule: FieldRule, source: unknown): string | undefined | RecordRejected => {
  let raw: unknown = rule.constant
  if (raw === undefined && rule.from !== undefined) raw = getPath(source, rule.from)
  let text = toText(raw)
  if (text === undefined && raw !== undefined && raw !== null) {
    return new RecordRejected({
      path: describeSource(field, rule),
      reason: `expected a text, number or boolean, got ${Array.isArray(raw) ? "a list" : Predicate.isObject(raw) ? "an object" : typeof raw}`
    })
  }
  text = text?.trim()
  if (text === undefined || text === "") text = rule.default
  if (text === undefined) return undefined
  for (const transform of rule.transforms ?? noTransforms) {
    const step = applyTransform(text, transform)
    if (Result.isFailure(step)) {
      return new RecordRejected({ path: describeSource(field, rule), reason: step.failure, value: text })
    }
    text = step.success
  }
  return text
}

/** Applies one rule to a source record: the field's text, undefined when absent, or why it is wrong. */
export const applyRule = (
  field: string,
  rule: FieldRule | string,
  source: unknown
): Result.Result<string | undefined, RecordRejected> => {
  const value = ruleValue(field, typeof rule === "string" ? { from: rule } : rule, source)
  return value instanceof RecordRejected ? Result.fail(value) : Result.succeed(value)
}

interface CompiledRule {
  readonly field: string
  readonly rule: FieldRule
}

// A mapping's rules in normal form, worked out once per mapping: a sync applies the same mapping to every
// record, and normalising it per record was most of the mapping's cost. Mappings are immutable config.
const compiled = new WeakMap<FieldMapping, ReadonlyArray<CompiledRule>>()
const rulesOf = (mapping: FieldMapping): ReadonlyArray<CompiledRule> => {
  let rules = compiled.get(mapping)
  if (rules === undefined) {
    rules = Object.entries(mapping).map(([field, rule]) => ({
      field,
      rule: typeof rule === "string" ? { from: rule } : rule
    }))
    compiled.set(mapping, rules)
  }
  return rules
}

/** Applies every rule of `mapping` to `source`; the first failing field rejects the record. */
export const applyMapping = (mapping: FieldMapping, source: unknown): Result.Result<MappedFields, RecordRejected> => {
  const out: Record<string, string | undefined> = {}
  for (const { field, rule } of rulesOf(mapping)) {
    const value = ruleValue(field, rule, source)
    if (value instanceof RecordRejected) return Result.fail(value)
    out[field] = value
  }
  return Result.succeed(out)
}

/** The value at a source path ("Customer.CustID", "InvcDtls[0].Qty"), as the mapping would read it. */
export const valueAt = (source: unknown, path: string): unknown => getPath(source, path)

/**
 * Applies `mapping` to each element of the array at `arrayPath` (an invoice's lines in a JSON document:
 * `applyMappingToEach(lineMapping, invoice, "InvcDtls")`). A missing array gives no elements; a rejection's
 * path names the element (`InvcDtls[2].quantity (from "SellingShipQty")`).
 */
export const applyMappingToEach = (
  mapping: FieldMapping,
  source: unknown,
  arrayPath: string
): Result.Result<ReadonlyArray<MappedFields>, RecordRejected> => {
  const items = getPath(source, arrayPath)
  if (items === undefined || items === null) return Result.succeed([])
  if (!Array.isArray(items)) {
    return Result.fail(new RecordRejected({ path: arrayPath, reason: "expected a list" }))
  }
  const out: Array<MappedFields> = []
  for (const [index, item] of items.entries()) {
    const mapped = applyMapping(mapping, item)
    if (Result.isFailure(mapped)) {
      const failure = mapped.failure
      return Result.fail(
        new RecordRejected({
          path: `${arrayPath}[${index}].${failure.path}`,
          reason: failure.reason,
          ...(failure.value === undefined ? {} : { value: failure.value })
        })
      )
    }
    out.push(mapped.success)
  }
  return Result.succeed(out)
}

/** The source path a mapping reads `field` from (for error messages), if it reads one. */
export const sourceOf = (mapping: FieldMapping, field: string): string | undefined => {
  const rule = mapping[field]
  return typeof rule === "string" ? rule : rule?.from
}

/** Number and date formats to apply to fields whose rules have no transforms of their own. */
export interface DefaultFormats {
  readonly dateFormat?: string
  readonly decimalSeparator?: "." | ","
  readonly thousandsSeparator?: "" | "." | "," | " " | "'" | "\u00a0" | "\u202f"
}

/**
 * Adds a `date` transform to the date fields and a `decimal` transform to the number fields of `mapping`
 * whose rules declare no transforms, so a locale is configured once per file instead of per field.
 */
export const withDefaultFormats = (
  mapping: FieldMapping,
  formats: DefaultFormats,
  fields: { readonly dates: ReadonlyArray<string>; readonly numbers: ReadonlyArray<string> }
): FieldMapping => {
  const out: Record<string, FieldRule | string> = {}
  for (const [field, rule] of Object.entries(mapping)) {
    const normal: FieldRule = typeof rule === "string" ? { from: rule } : rule
    if (normal.transforms !== undefined || normal.constant !== undefined) {
      out[field] = rule
    } else if (formats.dateFormat !== undefined && fields.dates.includes(field)) {
      out[field] = { ...normal, transforms: [{ _tag: "date", format: formats.dateFormat }] }
    } else if (formats.decimalSeparator !== undefined && fields.numbers.includes(field)) {
      const decimal: Transform = {
        _tag: "decimal",
        decimalSeparator: formats.decimalSeparator,
        ...(formats.thousandsSeparator === undefined ? {} : { thousandsSeparator: formats.thousandsSeparator })
      }
      out[field] = { ...normal, transforms: [decimal] }
    } else {
      out[field] = rule
    }
  }
  return out
}

const pathsOf = new WeakMap<FieldMapping, ReadonlyArray<string>>()

/** Every source path a mapping reads (for checking that an export has the columns a mapping needs). */
export const sourcePaths = (mapping: FieldMapping): ReadonlyArray<string> => {
  let paths = pathsOf.get(mapping)
  if (paths === undefined) {
    paths = rulesOf(mapping).flatMap(({ rule }) => (rule.from === undefined ? [] : [rule.from]))
    pathsOf.set(mapping, paths)
  }
  return paths
}
