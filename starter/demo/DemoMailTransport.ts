// The demo's route for the notifications plugin's e-mail: into the demo mailbox (`/dev/mail`) beside the
// sign-in mail, so `npm start` shows notifications without an SMTP server. Composed in demo mode only.
import { Effect, Layer } from "effect"
import { EmailTransport } from "../../plugins/notifications/EmailTransport.ts"
import { DevMailbox } from "../auth/Mailer.ts"

/** An EmailTransport that delivers into the demo mailbox. */
export const demoEmailTransport: Layer.Layer<EmailTransport, never, DevMailbox> = Layer.effect(
  EmailTransport,
  Effect.map(Effect.service(DevMailbox), (mailbox) =>
    EmailTransport.of({
      // A plain-text message (the contact asked for one) has no HTML part; the mailbox page shows the text.
      send: (email) =>
        mailbox.deliver({ to: email.to, subject: email.subject, text: email.text, html: email.html ?? "" })
    })
  )
)
