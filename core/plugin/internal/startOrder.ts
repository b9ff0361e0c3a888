// The order plugins start in: every plugin after the plugins it requires, otherwise in list order.
import { Result } from "effect"

/** Ids in start order, or the ids of a requirement cycle (first repeated at the end). */
export const startOrder = (
  manifests: ReadonlyArray<{ readonly id: string; readonly requires: { readonly plugins: ReadonlyArray<string> } }>
): Result.Result<ReadonlyArray<string>, ReadonlyArray<string>> => {
  const byId = new Map(manifests.map((m) => [m.id, m]))
  const done = new Set<string>()
  const order: Array<string> = []
  const visit = (id: string, path: ReadonlyArray<string>): ReadonlyArray<string> | undefined => {
    if (done.has(id)) return undefined
    if (path.includes(id)) return [...path.slice(path.indexOf(id)), id]
    const manifest = byId.get(id)
    if (manifest === undefined) return undefined
    for (const required of manifest.requires.plugins) {
      const cycle = visit(required, [...path, id])
      if (cycle !== undefined) return cycle
    }
    done.add(id)
    order.push(id)
    return undefined
  }
  for (const manifest of manifests) {
    const cycle = visit(manifest.id, [])
    if (cycle !== undefined) return Result.fail(cycle)
  }
  return Result.succeed(order)
}
