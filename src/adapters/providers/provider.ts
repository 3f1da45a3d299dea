// The one interface every DNS provider implements. A provider reads and writes exactly one record
// set of one type at one name, and every write is conditional on what was read.

import type { CurrentRecords, DesiredRecord, RecordSet } from '../../core/planner.ts'
import type { ProviderInputs } from '../../core/inputs.ts'
import type { ProviderSettings, RecordType } from '../../core/settings.ts'

/** The zone a provider found for the domain. */
export interface ZoneRef {
  /** ASCII lowercase, no trailing dot. */
  readonly name: string
  /** Provider id (Cloudflare zone id, Route 53 hosted zone id), when it has one. */
  readonly id?: string | undefined
  /** Azure resource group that holds the zone. */
  readonly resourceGroup?: string | undefined
  /**
   * Whether the zone is served to the whole internet (Azure DNS, Cloudflare, a public Route 53
   * hosted zone) or to one network only (a private hosted zone); undefined when the provider
   * cannot tell (RFC 2136). A private ip is refused before any write into a public zone.
   */
  readonly visibility?: 'public' | 'private' | undefined
}

/** The write to carry out: create a set that must not exist, or replace exactly `expected`. */
export type RecordWrite =
  | { readonly kind: 'create'; readonly desired: DesiredRecord }
  | { readonly kind: 'replace'; readonly expected: RecordSet; readonly desired: DesiredRecord }

export interface WriteResult {
  /** Provider change id for waitInSync (Route 53), when there is one. */
  readonly changeId?: string | undefined
}

/** Counters that benchmarks and tests read: a no-op run makes one read and zero writes. */
export interface ProviderStats {
  reads: number
  writes: number
}

export interface DnsProvider {
  /** Human name for messages, e.g. "Azure DNS". */
  readonly displayName: string
  readonly stats: ProviderStats
  /** The zone holding `domain`: `zoneHint` when given (checked), else the longest visible suffix. */
  findZone(domain: string, zoneHint: string | undefined): Promise<ZoneRef>
  /** The set of `type` at `name`, and a CNAME at `name` if there is one. */
  read(zone: ZoneRef, name: string, type: RecordType): Promise<CurrentRecords>
  /**
   * Writes conditionally. Throws PreconditionFailedError when the set is no longer what the
   * write expects (someone else changed it), so the caller can re-read and re-plan.
   */
  write(zone: ZoneRef, change: RecordWrite): Promise<WriteResult>
  /** Resolves true once the provider reports the change served everywhere (Route 53 INSYNC). */
  waitInSync?(result: WriteResult, signal: AbortSignal): Promise<boolean>
  /** TXT values one at a time (ACME DNS-01 challenges). */
  readonly txt: TxtRecords
}

/** TXT values at one name, managed one value at a time (ACME DNS-01 challenges share one name). */
export interface TxtRecords {
  /** The TXT values at `name` (each value's character-strings joined), empty when none. */
  readTxt(zone: ZoneRef, name: string): Promise<readonly string[]>
  /** Adds `value` to the TXT set at `name` (creating it with `ttl`), keeping other values; no-op when present. Conditional on what was read; retries a lost race by re-reading. */
  addTxtValue(zone: ZoneRef, name: string, value: string, ttl: number): Promise<WriteResult>
  /** Removes `value` only; deletes the set when it was the last value; no-op when absent. */
  removeTxtValue(zone: ZoneRef, name: string, value: string): Promise<WriteResult>
}

/**
 * Attempts at one TXT value change: each reads the set and writes conditionally on it, and a lost
 * race (PreconditionFailedError) starts the next. Three, as for A/AAAA (steps/dns-record.ts): two
 * lost races in a row are already rare, a third means another writer is busy at that name.
 */
export const TXT_WRITE_ATTEMPTS = 3

/**
 * Runs `attempt` (read, then a write conditional on that read) until no other writer cuts in
 * between, at most TXT_WRITE_ATTEMPTS times; then fails without having overwritten anything.
 */
export async function untilNotRaced(
  what: string,
  attempt: () => Promise<WriteResult>,
  attempts: number = TXT_WRITE_ATTEMPTS
): Promise<WriteResult> {
  for (let n = 1; ; n++) {
    try {
      return await attempt()
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error
      if (n >= attempts) {
        throw new ProviderError(
          `${what}: the TXT set changed under us ${n} times in a row (another writer is updating it); nothing was overwritten. Last: ${error.message}`,
          { cause: error }
        )
      }
    }
  }
}

/** The record changed between our read and our write: re-read and re-plan. */
export class PreconditionFailedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PreconditionFailedError'
  }
}

/** A provider failure with a message a user can act on (which resource, which permission). */
export class ProviderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ProviderError'
  }
}

/** What every provider is created with, read once from the runner's environment by main. */
export interface ProviderOptions {
  /** Bound on each API request (LDAPS_DNS_ACTION_REQUEST_TIMEOUT_MS); RFC 2136 keeps its own. */
  readonly requestTimeoutMs: number
  /** The environment the provider's SDK and credentials read (AWS_*, AZURE_AUTHORITY_HOST, ...). */
  readonly env: NodeJS.ProcessEnv
}

/**
 * A DNS provider in one form: its inputs (each named `${name}-…`, as in action.yml), how they are
 * parsed, and how its DnsProvider is made. The registry (index.ts) imports every module, so a
 * module imports its SDK only inside create(), with `await import()`: ncc then puts the SDK in a
 * chunk that only runs with this provider load.
 */
export interface ProviderModule<S extends ProviderSettings = ProviderSettings> extends ProviderInputs<S> {
  create(settings: S, options: ProviderOptions): Promise<DnsProvider>
}
