// WCAG 2.x contrast: relative luminance of sRGB colours and the contrast ratio between two of them.
// Used to prove the default theme passes AA and to check a business's own colours.

/** A colour as `#rgb` or `#rrggbb`. */
const hexPattern = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/

/** True for `#rgb` and `#rrggbb`. */
export const isHexColor = (value: string): boolean => hexPattern.test(value)

/** `#abc` → `#aabbcc`, lower-cased. The caller passes a valid hex colour. */
export const normalizeHex = (value: string): string => {
  const digits = value.slice(1).toLowerCase()
  return digits.length === 3 ? `#${[...digits].map((d) => d + d).join("")}` : `#${digits}`
}

const channel = (value: number): number => {
  const c = value / 255
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}

/** WCAG relative luminance of a hex colour, 0 (black) to 1 (white). */
export const relativeLuminance = (hex: string): number => {
  const full = normalizeHex(hex)
  const [r, g, b] = [1, 3, 5].map((at) => channel(Number.parseInt(full.slice(at, at + 2), 16)))
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0)
}

/** WCAG contrast ratio, from 1 (same colour) to 21 (black on white). */
export const contrastRatio = (foreground: string, background: string): number => {
  const [lighter, darker] = [relativeLuminance(foreground), relativeLuminance(background)].sort((a, b) => b - a)
  return ((lighter ?? 0) + 0.05) / ((darker ?? 0) + 0.05)
}

/** WCAG AA minimum: 4.5 for body text, 3 for large text (24px, or 18.66px bold). */
export const wcagAA = { normalText: 4.5, largeText: 3 } as const
