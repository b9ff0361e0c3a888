// Where a plugin composition learns an account's tier, to switch plugins per account: a port with the store's
// implementation (accounts read as the system), and a fixed table for tests and hosts that keep tiers elsewhere.
import { Context, Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { CurrentPrincipal, system } from "../access/Principal.ts"
import type { Tier } from "../domain/Account.ts"
import { Store } from "../store/Store.ts"

/** Reads accounts' tiers. */
export class AccountTiers extends Context.Service<
  AccountTiers,
  {
    /** The account's tier; none for an account the store does not hold. */
    readonly tierOf: (accountId: string) => Effect.Effect<Option.Option<Tier>, SqlError>
  }
>()("portico/core/plugin/AccountTiers") {
  /** The tiers the store holds (`portico.accounts`), read in a system-scoped transaction. */
  static readonly fromStore = (sql: SqlClient.SqlClient, store: Store["Service"]): AccountTiers["Service"] =>
    AccountTiers.of({
      tierOf: (accountId) =>
        store.withScope(sql<{ readonly tier: Tier }>`select tier from portico.accounts where id = ${accountId}`).pipe(
          Effect.map((rows) => Option.fromNullishOr(rows[0]?.tier)),
          Effect.provideService(CurrentPrincipal, system("plugin tier switch")),
          Effect.withSpan("AccountTiers.tierOf")
        )
    })

  /** The store's tiers, over the store's services. */
  static readonly layer: Layer.Layer<AccountTiers, never, SqlClient.SqlClient | Store> = Layer.effect(
    AccountTiers,
    Effect.gen(function* () {
      return AccountTiers.fromStore(yield* SqlClient.SqlClient, yield* Store)
    })
  )

  /** A fixed table of tiers by account id (accounts not in it are unknown). */
  static readonly fixed = (tiers: Readonly<Record<string, Tier>>): Layer.Layer<AccountTiers> =>
    Layer.succeed(
      AccountTiers,
      AccountTiers.of({
        tierOf: (accountId) =>
          Effect.succeed(Object.hasOwn(tiers, accountId) ? Option.fromNullishOr(tiers[accountId]) : Option.none())
      })
    )
}
