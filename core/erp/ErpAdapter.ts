// The ERP adapter port (after Airbyte/Singer: check, discover, read), plus optional write-back.
// Implementations live in adapters/*; core never imports them.
import { Context, Effect, Layer, type Option, type Result, Schema, type Scope, type Stream } from "effect"
import { Payment } from "../domain/index.ts"
import type { AdapterManifest } from "./AdapterManifest.ts"
import type { Cursor } from "./Cursor.ts"
import type { DocumentRecord } from "./DocumentContent.ts"
import { type CanonicalRecord, EntityName } from "./Entity.ts"
import { ErpError, SchemaMismatch } from "./ErpError.ts"
import type { RecordRejected } from "./RecordRejected.ts"
import type { ReadItem, SourceRecord } from "./SourceRecord.ts"

/** One thing `check` verified ("file readable", "credentials accepted", "column Amount present"). */
export const CheckItem = Schema.Struct({ name: Schema.String, ok: Schema.Boolean, message: Schema.String })
export type CheckItem = typeof CheckItem.Type

/** The outcome of `check`: `ok` when every item is. Unreachable sources fail with ErpError instead. */
export const CheckResult = Schema.Struct({ ok: Schema.Boolean, checks: Schema.Array(CheckItem) })
export type CheckResult = typeof CheckResult.Type

/** One entity as the source offers it now. */
export const DiscoveredEntity = Schema.Struct({
  entity: EntityName,
  available: Schema.Boolean,
  /** The number of records, when the source can tell cheaply. */
  count: Schema.optionalKey(Schema.Int),
  /** Why it is unavailable, or anything the integrator should know. */
  note: Schema.optionalKey(Schema.String)
})
export type DiscoveredEntity = typeof DiscoveredEntity.Type

/** The outcome of `discover`. */
export const DiscoverResult = Schema.Struct({ entities: Schema.Array(DiscoveredEntity) })
export type DiscoverResult = typeof DiscoverResult.Type

/** Post a payment taken in the portal to the ERP (capability "post-payment"). */
export const PostPayment = Schema.TaggedStruct("PostPayment", { payment: Payment })
/** A command an adapter may send back to the ERP. */
export const WriteBackCommand = Schema.Union([PostPayment])
export type WriteBackCommand = typeof WriteBackCommand.Type

/** What the ERP answered to a write-back: the id it gave the record. */
export const WriteBackResult = Schema.Struct({ externalId: Schema.String })
export type WriteBackResult = typeof WriteBackResult.Type

/** The operations of one configured source. */
export interface ErpAdapterShape {
  /** The manifest's id, for logs and error reports. */
  readonly adapterId: string
  /** The configured source's id ("epicor-main"); decoded records carry it in `source.source`. */
  readonly sourceId: string
  /** Can we connect, are the credentials right, is the configuration consistent with the source? */
  readonly check: () => Effect.Effect<CheckResult, ErpError>
  /** Which entities the source offers now, with record counts when cheap. */
  readonly discover: () => Effect.Effect<DiscoverResult, ErpError>
  /**
   * Reads `entity` from the start (`Option.none()`) or after `cursor`. Each item carries the cursor just
   * after it; reading again from an item's cursor neither repeats nor skips a record. The stream is pulled
   * lazily: the adapter fetches a page or chunk only when the consumer asks for more.
   */
  readonly read: (entity: EntityName, cursor: Option.Option<Cursor>) => Stream.Stream<ReadItem, ErpError>
  /** Turns a raw record into the canonical model, or says precisely which field is wrong. Pure. */
  readonly decode: (record: SourceRecord) => Result.Result<CanonicalRecord, RecordRejected>
  /**
   * The bytes of a document `read("documents")` returned (or a source pushed), from the raw record: a URL, a
   * file path, a key in the source. Present only when the manifest declares `documentContent`. Pulled lazily;
   * the consumer stops pulling past its size limit (see `readContent`). Fails with ErpError like `read`
   * (NotFound for a document whose bytes are gone).
   */
  readonly content?: (record: DocumentRecord) => Stream.Stream<Uint8Array, ErpError>
  /** Sends a command back to the ERP; present only when the manifest lists the capability. */
  readonly writeBack?: (command: WriteBackCommand) => Effect.Effect<WriteBackResult, ErpError>
}

/** The port: the adapter of the source being synced. */
export class ErpAdapter extends Context.Service<ErpAdapter, ErpAdapterShape>()("portico/core/erp/ErpAdapter") {}

/** Which configured source an adapter instance serves. */
export interface SourceContext {
  readonly sourceId: string
}

/** An adapter package's export: its manifest and how to build an instance from decoded config. */
export interface ErpAdapterDefinition<Config> {
  readonly manifest: AdapterManifest<Config>
  readonly make: (config: Config, source: SourceContext) => Effect.Effect<ErpAdapterShape, ErpError, Scope.Scope>
}

/**
 * Decodes raw settings (from a JSON config file) with the manifest's schema and builds the adapter.
 * Bad settings fail with a SchemaMismatch naming the field, before anything connects.
 */
export const makeAdapter = Effect.fnUntraced(function* <Config>(
  definition: ErpAdapterDefinition<Config>,
  source: SourceContext,
  settings: unknown
) {
  const config = yield* Schema.decodeUnknownEffect(definition.manifest.config)(settings).pipe(
    Effect.mapError(
      (error) =>
        new ErpError({
          reason: new SchemaMismatch({
            message: `invalid settings for adapter "${definition.manifest.id}" (source "${source.sourceId}"): ${error.message}`,
            operation: "configure"
          })
        })
    )
  )
  return yield* definition.make(config, source)
})

/** A layer providing `ErpAdapter` for one source, built from raw settings. */
export const layerAdapter = <Config>(
  definition: ErpAdapterDefinition<Config>,
  source: SourceContext,
  settings: unknown
): Layer.Layer<ErpAdapter, ErpError> => Layer.effect(ErpAdapter, makeAdapter(definition, source, settings))
