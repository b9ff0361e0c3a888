// `portico link`: sign-in links and API keys from the shell.
export * from "./LinkCommand.ts"
