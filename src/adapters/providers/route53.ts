// Amazon Route 53 through @aws-sdk/client-route-53. The client is built without an `endpoint`, so
// the SDK's own configuration applies: the default credential chain (what
// aws-actions/configure-aws-credentials exports), AWS_REGION, and AWS_ENDPOINT_URL_ROUTE_53 /
// AWS_ENDPOINT_URL for private endpoints, proxies and emulators.
//
// Every write is one ChangeResourceRecordSets batch, which Route 53 applies atomically: a replace
// is a DELETE of exactly the set that was read plus a CREATE of the new one, so it fails
// (InvalidChangeBatch) instead of overwriting when someone changed the set in between; a create is
// a CREATE alone, which fails when the set appeared meanwhile.

//
// The registry imports this module on every run, so the SDK is imported only as types here and
// loaded with `await import()` when the client is made: it stays in a chunk only Route 53 runs load.

import type { Change, HostedZone, ResourceRecordSet, Route53Client } from '@aws-sdk/client-route-53'
import type { InputReader } from '../../core/inputs.ts'
import type { CurrentRecords, RecordSet } from '../../core/planner.ts'
import type { RecordType } from '../../core/settings.ts'
import { quoteTxtValue, unquoteTxtValue } from '../../core/txt.ts'
import {
  PreconditionFailedError,
  ProviderError,
  untilNotRaced,
  type DnsProvider,
  type ProviderModule,
  type ProviderStats,
  type RecordWrite,
  type TxtRecords,
  type WriteResult,
  type ZoneRef
} from './provider.ts'
import { canonicalAddress, isInZone, zoneCandidates } from '../../core/names.ts'

const ROUTE53_ZONE_ID = /^(?:\/hostedzone\/)?(Z[A-Z0-9]{1,31})$/

/** provider route53; credentials and region come from the AWS SDK's own chain. */
export interface Route53Settings {
  readonly kind: 'route53'
  readonly hostedZoneId: string | undefined
}

export const route53: ProviderModule<Route53Settings> = {
  name: 'route53',
  inputs: [
    {
      name: 'route53-hosted-zone-id',
      required: false,
      secret: false,
      description:
        'Route 53 hosted zone id. Found by name when empty (public zones preferred). Credentials come from the AWS default chain.'
    }
  ],
  parse: parseRoute53Inputs,
  create: async (settings, options) =>
    createRoute53Provider(settings, { requestTimeoutMs: options.requestTimeoutMs, env: options.env })
}

function parseRoute53Inputs(r: InputReader): Route53Settings {
  const raw = r.optional('route53-hosted-zone-id')
  let hostedZoneId: string | undefined
  if (raw !== undefined) {
    const m = ROUTE53_ZONE_ID.exec(raw)
    if (m === null) {
      r.fail(
        'route53-hosted-zone-id',
        `must be a hosted zone id such as Z1D633PJN98FT9 (optionally prefixed /hostedzone/), got ${r.shown('route53-hosted-zone-id', raw)}`
      )
    } else {
      hostedZoneId = m[1]
    }
  }
  return { kind: 'route53', hostedZoneId }
}

export interface Route53Options {
  /** Attempts per API call, the first included (SDK standard retry mode). */
  readonly maxAttempts?: number | undefined
  /** GetChange polling: first interval, doubling up to the maximum. */
  readonly pollIntervalMs?: number | undefined
  readonly maxPollIntervalMs?: number | undefined
  /** Socket idle time after which a request is abandoned and retried (SDK requestTimeout). */
  readonly requestTimeoutMs?: number | undefined
  /** Where AWS_DEFAULT_REGION is read when the SDK finds no region; process.env by default. */
  readonly env?: NodeJS.ProcessEnv | undefined
}

type Route53Sdk = typeof import('@aws-sdk/client-route-53')

/** The client of one run, and the SDK it came from (loaded on first use). */
interface Route53Api {
  readonly client: Route53Client
  readonly sdk: Route53Sdk
}

/** Standard mode retries throttling (Throttling, PriorRequestNotComplete, 429) and 5xx with backoff. */
export const ROUTE53_MAX_ATTEMPTS = 6

export function createRoute53Provider(settings: Route53Settings, options: Route53Options = {}): DnsProvider {
  let clientPromise: Promise<Route53Api> | undefined
  /** One client per run, created on first use (loading the SDK and resolving the region are asynchronous). */
  const getClient = (): Promise<Route53Api> =>
    (clientPromise ??= createRoute53Client(
      options.maxAttempts ?? ROUTE53_MAX_ATTEMPTS,
      options.requestTimeoutMs ?? 30_000,
      options.env ?? process.env
    ))
  const stats: ProviderStats = { reads: 0, writes: 0 }
  // GetChange at once, after 1 s, then every 2 s: INSYNC is seen within 2 s of Route 53 reporting it
  // (the nameservers are polled alongside), at 0.5 requests per second, far below the API's limit
  // of 5 per second per account, so parallel runs in one account still have room.
  const pollMs = options.pollIntervalMs ?? 1_000
  const maxPollMs = options.maxPollIntervalMs ?? 2_000

  async function findZone(domain: string, zoneHint: string | undefined): Promise<ZoneRef> {
    if (settings.hostedZoneId !== undefined) {
      const id = settings.hostedZoneId
      const { client, sdk } = await getClient()
      const output = await client
        .send(new sdk.GetHostedZoneCommand({ Id: id }))
        .catch(error => explain(error, `read hosted zone ${id} (route53-hosted-zone-id)`, id))
      const name = fromDnsName(output.HostedZone?.Name ?? '')
      if (zoneHint !== undefined && zoneHint !== name) {
        throw new ProviderError(
          `Route 53: route53-hosted-zone-id ${id} is zone ${name}, but the zone input says ${zoneHint}; fix one of them`
        )
      }
      if (!isInZone(domain, name)) {
        throw new ProviderError(
          `Route 53: ${domain} is not in hosted zone ${id} (${name}); give the id of the zone that holds it`
        )
      }
      return { name, id, visibility: output.HostedZone?.Config?.PrivateZone === true ? 'private' : 'public' }
    }
    if (zoneHint !== undefined && !isInZone(domain, zoneHint)) {
      throw new ProviderError(`Route 53: ${domain} is not inside the zone ${zoneHint} given in the zone input`)
    }
    const candidates = zoneHint !== undefined ? [zoneHint] : zoneCandidates(domain)
    for (const candidate of candidates) {
      const zones = await zonesNamed(candidate)
      if (zones.length === 0) continue
      const publicZones = zones.filter(z => z.Config?.PrivateZone !== true)
      const pool = publicZones.length > 0 ? publicZones : zones
      if (pool.length > 1) {
        throw new ProviderError(
          `Route 53: ${pool.length} ${publicZones.length > 0 ? 'public' : 'private'} hosted zones are named ${candidate} (${pool.map(z => stripId(z.Id)).join(', ')}); set route53-hosted-zone-id to the one to update`
        )
      }
      const visibility = pool[0]!.Config?.PrivateZone === true ? 'private' : 'public'
      return { name: candidate, id: stripId(pool[0]!.Id), visibility }
    }
    throw new ProviderError(
      zoneHint !== undefined
        ? `Route 53: no hosted zone named ${zoneHint} is visible to these credentials; check the account, or give route53-hosted-zone-id`
        : `Route 53: none of ${candidates.join(', ')} is a hosted zone visible to these credentials; check the account, or give zone / route53-hosted-zone-id`
    )
  }

  /** Hosted zones named exactly `name`: they come first in a listing that starts at that name. */
  async function zonesNamed(name: string): Promise<HostedZone[]> {
    const { client, sdk } = await getClient()
    const found: HostedZone[] = []
    let start: { DNSName: string; HostedZoneId?: string | undefined } = { DNSName: name }
    for (;;) {
      const output = await client
        .send(new sdk.ListHostedZonesByNameCommand({ ...start, MaxItems: 20 }))
        .catch(error => explain(error, `list hosted zones named ${name}`, undefined))
      const zones = output.HostedZones ?? []
      const named = zones.filter(z => fromDnsName(z.Name ?? '') === name)
      found.push(...named)
      if (named.length < zones.length || output.IsTruncated !== true || output.NextDNSName === undefined) return found
      if (fromDnsName(output.NextDNSName) !== name) return found
      start = { DNSName: output.NextDNSName, HostedZoneId: output.NextHostedZoneId }
    }
  }

  /** Every record set at `name`: a listing started at the name returns them together, sorted by type. */
  async function setsAt(zone: ZoneRef, name: string): Promise<ResourceRecordSet[]> {
    const { client, sdk } = await getClient()
    stats.reads++
    const atName: ResourceRecordSet[] = []
    let start: {
      StartRecordName: string
      StartRecordType?: string | undefined
      StartRecordIdentifier?: string | undefined
    } = {
      StartRecordName: name
    }
    for (;;) {
      const output = await client
        .send(
          new sdk.ListResourceRecordSetsCommand({
            HostedZoneId: hostedZoneId(zone),
            ...(start as { StartRecordName: string }),
            MaxItems: 100
          })
        )
        .catch(error => explain(error, `list the record sets of ${name}`, hostedZoneId(zone)))
      const sets = output.ResourceRecordSets ?? []
      const here = sets.filter(s => fromDnsName(s.Name ?? '') === name)
      atName.push(...here)
      if (here.length < sets.length || output.IsTruncated !== true || output.NextRecordName === undefined) break
      start = {
        StartRecordName: output.NextRecordName,
        StartRecordType: output.NextRecordType,
        StartRecordIdentifier: output.NextRecordIdentifier
      }
    }
    return atName
  }

  /** The one simple set of `type` among `atName`, refusing routing policies and aliases. */
  function simpleSet(atName: readonly ResourceRecordSet[], name: string, type: string): ResourceRecordSet | undefined {
    const ofType = atName.filter(s => s.Type === type)
    if (ofType.length === 0) return undefined
    const set = ofType[0]!
    if (ofType.length > 1 || set.SetIdentifier !== undefined) {
      throw new ProviderError(
        `Route 53: ${name} ${type} uses a routing policy (${ofType.length} record sets with set identifiers ${ofType.map(s => s.SetIdentifier).join(', ')}); this action manages only a simple record, so it changes nothing. Remove them or use another name`
      )
    }
    if (set.AliasTarget !== undefined) {
      throw new ProviderError(
        `Route 53: ${name} ${type} is an alias to ${fromDnsName(set.AliasTarget.DNSName ?? '')}; this action does not replace alias records. Delete the alias or use another name`
      )
    }
    return set
  }

  async function read(zone: ZoneRef, name: string, type: RecordType): Promise<CurrentRecords> {
    const atName = await setsAt(zone, name)
    const cname = atName.find(s => s.Type === 'CNAME')
    const cnameTarget = cname?.ResourceRecords?.[0]?.Value ?? cname?.AliasTarget?.DNSName
    const set = simpleSet(atName, name, type)
    if (set === undefined) {
      return { recordSet: undefined, cname: cnameTarget === undefined ? undefined : fromDnsName(cnameTarget) }
    }
    const recordSet: RecordSet = {
      name,
      type,
      ttl: set.TTL ?? 0,
      values: (set.ResourceRecords ?? []).map(r => canonicalAddress(r.Value ?? '')),
      // The exact set as Route 53 returned it: a replace deletes precisely this.
      metadata: { resourceRecordSet: set }
    }
    return { recordSet, cname: cnameTarget === undefined ? undefined : fromDnsName(cnameTarget) }
  }

  /** The TXT set at `name` and its values (each record's quoted strings joined). */
  async function readTxtSet(
    zone: ZoneRef,
    name: string
  ): Promise<{ set: ResourceRecordSet | undefined; values: string[] }> {
    const atName = await setsAt(zone, name)
    const cname = atName.find(s => s.Type === 'CNAME')
    if (cname !== undefined) {
      const target = cname.ResourceRecords?.[0]?.Value ?? cname.AliasTarget?.DNSName ?? '?'
      throw new ProviderError(
        `Route 53: ${name} is a CNAME to ${fromDnsName(target)}; TXT values cannot sit beside it (write them at the target)`
      )
    }
    const set = simpleSet(atName, name, 'TXT')
    const values = (set?.ResourceRecords ?? []).map(r => {
      const value = unquoteTxtValue(r.Value ?? '', 'octal')
      if (value === undefined) {
        throw new ProviderError(
          `Route 53: ${name} TXT holds a value whose quoting is broken: ${JSON.stringify(r.Value)}`
        )
      }
      return value
    })
    return { set, values }
  }

  /**
   * Adds `value` (with `ttl` given) or removes it (without) in one all-or-nothing batch: DELETE of
   * exactly the set that was read (its TTL and every value) and CREATE of the changed set, or a
   * lone CREATE / DELETE where there was no set / nothing remains. A batch whose DELETE no longer
   * matches, or whose CREATE meets a set, is a lost race: read again.
   */
  function changeTxt(zone: ZoneRef, name: string, value: string, ttl: number | undefined): Promise<WriteResult> {
    const add = ttl !== undefined
    return untilNotRaced(`Route 53: ${add ? 'adding a value to' : 'removing a value from'} ${name} TXT`, async () => {
      const { set, values } = await readTxtSet(zone, name)
      if (values.includes(value) === add) return {}
      const records = set?.ResourceRecords ?? []
      const kept = add
        ? [...records, { Value: quoteTxtValue(value, 'octal') }]
        : records.filter((_, i) => values[i] !== value)
      const changes = [
        ...(set === undefined ? [] : [{ Action: 'DELETE' as const, ResourceRecordSet: set }]),
        ...(kept.length === 0
          ? []
          : [
              {
                Action: 'CREATE' as const,
                ResourceRecordSet: {
                  Name: `${name}.`,
                  Type: 'TXT' as const,
                  TTL: set?.TTL ?? ttl,
                  ResourceRecords: kept
                }
              }
            ])
      ]
      return submit(zone, changes, `${add ? 'add a value to' : 'remove a value from'} ${name} TXT`)
    })
  }

  /** One ChangeResourceRecordSets batch; a stale batch is a PreconditionFailedError. */
  async function submit(zone: ZoneRef, changes: Change[], what: string): Promise<WriteResult> {
    const { client, sdk } = await getClient()
    stats.writes++
    const output = await client
      .send(
        new sdk.ChangeResourceRecordSetsCommand({
          HostedZoneId: hostedZoneId(zone),
          ChangeBatch: { Comment: 'ldaps-dns-action', Changes: changes }
        })
      )
      .catch(error => {
        if (isError(error) && error.name === 'InvalidChangeBatch' && STALE_BATCH.test(batchMessage(error))) {
          throw new PreconditionFailedError(`Route 53 refused the change batch: ${batchMessage(error)}`)
        }
        return explain(error, what, hostedZoneId(zone))
      })
    return { changeId: output.ChangeInfo?.Id === undefined ? undefined : stripId(output.ChangeInfo.Id) }
  }

  const txt: TxtRecords = {
    readTxt: async (zone, name) => (await readTxtSet(zone, name)).values,
    addTxtValue: (zone, name, value, ttl) => changeTxt(zone, name, value, ttl),
    removeTxtValue: (zone, name, value) => changeTxt(zone, name, value, undefined)
  }

  async function write(zone: ZoneRef, change: RecordWrite): Promise<WriteResult> {
    const { desired } = change
    const created: ResourceRecordSet = {
      Name: `${desired.name}.`,
      Type: desired.type,
      TTL: desired.ttl,
      ResourceRecords: desired.values.map(Value => ({ Value }))
    }
    const changes =
      change.kind === 'create'
        ? [{ Action: 'CREATE' as const, ResourceRecordSet: created }]
        : [
            { Action: 'DELETE' as const, ResourceRecordSet: exactSet(change.expected) },
            { Action: 'CREATE' as const, ResourceRecordSet: created }
          ]
    return submit(zone, changes, `change ${desired.name} ${desired.type}`)
  }

  async function waitInSync(result: WriteResult, signal: AbortSignal): Promise<boolean> {
    const { client, sdk } = await getClient()
    const id = result.changeId
    if (id === undefined) return false
    let interval = pollMs
    while (!signal.aborted) {
      const output = await client.send(new sdk.GetChangeCommand({ Id: id }), { abortSignal: signal }).catch(error => {
        if (signal.aborted) return undefined
        return explain(error, `read the status of change ${id}`, undefined)
      })
      if (output?.ChangeInfo?.Status === 'INSYNC') return true
      if (signal.aborted) break
      await abortableSleep(interval, signal)
      interval = Math.min(interval * 2, maxPollMs)
    }
    return false
  }

  return { displayName: 'Route 53', stats, findZone, read, write, waitInSync, txt }
}

/**
 * The client with the SDK's own configuration: no endpoint (AWS_ENDPOINT_URL_ROUTE_53 /
 * AWS_ENDPOINT_URL apply), the default credential chain, and the region from AWS_REGION or the
 * profile. Route 53 is global and signs in us-east-1 in the commercial partition, so when no
 * region is configured anywhere the client uses us-east-1 instead of failing.
 */
async function createRoute53Client(
  maxAttempts: number,
  requestTimeoutMs: number,
  env: NodeJS.ProcessEnv
): Promise<Route53Api> {
  const sdk = await import('@aws-sdk/client-route-53')
  const settings = {
    // Standard mode retries throttling (Throttling, PriorRequestNotComplete, 429) and transient
    // errors (5xx, dropped connections) with exponential backoff and a retry quota.
    retryMode: 'standard',
    maxAttempts,
    // throwOnRequestTimeout: without it this SDK only logs a warning when requestTimeout passes
    // and keeps waiting, so a stalled answer would hold the run until the job's own timeout.
    // socketTimeout: requestTimeout stops counting at the headers; an answer whose body stops
    // coming on an open connection is ended by the socket's inactivity timeout instead.
    requestHandler: {
      connectionTimeout: 10_000,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: requestTimeoutMs
    }
  } as const
  const probe = new sdk.Route53Client(settings)
  let region: string
  try {
    region = await probe.config.region()
  } catch {
    region = env['AWS_DEFAULT_REGION'] || 'us-east-1'
  } finally {
    probe.destroy()
  }
  return { client: new sdk.Route53Client({ ...settings, region }), sdk }
}

/** InvalidChangeBatch messages that mean the zone no longer matches what was read. */
const STALE_BATCH = /but it was not found|values provided do not match|but it already exists|conflicting RRSet/i

function batchMessage(error: Error): string {
  const messages = (error as { messages?: unknown }).messages
  return Array.isArray(messages) && messages.length > 0 ? messages.join('; ') : error.message
}

function exactSet(expected: RecordSet): ResourceRecordSet {
  const set = expected.metadata?.['resourceRecordSet'] as ResourceRecordSet | undefined
  if (set !== undefined) return set
  return {
    Name: `${expected.name}.`,
    Type: expected.type,
    TTL: expected.ttl,
    ResourceRecords: expected.values.map(Value => ({ Value }))
  }
}

/** Turns an SDK failure into a sentence naming the zone and what to fix. */
function explain(error: unknown, what: string, zoneId: string | undefined): never {
  if (!isError(error)) throw error
  const where = zoneId === undefined ? '' : ` in hosted zone ${zoneId}`
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
  const code = `${error.name}${status === undefined ? '' : `, HTTP ${status}`}`
  if (error.name === 'CredentialsProviderError') {
    throw new ProviderError(
      `Route 53: no AWS credentials to ${what}: ${error.message}. Run aws-actions/configure-aws-credentials (or set the AWS_* environment) before this step`,
      { cause: error }
    )
  }
  if (
    error.name === 'AccessDenied' ||
    error.name === 'AccessDeniedException' ||
    status === 403 ||
    /^(InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken|UnrecognizedClientException)$/.test(error.name)
  ) {
    throw new ProviderError(
      `Route 53: the AWS credentials were refused while trying to ${what}${where} (${code}: ${error.message}). They need route53:ListHostedZonesByName, route53:GetHostedZone, route53:ListResourceRecordSets, route53:ChangeResourceRecordSets on arn:aws:route53:::hostedzone/${zoneId ?? '<zone id>'} and route53:GetChange on arn:aws:route53:::change/*`,
      { cause: error }
    )
  }
  if (error.name === 'NoSuchHostedZone') {
    throw new ProviderError(`Route 53: hosted zone ${zoneId ?? ''} does not exist in this account (${error.message})`, {
      cause: error
    })
  }
  if (error.name === 'InvalidChangeBatch') {
    throw new ProviderError(`Route 53: could not ${what}${where}: ${batchMessage(error)}`, { cause: error })
  }
  throw new ProviderError(`Route 53: could not ${what}${where} (${code}): ${error.message}`, { cause: error })
}

function isError(error: unknown): error is Error {
  return error instanceof Error
}

function hostedZoneId(zone: ZoneRef): string {
  if (zone.id === undefined) throw new ProviderError(`Route 53: zone ${zone.name} has no hosted zone id`)
  return zone.id
}

function stripId(id: string | undefined): string {
  return (id ?? '').replace(/^\/(hostedzone|change)\//, '')
}

/** Route 53 names end with a dot and escape some characters as \ddd (e.g. \052 for *). */
function fromDnsName(name: string): string {
  return name
    .replace(/\\(\d{3})/g, (_, code: string) => String.fromCharCode(parseInt(code, 8)))
    .replace(/\.$/, '')
    .toLowerCase()
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
