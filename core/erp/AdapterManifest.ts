// An adapter declares itself as data: id, version, config schema and capabilities. The host validates
// the config against the schema when the adapter's layer is built, so bad config fails at start-up.
import { Schema } from "effect"

/** A kebab-case adapter id: "csv", "epicor-kinetic", "business-central". */
export const AdapterId = Schema.String.check(
  Schema.isPattern(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { expected: 'a kebab-case id such as "epicor-kinetic"' }),
  Schema.isMaxLength(64)
).pipe(Schema.brand("AdapterId"))
export type AdapterId = typeof AdapterId.Type

/** A semantic version: "1.2.3", "0.1.0-beta.1". */
export const SemVer = Schema.String.check(
  Schema.isPattern(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/, {
    expected: 'a semantic version such as "1.0.0"'
  })
)

/** Full: every read returns every record. Incremental: a read from a cursor returns only what changed since. */
export const SyncMode = Schema.Literals(["full", "incremental"])
export type SyncMode = typeof SyncMode.Type

/** What an adapter can do with one entity. */
export const EntityCapability = Schema.Struct({
  syncModes: Schema.NonEmptyArray(SyncMode),
  /** The source field that orders changes for incremental reads ("SysRevID", "modified_at", "byte offset"). */
  cursorField: Schema.optionalKey(Schema.String),
  /** The source fields that identify a record (they make `externalId`). */
  primaryKey: Schema.NonEmptyArray(Schema.String),
  /** How many records one request fetches, when the source pages. */
  pageSize: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)))
})
export type EntityCapability = typeof EntityCapability.Type

/** Commands an adapter may be able to send back to the ERP. */
export const WriteBackKind = Schema.Literals(["post-payment"])
export type WriteBackKind = typeof WriteBackKind.Type

/** What the adapter reads and writes. */
export const Capabilities = Schema.Struct({
  entities: Schema.Struct({
    accounts: Schema.optionalKey(EntityCapability),
    contacts: Schema.optionalKey(EntityCapability),
    invoices: Schema.optionalKey(EntityCapability),
    "credit-notes": Schema.optionalKey(EntityCapability),
    payments: Schema.optionalKey(EntityCapability),
    documents: Schema.optionalKey(EntityCapability)
  }),
  writeBack: Schema.Array(WriteBackKind),
  /** The adapter delivers document bytes (`ErpAdapterShape.content`), so its documents can be synced. */
  documentContent: Schema.optionalKey(Schema.Boolean)
})
export type Capabilities = typeof Capabilities.Type

/** The data part of a manifest (everything but the config schema), checked by `defineManifest`. */
export const ManifestData = Schema.Struct({
  id: AdapterId,
  version: SemVer,
  displayName: Schema.String.check(Schema.isNonEmpty()),
  description: Schema.optionalKey(Schema.String),
  capabilities: Capabilities
})

/**
 * An adapter's declaration. `config` decodes the integrator's settings; secrets in it use
 * `Schema.Redacted(Schema.String)` so they never print.
 */
export interface AdapterManifest<Config> {
  readonly id: AdapterId
  readonly version: string
  readonly displayName: string
  readonly description?: string
  readonly config: Schema.Codec<Config, unknown>
  readonly capabilities: Capabilities
}

/** The manifest as written by an adapter author, before its id is checked. */
export interface ManifestInput<Config> extends Omit<AdapterManifest<Config>, "id"> {
  readonly id: string
}

/**
 * Checks a manifest declaration (kebab-case id, semver version, non-empty name) and returns it typed.
 * Throws a SchemaError at module load on a malformed declaration: that is a programming error in the
 * adapter, found by its first test.
 */
export const defineManifest = <Config>(input: ManifestInput<Config>): AdapterManifest<Config> => {
  const data = Schema.decodeUnknownSync(ManifestData)({
    id: input.id,
    version: input.version,
    displayName: input.displayName,
    ...(input.description === undefined ? {} : { description: input.description }),
    capabilities: input.capabilities
  })
  return { ...input, id: data.id }
}
