// The ZIP writer's records: DOS times, central records that spill over 64 KiB blocks, and the ZIP64 forms an
// archive takes past 65,535 entries or 4 GiB, read back by jszip and by hand.
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import JSZip from "jszip"
import {
  centralRecord,
  crc32Of,
  dosDateTime,
  endRecords,
  type ZipEntry,
  ZipWriter
} from "../../../../renderers/zip/internal/ZipWriter.ts"
import { centralEntries } from "../ZipEntries.ts"

const modifiedAt = new Date(2026, 10, 21, 10, 30, 44)

const stored = (name: string, text: string): ZipEntry => {
  const bytes = new TextEncoder().encode(text)
  return { name, method: 0, data: bytes, crc32: crc32Of(bytes), size: bytes.byteLength }
}

const archive = (entries: ReadonlyArray<ZipEntry>): Buffer => {
  const writer = new ZipWriter({ modifiedAt })
  const chunks = entries.flatMap((entry) => writer.entry(entry))
  return Buffer.concat([...chunks, ...writer.end()].map((chunk) => Buffer.from(chunk)))
}

describe("ZipWriter", () => {
  it("writes DOS dates and times in local time, two-second steps, from 1980", () => {
    assert.deepStrictEqual(dosDateTime(modifiedAt), {
      date: ((2026 - 1980) << 9) | (11 << 5) | 21,
      time: (10 << 11) | (30 << 5) | 22
    })
    assert.strictEqual(dosDateTime(new Date(1970, 0, 1)).date >> 9, 0)
  })

  it("computes the CRC-32 ZIP uses", () => {
    assert.strictEqual(crc32Of(new TextEncoder().encode("123456789")), 0xcbf43926)
  })

  it("keeps central records across 64 KiB blocks intact", () => {
    const entries = Array.from({ length: 1500 }, (_, index) =>
      stored(`${String(index).padStart(4, "0")}-${"n".repeat(index % 90)}.txt`, `entry ${index}`)
    )
    const bytes = archive(entries)
    const central = centralEntries(bytes)
    assert.deepStrictEqual(
      central.map((entry) => entry.name),
      entries.map((entry) => entry.name)
    )
    assert.isAbove(
      central.reduce((sum, entry) => sum + 46 + Buffer.byteLength(entry.name) + 9, 0),
      64 * 1024
    )
  })

  it("points at an entry past 4 GiB through the ZIP64 extra field", () => {
    const offset = 2 ** 32 + 5
    const record = centralRecord(stored("far.pdf", "x"), offset, { modifiedAt })
    assert.strictEqual(record.readUInt16LE(6), 45, "version needed: ZIP64")
    assert.strictEqual(record.readUInt32LE(42), 0xffffffff)
    const extraAt = 46 + "far.pdf".length
    const extraLength = record.readUInt16LE(30)
    let found: bigint | undefined
    for (let at = extraAt; at < extraAt + extraLength; at += 4 + record.readUInt16LE(at + 2)) {
      if (record.readUInt16LE(at) === 0x0001) found = record.readBigUInt64LE(at + 4)
    }
    assert.strictEqual(found, BigInt(offset))
  })

  it("ends a small archive with the classic record and a large one with the ZIP64 record and locator", () => {
    const classic = endRecords(3, 100, 200)
    assert.strictEqual(classic.byteLength, 22)
    assert.deepStrictEqual(
      [classic.readUInt32LE(0), classic.readUInt16LE(10), classic.readUInt32LE(12), classic.readUInt32LE(16)],
      [0x06054b50, 3, 100, 200]
    )
    const directoryOffset = 2 ** 32 + 10
    const large = endRecords(70_000, 7_000_000, directoryOffset)
    assert.strictEqual(large.byteLength, 56 + 20 + 22)
    assert.strictEqual(large.readUInt32LE(0), 0x06064b50)
    assert.strictEqual(large.readBigUInt64LE(32), 70_000n)
    assert.strictEqual(large.readBigUInt64LE(40), 7_000_000n)
    assert.strictEqual(large.readBigUInt64LE(48), BigInt(directoryOffset))
    assert.strictEqual(large.readUInt32LE(56), 0x07064b50)
    assert.strictEqual(large.readBigUInt64LE(64), BigInt(directoryOffset + 7_000_000))
    assert.deepStrictEqual(
      [large.readUInt32LE(76), large.readUInt16LE(86), large.readUInt32LE(88), large.readUInt32LE(92)],
      [0x06054b50, 0xffff, 0xffffffff, 0xffffffff]
    )
  })

  it.effect(
    "an archive of 70,000 entries is ZIP64 and jszip reads every entry",
    () =>
      Effect.gen(function* () {
        const count = 70_000
        const bytes = archive(Array.from({ length: count }, (_, index) => stored(`e${index}.txt`, `#${index}`)))
        assert.strictEqual(bytes.readUInt16LE(bytes.length - 22 + 10), 0xffff)
        const zip = yield* Effect.promise(() => JSZip.loadAsync(bytes))
        assert.strictEqual(Object.keys(zip.files).length, count)
        const last = yield* Effect.promise(() => zip.file(`e${count - 1}.txt`)?.async("string") ?? Promise.resolve(""))
        assert.strictEqual(last, `#${count - 1}`)
      }),
    60_000
  )
})
