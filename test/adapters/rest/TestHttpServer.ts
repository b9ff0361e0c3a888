// A real node:http server on 127.0.0.1 (random port) for wire-format fakes: it records every request and
// answers through a plain handler, so the ERP fakes speak HTTP for real instead of mocking fetch.
import * as Http from "node:http"
import { Deferred, Effect, type Scope } from "effect"

/** A request as the server saw it. */
export interface RecordedRequest {
  readonly method: string
  /** The path without the query string, percent-decoded. */
  readonly path: string
  readonly query: URLSearchParams
  /** The raw request target (path and query) as sent. */
  readonly target: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

/** What the handler answers. `hang: true` never answers (the client must time out). */
export interface Reply {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array
  readonly hang?: boolean
}

/** A running server. */
export interface TestHttpServer {
  /** `http://127.0.0.1:{port}` */
  readonly origin: string
  /** Every request received so far, in order. */
  readonly requests: () => ReadonlyArray<RecordedRequest>
  /** Succeeds once the server has received at least `count` requests (a wait on a receipt, not a sleep). */
  readonly awaitRequests: (count: number) => Effect.Effect<ReadonlyArray<RecordedRequest>>
}

/** A JSON reply with the given status. */
export const json = (status: number, body: string, headers: Readonly<Record<string, string>> = {}): Reply => ({
  status,
  headers: { "content-type": "application/json; charset=utf-8", ...headers },
  body
})

/** Starts a server for the life of the scope; open (hanging) connections are destroyed on close. */
export const listen = (
  handler: (request: RecordedRequest) => Reply
): Effect.Effect<TestHttpServer, never, Scope.Scope> =>
  Effect.gen(function* () {
    const recorded: Array<RecordedRequest> = []
    const waiters: Array<{ count: number; done: Deferred.Deferred<ReadonlyArray<RecordedRequest>> }> = []
    const notify = () => {
      for (const waiter of waiters.filter((w) => recorded.length >= w.count)) {
        Deferred.doneUnsafe(waiter.done, Effect.succeed([...recorded]))
        waiters.splice(waiters.indexOf(waiter), 1)
      }
    }
    const server = Http.createServer((req, res) => {
      const chunks: Array<Buffer> = []
      req.on("data", (chunk: Buffer) => chunks.push(chunk))
      req.on("end", () => {
        const target = req.url ?? "/"
        const url = new URL(target, "http://127.0.0.1")
        const request: RecordedRequest = {
          method: req.method ?? "GET",
          path: decodeURIComponent(url.pathname),
          query: url.searchParams,
          target,
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8")
        }
        recorded.push(request)
        const reply = handler(request)
        notify()
        if (reply.hang === true) return
        res.writeHead(reply.status, reply.headers ?? {})
        res.end(reply.body ?? "")
      })
    })
    const port = yield* Effect.acquireRelease(
      Effect.callback<number>((resume) => {
        server.listen(0, "127.0.0.1", () => {
          const address = server.address()
          resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
        })
      }),
      () =>
        Effect.callback<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    const awaitRequests = (count: number): Effect.Effect<ReadonlyArray<RecordedRequest>> =>
      Effect.suspend(() => {
        if (recorded.length >= count) return Effect.succeed([...recorded])
        const done = Deferred.makeUnsafe<ReadonlyArray<RecordedRequest>>()
        waiters.push({ count, done })
        return Deferred.await(done)
      })
    return { origin: `http://127.0.0.1:${port}`, requests: () => [...recorded], awaitRequests }
  })
