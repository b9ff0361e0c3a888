// Runs store work as the system principal: sign-in happens before anyone is a principal.
import { Effect } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import { CurrentPrincipal, system } from "../../../core/access/Principal.ts"
import type { Store } from "../../../core/store/Store.ts"

/** `store.withScope(effect)` as `system(reason)`. */
export const asSystem =
  (store: Store["Service"], reason: string) =>
  <A, E>(effect: Effect.Effect<A, E, CurrentPrincipal>): Effect.Effect<A, E | SqlError> =>
    store.withScope(effect).pipe(Effect.provideService(CurrentPrincipal, system(reason)))
