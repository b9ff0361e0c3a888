// Groups contiguous rows that share a key (an invoice number, a payment reference) into documents.
// A key that comes back after its rows ended is not merged: that document is rejected with a reason,
// because merging would need the whole file in memory. The only state that grows is the set of keys seen.
import type { Row } from "./CsvRows.ts"

/** Rows of one document, and anything wrong with them. */
export interface Group {
  readonly _tag: "Group"
  readonly key: string
  readonly rows: ReadonlyArray<Row>
  /** Problems that reject the whole document (malformed rows, non-contiguous rows, too many rows). */
  readonly problems: ReadonlyArray<string>
  /** The group's last row (kept even when a huge group's rows are not): where the next read resumes. */
  readonly last: Row
}

/** A row that belongs to no document (no key, too few fields to have one). */
export interface Stray {
  readonly _tag: "Stray"
  readonly row: Row
  readonly reason: string
}

export type Grouped = Group | Stray

/** At most this many rows of one document are kept; a bigger one is rejected (it is surely a bad key). */
const maxRows = 10_000

interface Open {
  key: string
  rows: Array<Row>
  problems: Array<string>
  dropped: number
  last: Row
}

/** Mutable grouping state for one read; feed rows with `push`, then `flush` at the end. */
export class Grouper {
  private current: Open | undefined = undefined
  private readonly seen = new Map<string, number>()
  private readonly keyIndex: number
  private readonly columnCount: number
  private readonly keyName: string

  constructor(keyIndex: number, columnCount: number, keyName: string) {
    this.keyIndex = keyIndex
    this.columnCount = columnCount
    this.keyName = keyName
  }

  push(row: Row): ReadonlyArray<Grouped> {
    const key = row.fields[this.keyIndex]?.trim()
    const out: Array<Grouped> = []
    if (key === undefined || key === "") {
      out.push(...this.flush())
      const reason =
        row.fields.length !== this.columnCount
          ? `has ${row.fields.length} fields, the header has ${this.columnCount}`
          : `has no value in column "${this.keyName}"`
      out.push({ _tag: "Stray", row, reason })
      return out
    }
    if (this.current === undefined || this.current.key !== key) {
      out.push(...this.flush())
      const endedAt = this.seen.get(key)
      this.current = { key, rows: [], problems: [], dropped: 0, last: row }
      if (endedAt !== undefined) {
        this.current.problems.push(
          `the rows of "${key}" are not contiguous: it already appeared in rows ending at line ${endedAt}; sort the export by "${this.keyName}" so each document's rows are together`
        )
      }
    }
    const group = this.current
    if (row.fields.length !== this.columnCount) {
      group.problems.push(`line ${row.line} has ${row.fields.length} fields, the header has ${this.columnCount}`)
    }
    if (group.rows.length < maxRows) group.rows.push(row)
    else group.dropped++
    group.last = row
    return out
  }

  flush(): ReadonlyArray<Grouped> {
    const group = this.current
    if (group === undefined) return []
    this.current = undefined
    this.seen.set(group.key, group.last.line)
    const problems =
      group.dropped > 0
        ? [...group.problems, `"${group.key}" has more than ${maxRows} rows (${group.dropped} more not shown)`]
        : group.problems
    return [{ _tag: "Group", key: group.key, rows: group.rows, problems, last: group.last }]
  }
}
