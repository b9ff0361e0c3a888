// A business's branding as validated data: name, logo, colours, fonts, legal footer, its own CSS and the
// writing direction. Templates read only a decoded Theme, so a bad theme fails when it is loaded, not mid-render.
import { Effect, Schema } from "effect"
import { contrastRatio, isHexColor, normalizeHex, wcagAA } from "./Contrast.ts"

/** A CSS colour as `#rgb` or `#rrggbb`. */
export const HexColor = Schema.String.check(
  Schema.makeFilter((value: string) => isHexColor(value) || `expected a colour such as "#1d4ed8", got "${value}"`)
)

const logoPattern = /^data:(image\/png|image\/svg\+xml|image\/jpeg);base64,([A-Za-z0-9+/]+={0,2})$/
const maxLogoLength = 1_000_000

// The bytes must be what the media type says, so a "PNG" that is really HTML is refused.
const logoProblem = (value: string): string | undefined => {
  if (value.length > maxLogoLength) return `a logo data URL must be under ${maxLogoLength} characters`
  const match = logoPattern.exec(value)
  if (match === null) return "expected a base64 data: URL of type image/png, image/svg+xml or image/jpeg"
  const bytes = Buffer.from(match[2] ?? "", "base64")
  const type = match[1]
  if (
    type === "image/png" &&
    !bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return "the logo is declared image/png but is not a PNG"
  if (type === "image/jpeg" && !bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])))
    return "the logo is declared image/jpeg but is not a JPEG"
  if (type === "image/svg+xml" && !/<svg[\s>]/.test(bytes.toString("utf8", 0, 4096)))
    return "the logo is declared image/svg+xml but has no <svg> element"
  return undefined
}

/** A logo embedded as a `data:` URL (PNG, SVG or JPEG); documents never fetch anything from the network. */
export const LogoDataUrl = Schema.String.check(Schema.makeFilter((value: string) => logoProblem(value) ?? true))

/** A CSS font-family list: names, quotes, commas, spaces and hyphens only, so it cannot end its declaration. */
export const FontStack = Schema.String.check(
  Schema.isMaxLength(300),
  Schema.isPattern(/^[A-Za-z0-9 ,"'_-]+$/, { expected: 'a font-family list such as "Inter, Arial, sans-serif"' })
)

/** The business's own CSS; trusted, but it may not close its `<style>` element. */
export const CustomCss = Schema.String.check(
  Schema.isMaxLength(100_000),
  Schema.makeFilter((value: string) => !/<\/style/i.test(value) || "custom CSS may not contain </style")
)

/** The colours of a theme. Each `*Text` colour is drawn on the colour it is named after. */
export const ThemeColors = Schema.Struct({
  /** Body text, on `background`. */
  text: HexColor,
  /** Page background. */
  background: HexColor,
  /** Secondary text (labels, captions), on `background`. */
  muted: HexColor,
  /** Headings (large text) on `background`, and the fill of table headers. */
  accent: HexColor,
  /** Text on an `accent` fill. */
  accentText: HexColor,
  /** Rules and table borders (decorative, not text). */
  border: HexColor
})
export type ThemeColors = typeof ThemeColors.Type

/** A business's branding. */
export const Theme = Schema.Struct({
  businessName: Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(200)),
  /** The business's address and contact lines under its name. */
  businessLines: Schema.optionalKey(Schema.Array(Schema.String.check(Schema.isMaxLength(300)))),
  logo: Schema.optionalKey(LogoDataUrl),
  colors: ThemeColors,
  fontStack: FontStack,
  /** Registration, tax and bank details printed at the foot of every document. */
  legalFooter: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(4000))),
  customCss: Schema.optionalKey(CustomCss),
  /** "auto" follows the reader's locale; "ltr"/"rtl" force a direction. */
  direction: Schema.Literals(["auto", "ltr", "rtl"])
})
export type Theme = typeof Theme.Type

/** Portico's own theme: dark slate text on white and a blue accent, all pairs above WCAG AA. */
export const defaultTheme: Theme = {
  businessName: "Portico",
  colors: {
    text: "#1f2933",
    background: "#ffffff",
    muted: "#52606d",
    accent: "#1d4ed8",
    accentText: "#ffffff",
    border: "#cbd2d9"
  },
  fontStack: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif',
  direction: "auto"
}

/** One pair of theme colours that a reader must be able to tell apart. */
export interface ContrastCheck {
  readonly pair: string
  readonly foreground: string
  readonly background: string
  readonly ratio: number
  readonly required: number
  readonly passes: boolean
}

/** The text/background pairs a theme draws, with their WCAG contrast and the AA minimum each needs. */
export const contrastChecks = (colors: ThemeColors): ReadonlyArray<ContrastCheck> => {
  const pairs: ReadonlyArray<readonly [string, string, string, number]> = [
    ["text on background", colors.text, colors.background, wcagAA.normalText],
    ["muted on background", colors.muted, colors.background, wcagAA.normalText],
    ["accentText on accent", colors.accentText, colors.accent, wcagAA.normalText],
    ["accent on background (headings)", colors.accent, colors.background, wcagAA.largeText]
  ]
  return pairs.map(([pair, foreground, background, required]) => {
    const ratio = contrastRatio(normalizeHex(foreground), normalizeHex(background))
    return { pair, foreground, background, ratio, required, passes: ratio >= required }
  })
}

/** A theme whose data does not decode, or whose colours fail WCAG AA when that is enforced. */
export class ThemeError extends Schema.TaggedError<ThemeError>()("ThemeError", {
  message: Schema.String
}) {}

const describe = (check: ContrastCheck): string =>
  `${check.pair}: ${check.foreground} on ${check.background} has contrast ${check.ratio.toFixed(2)}, AA needs ${check.required}`

/**
 * Decodes a theme. Colours below WCAG AA fail the decode with `contrast: "fail"` (the default), or are
 * logged as warnings with `contrast: "warn"` for a business that insists on its palette.
 */
export const decodeTheme = Effect.fn("Theme.decode")(function* (
  input: unknown,
  options?: { readonly contrast?: "fail" | "warn" }
) {
  const theme = yield* Schema.decodeUnknownEffect(Theme)(input).pipe(
    Effect.mapError((error) => new ThemeError({ message: `Invalid theme: ${error.message}` }))
  )
  const failing = contrastChecks(theme.colors).filter((check) => !check.passes)
  if (failing.length > 0) {
    const message = `Theme colours fail WCAG AA: ${failing.map(describe).join("; ")}`
    if ((options?.contrast ?? "fail") === "fail") return yield* new ThemeError({ message })
    yield* Effect.logWarning(message)
  }
  return theme
})
