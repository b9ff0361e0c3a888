// Reads an archive's central directory by hand, so tests can see how each entry was stored (method 0 is
// stored, 8 is deflated) without trusting the library that wrote it.

/** One central directory record. */
export interface CentralEntry {
  readonly name: string
  readonly method: number
  readonly compressedSize: number
  readonly size: number
}

const eocdSignature = 0x06054b50
const centralSignature = 0x02014b50

/** Whether the bytes contain an end-of-central-directory record (what makes a ZIP look whole). */
export const hasEndOfCentralDirectory = (bytes: Buffer): boolean => {
  for (let at = bytes.length - 22; at >= 0; at--) if (bytes.readUInt32LE(at) === eocdSignature) return true
  return false
}

/** The central directory's records, in order (no ZIP64 needed: tests keep archives small). */
export const centralEntries = (bytes: Buffer): ReadonlyArray<CentralEntry> => {
  let eocd = -1
  for (let at = bytes.length - 22; at >= 0; at--) {
    if (bytes.readUInt32LE(at) === eocdSignature) {
      eocd = at
      break
    }
  }
  if (eocd === -1) throw new Error("no end of central directory")
  const count = bytes.readUInt16LE(eocd + 10)
  let at = bytes.readUInt32LE(eocd + 16)
  const entries: Array<CentralEntry> = []
  for (let index = 0; index < count; index++) {
    if (bytes.readUInt32LE(at) !== centralSignature) throw new Error(`bad central record at ${at}`)
    const nameLength = bytes.readUInt16LE(at + 28)
    const extraLength = bytes.readUInt16LE(at + 30)
    const commentLength = bytes.readUInt16LE(at + 32)
    entries.push({
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      size: bytes.readUInt32LE(at + 24),
      name: bytes.toString("utf8", at + 46, at + 46 + nameLength)
    })
    at += 46 + nameLength + extraLength + commentLength
  }
  return entries
}
