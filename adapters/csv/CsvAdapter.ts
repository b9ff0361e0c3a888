// The CSV adapter: reads ERP exports (invoice lines, accounts, contacts, payments) from files, streaming,
// in constant memory, resuming append-only exports from a byte offset. See docs/adapters.md.
import { stat } from "node:fs/promises"
import { Effect, Option, Result, Schema, Stream } from "effect"
import {
  applyRule,
  type CheckItem,
  type Cursor,
  cursorCodec,
  dateTargets,
  defineManifest,
  type EntityName,
  type ErpAdapterDefinition,
  type ErpAdapterShape,
  type ErpError,
  ErpErrors,
  type FieldMapping,
  lazySourceRecord,
  numberTargets,
  type ReadItem,
  RecordRejected,
  rejectedRecord,
  sourcePaths,
  withDefaultFormats
} from "../../core/erp/index.ts"
import { CsvConfig, type CsvFormats } from "./CsvConfig.ts"
import { csvDocumentContent, decodeCsvDocument, documentsPlan } from "./CsvDocuments.ts"
import { contentStart, type Dialect, lineBreakBefore, type Row, readFailure, readRows } from "./internal/CsvRows.ts"
import { type DocumentMappings, decodeDocument } from "./internal/Documents.ts"
import { anchorHolds, rowHash } from "./internal/FileIdentity.ts"
import { type Grouped, Grouper } from "./internal/Grouping.ts"

const capability = (primaryKey: string) =>
  ({
    syncModes: ["full", "incremental"],
    cursorField: "byte offset (append-only file)",
    primaryKey: [primaryKey]
  }) as const

/** The CSV adapter's declaration. */
export const csvManifest = defineManifest({
  id: "csv",
  version: "1.0.0",
  displayName: "CSV export files",
  description:
    "Invoice-line, account, contact and payment exports as CSV (UTF-8, Windows-1252, ISO-8859-15), and a documents index naming files in a folder.",
  config: CsvConfig,
  capabilities: {
    entities: {
      accounts: capability("key column"),
      contacts: capability("key column"),
      invoices: capability("groupBy column (invoice number)"),
      "credit-notes": capability("groupBy column (credit note number)"),
      payments: capability("groupBy column (payment reference)"),
      documents: capability("key column")
    },
    writeBack: [],
    documentContent: true
  }
})

/** Where the last read stopped, and the header and row that must still be there to resume from it. */
const CursorState = Schema.Struct({
  v: Schema.Literal(1),
  offset: Schema.Int,
  line: Schema.Int,
  header: Schema.String,
  anchor: Schema.Struct({ length: Schema.Int, hash: Schema.String })
})
type CursorState = typeof CursorState.Type
const cursors = cursorCodec(CursorState)

type Values = Readonly<Record<string, string>>

/** One configured file, as read: its dialect, grouping column and which entity each document becomes. */
interface FilePlan {
  readonly name: string
  readonly dialect: Dialect & { readonly path: string }
  readonly groupBy: string
  /** Columns the mappings read, checked against the header. */
  readonly columns: ReadonlyArray<string>
  /** Whether a document may span several rows. */
  readonly multiRow: boolean
  readonly classify: (first: Values) => EntityName
  /** The entity whose read reports this file's rejected rows, so each is reported exactly once. */
  readonly primary: EntityName
}

interface Dialected {
  readonly path: string
  readonly encoding?: Dialect["encoding"]
  readonly delimiter?: string
  readonly quote?: string
}

const dialectOf = (file: Dialected): FilePlan["dialect"] => ({
  path: file.path,
  encoding: file.encoding ?? "utf-8",
  delimiter: file.delimiter ?? ",",
  quote: file.quote ?? '"'
})

const formatted = (mapping: FieldMapping, formats: CsvFormats | undefined): FieldMapping =>
  formats === undefined ? mapping : withDefaultFormats(mapping, formats, { dates: dateTargets, numbers: numberTargets })

const fromOf = (mapping: FieldMapping, field: string): string | undefined => {
  const rule = mapping[field]
  return typeof rule === "string" ? rule : rule?.from
}

const columnsOf = (...mappings: ReadonlyArray<FieldMapping>): ReadonlyArray<string> => mappings.flatMap(sourcePaths)

/** Builds the adapter's plans and mappings from decoded config; a string is a configuration mistake. */
const planFiles = (config: CsvConfig, sourceId: string) => {
  const plans = new Map<EntityName, FilePlan>()
  const problems: Array<string> = []
  const mappings: { -readonly [K in keyof DocumentMappings]: DocumentMappings[K] } = { sourceId }
  const { formats } = config
  if (config.invoices !== undefined) {
    const file = config.invoices
    const header = formatted(file.header, formats)
    mappings.invoiceHeader = header
    mappings.invoiceLines = formatted(file.lines, formats)
    const groupBy = file.groupBy ?? fromOf(file.header, "number")
    const rule = file.creditNotes ?? { _tag: "negative-total" as const }
    const total = header.total
    const classify = (first: Values): EntityName => {
      if (rule._tag === "none") return "invoices"
      if (rule._tag === "type-column") {
        return rule.values.includes(first[rule.column]?.trim() ?? "") ? "credit-notes" : "invoices"
      }
      if (total === undefined) return "invoices"
      const value = applyRule("total", total, first)
      return Result.isSuccess(value) && value.success?.startsWith("-") === true ? "credit-notes" : "invoices"
    }
    if (groupBy === undefined) problems.push('invoices: set "groupBy" or map "number" in "header" to a column')
    else {
      const plan: FilePlan = {
        name: "invoices",
        dialect: dialectOf(file),
        groupBy,
        columns: [
          groupBy,
          ...(rule._tag === "type-column" ? [rule.column] : []),
          ...columnsOf(file.header, file.lines)
        ],
        multiRow: true,
        classify,
        primary: "invoices"
      }
      plans.set("invoices", plan)
      if (rule._tag !== "none") plans.set("credit-notes", plan)
    }
  }
  for (const entity of ["accounts", "contacts"] as const) {
    const file = config[entity]
    if (file === undefined) continue
    mappings[entity] = formatted(file.mapping, formats)
    plans.set(entity, {
      name: entity,
      dialect: dialectOf(file),
      groupBy: file.key,
      columns: [file.key, ...columnsOf(file.mapping)],
      multiRow: false,
      classify: () => entity,
      primary: entity
    })
  }
  if (config.payments !== undefined) {
    const file = config.payments
    mappings.paymentHeader = formatted(file.header, formats)
    mappings.allocations = formatted(file.allocations, formats)
    plans.set("payments", {
      name: "payments",
      dialect: dialectOf(file),
      groupBy: file.groupBy,
      columns: [file.groupBy, ...columnsOf(file.header, file.allocations)],
      multiRow: true,
      classify: () => "payments",
      primary: "payments"
    })
  }
  if (config.documents !== undefined) {
    plans.set("documents", { ...documentsPlan(config.documents), dialect: dialectOf(config.documents) })
  }
  return { plans, problems, mappings }
}

const valuesOf = (header: ReadonlyArray<string>, fields: ReadonlyArray<string>): Values => {
  const values: Record<string, string> = {}
  header.forEach((name, index) => {
    values[name] = fields[index] ?? ""
  })
  return values
}

/** Why a header may not match the mapping: a mis-declared encoding or delimiter. */
const headerHint = (names: ReadonlyArray<string>, dialect: Dialect): string => {
  if (names[0]?.startsWith("\u00ef\u00bb\u00bf") === true) {
    return ' (the file starts with a UTF-8 byte order mark: set "encoding": "utf-8")'
  }
  if (names.some((name) => name.includes("\ufffd"))) {
    return ' (the header has undecodable characters: is the file really UTF-8? try "encoding": "windows-1252")'
  }
  if (names.length === 1) {
    const other = [";", ",", "\t", "|"].find((d) => d !== dialect.delimiter && names[0]?.includes(d) === true)
    if (other !== undefined)
      return ` (the header looks ${JSON.stringify(other)}-separated: try "delimiter": ${JSON.stringify(other)})`
  }
  return ""
}

/** The header row, or none for an empty file; fails when mapped columns are missing or ambiguous. */
const readHeader = Effect.fnUntraced(function* (plan: FilePlan) {
  const { dialect } = plan
  const start = yield* Effect.tryPromise({
    try: () => contentStart(dialect.path, dialect.encoding),
    catch: (error) => readFailure(dialect.path, error)
  })
  const first = yield* readRows(dialect.path, dialect, start, 0).pipe(Stream.take(1), Stream.runCollect)
  const header = first[0]
  if (header === undefined) return Option.none<{ row: Row; dialect: Dialect & { path: string } }>()
  const names = header.fields.map((name) => name.trim())
  const missing = [...new Set(plan.columns)].filter((column) => !names.includes(column))
  if (missing.length > 0) {
    return yield* ErpErrors.schemaMismatch({
      message: `${plan.name} file ${dialect.path}: column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")} not in the header (${names.map((n) => `"${n}"`).join(", ")})${headerHint(names, dialect)}`,
      operation: `read ${plan.name}`
    })
  }
  const twice = [...new Set(plan.columns)].filter((column) => names.indexOf(column) !== names.lastIndexOf(column))
  if (twice.length > 0) {
    return yield* ErpErrors.schemaMismatch({
      message: `${plan.name} file ${dialect.path}: the header names ${twice.map((c) => `"${c}"`).join(", ")} more than once, so the mapping cannot tell which column to read`,
      operation: `read ${plan.name}`
    })
  }
  const recordDelimiter = yield* Effect.tryPromise({
    try: () => lineBreakBefore(dialect.path, header.end),
    catch: (error) => readFailure(dialect.path, error)
  })
  return Option.some({
    row: { ...header, fields: names },
    dialect: recordDelimiter === undefined ? dialect : { ...dialect, recordDelimiter }
  })
})

/** Where to start reading: after a valid cursor's row when the file still holds it, else after the header. */
const resumePoint = Effect.fnUntraced(function* (
  plan: FilePlan,
  dialect: Dialect & { readonly path: string },
  header: Row,
  cursor: Option.Option<Cursor>
) {
  const fromHeader = { offset: header.end, line: header.line }
  if (Option.isNone(cursor)) return fromHeader
  const state = yield* cursors.decode(cursor.value)
  const headerHash = rowHash(header.fields)
  const size = yield* Effect.tryPromise({
    try: () => stat(plan.dialect.path).then((s) => s.size),
    catch: (error) => readFailure(plan.dialect.path, error)
  })
  const holds =
    state.header === headerHash &&
    state.offset <= size &&
    (yield* Effect.tryPromise({
      try: () => anchorHolds(dialect.path, dialect, { offset: state.offset, ...state.anchor }),
      catch: (error) => readFailure(plan.dialect.path, error)
    }))
  if (holds) return { offset: state.offset, line: state.line }
  yield* Effect.logWarning(
    `${plan.dialect.path} changed other than by appending since the last read: reading it again from the start`
  )
  return fromHeader
})

const cursorAfter = (row: Row, header: string): Cursor => {
  const state: CursorState = {
    v: 1,
    offset: row.end,
    line: row.line,
    header,
    anchor: { length: row.end - row.start, hash: rowHash(row.fields) }
  }
  return cursors.encode(state)
}

/** Turns grouped rows into this read's items: its entity's documents and the file's rejected rows. */
const toItems = (plan: FilePlan, entity: EntityName, header: ReadonlyArray<string>, headerHash: string) => {
  const file = plan.dialect.path
  return (grouped: Grouped): ReadonlyArray<ReadItem> => {
    if (grouped._tag === "Stray") {
      if (entity !== plan.primary) return []
      const raw = { file, rows: [{ line: grouped.row.line, fields: grouped.row.fields }] }
      const rejection = new RecordRejected({ path: `line ${grouped.row.line}`, reason: grouped.reason })
      return [rejectedRecord({ entity, raw, rejection, cursor: cursorAfter(grouped.row, headerHash) })]
    }
    const cursor = () => cursorAfter(grouped.last, headerHash)
    const first = grouped.rows[0]
    const problems =
      !plan.multiRow && grouped.rows.length > 1
        ? [
            ...grouped.problems,
            `"${grouped.key}" appears on ${grouped.rows.length} rows (lines ${grouped.rows.map((r) => r.line).join(", ")}); each ${plan.name} record must be one row`
          ]
        : grouped.problems
    if (problems.length > 0 || first === undefined) {
      if (entity !== plan.primary) return []
      const raw = { file, rows: grouped.rows.map((row) => ({ line: row.line, fields: row.fields })) }
      const rejection = new RecordRejected({
        path: `line ${first?.line ?? grouped.last.line}`,
        reason: problems.join("; ")
      })
      return [rejectedRecord({ entity, externalId: grouped.key, raw, rejection, cursor: cursor() })]
    }
    if (plan.classify(valuesOf(header, first.fields)) !== entity) return []
    const data = { file, rows: grouped.rows.map((row) => ({ line: row.line, values: valuesOf(header, row.fields) })) }
    return [lazySourceRecord({ entity, externalId: grouped.key, data }, cursor)]
  }
}

const readEntity = (
  plan: FilePlan,
  entity: EntityName,
  cursor: Option.Option<Cursor>
): Stream.Stream<ReadItem, ErpError> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const header = yield* readHeader(plan)
      if (Option.isNone(header)) return Stream.empty
      const { row, dialect } = header.value
      const names = row.fields
      const from = yield* resumePoint(plan, dialect, row, cursor)
      const headerHash = rowHash(names)
      const keyIndex = names.indexOf(plan.groupBy)
      const items = toItems(plan, entity, names, headerHash)
      return readRows(dialect.path, dialect, from.offset, from.line).pipe(
        Stream.mapAccum(
          () => new Grouper(keyIndex, names.length, plan.groupBy),
          (grouper, row) => [grouper, grouper.push(row).flatMap(items)] as const,
          { onHalt: (grouper) => grouper.flush().flatMap(items) }
        )
      )
    })
  )

const checkFile = Effect.fnUntraced(function* (plan: FilePlan) {
  const header = yield* readHeader(plan).pipe(Effect.result)
  if (header._tag === "Failure") {
    return { name: `${plan.name} file`, ok: false, message: header.failure.message } satisfies CheckItem
  }
  const columns = Option.match(header.success, {
    onNone: () => "is empty (no header row)",
    onSome: ({ row }) =>
      `has the ${row.fields.length} columns, including all ${new Set(plan.columns).size} the mapping reads`
  })
  return { name: `${plan.name} file`, ok: true, message: `${plan.dialect.path} ${columns}` } satisfies CheckItem
})

/** Builds a CSV adapter for one source. */
export const makeCsvAdapter = (config: CsvConfig, source: { readonly sourceId: string }) =>
  Effect.gen(function* () {
    const { plans, problems, mappings } = planFiles(config, source.sourceId)
    if (problems.length > 0) {
      return yield* ErpErrors.schemaMismatch({ message: problems.join("; "), operation: "configure" })
    }
    const distinct = () => [...new Set(plans.values())]
    const documents = config.documents
    const documentMapping = documents === undefined ? undefined : formatted(documents.mapping, config.formats)
    const shape: ErpAdapterShape = {
      adapterId: csvManifest.id,
      sourceId: source.sourceId,
      check: () =>
        Effect.forEach(distinct(), checkFile).pipe(
          Effect.map((checks) =>
            checks.length === 0
              ? { ok: false, checks: [{ name: "files", ok: false, message: "no files configured" }] }
              : { ok: checks.every((c) => c.ok), checks }
          )
        ),
      discover: () =>
        Effect.forEach(
          ["accounts", "contacts", "invoices", "credit-notes", "payments", "documents"] as const,
          (entity) => {
            const plan = plans.get(entity)
            if (plan === undefined) {
              return Effect.succeed({ entity, available: false, note: "no file configured for it" })
            }
            return Effect.tryPromise({
              try: () => stat(plan.dialect.path),
              catch: (error) => readFailure(plan.dialect.path, error)
            }).pipe(
              Effect.map((s) => ({ entity, available: true, note: `${plan.dialect.path}, ${s.size} bytes` })),
              Effect.catchTag("ErpError", (error) => Effect.succeed({ entity, available: false, note: error.message }))
            )
          }
        ).pipe(Effect.map((entities) => ({ entities }))),
      read: (entity, cursor) => {
        const plan = plans.get(entity)
        return plan === undefined
          ? Stream.fail(
              ErpErrors.notFound({ message: `no file is configured for ${entity}`, operation: `read ${entity}` })
            )
          : readEntity(plan, entity, cursor)
      },
      decode: (record) =>
        record.entity === "documents" && documentMapping !== undefined
          ? decodeCsvDocument(documentMapping, source.sourceId, record)
          : decodeDocument(mappings, record),
      ...(documents === undefined ? {} : { content: csvDocumentContent(documents) })
    }
    return shape
  })

/** The CSV adapter definition: pass it to `makeAdapter`/`layerAdapter` with the settings from the config file. */
export const CsvAdapter: ErpAdapterDefinition<CsvConfig> = {
  manifest: csvManifest,
  make: makeCsvAdapter
}
