// The generic REST/JSON adapter: manifest, config schema, constructor and layer.

export { HttpAuth } from "../internal-http/Auth.ts"
export { layer, makeRestAdapter, RestAdapter, RestManifest } from "./RestAdapter.ts"
export * from "./RestConfig.ts"
