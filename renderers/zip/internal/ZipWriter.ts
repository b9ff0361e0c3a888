// The bytes of a ZIP archive (APPNOTE 6.3), written front to back: a local header before each entry's data,
// then the central directory and its end record, in ZIP64 form once the archive outgrows the classic fields
// (65,535 entries, 4 GiB). Every entry is whole when it is added (CRC-32 and sizes known), so no data
// descriptors are needed. Per entry, only its central directory record (about 100 bytes) stays until the end.
import { crc32 } from "node:zlib"

/** Stored as is, or deflated. */
export type ZipMethod = 0 | 8

/** One entry, its data already compressed with `method`. */
export interface ZipEntry {
  readonly name: string
  readonly method: ZipMethod
  /** The bytes written to the archive (deflated when `method` is 8). */
  readonly data: Uint8Array
  /** CRC-32 of the uncompressed bytes. */
  readonly crc32: number
  /** Length of the uncompressed bytes. */
  readonly size: number
}

/** What a writer needs to know about every entry's header. */
export interface ZipWriterOptions {
  readonly modifiedAt: Date
  /** Unix permissions of every entry (default 0644). */
  readonly mode?: number
}

const u32Max = 0xffffffff

/** The largest entry, compressed or not, this writer stores (its local header has no ZIP64 sizes). */
export const maxEntryBytes = u32Max - 1

/** CRC-32 (ISO-HDLC), as ZIP stores it. */
export const crc32Of = (bytes: Uint8Array): number => crc32(bytes)

const u16Max = 0xffff
const utf8Names = 0x0800
const versionClassic = 20
const versionZip64 = 45
// Made by: Unix (3), APPNOTE 6.3, so unzip applies the Unix permissions in the external attributes.
const versionMadeBy = (3 << 8) | 63

/** MS-DOS date and time fields, in local time as readers expect (years before 1980 are written as 1980). */
export const dosDateTime = (date: Date): { readonly date: number; readonly time: number } => {
  const year = Math.min(Math.max(date.getFullYear(), 1980), 2107)
  return {
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2)
  }
}

// The Info-ZIP extended timestamp (0x5455): the modification time in UTC seconds, which readers prefer to the
// DOS fields (local time, two-second steps).
const timestampExtra = (date: Date): Buffer => {
  const extra = Buffer.alloc(9)
  extra.writeUInt16LE(0x5455, 0)
  extra.writeUInt16LE(5, 2)
  extra.writeUInt8(1, 4)
  extra.writeUInt32LE(Math.min(Math.max(Math.floor(date.getTime() / 1000), 0), u32Max), 5)
  return extra
}

/** The local file header written before an entry's data. */
export const localHeader = (entry: ZipEntry, options: ZipWriterOptions): Buffer => {
  const name = Buffer.from(entry.name, "utf8")
  const extra = timestampExtra(options.modifiedAt)
  const { date, time } = dosDateTime(options.modifiedAt)
  const header = Buffer.alloc(30 + name.length + extra.length)
  header.writeUInt32LE(0x04034b50, 0)
  header.writeUInt16LE(versionClassic, 4)
  header.writeUInt16LE(utf8Names, 6)
  header.writeUInt16LE(entry.method, 8)
  header.writeUInt16LE(time, 10)
  header.writeUInt16LE(date, 12)
  header.writeUInt32LE(entry.crc32 >>> 0, 14)
  header.writeUInt32LE(entry.data.byteLength, 18)
  header.writeUInt32LE(entry.size, 22)
  header.writeUInt16LE(name.length, 26)
  header.writeUInt16LE(extra.length, 28)
  name.copy(header, 30)
  extra.copy(header, 30 + name.length)
  return header
}

/** The central directory record of an entry whose local header is at `offset`. */
export const centralRecord = (entry: ZipEntry, offset: number, options: ZipWriterOptions): Buffer => {
  const name = Buffer.from(entry.name, "utf8")
  const zip64 = offset >= u32Max
  const timestamp = timestampExtra(options.modifiedAt)
  const extra = zip64 ? Buffer.concat([timestamp, zip64Extra(offset)]) : timestamp
  const { date, time } = dosDateTime(options.modifiedAt)
  const record = Buffer.alloc(46 + name.length + extra.length)
  record.writeUInt32LE(0x02014b50, 0)
  record.writeUInt16LE(versionMadeBy, 4)
  record.writeUInt16LE(zip64 ? versionZip64 : versionClassic, 6)
  record.writeUInt16LE(utf8Names, 8)
  record.writeUInt16LE(entry.method, 10)
  record.writeUInt16LE(time, 12)
  record.writeUInt16LE(date, 14)
  record.writeUInt32LE(entry.crc32 >>> 0, 16)
  record.writeUInt32LE(entry.data.byteLength, 20)
  record.writeUInt32LE(entry.size, 24)
  record.writeUInt16LE(name.length, 28)
  record.writeUInt16LE(extra.length, 30)
  // Comment length, disk number start and internal attributes stay 0.
  record.writeUInt32LE((((options.mode ?? 0o644) | 0o100000) << 16) >>> 0, 38)
  record.writeUInt32LE(zip64 ? u32Max : offset, 42)
  name.copy(record, 46)
  extra.copy(record, 46 + name.length)
  return record
}

// The ZIP64 extended information extra field holds only the fields that overflowed: here the offset.
const zip64Extra = (offset: number): Buffer => {
  const extra = Buffer.alloc(12)
  extra.writeUInt16LE(0x0001, 0)
  extra.writeUInt16LE(8, 2)
  extra.writeBigUInt64LE(BigInt(offset), 4)
  return extra
}

/** The records after the central directory: ZIP64 end record and locator when needed, then the end record. */
export const endRecords = (count: number, directorySize: number, directoryOffset: number): Buffer => {
  const zip64 = count >= u16Max || directorySize >= u32Max || directoryOffset >= u32Max
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(zip64 ? u16Max : count, 8)
  end.writeUInt16LE(zip64 ? u16Max : count, 10)
  end.writeUInt32LE(zip64 ? u32Max : directorySize, 12)
  end.writeUInt32LE(zip64 ? u32Max : directoryOffset, 16)
  if (!zip64) return end
  const record = Buffer.alloc(56)
  record.writeUInt32LE(0x06064b50, 0)
  record.writeBigUInt64LE(44n, 4)
  record.writeUInt16LE(versionMadeBy, 12)
  record.writeUInt16LE(versionZip64, 14)
  record.writeBigUInt64LE(BigInt(count), 24)
  record.writeBigUInt64LE(BigInt(count), 32)
  record.writeBigUInt64LE(BigInt(directorySize), 40)
  record.writeBigUInt64LE(BigInt(directoryOffset), 48)
  const locator = Buffer.alloc(20)
  locator.writeUInt32LE(0x07064b50, 0)
  locator.writeBigUInt64LE(BigInt(directoryOffset + directorySize), 8)
  locator.writeUInt32LE(1, 16)
  return Buffer.concat([record, locator, end])
}

// Central records packed into 64 KiB blocks: one small allocation per record would cost more in object
// headers than the records themselves.
const blockSize = 64 * 1024

/** Writes one archive: `entry` gives the bytes to send for an entry, `end` those that close the archive. */
export class ZipWriter {
  readonly #options: ZipWriterOptions
  readonly #blocks: Array<Buffer> = []
  #used = blockSize
  #offset = 0
  #count = 0
  #directorySize = 0

  constructor(options: ZipWriterOptions) {
    this.#options = options
  }

  /** The local header and the data of one entry (both under `maxEntryBytes`), in the order they are written. */
  entry(entry: ZipEntry): readonly [Uint8Array, Uint8Array] {
    const header = localHeader(entry, this.#options)
    this.#keep(centralRecord(entry, this.#offset, this.#options))
    this.#offset += header.byteLength + entry.data.byteLength
    this.#count++
    return [header, entry.data]
  }

  /** The central directory and the end records; the writer takes no entries after this. */
  *end(): Generator<Uint8Array> {
    this.#trimLast()
    yield* this.#blocks
    this.#blocks.length = 0
    yield endRecords(this.#count, this.#directorySize, this.#offset)
  }

  #trimLast(): void {
    const last = this.#blocks.at(-1)
    if (last !== undefined) this.#blocks[this.#blocks.length - 1] = last.subarray(0, this.#used)
  }

  #keep(record: Buffer): void {
    this.#directorySize += record.byteLength
    if (this.#used + record.byteLength > blockSize) {
      this.#trimLast()
      this.#blocks.push(Buffer.allocUnsafeSlow(Math.max(blockSize, record.byteLength)))
      this.#used = 0
    }
    const block = this.#blocks.at(-1)
    if (block === undefined) return
    record.copy(block, this.#used)
    this.#used += record.byteLength
  }
}
