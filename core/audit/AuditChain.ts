// Verifies one account's audit chain and names the first broken link: an edited entry, a deleted one, entries
// out of order, or entries cut off the end (against the head the database keeps).
import { Schema } from "effect"
import { type AuditEntry, genesisHash, hashEntry } from "./AuditEntry.ts"

/** Why a link is broken. */
export const BreakReason = Schema.Literals([
  /** The entry's content does not hash to its stored hash: it was edited. */
  "hash-mismatch",
  /** The entry does not point at the previous entry's hash. */
  "prev-mismatch",
  /** A sequence number is missing: an entry was deleted. */
  "sequence-gap",
  /** Entries are out of sequence order (moved, or a number repeated). */
  "reordered",
  /** The chain does not end at the head the database recorded: entries were cut off the end (or replaced). */
  "truncated"
])
export type BreakReason = typeof BreakReason.Type

/** The first broken link: its position in the list checked, the entry there (if any) and why. */
export const ChainBreak = Schema.Struct({
  index: Schema.Int,
  entryId: Schema.NullOr(Schema.String),
  reason: BreakReason
})
export type ChainBreak = typeof ChainBreak.Type

/** The last entry the database recorded for a chain. */
export interface ChainHead {
  readonly seq: number
  readonly hash: string
}

/**
 * Checks entries of ONE chain in storage order, from its first entry. Returns the first broken link, or
 * undefined when every entry hashes correctly, points at its predecessor, and the sequence runs 1, 2, 3, ...
 * up to `head` when a head is given.
 */
export const verifyChain = (
  entries: ReadonlyArray<AuditEntry>,
  head?: ChainHead | undefined
): ChainBreak | undefined => {
  let expectedSeq = 1
  let prevHash = genesisHash
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!
    const at = (reason: BreakReason): ChainBreak => ({ index, entryId: entry.id, reason })
    if (entry.seq !== expectedSeq) {
      const wanted = expectedSeq
      const laterHasExpected = entries.slice(index + 1).some((later) => later.seq === wanted)
      return at(entry.seq < expectedSeq || laterHasExpected ? "reordered" : "sequence-gap")
    }
    if (entry.prevHash !== prevHash) return at("prev-mismatch")
    const { hash, ...content } = entry
    if (hashEntry(content) !== hash) return at("hash-mismatch")
    prevHash = hash
    expectedSeq = entry.seq + 1
  }
  if (head !== undefined && (head.seq !== expectedSeq - 1 || (head.seq > 0 && head.hash !== prevHash))) {
    return { index: entries.length, entryId: null, reason: "truncated" }
  }
  return undefined
}
