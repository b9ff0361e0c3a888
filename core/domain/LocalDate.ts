// Calendar dates without a time zone ("2026-11-21"): invoice, due and statement dates are days, not
// instants, so aging and "overdue as of" never shift with the server's zone.
import { Schema } from "effect"

const pattern = /^(\d{4})-(\d{2})-(\d{2})$/

const epochDay = (value: string): number | undefined => {
  const match = pattern.exec(value)
  if (match === null) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const ms = Date.UTC(year, month - 1, day)
  const date = new Date(ms)
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined
  return ms / 86_400_000
}

/** A calendar date in ISO form, `YYYY-MM-DD`; it sorts as a string. */
export const LocalDate = Schema.String.check(
  Schema.makeFilter((value: string) => epochDay(value) !== undefined || `expected a date as YYYY-MM-DD, got "${value}"`)
).pipe(Schema.brand("LocalDate"))
export type LocalDate = typeof LocalDate.Type

/** Days since 1970-01-01 of a valid date. */
export const toEpochDay = (date: LocalDate): number => epochDay(date) ?? Number.NaN

/** The date `days` after 1970-01-01. */
export const fromEpochDay = (days: number): LocalDate =>
  new Date(days * 86_400_000).toISOString().slice(0, 10) as LocalDate // safe: toISOString yields YYYY-MM-DD

/** Builds a LocalDate from a string known to be valid (tests, literals); throws on an invalid one. */
export const localDate = (value: string): LocalDate => Schema.decodeUnknownSync(LocalDate)(value)

/** `to - from` in days (positive when `to` is later). */
export const daysBetween = (from: LocalDate, to: LocalDate): number => toEpochDay(to) - toEpochDay(from)

/** The date `days` after `date` (before, when negative). */
export const addDays = (date: LocalDate, days: number): LocalDate => fromEpochDay(toEpochDay(date) + days)

/** -1, 0 or 1 as `a` is before, the same as, or after `b`. */
export const compareDates = (a: LocalDate, b: LocalDate): -1 | 0 | 1 => (a < b ? -1 : a > b ? 1 : 0)
