// Turns the rows of one page into read items: each source record with its children, its external id, its
// revision and the cursor just after it; rows that cannot be identified or ordered become rejected items.
import { Schema } from "effect"
import {
  type Cursor,
  cursorCodec,
  EntityName,
  type ReadItem,
  RecordRejected,
  rejectedRecord,
  sourceRecord
} from "../../../core/erp/index.ts"
import type { EntityPlan } from "./EntityPlan.ts"
import { externalIdOf, jsonRow, keyTexts } from "./Rows.ts"

type Row = Readonly<Record<string, unknown>>

/** Where a read stands: after the ordering-column values of the last row read, or at the start (null). */
export const CursorState = Schema.Struct({
  v: Schema.Literal(1),
  entity: EntityName,
  order: Schema.Array(Schema.String),
  after: Schema.NullOr(Schema.Array(Schema.String))
})
export type CursorState = typeof CursorState.Type

/** Encodes and decodes the SQL adapter's cursors. */
export const cursors = cursorCodec(CursorState)

/** The cursor just after the row whose ordering values are `after` (null: the start). */
export const cursorFor = (plan: EntityPlan, after: ReadonlyArray<string> | null): Cursor =>
  cursors.encode({ v: 1, entity: plan.entity, order: [...plan.order], after: after === null ? null : [...after] })

/** A page row's ordering values as text (never NULL: page queries exclude NULLs). */
export const orderValues = (plan: EntityPlan, row: Row): ReadonlyArray<string> =>
  keyTexts(row, "k", plan.order.length).map((value) => value ?? "")

/** The page's rows as items, each with its children (lines or allocations) in their query's order. */
export const readItems = (plan: EntityPlan, rows: ReadonlyArray<Row>, children: ReadonlyArray<Row>) => {
  const keyOffset = plan.incremental ? 1 : 0
  const byParent = new Map<string, Array<unknown>>()
  for (const child of children) {
    const parent = JSON.stringify(keyTexts(child, "p", plan.query.primaryKey.length))
    byParent.set(parent, [...(byParent.get(parent) ?? []), jsonRow(child)])
  }
  return rows.map((row): ReadItem => {
    const keys = orderValues(plan, row)
    const primary = keys.slice(keyOffset)
    const cursor = cursorFor(plan, keys)
    const kids = plan.child === undefined ? {} : { [plan.child.kind]: byParent.get(JSON.stringify(primary)) ?? [] }
    const data = { row: jsonRow(row), ...kids }
    const externalId = externalIdOf(primary)
    if (externalId === "")
      return rejectedRecord({
        entity: plan.entity,
        raw: data,
        rejection: new RecordRejected({ path: plan.query.primaryKey.join(", "), reason: "the primary key is blank" }),
        cursor
      })
    return sourceRecord({
      entity: plan.entity,
      externalId,
      ...(plan.incremental ? { revision: keys[0] ?? "" } : {}),
      data,
      cursor
    })
  })
}

/** Rows with NULL in an ordering column, which no keyset read reaches, as rejected items naming the column. */
export const nullKeyItems = (plan: EntityPlan, rows: ReadonlyArray<Row>, last: ReadonlyArray<string> | null) =>
  rows.map((row): ReadItem => {
    const keys = keyTexts(row, "k", plan.order.length)
    const column = plan.order.find((_, i) => keys[i] === undefined) ?? plan.order.join(", ")
    return rejectedRecord({
      entity: plan.entity,
      raw: { row: jsonRow(row) },
      rejection: new RecordRejected({
        path: column,
        reason:
          "is NULL, so the row has no place in the read order; make the column NOT NULL or coalesce it in the SELECT"
      }),
      cursor: cursorFor(plan, last)
    })
  })
