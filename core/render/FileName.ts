// Safe, portable file names for downloads and archive entries: no path separators, no "..", no control or
// bidi characters, no names Windows reserves, bounded length; and a set that keeps names unique in a folder.
import { stripUnsafeControls } from "./Text.ts"

// Directional marks can disguise an extension as well as overrides can ("invoice\u202Efdp.exe" shows as
// "invoiceexe.pdf"); the rest of the controls go through stripUnsafeControls.
const directionalMarks = /[\u061c\u200e\u200f]/g

// Separators and the characters Windows forbids in names.
const forbidden = /[/\\:*?"<>|]/g
const reservedStem = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i
const maxBytes = 200

const utf8Length = (value: string): number => Buffer.byteLength(value, "utf8")

// Shortens the stem (keeping the extension) until the name fits, never splitting a surrogate pair.
const fitToLength = (stem: string, extension: string): string => {
  let chars = [...stem]
  while (chars.length > 1 && utf8Length(chars.join("") + extension) > maxBytes) chars = chars.slice(0, -1)
  return chars.join("") + extension
}

const splitExtension = (name: string): readonly [string, string] => {
  const dot = name.lastIndexOf(".")
  return dot > 0 && name.length - dot <= 10 ? [name.slice(0, dot), name.slice(dot)] : [name, ""]
}

/**
 * A file name that is safe on every common file system and inside a ZIP: a single path segment, no control
 * characters, no leading dots, no trailing dots or spaces, not a reserved Windows device name, at most 200 bytes.
 * Falls back to `fallback` when nothing usable is left.
 */
export const safeFileName = (name: string, fallback = "document"): string => {
  const cleaned = stripUnsafeControls(name)
    .normalize("NFC")
    .replace(/\s+/g, " ")
    .replace(directionalMarks, "")
    .replace(forbidden, "_")
    .replace(/\.{2,}/g, ".")
    .replace(/^[\s.]+/, "")
    .replace(/[\s.]+$/, "")
  if (cleaned === "") return fallback === name ? "document" : safeFileName(fallback)
  // Windows reserves a device name whatever follows its first dot ("nul.tar.gz" too).
  const named = reservedStem.test((cleaned.split(".")[0] ?? "").trim()) ? `_${cleaned}` : cleaned
  const [stem, extension] = splitExtension(named)
  return fitToLength(stem, extension)
}

/**
 * Hands out unique names within one folder, compared case-insensitively (Windows and macOS folders are):
 * `invoice.pdf`, then `invoice (2).pdf`, `invoice (3).pdf`. Holds only the names given out so far.
 */
export class UniqueFileNames {
  readonly #taken = new Set<string>()
  // The next number to try per name, so a thousand "invoice.pdf" cost a thousand steps, not half a million.
  readonly #nextNumber = new Map<string, number>()

  /** Reserves `name` exactly (already safe), so later names avoid it; false when it was taken. */
  reserve(name: string): boolean {
    const key = name.toLowerCase()
    if (this.#taken.has(key)) return false
    this.#taken.add(key)
    return true
  }

  /** The safe form of `name`, numbered when a name like it was given out before. */
  next(name: string): string {
    const safe = safeFileName(name)
    if (this.reserve(safe)) return safe
    const key = safe.toLowerCase()
    const [stem, extension] = splitExtension(safe)
    for (let n = this.#nextNumber.get(key) ?? 2; ; n++) {
      const candidate = fitToLength(stem, ` (${n})${extension}`)
      if (this.reserve(candidate)) {
        this.#nextNumber.set(key, n + 1)
        return candidate
      }
    }
  }
}
