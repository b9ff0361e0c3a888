// How the `portico` command fails: each failure carries its exit code and a message for the terminal, and
// the teardown turns any exit into one of the documented codes.
import { Cause, Exit, Runtime, Schema } from "effect"
import { CliError } from "effect/cli"

/**
 * The exit codes: 0 done; 1 a verification found a problem (a broken audit chain); 2 the invocation or the
 * configuration is wrong (fix the command line or the config file); 3 the command could not do its work
 * (database unreachable, a migration failed); 130 interrupted.
 */
export const ExitCode = { ok: 0, verificationFailed: 1, usage: 2, failed: 3, interrupted: 130 } as const

/** The command line or the configuration is wrong. Exit code 2. */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", { detail: Schema.String }) {
  override get message(): string {
    return this.detail
  }
  override get [CliError.userMessage](): string {
    return this.detail
  }
  override get [Runtime.errorExitCode](): number {
    return ExitCode.usage
  }
}

/** A verification ran and found a problem. Exit code 1. */
export class VerificationFailed extends Schema.TaggedError<VerificationFailed>()("VerificationFailed", {
  detail: Schema.String
}) {
  override get message(): string {
    return this.detail
  }
  override get [CliError.userMessage](): string {
    return this.detail
  }
  override get [Runtime.errorExitCode](): number {
    return ExitCode.verificationFailed
  }
}

/** The command could not do its work. Exit code 3. */
export class CommandFailed extends Schema.TaggedError<CommandFailed>()("CommandFailed", { detail: Schema.String }) {
  override get message(): string {
    return this.detail
  }
  override get [CliError.userMessage](): string {
    return this.detail
  }
  override get [Runtime.errorExitCode](): number {
    return ExitCode.failed
  }
}

/**
 * The exit code for a failure: 2 for any command-line error (a parse error, or a command group run without
 * its subcommand, which shows help), the failure's own code when it carries one, else 3.
 */
export const exitCodeOf = (error: unknown): number => {
  if (CliError.isCliError(error)) return ExitCode.usage
  if (typeof error === "object" && error !== null && Runtime.errorExitCode in error) {
    return Runtime.getErrorExitCode(error)
  }
  return ExitCode.failed
}

/** `NodeRuntime.runMain`'s teardown for `portico`: maps the exit to the documented exit codes. */
export const teardown: Runtime.Teardown = (exit, onExit) => {
  if (Exit.isSuccess(exit)) return onExit(ExitCode.ok)
  if (Cause.hasInterruptsOnly(exit.cause)) return onExit(ExitCode.interrupted)
  return onExit(exitCodeOf(Cause.squash(exit.cause)))
}
