// The scoped transaction every store query runs in: it switches to the principal's database role and writes
// the principal's scope into transaction-local settings that the row-level security policies read.
import { Context, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { CurrentPrincipal, type Principal, scopeOf } from "../access/Principal.ts"
import { invoiceLinkRole, portalRole, systemRole } from "./migrations/0002_row_level_security.ts"

/** The transaction settings derived from a principal: what RLS sees. */
export interface DatabaseScope {
  readonly role: typeof portalRole | typeof invoiceLinkRole | typeof systemRole
  /** The accounts the principal may read (empty for the system role, whose policies do not look). */
  readonly accountIds: ReadonlyArray<string>
  readonly contactId: string | null
  readonly invoiceId: string | null
}

/**
 * The settings for a principal: contacts and account links get the portal role, one-invoice links the
 * invoice-link role, each with their scope; jobs get the system role.
 */
export const databaseScope = (principal: Principal): DatabaseScope => {
  const scope = scopeOf(principal)
  if (scope === "system") return { role: systemRole, accountIds: [], contactId: null, invoiceId: null }
  return {
    role: scope.invoiceId === undefined ? portalRole : invoiceLinkRole,
    accountIds: scope.accountIds,
    contactId: principal._tag === "ContactPrincipal" ? principal.contactId : null,
    invoiceId: scope.invoiceId ?? null
  }
}

const sameScope = (a: DatabaseScope, b: DatabaseScope): boolean =>
  a.role === b.role &&
  a.contactId === b.contactId &&
  a.invoiceId === b.invoiceId &&
  a.accountIds.length === b.accountIds.length &&
  a.accountIds.every((id, index) => b.accountIds[index] === id)

/**
 * Writes a scope into the open transaction: the role and the `portico.*` settings the policies read, all
 * transaction-local. `Store.withScope` uses it; a benchmark's no-RLS baseline can pass `role: "none"` (back
 * to the session user) to run the very same statement shape without row-level security.
 */
export const applyScope = (
  sql: SqlClient.SqlClient,
  scope: DatabaseScope,
  options: { readonly role?: string; readonly customPlans?: boolean } = {}
): Effect.Effect<void, SqlError> =>
  // plan_cache_mode: prepared statements would otherwise switch to a generic plan after a few runs, one
  // that cannot see which account a parameter names; with one customer holding a large share of the
  // invoices, that plan sorts all of them. A custom plan per execution costs a fraction of a millisecond.
  Effect.asVoid(
    sql`select set_config('role', ${options.role ?? scope.role}, true),
      set_config('portico.account_ids', ${JSON.stringify(scope.accountIds)}, true),
      set_config('portico.contact_id', ${scope.contactId ?? ""}, true),
      set_config('portico.invoice_id', ${scope.invoiceId ?? ""}, true),
      set_config('plan_cache_mode', ${options.customPlans === false ? "auto" : "force_custom_plan"}, true)`
  )

/**
 * Whether transactions opened by `Store.withScope` force a custom plan per execution (true, the default: see
 * `applyScope`). Batch writers set it to false for their transactions: the setting also re-plans the check
 * PostgreSQL runs for every foreign key of every inserted row, which took a third of a sync batch's time.
 */
export const CustomPlans = Context.Reference<boolean>("portico/core/store/CustomPlans", { defaultValue: () => true })

/** The scope of the transaction the current fiber runs in, if any (to restore it after a nested scope). */
const ActiveScope = Context.Reference<DatabaseScope | undefined>("portico/core/store/ActiveScope", {
  defaultValue: () => undefined
})

/**
 * Whether repositories add their own scope conditions to queries ("service+database", the default) or
 * leave isolation to row-level security alone ("database-only"). Tests switch it off to prove the
 * database holds the line by itself; production never should.
 */
export const ScopeEnforcement = Context.Reference<"service+database" | "database-only">(
  "portico/core/store/ScopeEnforcement",
  { defaultValue: () => "service+database" }
)

/** Opens principal-scoped transactions. */
export class Store extends Context.Service<
  Store,
  {
    /**
     * Runs `effect` in a transaction as the current principal: `SET LOCAL ROLE` to the portal role (the
     * invoice-link role for a one-invoice link, the system role for a SystemPrincipal) and the scope in `portico.account_ids`, `portico.contact_id`,
     * `portico.invoice_id`. Nested calls join the open transaction; a nested call with another principal
     * gets its own scope for its duration and the outer scope back afterwards.
     */
    readonly withScope: <A, E, R>(
      effect: Effect.Effect<A, E, R>
    ) => Effect.Effect<A, E | SqlError, R | CurrentPrincipal>
  }
>()("portico/core/store/Store") {
  /** The Store over the SqlClient of `Database.layer`. */
  static readonly layer = Layer.effect(
    Store,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const apply = (scope: DatabaseScope) =>
        Effect.gen(function* () {
          return yield* applyScope(sql, scope, { customPlans: yield* CustomPlans })
        })
      const withScope = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        Effect.gen(function* () {
          const scope = databaseScope(yield* CurrentPrincipal)
          const outer = yield* ActiveScope
          if (outer !== undefined && sameScope(outer, scope)) return yield* effect
          const scoped = Effect.andThen(apply(scope), effect).pipe(Effect.provideService(ActiveScope, scope))
          if (outer === undefined) return yield* sql.withTransaction(scoped)
          // SET LOCAL outlives a released savepoint, so once the nested savepoint is released (or rolled
          // back) the outer scope is written again, in the still-open outer transaction.
          return yield* Effect.ensuring(sql.withTransaction(scoped), Effect.orDie(apply(outer)))
        })
      return Store.of({ withScope })
    })
  )
}

/** The conditions a repository adds itself: the principal's accounts (and invoice, for a one-invoice link). */
export interface ServiceScope {
  readonly accountIds: ReadonlyArray<string>
  readonly invoiceId: string | null
}

/**
 * The scope repositories add to their own WHERE clauses, or undefined when they add none: for the system,
 * or when `ScopeEnforcement` is "database-only" (then row-level security alone isolates).
 */
export const serviceScope: Effect.Effect<ServiceScope | undefined, never, CurrentPrincipal> = Effect.gen(function* () {
  const enforcement = yield* ScopeEnforcement
  const scope = databaseScope(yield* CurrentPrincipal)
  if (enforcement === "database-only" || scope.role === systemRole) return undefined
  return { accountIds: scope.accountIds, invoiceId: scope.invoiceId }
})
