// Copies the files that compiled code reads at run time (HTML templates, stylesheets, scripts, demo CSV) from
// the source folders of the build into `dist/`, at the same paths: `tsc` emits only JavaScript, and the
// modules find these files relative to their own `import.meta.dirname`.
//
//   node scripts/copy-assets.ts [--out dist] [--list]
//
// The folders are the `include` of tsconfig.build.json; every file in them that is not TypeScript is copied.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"

/** Files that are compiled, not copied. */
const compiled = /\.(ts|mts|cts|tsx)$/

/** Folders never copied from (dependencies, build output, version control). */
const skipped: ReadonlySet<string> = new Set(["node_modules", "dist", ".git"])

/** The source folders of the build: the `include` of tsconfig.build.json, those that exist. */
export const buildFolders = (root: string): ReadonlyArray<string> => {
  const config: unknown = JSON.parse(readFileSync(join(root, "tsconfig.build.json"), "utf8"))
  const include = typeof config === "object" && config !== null ? Reflect.get(config, "include") : undefined
  if (!Array.isArray(include)) throw new Error("tsconfig.build.json has no include list")
  return include
    .filter((entry): entry is string => typeof entry === "string" && !/[*?]/.test(entry))
    .filter((folder) => existsSync(join(root, folder)))
}

const filesUnder = (folder: string): ReadonlyArray<string> =>
  readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    if (skipped.has(entry.name)) return []
    const path = join(entry.parentPath, entry.name)
    if (entry.isDirectory()) return filesUnder(path)
    return entry.isFile() && !compiled.test(entry.name) ? [path] : []
  })

/** The runtime assets of the build, as paths relative to `root`, sorted. */
export const runtimeAssets = (root: string): ReadonlyArray<string> =>
  buildFolders(root)
    .flatMap((folder) => filesUnder(join(root, folder)))
    .map((path) => relative(root, path))
    .sort()

/** Copies every runtime asset from `root` to the same path under `outDir`; returns the copied paths. */
export const copyAssets = (root: string, outDir: string): ReadonlyArray<string> => {
  const assets = runtimeAssets(root)
  for (const asset of assets) {
    const target = join(outDir, asset)
    mkdirSync(dirname(target), { recursive: true })
    copyFileSync(join(root, asset), target)
  }
  return assets
}

if (import.meta.main) {
  const args = process.argv.slice(2)
  const root = join(import.meta.dirname, "..")
  const outAt = args.indexOf("--out")
  const outDir = resolve(root, outAt === -1 ? "dist" : (args[outAt + 1] ?? "dist"))
  if (args.includes("--list")) {
    for (const asset of runtimeAssets(root)) process.stdout.write(`${asset}\n`)
  } else {
    const copied = copyAssets(root, outDir)
    process.stdout.write(`copy-assets: ${copied.length} files into ${relative(root, outDir) || "."}\n`)
  }
}
