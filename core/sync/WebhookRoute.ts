// `POST /webhooks/sync/:source`: an ERP pushes changed records. The signature (HMAC-SHA256 over the timestamp
// and the RAW body, see WebhookSignature.ts) is verified before the body is parsed; the records are then
// decoded, checked and written by the engine exactly as a run would (quarantined if they fail), without
// moving the source's cursors, so the next scheduled run finds them unchanged. Bodies are parsed with
// `parseExact`, so an amount keeps every digit the source sent (JSON.parse would round past 15 significant
// digits): pushed records reach the adapter exactly as its own HTTP reads would give them.
import { Clock, Effect, type Layer, type Redacted, Result, Schema } from "effect"
import { HttpRouter, type HttpServerRequest, HttpServerResponse } from "effect/http"
import { Cursor } from "../erp/Cursor.ts"
import { EntityName } from "../erp/Entity.ts"
import type { ErpAdapterShape } from "../erp/ErpAdapter.ts"
import { parseExact } from "../erp/ExactJson.ts"
import { type SourceRecord, sourceRecord } from "../erp/SourceRecord.ts"
import { SyncEngine } from "./SyncEngine.ts"
import { totalsOf } from "./SyncRun.ts"
import { signatureHeader, verify } from "./WebhookSignature.ts"

/** A source that accepts pushes. */
export interface WebhookSource {
  readonly adapter: ErpAdapterShape
  /** Any of these may have signed the push (several during a rotation). */
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
  /** How far the signature's timestamp may be from now, in seconds (default 300). */
  readonly toleranceSeconds?: number
}

/** The JSON a source pushes: one or more raw records, each as the adapter's `read` would have given it. */
export const PushBody = Schema.Struct({
  records: Schema.NonEmptyArray(
    Schema.Struct({
      entity: EntityName,
      externalId: Schema.String.check(Schema.isNonEmpty()),
      revision: Schema.optionalKey(Schema.String),
      data: Schema.Unknown
    })
  ).check(Schema.isMaxLength(1000))
})
export type PushBody = typeof PushBody.Type

/** The largest body accepted, in bytes. */
export const maxPushBytes = 5 * 1024 * 1024

// Pushed records are not read from a position: they carry this marker where a read would carry a cursor.
const pushedCursor = Schema.decodeUnknownSync(Cursor)("pushed")
const decodePushBody = Schema.decodeUnknownResult(PushBody)

/** The push in `text`, or why it is not one (not JSON, or not the shape of `PushBody`). */
const decodePush = (text: string): Result.Result<PushBody, string> =>
  Result.flatMap(parseExact(text), (json) => Result.mapError(decodePushBody(json), (error) => error.message))

const problem = (status: number, error: string, detail?: string) =>
  HttpServerResponse.jsonUnsafe(detail === undefined ? { error } : { error, detail }, { status })

const handle = (engine: SyncEngine["Service"], sources: ReadonlyMap<string, WebhookSource>) =>
  Effect.fn("WebhookRoute.handle")(function* (request: HttpServerRequest.HttpServerRequest) {
    const params = yield* HttpRouter.params
    const id = params.source ?? ""
    const source = sources.get(id)
    if (source === undefined) return problem(404, "unknown-source", `no source "${id}" accepts pushes`)
    const length = Number(request.headers["content-length"] ?? "0")
    if (length > maxPushBytes) return problem(413, "too-large", `at most ${maxPushBytes} bytes`)
    const read = yield* Effect.result(request.arrayBuffer)
    if (read._tag === "Failure") return problem(400, "unreadable-body", read.failure.message)
    const body = new Uint8Array(read.success)
    if (body.byteLength > maxPushBytes) return problem(413, "too-large", `at most ${maxPushBytes} bytes`)
    const nowSeconds = Math.floor((yield* Clock.currentTimeMillis) / 1000)
    const verified = verify({
      header: request.headers[signatureHeader],
      body,
      secrets: source.secrets,
      nowSeconds,
      ...(source.toleranceSeconds === undefined ? {} : { toleranceSeconds: source.toleranceSeconds })
    })
    if (verified._tag === "Failure") return problem(401, verified.failure.reason)
    const push = decodePush(new TextDecoder().decode(body))
    if (push._tag === "Failure") return problem(400, "bad-body", push.failure)
    const records: Array<SourceRecord> = push.success.records.map((record) =>
      sourceRecord({
        entity: record.entity,
        externalId: record.externalId,
        ...(record.revision === undefined ? {} : { revision: record.revision }),
        data: record.data,
        cursor: pushedCursor
      })
    )
    return yield* engine.push(source.adapter, records).pipe(
      Effect.map((run) =>
        HttpServerResponse.jsonUnsafe({
          runId: run.runId,
          ...totalsOf(run),
          quarantined: run.quarantined
        })
      ),
      Effect.catchTag("SyncFailed", (failed) => Effect.succeed(problem(503, "not-written", failed.detail)))
    )
  })

/**
 * A layer adding `POST {path}` (default `/webhooks/sync/:source`) to the HttpRouter for `sources` (by source
 * id). Answers 200 with the counts (quarantined records listed), 401 when the signature is missing, wrong or
 * stale, 400 for a body that is not a push, 404 for an unknown source, 413 for a body over 5 MB, 503 when the
 * store could not write.
 */
export const webhookRoute = (
  sources: ReadonlyMap<string, WebhookSource>,
  options: { readonly path?: `/${string}` } = {}
): Layer.Layer<never, never, HttpRouter.HttpRouter | SyncEngine> =>
  HttpRouter.use((router) =>
    Effect.gen(function* () {
      const engine = yield* SyncEngine
      yield* router.add("POST", options.path ?? "/webhooks/sync/:source", handle(engine, sources))
    })
  )
