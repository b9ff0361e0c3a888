// Sending sign-in mail: a port with three implementations: SMTP through nodemailer, a local mailbox for the
// demo (listed on `/dev/mail`, never in production), and none (e-mail sign-in is then switched off).
import { randomUUID } from "node:crypto"
import { Clock, Context, Effect, Layer, PubSub, Redacted, Ref, Schema } from "effect"
import nodemailer from "nodemailer"

/** A message to send. */
export interface OutgoingMail {
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly html: string
}

/** A message the demo mailbox received. */
export interface SentMail extends OutgoingMail {
  readonly id: string
  readonly sentAt: Date
}

/** The message could not be handed to the mail server. */
export class MailFailed extends Schema.TaggedError<MailFailed>()("MailFailed", { detail: Schema.String }) {}

/** Sends mail. `available` is false when no mail route is configured (e-mail sign-in is hidden). */
export class Mailer extends Context.Service<
  Mailer,
  {
    readonly available: boolean
    readonly send: (mail: OutgoingMail) => Effect.Effect<void, MailFailed>
  }
>()("portico/starter/Mailer") {
  /**
   * SMTP through nodemailer: `url` such as `smtps://user:pass@mail.example.com:465` (a secret: it is never
   * logged), `from` the sender address.
   */
  static readonly smtp = (options: {
    readonly url: Redacted.Redacted<string>
    readonly from: string
  }): Layer.Layer<Mailer> =>
    Layer.effect(
      Mailer,
      Effect.acquireRelease(
        Effect.sync(() => nodemailer.createTransport(Redacted.value(options.url))),
        (transport) => Effect.sync(() => transport.close())
      ).pipe(
        Effect.map((transport) =>
          Mailer.of({
            available: true,
            send: (mail) =>
              Effect.tryPromise({
                try: () =>
                  transport.sendMail({
                    from: options.from,
                    to: mail.to,
                    subject: mail.subject,
                    text: mail.text,
                    html: mail.html
                  }),
                catch: (error) => new MailFailed({ detail: error instanceof Error ? error.message : String(error) })
              }).pipe(Effect.asVoid)
          })
        )
      )
    )

  /** No mail route: e-mail sign-in is switched off (magic links and single sign-on still work). */
  static readonly none: Layer.Layer<Mailer> = Layer.succeed(
    Mailer,
    Mailer.of({
      available: false,
      send: () => Effect.fail(new MailFailed({ detail: "no mail server is configured" }))
    })
  )
}

/** The demo's local mailbox: every message sent, newest last. Served on `/dev/mail` in demo mode only. */
export class DevMailbox extends Context.Service<
  DevMailbox,
  {
    readonly messages: Effect.Effect<ReadonlyArray<SentMail>>
    /** The next message to `to` delivered after this call starts waiting (fork it before sending). */
    readonly next: (to: string) => Effect.Effect<SentMail>
    /** Puts a message in the mailbox. */
    readonly deliver: (mail: OutgoingMail) => Effect.Effect<void>
  }
>()("portico/starter/DevMailbox") {
  /** An empty mailbox. */
  static readonly layer: Layer.Layer<DevMailbox> = Layer.effect(
    DevMailbox,
    Effect.gen(function* () {
      const store = yield* Ref.make<ReadonlyArray<SentMail>>([])
      const delivered = yield* PubSub.unbounded<SentMail>()
      const deliver = (mail: OutgoingMail) =>
        Effect.gen(function* () {
          const sentAt = new Date(yield* Clock.currentTimeMillis)
          const sent: SentMail = { ...mail, id: randomUUID(), sentAt }
          yield* Ref.update(store, (all) => [...all, sent])
          yield* PubSub.publish(delivered, sent)
        })
      const next = (to: string) =>
        Effect.scoped(
          Effect.gen(function* () {
            const subscription = yield* PubSub.subscribe(delivered)
            while (true) {
              const mail = yield* PubSub.take(subscription)
              if (mail.to.toLowerCase() === to.toLowerCase()) return mail
            }
          })
        )
      return DevMailbox.of({ messages: Ref.get(store), next, deliver })
    })
  )

  /** A Mailer that delivers into the mailbox (the demo's mail route). */
  static readonly mailer: Layer.Layer<Mailer, never, DevMailbox> = Layer.effect(
    Mailer,
    Effect.map(Effect.service(DevMailbox), (mailbox) => Mailer.of({ available: true, send: mailbox.deliver }))
  )
}
