// Domain events: the bus and the events the core publishes.
export * from "./DomainEvents.ts"
