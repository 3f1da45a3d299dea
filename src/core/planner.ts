// Planning a DNS change: a pure function from (desired, current) to what must be written. The
// providers only carry out a plan; they never decide what to overwrite.

import type { RecordType } from './settings.ts'

/** A record set as a provider holds it. `version` is the provider's concurrency token. */
export interface RecordSet {
  /** Fully qualified, ASCII lowercase, no trailing dot. */
  readonly name: string
  readonly type: RecordType
  readonly ttl: number
  /** Canonical address texts, in the provider's order. */
  readonly values: readonly string[]
  /**
   * What the write must be conditional on: an Azure ETag, Cloudflare record ids, or nothing
   * where the provider's precondition is the old content itself (RFC 2136, Route 53).
   */
  readonly version?: string | undefined
  /** Provider metadata that a replace must keep (Azure metadata, Cloudflare comment and tags). */
  readonly metadata?: Readonly<Record<string, unknown>> | undefined
}

/** What the provider holds at the name: the set of the wanted type, and a CNAME if one exists. */
export interface CurrentRecords {
  readonly recordSet: RecordSet | undefined
  /** Target of a CNAME at the name, which rules out an A/AAAA record there. */
  readonly cname: string | undefined
  /**
   * What a wildcard of the zone answers at the name while the name holds no record of its own
   * (RFC 4592 synthesis). Not a record: it neither satisfies the plan nor conflicts with it.
   */
  readonly wildcard?: { readonly type: RecordType | 'CNAME'; readonly values: readonly string[] } | undefined
}

export interface DesiredRecord {
  readonly name: string
  readonly type: RecordType
  readonly ttl: number
  readonly values: readonly string[]
}

export type RecordPlan =
  | { readonly action: 'none'; readonly current: RecordSet; readonly reason: string }
  | { readonly action: 'create'; readonly desired: DesiredRecord; readonly reason: string }
  | {
      readonly action: 'replace'
      readonly current: RecordSet
      readonly desired: DesiredRecord
      readonly reason: string
    }
  | { readonly action: 'conflict'; readonly reason: string }

/** The same values, ignoring order and repeats. */
export function sameValues(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a)].sort()
  const right = [...new Set(b)].sort()
  return left.length === right.length && left.every((v, i) => v === right[i])
}

export function planRecord(desired: DesiredRecord, current: CurrentRecords): RecordPlan {
  if (current.cname !== undefined) {
    return {
      action: 'conflict',
      reason: `${desired.name} is a CNAME to ${current.cname}; an ${desired.type} record cannot exist beside it. Remove the CNAME (or point domain at another name) and run again`
    }
  }
  const set = current.recordSet
  if (set === undefined || set.values.length === 0) {
    const synthesised =
      current.wildcard === undefined
        ? ''
        : `; the zone's wildcard answers ${current.wildcard.type === 'CNAME' ? 'CNAME ' : ''}${current.wildcard.values.join(', ')}`
    return { action: 'create', desired, reason: `no ${desired.type} record at ${desired.name}${synthesised}` }
  }
  const valuesMatch = sameValues(set.values, desired.values)
  if (valuesMatch && set.ttl === desired.ttl) {
    return {
      action: 'none',
      current: set,
      reason: `${desired.name} ${desired.type} already holds ${desired.values.join(', ')} with TTL ${desired.ttl}`
    }
  }
  const what = valuesMatch
    ? `TTL ${set.ttl} → ${desired.ttl}`
    : `${set.values.join(', ')} → ${desired.values.join(', ')}`
  return { action: 'replace', current: set, desired, reason: `${desired.name} ${desired.type}: ${what}` }
}
