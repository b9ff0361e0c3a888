// A real SMTP server on 127.0.0.1 for the starter's plugin tests: it keeps every message it accepts and hands
// them out in arrival order; `holdNext` makes it sit on the next message (after reading it, before answering)
// until released, so a test can stop a portal while a delivery job is in flight.
import { Context, Deferred, Effect, Layer, Queue } from "effect"
import { SMTPServer } from "smtp-server"

/** A message the server accepted: recipients, subject and the body with quoted-printable undone. */
export interface Mail {
  readonly to: ReadonlyArray<string>
  readonly subject: string
  readonly text: string
}

/** A held delivery: `arrived` completes when the message is in, `release` lets the server answer it. */
export interface Hold {
  readonly arrived: Deferred.Deferred<void>
  readonly release: Effect.Effect<void>
}

interface Pending {
  readonly arrived: Deferred.Deferred<void>
  readonly released: Promise<void>
}

const unQuote = (text: string): string =>
  Buffer.from(
    text
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
    "latin1"
  ).toString("utf8")

const subjectOf = (raw: string): string => {
  const header = (/^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? "").replace(/\r?\n[ \t]/g, " ")
  return header.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s?/gi, (_, kind: string, body: string) =>
    kind.toUpperCase() === "B" ? Buffer.from(body, "base64").toString("utf8") : unQuote(body.replace(/_/g, " "))
  )
}

/** The test's SMTP server. */
export class GatedSmtp extends Context.Service<
  GatedSmtp,
  {
    readonly port: number
    /** The next message accepted (waits for it). */
    readonly next: Effect.Effect<Mail>
    /** Every message accepted so far. */
    readonly all: Effect.Effect<ReadonlyArray<Mail>>
    /** Holds the next message that arrives until `release` completes. */
    readonly holdNext: Effect.Effect<Hold>
  }
>()("test/starter/plugins/GatedSmtp") {
  static readonly layer = Layer.effect(
    GatedSmtp,
    Effect.gen(function* () {
      const arrivals = yield* Queue.unbounded<Mail>()
      const received: Array<Mail> = []
      let hold: Pending | undefined
      const server = new SMTPServer({
        authOptional: true,
        disabledCommands: ["STARTTLS"],
        logger: false,
        onData(stream, session, callback) {
          const chunks: Array<Buffer> = []
          stream.on("data", (chunk: Buffer) => chunks.push(chunk))
          stream.on("end", () => {
            const raw = Buffer.concat(chunks).toString("utf8")
            const mail: Mail = {
              to: session.envelope.rcptTo.map((address) => address.address),
              subject: subjectOf(raw),
              text: unQuote(raw)
            }
            const accept = () => {
              received.push(mail)
              Queue.offerUnsafe(arrivals, mail)
              callback()
            }
            const held = hold
            hold = undefined
            if (held === undefined) return accept()
            Deferred.doneUnsafe(held.arrived, Effect.void)
            void held.released.then(accept)
          })
        }
      })
      const port = yield* Effect.acquireRelease(
        Effect.callback<number>((resume) => {
          server.listen(0, "127.0.0.1", () => {
            const address = server.server.address()
            resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
          })
        }),
        () => Effect.callback<void>((resume) => server.close(() => resume(Effect.void)))
      )
      return GatedSmtp.of({
        port,
        next: Queue.take(arrivals),
        all: Effect.sync(() => [...received]),
        holdNext: Effect.gen(function* () {
          const arrived = yield* Deferred.make<void>()
          const { promise, resolve } = Promise.withResolvers<void>()
          hold = { arrived, released: promise }
          return { arrived, release: Effect.sync(() => resolve()) }
        })
      })
    })
  )
}
