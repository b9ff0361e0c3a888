// Cursors: an adapter's resumable read position, stored by the sync engine as an opaque string and handed
// back on the next read. Each adapter defines what is inside (a page token, a byte offset, a watermark).
import { Effect, Result, Schema } from "effect"
import { ErpError, SchemaMismatch } from "./ErpError.ts"

/** An opaque, serialisable read position. Only the adapter that produced it can interpret it. */
export const Cursor = Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(4096)).pipe(Schema.brand("Cursor"))
export type Cursor = typeof Cursor.Type

/** Encodes and decodes an adapter's own cursor state as JSON inside a `Cursor`. */
export interface CursorCodec<State> {
  readonly encode: (state: State) => Cursor
  /** Fails with a `SchemaMismatch` reason when the cursor was not produced by this codec's adapter/version. */
  readonly decode: (cursor: Cursor) => Effect.Effect<State, ErpError>
}

/**
 * A codec for cursor state described by `schema`. Include a format version in the state (for example
 * `v: 1`) so a stored cursor from an older adapter release is rejected clearly rather than misread.
 */
export const cursorCodec = <S extends Schema.Codec<unknown, unknown>>(schema: S): CursorCodec<S["Type"]> => {
  const json = Schema.fromJsonString(schema)
  const encodeSync = Schema.encodeSync(json)
  const decodeResult = Schema.decodeUnknownResult(json)
  return {
    encode: (state) => encodeSync(state) as Cursor, // safe: JSON text of a non-empty state is non-empty
    decode: (cursor) =>
      Result.match(decodeResult(cursor), {
        onSuccess: Effect.succeed,
        onFailure: (error) =>
          Effect.fail(
            new ErpError({
              reason: new SchemaMismatch({
                message: `the stored cursor is not one this adapter understands (${error.message}); reset the source's cursor to re-read from the start`,
                operation: "decode cursor"
              })
            })
          )
      })
  }
}
