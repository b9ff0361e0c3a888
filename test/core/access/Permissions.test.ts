// Properties of the access rules: the role table is the whole truth, accounts without a link are unreachable,
// and a link to one invoice reaches only that invoice.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import fc from "fast-check"
import {
  Feature,
  FeatureDisabled,
  FeatureGates,
  FeatureGatesConfig,
  isEnabled,
  requireFeature
} from "../../../core/access/FeatureGates.ts"
import { allPermissions, type Permission } from "../../../core/access/Permission.ts"
import {
  authorize,
  can,
  PermissionDenied,
  requirePermission,
  roleGrants,
  rolePermissions
} from "../../../core/access/Permissions.ts"
import { CurrentPrincipal, type Principal, scopeOf } from "../../../core/access/Principal.ts"
import { Tier } from "../../../core/domain/Account.ts"
import type { ContactRole } from "../../../core/domain/Contact.ts"
import { AccountId, ContactId, InvoiceId } from "../../../core/domain/Ids.ts"

const roles: ReadonlyArray<ContactRole> = ["admin", "finance-approver", "ap-contact", "viewer"]
const accountIds = fc.constantFrom(..."abcdefgh".split("").map((c) => AccountId.make(`acc-${c}`)))
const invoiceIds = fc.constantFrom(...["i1", "i2", "i3", "i4"].map((i) => InvoiceId.make(i)))
const permission = fc.constantFrom(...allPermissions)
const role = fc.constantFrom(...roles)
const link = fc.record({ accountId: accountIds, role })
const contact = fc.record({
  _tag: fc.constant("ContactPrincipal" as const),
  contactId: fc.constant(ContactId.make("c-1")),
  links: fc.array(link, { maxLength: 5 }),
  activeAccountId: accountIds
})
const linkPrincipal = fc.record(
  {
    _tag: fc.constant("LinkPrincipal" as const),
    linkId: fc.constant("l-1"),
    accountId: accountIds,
    invoiceId: invoiceIds,
    permissions: fc.subarray([...allPermissions])
  },
  { requiredKeys: ["_tag", "linkId", "accountId", "permissions"] }
)
const principal: fc.Arbitrary<Principal> = fc.oneof(contact, linkPrincipal)

describe("rolePermissions", () => {
  it("is the table in the design: admin all, then narrowing down to viewer", () => {
    expect(rolePermissions.admin).toEqual(allPermissions)
    expect([...rolePermissions["finance-approver"]].sort()).toEqual(
      ["download", "pay", "view-invoices", "view-statements"].sort()
    )
    expect([...rolePermissions["ap-contact"]].sort()).toEqual(["download", "view-invoices", "view-statements"].sort())
    expect(rolePermissions.viewer).toEqual(["view-invoices"])
  })

  it("no role gains a permission outside its row, whatever the contact's links", () => {
    fc.assert(
      fc.property(contact, permission, accountIds, (p, perm, account) => {
        const granted = can(p, perm, account)
        const expected = p.links.some((l) => l.accountId === account && rolePermissions[l.role].includes(perm))
        expect(granted).toBe(expected)
        // one link alone grants exactly its role's row
        for (const l of p.links) {
          const single: Principal = { ...p, links: [l] }
          expect(can(single, perm, l.accountId)).toBe(roleGrants(l.role, perm))
        }
      })
    )
  })
})

describe("can", () => {
  it("never passes for an account the principal has no link to", () => {
    fc.assert(
      fc.property(principal, permission, accountIds, fc.option(invoiceIds, { nil: undefined }), (p, perm, acc, inv) => {
        const scope = scopeOf(p)
        if (scope !== "system" && !scope.accountIds.includes(acc)) {
          expect(can(p, perm, acc, inv)).toBe(false)
        }
      })
    )
  })

  it("a one-invoice link never grants another invoice, nor the account as a whole", () => {
    fc.assert(
      fc.property(linkPrincipal, permission, invoiceIds, (p, perm, other) => {
        fc.pre(p.invoiceId !== undefined && other !== p.invoiceId)
        expect(can(p, perm, p.accountId, other)).toBe(false)
        expect(can(p, perm, p.accountId)).toBe(false)
        expect(can(p, perm, p.accountId, p.invoiceId)).toBe(perm !== "manage-contacts" && p.permissions.includes(perm))
      })
    )
  })

  it("a link grants only the permissions it carries, and never manage-contacts", () => {
    fc.assert(
      fc.property(linkPrincipal, permission, (p, perm) => {
        expect(can(p, perm, p.accountId, p.invoiceId)).toBe(perm !== "manage-contacts" && p.permissions.includes(perm))
      })
    )
  })

  it("the system may do everything", () => {
    for (const perm of allPermissions) {
      expect(can({ _tag: "SystemPrincipal", reason: "test" }, perm, AccountId.make("acc-a"))).toBe(true)
    }
  })
})

describe("authorize", () => {
  const viewer: Principal = {
    _tag: "ContactPrincipal",
    contactId: ContactId.make("c-1"),
    links: [{ accountId: AccountId.make("acc-a"), role: "viewer" }],
    activeAccountId: AccountId.make("acc-a")
  }

  it.effect("fails with PermissionDenied naming the permission and the account", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(authorize(viewer, "pay", AccountId.make("acc-a")))
      expect(error).toBeInstanceOf(PermissionDenied)
      expect(error.permission).toBe("pay")
      expect(error.accountId).toBe("acc-a")
      expect(error.principal).toBe("ContactPrincipal")
      expect(error.message).toBe("ContactPrincipal may not pay on account acc-a")
    })
  )

  it.effect("requirePermission reads the current principal", () =>
    Effect.gen(function* () {
      yield* requirePermission("view-invoices", AccountId.make("acc-a"))
      const denied = yield* Effect.flip(requirePermission("download" satisfies Permission, AccountId.make("acc-a")))
      expect(denied._tag).toBe("PermissionDenied")
    }).pipe(Effect.provideService(CurrentPrincipal, viewer))
  )
})

describe("FeatureGates", () => {
  const config = Schema.decodeUnknownSync(FeatureGatesConfig)({
    default: ["statements"],
    tiers: { premium: ["statements", "payments", "bulk-export"], basic: [] }
  })
  const tier = (t: string) => Schema.decodeUnknownSync(Tier)(t)

  it("a named tier replaces the default; an unnamed tier gets the default", () => {
    expect(isEnabled(config, tier("premium"), "payments")).toBe(true)
    expect(isEnabled(config, tier("basic"), "statements")).toBe(false)
    expect(isEnabled(config, tier("standard"), "statements")).toBe(true)
    expect(isEnabled(config, tier("standard"), "payments")).toBe(false)
  })

  it("rejects an unknown feature name in the configuration", () => {
    expect(() => Schema.decodeUnknownSync(FeatureGatesConfig)({ default: ["payment"], tiers: {} })).toThrow()
  })

  it("isEnabled is exactly membership in the tier's list", () => {
    fc.assert(
      fc.property(
        fc.subarray([...Feature.literals]),
        fc.subarray([...Feature.literals]),
        fc.constantFrom(...Feature.literals),
        fc.boolean(),
        (deflt, listed, feature, named) => {
          const t = tier("gold")
          const c: FeatureGatesConfig = { default: deflt, tiers: named ? { [t]: listed } : {} }
          expect(isEnabled(c, t, feature)).toBe((named ? listed : deflt).includes(feature))
        }
      )
    )
  })

  it.effect("requireFeature fails with FeatureDisabled", () =>
    Effect.gen(function* () {
      yield* requireFeature(tier("premium"), "payments")
      const error = yield* Effect.flip(requireFeature(tier("basic"), "statements"))
      expect(error).toBeInstanceOf(FeatureDisabled)
      expect(error.message).toBe('the feature "statements" is not enabled for tier "basic"')
    }).pipe(Effect.provide(FeatureGates.layer(config)))
  )

  it.effect("layerAllEnabled enables everything", () =>
    Effect.gen(function* () {
      for (const feature of Feature.literals) yield* requireFeature(tier("any"), feature)
    }).pipe(Effect.provide(FeatureGates.layerAllEnabled))
  )
})
