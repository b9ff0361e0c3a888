// What the portal's use cases need to know about the business: its time zone (what "today" is, so overdue
// is judged on the business's day), its branding and language for documents, aging edges and bulk limits.
import { Clock, Context, Effect, Layer } from "effect"
import { type AgingConfig, defaultAgingConfig } from "../billing/Aging.ts"
import { type LocalDate, localDate } from "../domain/LocalDate.ts"
import { type Locale, locale as makeLocale } from "../render/Locale.ts"
import { defaultTheme, type Theme } from "../render/Theme.ts"

/** The portal's settings. */
export interface PortalSettingsShape {
  /** An IANA zone ("Europe/Berlin"): the day invoices become overdue on. */
  readonly timeZone: string
  readonly theme: Theme
  /** The language documents and pages are written in. */
  readonly locale: Locale
  readonly aging: AgingConfig
  /** The most invoices one ZIP download or CSV export may hold. */
  readonly maxBulk: number
}

/** The portal's settings as a service. */
export class PortalSettings extends Context.Service<PortalSettings, PortalSettingsShape>()(
  "portico/core/portal/PortalSettings"
) {
  static readonly layer = (settings: Partial<PortalSettingsShape> = {}): Layer.Layer<PortalSettings> =>
    Layer.succeed(PortalSettings, { ...defaultPortalSettings, ...settings })
}

/** UTC, the default theme, English, 30/60/90-day aging, 100 documents per bulk download. */
export const defaultPortalSettings: PortalSettingsShape = {
  timeZone: "UTC",
  theme: defaultTheme,
  locale: makeLocale("en"),
  aging: defaultAgingConfig,
  maxBulk: 100
}

// Intl formatters are costly to build and "today" is asked for on every request: one per zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** The calendar day of `epochMillis` in `timeZone`. */
export const dayIn = (timeZone: string, epochMillis: number): LocalDate => {
  let format = dayFormats.get(timeZone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    dayFormats.set(timeZone, format)
  }
  // en-CA formats as YYYY-MM-DD, which is the LocalDate form.
  return localDate(format.format(epochMillis))
}

/** Today in the business's zone, from the Clock (so tests move it with TestClock). */
export const today: Effect.Effect<LocalDate, never, PortalSettings> = Effect.gen(function* () {
  const settings = yield* PortalSettings
  return dayIn(settings.timeZone, yield* Clock.currentTimeMillis)
})
