// How e-mail leaves: a port with one implementation, SMTP through nodemailer. The outbox's delivery job is
// its only caller, so a failure here becomes a retry with back-off and, in the end, a dead letter.
import { Context, Effect, Layer, Redacted, Schema } from "effect"
import nodemailer from "nodemailer"

/** One message, ready to send. `messageId` is stable per outbox row, so a re-send can be recognised. */
export interface Email {
  readonly to: string
  readonly subject: string
  readonly text: string
  /** Absent: a plain-text message (the contact asked for plain text). */
  readonly html?: string
  readonly messageId: string
}

/** The mail server did not take the message. */
export class EmailFailed extends Schema.TaggedError<EmailFailed>()("EmailFailed", { detail: Schema.String }) {
  override get message(): string {
    return `e-mail not accepted: ${this.detail}`
  }
}

/** Sends e-mail. */
export class EmailTransport extends Context.Service<
  EmailTransport,
  { readonly send: (email: Email) => Effect.Effect<void, EmailFailed> }
>()("portico/plugins/notifications/EmailTransport") {
  /** SMTP through nodemailer; the transport (and its pooled connections) closes with the layer. */
  static readonly smtp = (options: {
    readonly url: Redacted.Redacted<string>
    readonly from: string
  }): Layer.Layer<EmailTransport> =>
    Layer.effect(
      EmailTransport,
      Effect.map(
        Effect.acquireRelease(
          Effect.sync(() => nodemailer.createTransport(Redacted.value(options.url))),
          (transport) => Effect.sync(() => transport.close())
        ),
        (transport) =>
          EmailTransport.of({
            send: (email) =>
              Effect.tryPromise({
                try: () =>
                  transport.sendMail({
                    from: options.from,
                    to: email.to,
                    subject: email.subject,
                    text: email.text,
                    ...(email.html === undefined ? {} : { html: email.html }),
                    messageId: email.messageId
                  }),
                catch: (error) => new EmailFailed({ detail: error instanceof Error ? error.message : String(error) })
              }).pipe(Effect.asVoid)
          })
      )
    )
}
