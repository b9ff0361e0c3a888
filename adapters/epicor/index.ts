// The Epicor Kinetic REST v2 adapter: manifest, config schema, constructor and layer.
export { EpicorAdapter, EpicorManifest, epicorSources, layer, makeEpicorAdapter } from "./EpicorAdapter.ts"
export * from "./EpicorConfig.ts"
