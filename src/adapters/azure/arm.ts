// Calls to Azure Resource Manager in one place, for every component that makes them (the Azure DNS
// provider, the Entra Domain Services reader, a later writer of the managed domain): the client
// options every ARM SDK client gets (endpoint, token scope, retries, a timeout per request), the
// budget all of one component's calls share, and ARM's errors turned into sentences a user can act
// on, each starting with the component's name.
//
// Bounds, each for a reason:
//  - every request: LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS (default 30 s) for its whole answer, then
//    retried like a dropped connection (the SDKs set no timeout of their own);
//  - every operation (one call, its retries and their waits): AZURE_RETRY.operationBudgetMs;
//  - all calls of one component together: AZURE_RETRY.totalBudgetMs of time with a call in flight;
//  - a Retry-After longer than AZURE_RETRY.maxRetryAfterMs is not waited for: the call fails at once
//    and the message says ARM is throttling.

// Types only: the pipeline package comes with the ARM SDKs, which load it when a client is made.
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline'
import type { AzureSettings } from '../../core/settings.ts'
import { ProviderError } from '../providers/provider.ts'
import {
  createAzureCredential,
  describeSignInError,
  resolveAzureEndpoints,
  type AzureCredentialChoice,
  type AzureEndpoints,
  type AzureSignInOptions
} from './credential.ts'

type AzureIdentity = typeof import('@azure/identity')

/**
 * Retries and time bounds for ARM calls. ARM answers 429 with Retry-After when throttling and 5xx
 * when a front end is unwell; the SDK's retry policy handles both (Retry-After honoured up to the
 * cap below, exponential backoff otherwise), and these bound it.
 */
export const AZURE_RETRY = {
  /** Survives three 429s in a row and a short 5xx burst; more means ARM is unwell for minutes. */
  maxRetries: 5,
  retryDelayInMs: 500,
  maxRetryDelayInMs: 8_000,
  /**
   * The longest Retry-After waited for. ARM's short-burst throttling asks for seconds; a longer
   * wait means the subscription's quota for its 5-minute window is spent, and waiting it out would
   * hold the job for nothing: better to stop and say so.
   */
  maxRetryAfterMs: 30_000,
  /** One operation with its retries: room for the retries above with their longest waits. */
  operationBudgetMs: 90_000,
  /**
   * All ARM calls of one component in one run, counted while a call is in flight (not the waits
   * between them, such as DNS propagation): a run makes a handful of calls that take seconds, so
   * five minutes of them means ARM is failing, and a stalled ARM must not hold the job until
   * GitHub's six-hour job timeout.
   */
  totalBudgetMs: 300_000
} as const

/** An ARM failure with a message a user can act on; `statusCode` for callers that tell 403/404 apart. */
export class ArmError extends ProviderError {
  readonly statusCode: number | undefined
  /** Whether ARM was throttling the calls (429) when this happened. */
  readonly throttled: boolean
  constructor(message: string, statusCode: number | undefined, throttled: boolean, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ArmError'
    this.statusCode = statusCode
    this.throttled = throttled
  }
}

/** What a component was doing when ARM failed, and what to tell the user for 403 and 404. */
export interface ArmOperation {
  /** "read managed domain aaddscontoso.com", "write ldaps.contoso.com A". */
  readonly verb: string
  /** "subscription …, resource group …". */
  readonly scope: string
  /** What to grant when ARM answers 403. */
  readonly forbidden: string
  /** What is missing and what to check when ARM answers 404, by ARM's error code. */
  readonly notFound: (code: string | undefined) => string
}

interface ArmErrorShape {
  readonly statusCode?: number
  readonly code?: string
  readonly message?: string
}

/** A session's sign-in options and bounds. */
export interface ArmSessionOptions extends AzureSignInOptions {
  /**
   * The overall budget of the session's calls, AZURE_RETRY.totalBudgetMs by default; a component
   * whose calls are bounded by an input of their own (a renewal's upload wait) passes that.
   */
  readonly totalBudgetMs?: number | undefined
}

/**
 * One component's way to ARM: its credential, endpoints, the client options for any ARM SDK
 * client, the shared budget, and the error translation.
 */
export class ArmSession {
  readonly component: string
  readonly endpoints: AzureEndpoints
  readonly credential: AzureCredentialChoice
  readonly subscriptionId: string
  private readonly requestTimeoutMs: number
  private readonly totalBudgetMs: number
  private spentMs = 0
  private inFlight = 0
  private busySince = 0
  /** A 429 was seen in this session (the SDK retried it, or the wait it asked for was too long). */
  private sawThrottling = false

  constructor(identity: AzureIdentity, settings: AzureSettings, component: string, options: ArmSessionOptions = {}) {
    const env = options.env ?? process.env
    this.component = component
    this.endpoints = resolveAzureEndpoints(settings, env)
    this.credential = createAzureCredential(identity, settings, component, options)
    this.subscriptionId = settings.subscriptionId
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000
    this.totalBudgetMs = options.totalBudgetMs ?? AZURE_RETRY.totalBudgetMs
  }

  /** One line for the log: where the calls go and how the component signs in. */
  describeSignIn(subscriptionId = this.subscriptionId): string {
    return `${this.component}: ${this.endpoints.resourceManager}, subscription ${subscriptionId}, signing in with ${this.credential.description}.`
  }

  /**
   * Options for an ARM SDK client (@azure/arm-dns, arm-domainservices, arm-network): the endpoint
   * and the token scope of the endpoint actually called, bounded retries, and the policies that
   * time out each request and refuse an over-long Retry-After.
   */
  clientOptions() {
    return {
      endpoint: this.endpoints.resourceManager,
      credentialScopes: [this.endpoints.scope],
      // arm-network 39 reads its scopes here (it would ask for management.azure.com's otherwise).
      credentials: { scopes: [this.endpoints.scope] },
      retryOptions: {
        maxRetries: AZURE_RETRY.maxRetries,
        retryDelayInMs: AZURE_RETRY.retryDelayInMs,
        maxRetryDelayInMs: AZURE_RETRY.maxRetryDelayInMs
      },
      userAgentOptions: { userAgentPrefix: 'ldaps-dns-action' },
      additionalPolicies: [{ policy: this.perAttemptPolicy(), position: 'perRetry' as const }]
    }
  }

  /**
   * Runs one operation (one call with its retries, or a listing through all its pages) with an
   * abort signal for the smaller of the operation budget and what is left of the session's.
   */
  async run<T>(body: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const left = this.remainingMs()
    if (left <= 0) throw new ArmBudgetError()
    if (this.inFlight++ === 0) this.busySince = Date.now()
    const signal = AbortSignal.timeout(Math.min(AZURE_RETRY.operationBudgetMs, left))
    try {
      return await body(signal)
    } catch (error) {
      // Stopped by what was left of the session's budget, not by the operation's own.
      if (signal.aborted && left < AZURE_RETRY.operationBudgetMs) throw new ArmBudgetError(error)
      throw error
    } finally {
      if (--this.inFlight === 0) this.spentMs += Date.now() - this.busySince
    }
  }

  /** ARM's error (or a sign-in failure, a timeout, a refused wait) as one sentence naming `op`. */
  describe(error: unknown, op: ArmOperation): ArmError {
    const e = error as ArmErrorShape
    const status = e.statusCode
    const throttled = this.sawThrottling || status === 429
    const make = (message: string): ArmError => new ArmError(message, status, throttled, { cause: error })
    const prefix = `${this.component}: could not ${op.verb} in ${op.scope}`
    const endpoint = this.endpoints.resourceManager
    if (error instanceof ArmThrottledError) {
      return make(
        `${prefix}: throttled: Azure Resource Manager answered ${error.status} and asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s, longer than the ${AZURE_RETRY.maxRetryAfterMs / 1000} s this action waits; run again later`
      )
    }
    if (error instanceof ArmBudgetError) {
      return make(
        `${prefix}: stopped after ${this.totalBudgetMs / 1000} s of Azure Resource Manager calls in this run (the overall budget)${throttled ? ', throttled (429) meanwhile' : ''}; run again later`
      )
    }
    const signIn = describeSignInError(error, this.credential)
    if (signIn !== undefined) return make(`${signIn} (while trying to ${op.verb} in ${op.scope})`)
    const said = `${status ?? 'no status'} ${e.code ?? ''}: ${(e.message ?? String(error)).trim()}`.replace(/\s+/g, ' ')
    switch (status) {
      case 401:
        return make(
          `${prefix}: Azure Resource Manager (${endpoint}) rejected the sign-in (${said}); the token must come from the subscription's tenant for the audience ${endpoint} (check azure-tenant-id and azure-environment)`
        )
      case 403:
        return make(`${prefix}: the identity lacks permission (${said}); ${op.forbidden}`)
      case 404:
        return make(`${prefix}: ${op.notFound(e.code)} (${said})`)
      case 409:
        return make(
          `${prefix}: Azure Resource Manager refused it with a conflict (${said}); another operation on the resource may still be running: run again later`
        )
      case 412:
        return make(`${prefix}: the resource changed after it was read (${said}); run again`)
      case 429:
        return make(
          `${prefix}: throttled: Azure Resource Manager kept throttling the requests (429) through ${AZURE_RETRY.maxRetries} retries (${said}); run again later`
        )
    }
    if (status !== undefined && status >= 500) {
      return make(`${prefix}: Azure answered ${said} through ${AZURE_RETRY.maxRetries} retries; run again later`)
    }
    if (isAbort(error)) {
      return make(
        throttled
          ? `${prefix}: throttled: Azure Resource Manager kept answering 429 for ${AZURE_RETRY.operationBudgetMs / 1000} s; run again later`
          : `${prefix}: no answer within ${AZURE_RETRY.operationBudgetMs / 1000} s (${endpoint} unreachable or stalled)`
      )
    }
    if (status === undefined) {
      return make(
        `${prefix}: Azure Resource Manager at ${endpoint} could not be reached (${error instanceof Error ? error.message : String(error)}); check azure-resource-manager-endpoint, azure-environment and the runner's network or proxy`
      )
    }
    return make(`${prefix}: ${said}`)
  }

  private remainingMs(): number {
    const current = this.inFlight > 0 ? Date.now() - this.busySince : 0
    return this.totalBudgetMs - this.spentMs - current
  }

  /**
   * Runs inside the SDK's retry loop, once per attempt. It bounds each attempt's whole answer (the
   * SDK sets no per-request timeout, so a stalled connection would use up the operation budget),
   * turns a body cut off mid-answer into a retriable connection reset, and stops on a Retry-After
   * beyond the cap. Timeouts and cuts are rethrown as the system errors the retry strategy knows
   * (ETIMEDOUT, ECONNRESET); every ARM request here is safe to repeat (writes carry If-Match /
   * If-None-Match).
   */
  private perAttemptPolicy(): PipelinePolicy {
    const timeoutMs = this.requestTimeoutMs
    return {
      name: 'ldapsDnsArmAttempt',
      sendRequest: async (request, next) => {
        const outer = request.abortSignal
        const timer = AbortSignal.timeout(timeoutMs)
        request.abortSignal = outer === undefined ? timer : AbortSignal.any([outer as AbortSignal, timer])
        let response: PipelineResponse
        try {
          response = await next(request)
        } catch (error) {
          if (outer?.aborted) throw error
          if (timer.aborted) {
            throw transportError(`no complete answer within ${timeoutMs / 1000} s`, 'ETIMEDOUT', error)
          }
          const e = error as { name?: string; code?: string; message?: string; statusCode?: number }
          if (e.statusCode === 429) this.sawThrottling = true
          if (e.name === 'RestError' && e.code === 'PARSE_ERROR' && /^Error reading response/.test(e.message ?? '')) {
            throw transportError(`the connection broke during the answer (${e.message})`, 'ECONNRESET', error)
          }
          throw error
        } finally {
          request.abortSignal = outer
        }
        if (response.status === 429) this.sawThrottling = true
        if (response.status === 429 || response.status === 503) {
          const asked = retryAfterMs(response.headers)
          if (asked !== undefined && asked > AZURE_RETRY.maxRetryAfterMs) {
            // Not a RestError, so the SDK's retry policy passes it straight up.
            throw new ArmThrottledError(response.status, asked)
          }
        }
        return response
      }
    }
  }
}

/** ARM asked for a longer wait than AZURE_RETRY.maxRetryAfterMs. */
class ArmThrottledError extends Error {
  readonly status: number
  readonly retryAfterMs: number
  constructor(status: number, retryAfterMs: number) {
    super(`Azure Resource Manager answered ${status} with Retry-After ${Math.ceil(retryAfterMs / 1000)} s`)
    this.name = 'ArmThrottledError'
    this.status = status
    this.retryAfterMs = retryAfterMs
  }
}

/** The session's overall budget was spent before the call started, or ran out during it. */
class ArmBudgetError extends Error {
  constructor(cause?: unknown) {
    super('the overall budget of Azure Resource Manager calls is spent', { cause })
    this.name = 'ArmBudgetError'
  }
}

/** The wait a 429/503 asks for, from the headers the SDK's throttling strategy reads. */
function retryAfterMs(headers: PipelineResponse['headers']): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = Number(headers.get(name))
    if (headers.get(name) !== undefined && Number.isFinite(value)) return value
  }
  const value = headers.get('retry-after')
  if (value === undefined || value.trim() === '') return undefined
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim()) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError'
}

/** An error the SDK's retry policy treats as a network failure (it goes by name and code). */
function transportError(message: string, code: string, cause: unknown): Error {
  return Object.assign(new Error(message, { cause }), { name: 'RestError', code })
}
