// The dunning rules as pure functions: when each step of a sequence falls for an invoice, which step a daily
// run sends (only the latest one that has come; earlier ones it missed are skipped, never sent late in a
// burst), and the plan of what daily runs will send over the coming days.
import { addDays, compareDates, type LocalDate } from "../../core/domain/LocalDate.ts"

/** A dunning sequence: days relative to the due date (negative: before it), e.g. [-3, 1, 7, 14]. */
export type Sequence = ReadonlyArray<number>

/** One step of an invoice's sequence, on its day. */
export interface Step {
  readonly offsetDays: number
  readonly sendOn: LocalDate
}

/** What a run on one day does for one invoice: send one step, and skip the missed ones before it. */
export interface Decision {
  readonly send: number | undefined
  readonly skip: ReadonlyArray<number>
}

/** The sequence's steps for a due date, in order, each offset once. */
export const stepsFor = (dueDate: LocalDate, sequence: Sequence): ReadonlyArray<Step> =>
  [...new Set(sequence)]
    .sort((a, b) => a - b)
    .map((offsetDays) => ({ offsetDays, sendOn: addDays(dueDate, offsetDays) }))

/**
 * What a run on `asOf` does for an invoice whose steps `done` were already sent or skipped: the latest step
 * whose day has come and that is not done is sent; the steps not done before it are skipped.
 */
export const decide = (
  dueDate: LocalDate,
  sequence: Sequence,
  done: ReadonlySet<number>,
  asOf: LocalDate
): Decision => {
  const due = stepsFor(dueDate, sequence).filter(
    (step) => compareDates(step.sendOn, asOf) <= 0 && !done.has(step.offsetDays)
  )
  const last = due.at(-1)
  return { send: last?.offsetDays, skip: due.slice(0, -1).map((step) => step.offsetDays) }
}

/**
 * What daily runs from `from` to `from + days - 1` (inclusive) will send for an open invoice, if it stays
 * open: the same decisions `decide` makes, day by day.
 */
export const plan = (
  dueDate: LocalDate,
  sequence: Sequence,
  done: ReadonlySet<number>,
  from: LocalDate,
  days: number
): ReadonlyArray<Step> => {
  const settled = new Set(done)
  const planned: Array<Step> = []
  for (let day = 0; day < days; day++) {
    const asOf = addDays(from, day)
    const decision = decide(dueDate, sequence, settled, asOf)
    for (const offset of decision.skip) settled.add(offset)
    if (decision.send !== undefined) {
      settled.add(decision.send)
      planned.push({ offsetDays: decision.send, sendOn: asOf })
    }
  }
  return planned
}
