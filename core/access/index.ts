// The access model: principals, permissions, feature gates and signed links.
export * from "./FeatureGates.ts"
export * from "./Permission.ts"
export * from "./Permissions.ts"
export * from "./Principal.ts"
export * from "./SignedLink.ts"
