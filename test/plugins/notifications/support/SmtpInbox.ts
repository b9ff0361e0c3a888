// A real SMTP server on 127.0.0.1 for the notification tests: it listens on a random port, keeps every
// message it accepts, hands them out in arrival order, and can be switched to answer 421 (service not
// available) to every connection, the way a mail server that is down for maintenance does.
import { Context, Effect, Layer, Queue } from "effect"
import { SMTPServer } from "smtp-server"

/** A message the server accepted: its recipients, raw source, and the decoded subject and body text. */
export interface ReceivedMail {
  readonly to: ReadonlyArray<string>
  readonly raw: string
  readonly subject: string
  /** The raw source with quoted-printable soft breaks and escapes decoded: what a reader would see. */
  readonly decoded: string
}

/** Decodes quoted-printable text (soft line breaks and =XX escapes) well enough to search it. */
const decodeQuotedPrintable = (text: string): string =>
  Buffer.from(
    text
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
    "latin1"
  ).toString("utf8")

/** The subject header, with RFC 2047 encoded words (=?UTF-8?Q?...?= and =?UTF-8?B?...?=) decoded. */
const subjectOf = (raw: string): string => {
  const match = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)
  const header = (match?.[1] ?? "").replace(/\r?\n[ \t]/g, " ")
  return header.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s?/gi, (_, kind: string, body: string) =>
    kind.toUpperCase() === "B"
      ? Buffer.from(body, "base64").toString("utf8")
      : decodeQuotedPrintable(body.replace(/_/g, " "))
  )
}

/** The SMTP server of a test. */
export class SmtpInbox extends Context.Service<
  SmtpInbox,
  {
    readonly port: number
    /** The next message accepted (waits for it). */
    readonly next: Effect.Effect<ReceivedMail>
    /** Every message accepted so far. */
    readonly all: Effect.Effect<ReadonlyArray<ReceivedMail>>
    /** false: every connection is answered 421 until switched back. */
    readonly setAccepting: (accepting: boolean) => Effect.Effect<void>
  }
>()("test/plugins/notifications/SmtpInbox") {
  static readonly layer = Layer.effect(
    SmtpInbox,
    Effect.gen(function* () {
      const arrivals = yield* Queue.unbounded<ReceivedMail>()
      const received: Array<ReceivedMail> = []
      let accepting = true
      const server = new SMTPServer({
        authOptional: true,
        disabledCommands: ["STARTTLS"],
        logger: false,
        onConnect(_session, callback) {
          if (accepting) return callback()
          callback(Object.assign(new Error("Service not available, try again later"), { responseCode: 421 }))
        },
        onData(stream, session, callback) {
          const chunks: Array<Buffer> = []
          stream.on("data", (chunk: Buffer) => chunks.push(chunk))
          stream.on("end", () => {
            const raw = Buffer.concat(chunks).toString("utf8")
            const mail: ReceivedMail = {
              to: session.envelope.rcptTo.map((address) => address.address),
              raw,
              subject: subjectOf(raw),
              decoded: decodeQuotedPrintable(raw)
            }
            received.push(mail)
            Queue.offerUnsafe(arrivals, mail)
            callback()
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
      return SmtpInbox.of({
        port,
        next: Queue.take(arrivals),
        all: Effect.sync(() => [...received]),
        setAccepting: (value) =>
          Effect.sync(() => {
            accepting = value
          })
      })
    })
  )
}
