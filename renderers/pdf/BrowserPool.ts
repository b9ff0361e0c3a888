// A pool of Chromium pages for rendering: bounded concurrency, pages reused and recycled after a number of renders,
// the browser replaced periodically and after a crash, every request but inline data blocked, a time-out per use.
import { Context, Duration, Effect, Exit, Layer, Semaphore } from "effect"
import type { Browser, BrowserContext, Page, Route } from "playwright-core"
import { type BrowserSource, locateBrowser, openBrowser } from "./internal/BrowserSource.ts"
import { decodePdfConfig, type PdfConfig, type PdfConfigInput } from "./PdfConfig.ts"
import { BrowserUnavailable, type PdfConfigError, PdfRenderError, PdfTimeout } from "./PdfErrors.ts"

/** A page lent for one use: the page, the requests it was refused, and a way to call Playwright with typed errors. */
export interface PageLease {
  readonly page: Page
  /** URLs the page asked for during this lease and did not get (anything but `data:`). */
  readonly blockedRequests: () => ReadonlyArray<string>
  /** Runs a Playwright call; a rejection becomes a `PdfRenderError` that says whether the browser crashed. */
  readonly run: <A>(what: string, f: (page: Page) => Promise<A>) => Effect.Effect<A, PdfRenderError>
}

/** Counters for tests, benchmarks and health checks. */
export interface PoolStats {
  /** Browsers launched or connected since the pool started. */
  readonly launches: number
  /** Pages opened since the pool started. */
  readonly pagesCreated: number
  /** Uses of a page that finished, successfully or not. */
  readonly renders: number
  /** Pages waiting for their next use. */
  readonly idlePages: number
}

/** Options of one use of a page. */
export interface WithPageOptions {
  /** Time allowed once the page is in hand; default `PdfConfig.renderTimeout`. */
  readonly timeout?: Duration.Input
}

interface Slot {
  readonly browser: Browser
  renders: number
  leased: number
  retiring: boolean
}

interface PooledPage {
  readonly slot: Slot
  readonly context: BrowserContext
  readonly page: Page
  readonly blocked: Array<string>
  renders: number
}

// Inline data is the only thing a page may load: templates embed their fonts, logos and styles.
const offlineRoute = (blocked: Array<string>) => (route: Route) => {
  const url = route.request().url()
  if (url.startsWith("data:")) return route.continue()
  blocked.push(url)
  return route.abort("blockedbyclient")
}

const closeQuietly = (what: string, close: () => Promise<void>): Effect.Effect<void> =>
  Effect.tryPromise(close).pipe(
    Effect.timeoutOption(Duration.seconds(10)),
    Effect.asVoid,
    // Closing something the browser already dropped (after a crash) fails by design; it is gone either way.
    Effect.catch((error) => Effect.logDebug(`BrowserPool: closing ${what} failed`, error))
  )

/** Pages of a headless Chromium, lent one use at a time. */
export class BrowserPool extends Context.Service<
  BrowserPool,
  {
    /** The decoded settings the pool runs with. */
    readonly config: PdfConfig
    /**
     * Lends a page for `use`, within the time-out. The page goes back to the pool when `use` succeeds and is
     * discarded otherwise. If the browser crashes under `use`, `use` runs once more on a fresh browser.
     */
    readonly withPage: <A, E, R>(
      use: (lease: PageLease) => Effect.Effect<A, E, R>,
      options?: WithPageOptions
    ) => Effect.Effect<A, E | PdfRenderError | PdfTimeout | BrowserUnavailable, R>
    /** Starts the browser now rather than at the first render, so a missing browser shows at start-up. */
    readonly warmUp: Effect.Effect<void, BrowserUnavailable>
    /** Current counters. */
    readonly stats: Effect.Effect<PoolStats>
  }
>()("portico/renderers/pdf/BrowserPool") {
  /** A pool with the given settings (all optional); the browser closes when the layer's scope closes. */
  static readonly layer = (input: PdfConfigInput = {}): Layer.Layer<BrowserPool, PdfConfigError> =>
    Layer.effect(BrowserPool, makePool(input))
}

const makePool = Effect.fnUntraced(function* (input: PdfConfigInput) {
  const config = yield* decodePdfConfig(input)
  const permits = yield* Semaphore.make(config.concurrency)
  const launchLock = yield* Semaphore.make(1)

  const slots = new Set<Slot>()
  const idle: Array<PooledPage> = []
  let current: Slot | undefined
  let source: BrowserSource | undefined
  let shuttingDown = false
  const counters = { launches: 0, pagesCreated: 0, renders: 0 }

  const closeBrowser = (slot: Slot): Effect.Effect<void> =>
    Effect.suspend(() => {
      slots.delete(slot)
      return closeQuietly("browser", () => slot.browser.close())
    })

  const closePage = (pooled: PooledPage): Effect.Effect<void> => closeQuietly("page", () => pooled.context.close())

  // A retiring browser takes no new leases; it closes once the last lease is back.
  const retire = (slot: Slot): Effect.Effect<void> =>
    Effect.suspend(() => {
      slot.retiring = true
      if (current === slot) current = undefined
      const leaving = idle.filter((pooled) => pooled.slot === slot)
      idle.splice(0, idle.length, ...idle.filter((pooled) => pooled.slot !== slot))
      return Effect.forEach(leaving, closePage, { discard: true }).pipe(
        Effect.andThen(Effect.suspend(() => (slot.leased === 0 && slots.has(slot) ? closeBrowser(slot) : Effect.void)))
      )
    })

  const launch = Effect.gen(function* () {
    // Looked up once: the first launch decides where the browser comes from.
    const from = source ?? (yield* Effect.fromResult(locateBrowser(config)))
    source = from
    const browser = yield* openBrowser(from, config.launchTimeout)
    counters.launches++
    const slot: Slot = { browser, renders: 0, leased: 0, retiring: false }
    slots.add(slot)
    // A launch that finishes after the pool's scope closed must not leave a browser behind.
    if (shuttingDown) {
      yield* closeBrowser(slot)
      return yield* new BrowserUnavailable({ reason: "LaunchFailed", message: "The browser pool has shut down" })
    }
    return slot
  })

  const ensureBrowser: Effect.Effect<Slot, BrowserUnavailable> = launchLock.withPermits(1)(
    Effect.suspend(() => {
      const live = current
      if (live !== undefined && !live.retiring && live.browser.isConnected()) return Effect.succeed(live)
      return Effect.gen(function* () {
        if (live !== undefined) yield* retire(live)
        const slot = yield* launch
        current = slot
        return slot
      })
    })
  )

  const renderError = (slot: Slot, what: string) => (cause: unknown) =>
    slot.browser.isConnected()
      ? new PdfRenderError({ reason: "PageFailed", message: `${what} failed: ${String(cause)}`, cause })
      : new PdfRenderError({ reason: "BrowserCrashed", message: `The browser went away during ${what}`, cause })

  const openPage = (slot: Slot): Effect.Effect<PooledPage, PdfRenderError> =>
    Effect.gen(function* () {
      const context = yield* Effect.tryPromise({
        try: () =>
          slot.browser.newContext({
            javaScriptEnabled: config.javaScriptEnabled,
            serviceWorkers: "block",
            acceptDownloads: false
          }),
        catch: renderError(slot, "opening a browser context")
      })
      const blocked: Array<string> = []
      const page = yield* Effect.tryPromise({
        try: async () => {
          const page = await context.newPage()
          await page.route("**/*", offlineRoute(blocked))
          return page
        },
        catch: renderError(slot, "opening a page")
      }).pipe(Effect.onError(() => closeQuietly("context", () => context.close())))
      counters.pagesCreated++
      return { slot, context, page, blocked, renders: 0 }
    })

  const acquire: Effect.Effect<PooledPage, PdfRenderError | BrowserUnavailable> = Effect.gen(function* () {
    const slot = yield* ensureBrowser
    let reused: PooledPage | undefined
    for (let pooled = idle.pop(); pooled !== undefined; pooled = idle.pop()) {
      if (pooled.slot === slot && !pooled.page.isClosed()) {
        reused = pooled
        break
      }
      yield* closePage(pooled)
    }
    const pooled = reused ?? (yield* openPage(slot))
    pooled.blocked.length = 0
    slot.leased++
    return pooled
  })

  const release = (pooled: PooledPage, exit: Exit.Exit<unknown, unknown>): Effect.Effect<void> =>
    Effect.suspend(() => {
      const { slot } = pooled
      slot.leased--
      slot.renders++
      pooled.renders++
      counters.renders++
      const keep =
        Exit.isSuccess(exit) &&
        !shuttingDown &&
        !slot.retiring &&
        slot === current &&
        slot.browser.isConnected() &&
        !pooled.page.isClosed() &&
        pooled.renders < config.pageRendersBeforeRecycle
      if (keep) idle.push(pooled)
      const afterPage = keep ? Effect.void : closePage(pooled)
      if (!slot.retiring && slot.renders >= config.browserRendersBeforeRecycle) {
        return afterPage.pipe(Effect.andThen(launchLock.withPermits(1)(retire(slot))))
      }
      if (slot.retiring && slot.leased === 0 && slots.has(slot))
        return afterPage.pipe(Effect.andThen(closeBrowser(slot)))
      return afterPage
    })

  const lease = (pooled: PooledPage): PageLease => ({
    page: pooled.page,
    blockedRequests: () => [...pooled.blocked],
    run: (what, f) => Effect.tryPromise({ try: () => f(pooled.page), catch: renderError(pooled.slot, what) })
  })

  const withPage = <A, E, R>(
    use: (lease: PageLease) => Effect.Effect<A, E, R>,
    options?: WithPageOptions
  ): Effect.Effect<A, E | PdfRenderError | PdfTimeout | BrowserUnavailable, R> => {
    const timeout = Duration.fromInputUnsafe(options?.timeout ?? config.renderTimeout)
    const timedUse = (pooled: PooledPage) =>
      use(lease(pooled)).pipe(
        Effect.timeoutOrElse({
          duration: timeout,
          orElse: () =>
            Effect.fail(
              new PdfTimeout({
                timeoutMillis: Duration.toMillis(timeout),
                message: `Rendering took longer than ${Duration.format(timeout)}`
              })
            )
        })
      )
    const once = permits.withPermits(1)(Effect.acquireUseRelease(acquire, timedUse, release))
    return once.pipe(
      Effect.retry({ times: 1, while: (error) => error instanceof PdfRenderError && error.retryable }),
      Effect.withSpan("BrowserPool.withPage")
    )
  }

  yield* Effect.acquireRelease(Effect.void, () =>
    Effect.suspend(() => {
      shuttingDown = true
      current = undefined
      const pages = idle.splice(0, idle.length)
      return Effect.forEach(pages, closePage, { discard: true }).pipe(
        Effect.andThen(Effect.forEach([...slots], closeBrowser, { discard: true, concurrency: "unbounded" }))
      )
    })
  )

  return BrowserPool.of({
    config,
    withPage,
    warmUp: Effect.asVoid(ensureBrowser),
    stats: Effect.sync(() => ({ ...counters, idlePages: idle.length }))
  })
})
