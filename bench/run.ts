// `npm run bench [-- <suite> ...]`: runs the named benchmark suites (all when none is named). Each suite
// prints `BENCH <suite> <metric>=<value>` lines and measures its own baseline in the same run.
type Suite = (args: ReadonlyArray<string>) => Promise<void>

const suites: Record<string, () => Promise<Suite>> = {
  store: async () => (await import("./store.ts")).runStoreBench,
  render: async () => (await import("./render.ts")).runRenderBench,
  ingest: async () => (await import("./ingest.ts")).runIngestBench,
  http: async () => (await import("./http.ts")).runHttpBench
}

const [first, ...rest] = process.argv.slice(2)
const names = first === undefined || first.startsWith("-") ? Object.keys(suites) : [first]
const args = first === undefined || first.startsWith("-") ? process.argv.slice(2) : rest

for (const name of names) {
  const load = suites[name]
  if (load === undefined) {
    process.stderr.write(`unknown benchmark suite "${name}"; known: ${Object.keys(suites).join(", ")}\n`)
    process.exit(2)
  }
  process.stdout.write(`== bench ${name}\n`)
  const run = await load()
  await run(args)
}
