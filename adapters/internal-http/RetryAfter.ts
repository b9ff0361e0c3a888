// The `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, turned into a Duration
// relative to the Clock's now, so tests drive it with TestClock.
import { Duration } from "effect"

const imfFixdate = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/

/**
 * How long the server asked us to wait; `undefined` when the header is absent or malformed. A date in
 * the past means "now" (zero). `nowMillis` comes from the Clock.
 */
export const parseRetryAfter = (header: string | undefined, nowMillis: number): Duration.Duration | undefined => {
  if (header === undefined) return undefined
  const value = header.trim()
  if (/^\d+$/.test(value)) return Duration.seconds(Number(value))
  if (!imfFixdate.test(value) && !/GMT$/.test(value)) return undefined
  const at = Date.parse(value)
  if (Number.isNaN(at)) return undefined
  return Duration.millis(Math.max(0, at - nowMillis))
}
