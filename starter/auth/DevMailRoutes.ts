// `/dev/mail`: the demo's local mailbox, listing the sign-in mail the demo portal sent. Only composed in
// demo mode (main.ts adds this layer only when `demo` is on), so production has no such page.
import { Effect } from "effect"
import { HttpRouter } from "effect/http"
import { Branding } from "../server/Branding.ts"
import { DevMailbox } from "./Mailer.ts"
import { paths } from "./Paths.ts"
import { devMailPage } from "./SignInPages.ts"

/** The demo mailbox page. */
export const DevMailRoutes = HttpRouter.use((router) =>
  Effect.gen(function* () {
    const mailbox = yield* DevMailbox
    const branding = yield* Branding
    yield* router.add(
      "GET",
      paths.devMail,
      Effect.map(mailbox.messages, (messages) => devMailPage(branding, messages))
    )
  })
)
