// Cloudflare DNS through its v4 REST API with Node's own fetch. The official `cloudflare` package
// covers the whole Cloudflare API; this action needs five endpoints (zones by name or id, list,
// create, patch and delete DNS records), so a small client keeps the bundle that every run loads
// free of a second HTTP stack. See docs/cloudflare.md.
//
// Cloudflare has no conditional requests for DNS records (no ETag, no If-Match). The write is made
// as safe as the API allows: it re-reads the records at the name immediately before writing and
// refuses (PreconditionFailedError) when they differ from what was planned on; it updates records
// by id only, and deletes surplus records by id only after the kept record holds the new value.

import { isIP } from 'node:net'
import type { CurrentRecords, RecordSet } from '../../core/planner.ts'
import type { InputReader } from '../../core/inputs.ts'
import type { RecordType } from '../../core/settings.ts'
import { quoteTxtValue, unquoteTxtValue } from '../../core/txt.ts'
import {
  PreconditionFailedError,
  ProviderError,
  type DnsProvider,
  type ProviderModule,
  type ProviderStats,
  type RecordWrite,
  type TxtRecords,
  type WriteResult,
  type ZoneRef
} from './provider.ts'
import { canonicalAddress, isInZone, zoneCandidates } from '../../core/names.ts'

const CLOUDFLARE_ZONE_ID = /^[0-9a-f]{32}$/

/** provider cloudflare. */
export interface CloudflareSettings {
  readonly kind: 'cloudflare'
  readonly apiToken: string
  readonly zoneId: string | undefined
}

export const cloudflare: ProviderModule<CloudflareSettings> = {
  name: 'cloudflare',
  inputs: [
    {
      name: 'cloudflare-api-token',
      required: true,
      secret: true,
      description: 'Cloudflare API token with Zone.DNS edit permission (provider cloudflare).'
    },
    {
      name: 'cloudflare-zone-id',
      required: false,
      secret: false,
      description: 'Cloudflare zone id. Found by zone name when empty.'
    }
  ],
  parse: parseCloudflareInputs,
  // Cloudflare serves every zone it hosts from its public nameservers.
  zonesArePublic: true,
  // No SDK: five REST endpoints through fetch (see above).
  create: async (settings, options) =>
    createCloudflareProvider(settings, { requestTimeoutMs: options.requestTimeoutMs, env: options.env })
}

function parseCloudflareInputs(r: InputReader): CloudflareSettings {
  const apiToken = r.required(
    'cloudflare-api-token',
    'give an API token with Zone.DNS edit permission, e.g. ${{ secrets.CLOUDFLARE_API_TOKEN }}'
  )
  if (apiToken !== undefined && /\s/.test(apiToken)) {
    r.fail(
      'cloudflare-api-token',
      'must be one API token without whitespace (an API token, not "Bearer …" or a global key with email)'
    )
  }
  const zoneId = r.optional('cloudflare-zone-id')
  if (zoneId !== undefined && !CLOUDFLARE_ZONE_ID.test(zoneId)) {
    r.fail(
      'cloudflare-zone-id',
      `must be 32 lowercase hex digits (Overview page of the zone), got ${r.shown('cloudflare-zone-id', zoneId)}`
    )
  }
  return { kind: 'cloudflare', apiToken: apiToken ?? '', zoneId }
}

export const DEFAULT_CLOUDFLARE_BASE_URL = 'https://api.cloudflare.com/client/v4'

/** Bounds for retrying 429 and 5xx answers. */
export interface CloudflareRetryPolicy {
  /** Attempts per request, the first included. */
  readonly maxAttempts: number
  /** First backoff without Retry-After; doubles per attempt. */
  readonly baseDelayMs: number
  /** Longest single wait, also for a Retry-After the server asks for. */
  readonly maxDelayMs: number
  /** Total time one request may spend waiting between attempts. */
  readonly maxTotalDelayMs: number
}

export const DEFAULT_CLOUDFLARE_RETRY: CloudflareRetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxTotalDelayMs: 60_000
}

export interface CloudflareOptions {
  /** API root including /client/v4; defaults to CLOUDFLARE_BASE_URL, then the public API. */
  readonly baseUrl?: string | undefined
  readonly retry?: CloudflareRetryPolicy | undefined
  /** Per-request timeout. */
  readonly requestTimeoutMs?: number | undefined
  /** Where CLOUDFLARE_BASE_URL is read; process.env by default. */
  readonly env?: NodeJS.ProcessEnv | undefined
}

/** One DNS record as Cloudflare returns it (the fields this adapter uses). */
interface CloudflareRecord {
  readonly id: string
  readonly name: string
  readonly type: string
  readonly content: string
  readonly ttl: number
  readonly proxied?: boolean | undefined
  readonly comment?: string | null | undefined
  readonly tags?: readonly string[] | undefined
}

interface CloudflareZone {
  readonly id: string
  readonly name: string
  readonly status?: string | undefined
}

interface Envelope<T> {
  readonly success: boolean
  readonly errors?: readonly { readonly code: number; readonly message: string }[]
  readonly result: T
  readonly result_info?: { readonly page?: number; readonly total_pages?: number } | undefined
}

/** A request Cloudflare answered with success false, or an HTTP error. */
class CloudflareApiError extends Error {
  readonly status: number
  readonly codes: readonly number[]
  constructor(status: number, codes: readonly number[], message: string) {
    super(message)
    this.name = 'CloudflareApiError'
    this.status = status
    this.codes = codes
  }
}

/** Cloudflare error codes that mean "someone else already holds this name/type". */
const RECORD_EXISTS_CODES = new Set([81053, 81054, 81057, 81058])
/** Record id no longer exists (deleted concurrently). */
const RECORD_GONE_CODES = new Set([81044])
/** Codes Cloudflare uses for a missing, malformed or insufficient token. */
const AUTH_CODES = new Set([6003, 6111, 9106, 9109, 10000])

export function createCloudflareProvider(settings: CloudflareSettings, options: CloudflareOptions = {}): DnsProvider {
  const baseUrl = parseBaseUrl(
    options.baseUrl ?? ((options.env ?? process.env)['CLOUDFLARE_BASE_URL'] || DEFAULT_CLOUDFLARE_BASE_URL)
  )
  const retry = options.retry ?? DEFAULT_CLOUDFLARE_RETRY
  const timeoutMs = options.requestTimeoutMs ?? 30_000
  const stats: ProviderStats = { reads: 0, writes: 0 }

  async function call<T>(method: string, path: string, body?: unknown): Promise<Envelope<T>> {
    let waited = 0
    for (let attempt = 1; ; attempt++) {
      let response: Response
      let text: string
      try {
        response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${settings.apiToken}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' })
          },
          body: body === undefined ? null : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs)
        })
        // Read inside the try: a connection cut after the headers fails here, and is retried too.
        text = await response.text()
      } catch (error) {
        // A lost connection is retried like a 5xx: every request here is safe to repeat (a
        // repeated POST is refused as "identical record exists" and becomes a re-read).
        const delay = backoff(retry, attempt, undefined)
        if (attempt < retry.maxAttempts && waited + delay <= retry.maxTotalDelayMs) {
          waited += delay
          await sleep(delay)
          continue
        }
        throw new ProviderError(`Cloudflare: ${method} ${baseUrl}${path} failed: ${describeCause(error)}`, {
          cause: error
        })
      }
      if (response.status === 429 || response.status >= 500) {
        const delay = backoff(retry, attempt, response.headers.get('retry-after'))
        if (attempt < retry.maxAttempts && waited + delay <= retry.maxTotalDelayMs) {
          waited += delay
          await sleep(delay)
          continue
        }
        throw new ProviderError(
          `Cloudflare: ${method} ${path} answered HTTP ${response.status} ${attempt} times in a row (waited ${Math.round(waited / 100) / 10} s in total)${describeErrors(parseEnvelope(text))}; try again later`
        )
      }
      const envelope = parseEnvelope<T>(text)
      if (!response.ok || envelope === undefined || !envelope.success) {
        const codes = envelope?.errors?.map(e => e.code) ?? []
        throw new CloudflareApiError(
          response.status,
          codes,
          `HTTP ${response.status}${describeErrors(envelope) || (envelope === undefined ? ` (not a Cloudflare API answer: ${text.slice(0, 120)})` : '')}`
        )
      }
      return envelope
    }
  }

  /** Turns an API failure into a sentence naming the zone and the fix. */
  function explain(error: unknown, what: string, zone: string | undefined): never {
    if (!(error instanceof CloudflareApiError)) throw error
    const where = zone === undefined ? '' : ` in zone ${zone}`
    if (isAuthFailure(error)) {
      const permission =
        zone === undefined
          ? 'Zone → Zone → Read (to find the zone; or set cloudflare-zone-id and zone) and Zone → DNS → Edit'
          : 'Zone → DNS → Edit'
      throw new ProviderError(
        `Cloudflare: the API token was refused while trying to ${what}${where} (${error.message}). Give cloudflare-api-token the permission ${permission} with this zone in its Zone Resources, and check that it has not expired or been rolled`
      )
    }
    throw new ProviderError(`Cloudflare: could not ${what}${where}: ${error.message}`)
  }

  async function listRecords(zone: ZoneRef, name: string): Promise<CloudflareRecord[]> {
    const records: CloudflareRecord[] = []
    for (let page = 1; ; page++) {
      const query = new URLSearchParams({ name, per_page: '100', page: String(page) })
      const envelope = await call<CloudflareRecord[]>(
        'GET',
        `/zones/${encodeURIComponent(zoneId(zone))}/dns_records?${query}`
      ).catch(error => explain(error, `list the DNS records of ${name}`, zone.name))
      records.push(...envelope.result.filter(r => r.name.toLowerCase() === name))
      const totalPages = envelope.result_info?.total_pages ?? 1
      if (page >= totalPages || envelope.result.length === 0) return records
    }
  }

  async function findZone(domain: string, zoneHint: string | undefined): Promise<ZoneRef> {
    if (settings.zoneId !== undefined) {
      const id = settings.zoneId
      let name: string
      try {
        name = (await call<CloudflareZone>('GET', `/zones/${encodeURIComponent(id)}`)).result.name.toLowerCase()
      } catch (error) {
        // A token with only Zone → DNS → Edit may not read the zone itself; with the zone input
        // beside the id nothing more is needed (the record calls show whether the id is right).
        if (error instanceof CloudflareApiError && isAuthFailure(error) && zoneHint !== undefined) {
          if (!isInZone(domain, zoneHint)) {
            throw new ProviderError(`Cloudflare: ${domain} is not inside the zone ${zoneHint} given in the zone input`)
          }
          return { name: zoneHint, id, visibility: 'public' }
        }
        return explain(error, `read zone ${id} (cloudflare-zone-id)`, undefined)
      }
      if (zoneHint !== undefined && zoneHint !== name) {
        throw new ProviderError(
          `Cloudflare: cloudflare-zone-id ${settings.zoneId} is zone ${name}, but the zone input says ${zoneHint}; fix one of them`
        )
      }
      if (!isInZone(domain, name)) {
        throw new ProviderError(
          `Cloudflare: ${domain} is not in zone ${name} (cloudflare-zone-id ${settings.zoneId}); give the id of the zone that holds it`
        )
      }
      return { name, id, visibility: 'public' }
    }
    const candidates = zoneHint !== undefined ? [zoneHint] : zoneCandidates(domain)
    if (zoneHint !== undefined && !isInZone(domain, zoneHint)) {
      throw new ProviderError(`Cloudflare: ${domain} is not inside the zone ${zoneHint} given in the zone input`)
    }
    for (const candidate of candidates) {
      const query = new URLSearchParams({ name: candidate, per_page: '50' })
      const envelope = await call<CloudflareZone[]>('GET', `/zones?${query}`).catch(error =>
        explain(error, `look up zone ${candidate}`, undefined)
      )
      const matches = envelope.result.filter(z => z.name.toLowerCase() === candidate)
      const zone = matches.find(z => z.status === 'active') ?? matches[0]
      if (zone !== undefined) return { name: candidate, id: zone.id, visibility: 'public' }
    }
    throw new ProviderError(
      zoneHint !== undefined
        ? `Cloudflare: the API token cannot see zone ${zoneHint}; check that the zone is in the token's Zone Resources, or give cloudflare-zone-id`
        : `Cloudflare: none of ${candidates.join(', ')} is a zone the API token can see; check the token's Zone Resources, or give zone / cloudflare-zone-id`
    )
  }

  async function read(zone: ZoneRef, name: string, type: RecordType): Promise<CurrentRecords> {
    stats.reads++
    return toCurrent(name, type, await listRecords(zone, name))
  }

  async function write(zone: ZoneRef, change: RecordWrite): Promise<WriteResult> {
    const { desired } = change
    const value = desired.values[0]
    if (desired.values.length !== 1 || value === undefined) {
      throw new ProviderError(`Cloudflare: expected exactly one address to write, got ${desired.values.length}`)
    }
    // The API has no If-Match: compare with a fresh read just before writing, so a change made
    // since the plan is noticed and re-planned instead of overwritten.
    const fresh = toCurrent(desired.name, desired.type, await listRecords(zone, desired.name))
    if (fresh.cname !== undefined) {
      throw new PreconditionFailedError(`a CNAME to ${fresh.cname} appeared at ${desired.name}`)
    }
    if (change.kind === 'create') {
      if (fresh.recordSet !== undefined) {
        throw new PreconditionFailedError(
          `${desired.name} ${desired.type} now holds ${fresh.recordSet.values.join(', ')} (expected no record)`
        )
      }
      stats.writes++
      await call('POST', `/zones/${encodeURIComponent(zoneId(zone))}/dns_records`, {
        type: desired.type,
        name: desired.name,
        content: value,
        ttl: desired.ttl,
        proxied: false
      }).catch(error => {
        if (error instanceof CloudflareApiError && error.codes.some(c => RECORD_EXISTS_CODES.has(c))) {
          throw new PreconditionFailedError(`creating ${desired.name} ${desired.type} was refused: ${error.message}`)
        }
        return explain(error, `create ${desired.name} ${desired.type}`, zone.name)
      })
      await verifyWritten(zone, change)
      return {}
    }

    const expected = recordsOf(change.expected)
    const now = fresh.recordSet === undefined ? [] : recordsOf(fresh.recordSet)
    if (!sameRecords(expected, now)) {
      throw new PreconditionFailedError(
        `${desired.name} ${desired.type} now holds ${describeRecords(now)} (planned on ${describeRecords(expected)})`
      )
    }
    // Keep the record that already has the address, else the first that carries a comment or
    // tags, else the first listed: updating it in place keeps its id, comment and tags (PATCH
    // changes only the fields sent).
    const keep =
      now.find(r => canonicalAddress(r.content) === value) ??
      now.find(r => (r.comment ?? '') !== '' || r.tags.length > 0) ??
      now[0]!
    const base = `/zones/${encodeURIComponent(zoneId(zone))}/dns_records`
    // A kept record that already holds exactly the desired data is left as it is.
    if (canonicalAddress(keep.content) !== value || keep.ttl !== desired.ttl || keep.proxied) {
      stats.writes++
      await call('PATCH', `${base}/${encodeURIComponent(keep.id)}`, {
        type: desired.type,
        name: desired.name,
        content: value,
        ttl: desired.ttl,
        proxied: false
      }).catch(error => {
        if (
          error instanceof CloudflareApiError &&
          (error.status === 404 || error.codes.some(c => RECORD_GONE_CODES.has(c)))
        ) {
          throw new PreconditionFailedError(`record ${keep.id} at ${desired.name} was deleted by someone else`)
        }
        if (error instanceof CloudflareApiError && error.codes.some(c => RECORD_EXISTS_CODES.has(c))) {
          throw new PreconditionFailedError(`updating ${desired.name} ${desired.type} was refused: ${error.message}`)
        }
        return explain(error, `update ${desired.name} ${desired.type} (record ${keep.id})`, zone.name)
      })
    }
    // "Exactly ip": the other records of this type at the name go, only now that the kept one
    // holds the new address, so the name never resolves to nothing.
    const surplus = now.filter(r => r.id !== keep.id)
    for (const [index, extra] of surplus.entries()) {
      stats.writes++
      await call('DELETE', `${base}/${encodeURIComponent(extra.id)}`)
        .catch(error => {
          if (
            error instanceof CloudflareApiError &&
            (error.status === 404 || error.codes.some(c => RECORD_GONE_CODES.has(c)))
          ) {
            return undefined // already gone: the goal of this delete is met
          }
          return explain(
            error,
            `delete the surplus record ${extra.id} (${extra.content}) at ${desired.name}`,
            zone.name
          )
        })
        .catch((error: unknown) => {
          // The API has no transaction here: say exactly what the name holds now, and that a
          // new run finishes the job (it keeps the new address and deletes only the rest).
          const left = surplus.slice(index).map(r => r.content)
          throw new ProviderError(
            `${error instanceof Error ? error.message : String(error)}. ${desired.name} ${desired.type} now holds ${value} and still ${left.join(', ')}: run again to delete the rest, or delete ${left.length === 1 ? 'it' : 'them'} in the dashboard`,
            { cause: error }
          )
        })
    }
    await verifyWritten(zone, change)
    return {}
  }

  /**
   * Reads the name once more after writing. A record another writer added meanwhile (Cloudflare
   * allows several A records at a name) would leave the name answering more than `ip`; it is
   * reported as a lost race, so the step re-reads and re-plans instead of claiming success.
   */
  async function verifyWritten(zone: ZoneRef, change: RecordWrite): Promise<void> {
    const { desired } = change
    const after = toCurrent(desired.name, desired.type, await listRecords(zone, desired.name))
    const held = after.recordSet === undefined ? [] : recordsOf(after.recordSet)
    const exact =
      held.length === 1 &&
      canonicalAddress(held[0]!.content) === desired.values[0] &&
      held[0]!.ttl === desired.ttl &&
      !held[0]!.proxied
    if (!exact || after.cname !== undefined) {
      throw new PreconditionFailedError(
        `after writing, ${desired.name} ${desired.type} holds ${describeRecords(held)}: another writer changed it at the same time`
      )
    }
  }

  /** The TXT records at `name`, each with the value its content holds. */
  async function txtRecordsAt(zone: ZoneRef, name: string): Promise<{ id: string; value: string }[]> {
    stats.reads++
    const records = await listRecords(zone, name)
    const cname = records.find(r => r.type === 'CNAME')
    if (cname !== undefined) {
      throw new ProviderError(
        `Cloudflare: ${name} is a CNAME to ${cname.content.replace(/\.$/, '').toLowerCase()}; TXT values cannot sit beside it (write them at the target)`
      )
    }
    return records
      .filter(r => r.type === 'TXT')
      .map(r => {
        const value = unquoteTxtValue(r.content, 'decimal')
        if (value === undefined) {
          throw new ProviderError(`Cloudflare: ${name} TXT record ${r.id} has content whose quoting is broken`)
        }
        return { id: r.id, value }
      })
  }

  // Cloudflare keeps one record per TXT value, so adding or removing a value never rewrites the
  // others: a value another writer adds meanwhile is its own record, and stays. The race left is
  // on the same value: two adds (the second refused as identical, which is the goal met) or two
  // removes (the second meets 404, also the goal met).
  const txt: TxtRecords = {
    readTxt: async (zone, name) => (await txtRecordsAt(zone, name)).map(r => r.value),
    async addTxtValue(zone, name, value, ttl) {
      if ((await txtRecordsAt(zone, name)).some(r => r.value === value)) return {}
      stats.writes++
      await call('POST', `/zones/${encodeURIComponent(zoneId(zone))}/dns_records`, {
        type: 'TXT',
        name,
        content: quoteTxtValue(value, 'decimal'),
        ttl
      }).catch(error => {
        if (error instanceof CloudflareApiError && error.codes.some(c => RECORD_EXISTS_CODES.has(c))) return undefined
        return explain(error, `add a value to ${name} TXT`, zone.name)
      })
      return {}
    },
    async removeTxtValue(zone, name, value) {
      const base = `/zones/${encodeURIComponent(zoneId(zone))}/dns_records`
      for (const record of (await txtRecordsAt(zone, name)).filter(r => r.value === value)) {
        stats.writes++
        await call('DELETE', `${base}/${encodeURIComponent(record.id)}`).catch(error => {
          if (
            error instanceof CloudflareApiError &&
            (error.status === 404 || error.codes.some(c => RECORD_GONE_CODES.has(c)))
          ) {
            return undefined
          }
          return explain(error, `remove a value from ${name} TXT (record ${record.id})`, zone.name)
        })
      }
      return {}
    }
  }

  return { displayName: 'Cloudflare', stats, findZone, read, write, txt }
}

/**
 * The API root without a trailing slash. The token travels in every request, so plain HTTP is
 * accepted only to a loopback address (local emulators and tests).
 */
function parseBaseUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ProviderError(`Cloudflare: CLOUDFLARE_BASE_URL "${raw}" is not a URL`)
  }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const loopback = host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'))
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ProviderError(
      `Cloudflare: CLOUDFLARE_BASE_URL must be an https URL (plain http only to a loopback address), got ${url.origin}`
    )
  }
  return url.href.replace(/\/+$/, '')
}

function isAuthFailure(error: CloudflareApiError): boolean {
  return error.status === 401 || error.status === 403 || error.codes.some(c => AUTH_CODES.has(c))
}

function zoneId(zone: ZoneRef): string {
  if (zone.id === undefined) throw new ProviderError(`Cloudflare: zone ${zone.name} has no id`)
  return zone.id
}

/** The records of `type` at `name` as one set; a CNAME is reported beside it. */
function toCurrent(name: string, type: RecordType, records: readonly CloudflareRecord[]): CurrentRecords {
  const cname = records.find(r => r.type === 'CNAME')
  const ofType = records.filter(r => r.type === type)
  if (ofType.length === 0) return { recordSet: undefined, cname: cname?.content.replace(/\.$/, '').toLowerCase() }
  const recordSet: RecordSet = {
    name,
    type,
    // A proxied record is answered with Cloudflare's own addresses, never its content, and has no
    // TTL of its own: TTL 0 (which no input allows) makes the planner rewrite it with proxied false.
    ttl: ofType.some(r => r.proxied === true) ? 0 : Math.min(...ofType.map(r => r.ttl)),
    values: ofType.map(r => canonicalAddress(r.content)),
    version: ofType.map(r => r.id).join(','),
    metadata: {
      records: ofType.map(r => ({
        id: r.id,
        content: r.content,
        ttl: r.ttl,
        proxied: r.proxied === true,
        comment: r.comment ?? null,
        tags: r.tags ?? []
      }))
    }
  }
  return { recordSet, cname: cname?.content.replace(/\.$/, '').toLowerCase() }
}

interface RecordSnapshot {
  readonly id: string
  readonly content: string
  readonly ttl: number
  readonly proxied: boolean
  readonly comment: string | null
  readonly tags: readonly string[]
}

/** The records behind a set, in the order Cloudflare listed them. */
function recordsOf(set: RecordSet): RecordSnapshot[] {
  return [...((set.metadata?.['records'] ?? []) as RecordSnapshot[])]
}

/** Same records (ids) with the same DNS data, in any order. */
function sameRecords(a: readonly RecordSnapshot[], b: readonly RecordSnapshot[]): boolean {
  const key = (r: RecordSnapshot): string => `${r.id} ${r.content} ${r.ttl} ${r.proxied}`
  const left = a.map(key).sort()
  const right = b.map(key).sort()
  return left.length === right.length && left.every((k, i) => k === right[i])
}

function describeRecords(records: readonly RecordSnapshot[]): string {
  if (records.length === 0) return 'nothing'
  return records.map(r => `${r.content} (TTL ${r.ttl}${r.proxied ? ', proxied' : ''})`).join(', ')
}

function parseEnvelope<T>(text: string): Envelope<T> | undefined {
  try {
    const value = JSON.parse(text) as Envelope<T>
    return typeof value === 'object' && value !== null && 'success' in value ? value : undefined
  } catch {
    return undefined
  }
}

function describeErrors(envelope: Envelope<unknown> | undefined): string {
  const errors = envelope?.errors ?? []
  if (errors.length === 0) return ''
  return `: ${errors.map(e => `${e.code} ${e.message}`).join('; ')}`
}

function describeCause(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
    return `${error.message}${cause}`
  }
  return String(error)
}

/** Delay before the next attempt: Retry-After when the server sent one, else exponential with jitter. */
export function backoff(policy: CloudflareRetryPolicy, attempt: number, retryAfter: string | null | undefined): number {
  const asked = parseRetryAfter(retryAfter)
  if (asked !== undefined) return Math.min(asked, policy.maxDelayMs)
  const ceiling = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs)
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2)
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date. */
function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}
