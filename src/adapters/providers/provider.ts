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
