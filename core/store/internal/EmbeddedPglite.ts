// Starts PGlite (Postgres in WASM) behind a pglite-socket server on a private unix socket, so the embedded
// store is reached through the very same wire-protocol client, SQL, migrations and policies as a server.
import { randomUUID } from "node:crypto"
import { rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PGlite } from "@electric-sql/pglite"
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm"
import { PGLiteSocketServer } from "@electric-sql/pglite-socket"
import { Effect, Schema, type Scope } from "effect"

/** Starting the embedded database failed (a bad data directory, a socket that cannot be created). */
export class EmbeddedStartError extends Schema.TaggedError<EmbeddedStartError>()("EmbeddedStartError", {
  dataDir: Schema.String,
  cause: Schema.Defect()
}) {
  override get message(): string {
    return `could not start the embedded PGlite store at ${this.dataDir}`
  }
}

/** A running embedded database: the socket path to connect to. */
export interface EmbeddedPglite {
  readonly socketPath: string
}

/**
 * Opens PGlite on `dataDir` (or in memory) and serves it on a fresh unix socket until the scope closes.
 * PGlite is single-connection: the socket server accepts one client connection, and the client pool must
 * use exactly one, so a transaction never shares the backend with another caller's statements.
 */
export const start = (dataDir: string | undefined): Effect.Effect<EmbeddedPglite, EmbeddedStartError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const db = await PGlite.create({ ...(dataDir === undefined ? {} : { dataDir }), extensions: { pg_trgm } })
        const socketPath = join(tmpdir(), `portico-pglite-${randomUUID()}.sock`)
        const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 1 })
        await server.start().catch(async (error: unknown) => {
          await db.close()
          throw error
        })
        return { db, server, socketPath }
      },
      catch: (cause) => new EmbeddedStartError({ dataDir: dataDir ?? "memory", cause })
    }),
    ({ db, server, socketPath }) =>
      Effect.promise(async () => {
        await server.stop()
        await db.close()
        await rm(socketPath, { force: true })
      })
  ).pipe(Effect.map(({ socketPath }) => ({ socketPath })))
