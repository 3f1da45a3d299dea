// A local stand-in for the Route 53 REST-XML API (version 2013-04-01) as far as this action uses
// it: GetHostedZone, ListHostedZonesByName (ordered by reversed labels), ListResourceRecordSets
// (started at name/type, ordered by reversed name then type), ChangeResourceRecordSets applied
// atomically with Route 53's InvalidChangeBatch messages (CREATE of an existing set, DELETE of a
// missing or different set, A beside CNAME), GetChange turning PENDING into INSYNC, ErrorResponse
// bodies, and AWS Signature V4 checked against the test's key pairs (403 InvalidClientTokenId /
// SignatureDoesNotMatch / AccessDenied). Faults (Throttling 400, PriorRequestNotComplete 400,
// 5xx) can be injected. Plain HTTP on a loopback address, reached through AWS_ENDPOINT_URL_ROUTE_53.

import { armNetworkFault, readBody, type NetworkFault } from './http-faults.ts'
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

const NS = 'https://route53.amazonaws.com/doc/2013-04-01/'

export interface FakeRecordSet {
  Name: string
  Type: string
  TTL?: number | undefined
  SetIdentifier?: string | undefined
  ResourceRecords?: string[] | undefined
  AliasTarget?: { HostedZoneId: string; DNSName: string; EvaluateTargetHealth: boolean } | undefined
}

export interface FakeHostedZone {
  Id: string
  Name: string
  PrivateZone: boolean
  recordSets: FakeRecordSet[]
}

export interface Credentials {
  readonly secretAccessKey: string
  /** Whether the key's policy allows route53:ChangeResourceRecordSets (reads are always allowed). */
  readonly canWrite: boolean
}

export interface LoggedRequest {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly body: XmlNode | undefined
  /** The operation as Route 53 names it, e.g. ListResourceRecordSets. */
  readonly operation: string
  readonly authorization: string
}

export interface Fault {
  readonly status: number
  readonly code: string
  /** Only this operation is faulted; any when unset. */
  readonly operation?: string
  /** A Retry-After header on the fault (Route 53 documents none; the SDK reads it when present). */
  readonly retryAfter?: string
}

export interface Route53Server {
  readonly endpoint: string
  readonly zones: FakeHostedZone[]
  readonly credentials: Map<string, Credentials>
  readonly requests: LoggedRequest[]
  readonly faults: Fault[]
  /** Transport faults (cut or stalled answers), see http-faults.ts. */
  readonly networkFaults: NetworkFault[]
  /** GetChange calls a change stays PENDING for. */
  pendingPolls: number
  afterRequest: ((request: LoggedRequest) => void) | undefined
  addZone(name: string, options?: { private?: boolean }): FakeHostedZone
  find(zone: FakeHostedZone, name: string, type: string): FakeRecordSet | undefined
  /** ChangeResourceRecordSets calls. */
  writes(): LoggedRequest[]
  /** Forgets every zone, key, request, fault, change and hook, as a freshly started server. */
  reset(): void
  close(): Promise<void>
}

export async function startRoute53Server(host: string): Promise<Route53Server> {
  const zones: FakeHostedZone[] = []
  const credentials = new Map<string, Credentials>()
  const requests: LoggedRequest[] = []
  const faults: Fault[] = []
  const changes = new Map<string, { submittedAt: string; polls: number; comment: string | undefined }>()
  const state = {
    pendingPolls: 1,
    afterRequest: undefined as ((request: LoggedRequest) => void) | undefined
  }

  const networkFaults: NetworkFault[] = []
  const server: Server = createServer((req, res) => {
    armNetworkFault(networkFaults, req, res)
    void handle(req, res).catch(error => sendError(res, 500, 'InternalFailure', String(error), 'Receiver'))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const raw = await readBody(req)
    const method = req.method ?? 'GET'
    const operation = operationOf(method, url.pathname)
    let body: XmlNode | undefined
    if (raw !== '') {
      try {
        body = parseXml(raw)
      } catch (error) {
        return sendError(res, 400, 'MalformedInput', `Invalid XML: ${String(error)}`)
      }
    }
    const logged: LoggedRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      body,
      operation,
      authorization: req.headers.authorization ?? ''
    }
    requests.push(logged)
    try {
      const denied = checkSignature(req, url, raw, credentials)
      if (denied !== undefined) return sendError(res, 403, denied.code, denied.message)
      const faultIndex = faults.findIndex(f => f.operation === undefined || f.operation === operation)
      if (faultIndex >= 0) {
        const fault = faults.splice(faultIndex, 1)[0]!
        if (fault.retryAfter !== undefined) res.setHeader('retry-after', fault.retryAfter)
        const message =
          fault.code === 'PriorRequestNotComplete'
            ? 'The request was rejected because Route 53 was still processing a prior request.'
            : fault.code === 'Throttling'
              ? 'Rate exceeded'
              : 'We encountered an internal error. Please try again.'
        return sendError(res, fault.status, fault.code, message, fault.status >= 500 ? 'Receiver' : 'Sender')
      }
      if (operation === 'ChangeResourceRecordSets') {
        const key = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? ''
        if (credentials.get(key)?.canWrite !== true) {
          return sendError(
            res,
            403,
            'AccessDenied',
            `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: route53:ChangeResourceRecordSets on resource: arn:aws:route53:::hostedzone/${url.pathname.split('/')[3]} because no identity-based policy allows the route53:ChangeResourceRecordSets action`
          )
        }
      }
      route(operation, url, body, res)
    } finally {
      state.afterRequest?.(logged)
    }
  }

  function route(operation: string, url: URL, body: XmlNode | undefined, res: ServerResponse): void {
    const parts = url.pathname.replace(/\/$/, '').split('/') // ['', '2013-04-01', ...]
    switch (operation) {
      case 'ListHostedZonesByName': {
        const dnsName = url.searchParams.get('dnsname')
        const startId = url.searchParams.get('hostedzoneid')
        const maxItems = Number(url.searchParams.get('maxitems') ?? '100')
        const sorted = [...zones].sort((a, b) => compareNames(a.Name, b.Name) || a.Id.localeCompare(b.Id))
        const start = dnsName === null ? undefined : dotted(dnsName)
        const { page, next } = pageOf(
          sorted,
          start === undefined
            ? undefined
            : z => compareNames(z.Name, start) > 0 || (z.Name === start && (startId === null || z.Id >= startId)),
          maxItems
        )
        return send(
          res,
          200,
          el(
            'ListHostedZonesByNameResponse',
            el('HostedZones', ...page.map(zoneXml)),
            dnsName === null ? '' : el('DNSName', esc(dnsName)),
            startId === null ? '' : el('HostedZoneId', startId),
            el('IsTruncated', String(next !== undefined)),
            next === undefined ? '' : el('NextDNSName', esc(next.Name)) + el('NextHostedZoneId', next.Id),
            el('MaxItems', String(maxItems))
          )
        )
      }
      case 'GetHostedZone': {
        const zone = zones.find(z => z.Id === parts[3])
        if (zone === undefined)
          return sendError(res, 404, 'NoSuchHostedZone', `No hosted zone found with ID: ${parts[3]}`)
        return send(
          res,
          200,
          el(
            'GetHostedZoneResponse',
            zoneXml(zone),
            el(
              'DelegationSet',
              el('NameServers', el('NameServer', 'ns-1.awsdns-00.com'), el('NameServer', 'ns-2.awsdns-00.net'))
            )
          )
        )
      }
      case 'ListResourceRecordSets': {
        const zone = zones.find(z => z.Id === parts[3])
        if (zone === undefined)
          return sendError(res, 404, 'NoSuchHostedZone', `No hosted zone found with ID: ${parts[3]}`)
        const name = url.searchParams.get('name')
        const type = url.searchParams.get('type')
        if (type !== null && name === null) {
          return sendError(res, 400, 'InvalidInput', 'The input is not valid: type requires name')
        }
        const maxItems = Math.min(Number(url.searchParams.get('maxitems') ?? '300'), 300)
        const sorted = [...zone.recordSets].sort(compareSets)
        const start = name === null ? undefined : dotted(name)
        const { page, next } = pageOf(
          sorted,
          start === undefined
            ? undefined
            : s => compareNames(s.Name, start) > 0 || (s.Name === start && (type === null || s.Type >= type)),
          maxItems
        )
        return send(
          res,
          200,
          el(
            'ListResourceRecordSetsResponse',
            el('ResourceRecordSets', ...page.map(setXml)),
            el('IsTruncated', String(next !== undefined)),
            next === undefined
              ? ''
              : el('NextRecordName', esc(next.Name)) +
                  el('NextRecordType', next.Type) +
                  (next.SetIdentifier === undefined ? '' : el('NextRecordIdentifier', esc(next.SetIdentifier))),
            el('MaxItems', String(maxItems))
          )
        )
      }
      case 'ChangeResourceRecordSets': {
        const zone = zones.find(z => z.Id === parts[3])
        if (zone === undefined)
          return sendError(res, 404, 'NoSuchHostedZone', `No hosted zone found with ID: ${parts[3]}`)
        const batch = body?.child('ChangeBatch')
        const list = batch?.child('Changes')?.children.filter(c => c.name === 'Change') ?? []
        if (list.length === 0) return sendError(res, 400, 'InvalidInput', 'Invalid request: no changes')
        const result = applyBatch(zone, list)
        if (typeof result === 'string') return sendError(res, 400, 'InvalidChangeBatch', result)
        zone.recordSets = result
        const id = `C${randomBytes(10).toString('hex').toUpperCase()}`
        const comment = batch?.child('Comment')?.text
        changes.set(id, { submittedAt: new Date().toISOString(), polls: 0, comment })
        return send(res, 200, el('ChangeResourceRecordSetsResponse', changeXml(id, 'PENDING')))
      }
      case 'GetChange': {
        const change = changes.get(parts[3] ?? '')
        if (change === undefined)
          return sendError(res, 404, 'NoSuchChange', `A change with the specified change ID does not exist.`)
        change.polls++
        return send(
          res,
          200,
          el('GetChangeResponse', changeXml(parts[3]!, change.polls > state.pendingPolls ? 'INSYNC' : 'PENDING'))
        )
      }
      default:
        return sendError(res, 404, 'UnknownOperationException', `Unknown operation ${url.pathname}`)
    }
  }

  function changeXml(id: string, status: string): string {
    const change = changes.get(id)!
    return el(
      'ChangeInfo',
      el('Id', `/change/${id}`),
      el('Status', status),
      el('SubmittedAt', change.submittedAt),
      change.comment === undefined ? '' : el('Comment', esc(change.comment))
    )
  }

  /** Validates the whole batch against the zone and returns the new record sets, or the error message. */
  function applyBatch(zone: FakeHostedZone, list: XmlNode[]): FakeRecordSet[] | string {
    const sets = zone.recordSets.map(s => ({ ...s }))
    const problems: string[] = []
    for (const change of list) {
      const action = change.child('Action')?.text
      const set = parseSet(change.child('ResourceRecordSet'))
      const label = `[name='${set.Name}', type='${set.Type}'${set.SetIdentifier === undefined ? '' : `, set-identifier='${set.SetIdentifier}'`}]`
      const index = sets.findIndex(
        s => s.Name === set.Name && s.Type === set.Type && s.SetIdentifier === set.SetIdentifier
      )
      if (!set.Name.endsWith(`${zone.Name}`)) {
        problems.push(`RRSet with DNS name ${set.Name} is not permitted in zone ${zone.Name}`)
        continue
      }
      const invalid = invalidValue(set)
      if (invalid !== undefined) {
        problems.push(invalid)
        continue
      }
      if (action === 'DELETE') {
        if (index < 0) problems.push(`Tried to delete resource record set ${label} but it was not found`)
        else if (!sameSet(sets[index]!, set)) {
          problems.push(
            `Tried to delete resource record set ${label} but the values provided do not match the current values`
          )
        } else sets.splice(index, 1)
        continue
      }
      if (action === 'CREATE' && index >= 0) {
        problems.push(`Tried to create resource record set ${label} but it already exists`)
        continue
      }
      const others = sets.filter(s => s.Name === set.Name && s.Type !== set.Type)
      const conflicting = set.Type === 'CNAME' ? others[0] : others.find(s => s.Type === 'CNAME')
      if (conflicting !== undefined) {
        problems.push(
          `RRSet of type ${set.Type} with DNS name ${set.Name} is not permitted because a conflicting RRSet of type ${conflicting.Type} with the same DNS name already exists in zone ${zone.Name}`
        )
        continue
      }
      if (action === 'CREATE') sets.push(set)
      else if (action === 'UPSERT') {
        if (index >= 0) sets[index] = set
        else sets.push(set)
      } else problems.push(`Invalid action ${action}`)
    }
    return problems.length > 0 ? `[${problems.join(', ')}]` : sets
  }

  await new Promise<void>(resolve => server.listen(0, host, resolve))
  const { port } = server.address() as AddressInfo

  return Object.assign(state, {
    endpoint: `http://${host}:${port}`,
    zones,
    credentials,
    requests,
    faults,
    networkFaults,
    addZone(name: string, options: { private?: boolean } = {}): FakeHostedZone {
      const zone: FakeHostedZone = {
        Id: `Z${randomBytes(10).toString('hex').toUpperCase().slice(0, 18)}`,
        Name: dotted(name),
        PrivateZone: options.private === true,
        recordSets: [
          {
            Name: dotted(name),
            Type: 'NS',
            TTL: 172800,
            ResourceRecords: ['ns-1.awsdns-00.com.', 'ns-2.awsdns-00.net.']
          },
          {
            Name: dotted(name),
            Type: 'SOA',
            TTL: 900,
            ResourceRecords: ['ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400']
          }
        ]
      }
      zones.push(zone)
      return zone
    },
    find(zone: FakeHostedZone, name: string, type: string): FakeRecordSet | undefined {
      return zone.recordSets.find(s => s.Name === dotted(name) && s.Type === type)
    },
    writes(): LoggedRequest[] {
      return requests.filter(r => r.operation === 'ChangeResourceRecordSets')
    },
    reset(): void {
      for (const list of [zones, requests, faults, networkFaults]) list.length = 0
      credentials.clear()
      changes.clear()
      state.pendingPolls = 1
      state.afterRequest = undefined
    },
    close(): Promise<void> {
      server.closeAllConnections()
      return new Promise<void>(resolve => server.close(() => resolve()))
    }
  })
}

function operationOf(method: string, path: string): string {
  const p = path.replace(/\/$/, '')
  if (method === 'GET' && p === '/2013-04-01/hostedzonesbyname') return 'ListHostedZonesByName'
  if (method === 'GET' && /^\/2013-04-01\/hostedzone\/[^/]+$/.test(p)) return 'GetHostedZone'
  if (method === 'GET' && /^\/2013-04-01\/hostedzone\/[^/]+\/rrset$/.test(p)) return 'ListResourceRecordSets'
  if (method === 'POST' && /^\/2013-04-01\/hostedzone\/[^/]+\/rrset$/.test(p)) return 'ChangeResourceRecordSets'
  if (method === 'GET' && /^\/2013-04-01\/change\/[^/]+$/.test(p)) return 'GetChange'
  return 'Unknown'
}

function parseSet(node: XmlNode | undefined): FakeRecordSet {
  const alias = node?.child('AliasTarget')
  const ttl = node?.child('TTL')?.text
  return {
    Name: dotted(node?.child('Name')?.text ?? '').toLowerCase(),
    Type: node?.child('Type')?.text ?? '',
    TTL: ttl === undefined ? undefined : Number(ttl),
    SetIdentifier: node?.child('SetIdentifier')?.text,
    ResourceRecords: node
      ?.child('ResourceRecords')
      ?.children.filter(c => c.name === 'ResourceRecord')
      .map(c => c.child('Value')?.text ?? ''),
    AliasTarget:
      alias === undefined
        ? undefined
        : {
            HostedZoneId: alias.child('HostedZoneId')?.text ?? '',
            DNSName: alias.child('DNSName')?.text ?? '',
            EvaluateTargetHealth: alias.child('EvaluateTargetHealth')?.text === 'true'
          }
  }
}

function invalidValue(set: FakeRecordSet): string | undefined {
  for (const value of set.ResourceRecords ?? []) {
    if (set.Type === 'A' && !/^(\d{1,3})(\.\d{1,3}){3}$/.test(value)) {
      return `ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '${value}'`
    }
    if (set.Type === 'AAAA' && !/^[0-9a-fA-F:.]+$/.test(value)) {
      return `AAAARRDATAIllegalIPv6Address (Value is not a valid IPv6 address) encountered with '${value}'`
    }
    if (set.Type === 'TXT') {
      // TXT values are quoted character-strings ("a" "b"), each at most 255 characters.
      const strings = /^\s*(?:"(?:[^"\\]|\\.)*"\s*)+$/.test(value) ? value.match(/"(?:[^"\\]|\\.)*"/g)! : undefined
      if (strings === undefined) {
        return `Invalid Resource Record: FATAL problem: InvalidCharacterString (Value should be enclosed in quotation marks) encountered with '${value}'`
      }
      const unescaped = (s: string): string => s.slice(1, -1).replace(/\\(\d{3}|.)/g, 'x')
      if (strings.some(s => unescaped(s).length > 255)) {
        return `Invalid Resource Record: FATAL problem: CharacterStringTooLong (Value is too long) encountered with '${value}'`
      }
    }
  }
  if (set.AliasTarget === undefined && (set.TTL === undefined || set.TTL < 0 || set.TTL > 2147483647)) {
    return `Invalid Resource Record: FATAL problem: TTL must be between 0 and 2147483647 encountered with '${set.Name}'`
  }
  return undefined
}

function sameSet(a: FakeRecordSet, b: FakeRecordSet): boolean {
  const values = (s: FakeRecordSet): string => [...(s.ResourceRecords ?? [])].sort().join(' ')
  return (
    a.TTL === b.TTL &&
    values(a) === values(b) &&
    JSON.stringify(a.AliasTarget ?? null) === JSON.stringify(b.AliasTarget ?? null)
  )
}

/** Route 53 orders names by their labels reversed (com.example.www). */
function compareNames(a: string, b: string): number {
  const key = (n: string): string => n.replace(/\.$/, '').split('.').reverse().join('\u0000')
  const ka = key(a)
  const kb = key(b)
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

function compareSets(a: FakeRecordSet, b: FakeRecordSet): number {
  return compareNames(a.Name, b.Name) || (a.Type < b.Type ? -1 : a.Type > b.Type ? 1 : 0)
}

function dotted(name: string): string {
  return name.endsWith('.') ? name : `${name}.`
}

function zoneXml(zone: FakeHostedZone): string {
  return el(
    'HostedZone',
    el('Id', `/hostedzone/${zone.Id}`),
    el('Name', esc(zone.Name)),
    el('CallerReference', `ref-${zone.Id}`),
    el('Config', el('PrivateZone', String(zone.PrivateZone))),
    el('ResourceRecordSetCount', String(zone.recordSets.length))
  )
}

function setXml(set: FakeRecordSet): string {
  return el(
    'ResourceRecordSet',
    el('Name', esc(set.Name)),
    el('Type', set.Type),
    set.SetIdentifier === undefined ? '' : el('SetIdentifier', esc(set.SetIdentifier)),
    set.TTL === undefined ? '' : el('TTL', String(set.TTL)),
    set.ResourceRecords === undefined
      ? ''
      : el('ResourceRecords', ...set.ResourceRecords.map(v => el('ResourceRecord', el('Value', esc(v))))),
    set.AliasTarget === undefined
      ? ''
      : el(
          'AliasTarget',
          el('HostedZoneId', set.AliasTarget.HostedZoneId),
          el('DNSName', esc(set.AliasTarget.DNSName)),
          el('EvaluateTargetHealth', String(set.AliasTarget.EvaluateTargetHealth))
        )
  )
}

/**
 * AWS Signature Version 4 as the SDK signs: canonical request, string to sign, derived key. Any
 * difference (wrong secret, altered header or body) is SignatureDoesNotMatch, like the service.
 */
function checkSignature(
  req: IncomingMessage,
  url: URL,
  body: string,
  credentials: Map<string, Credentials>
): { code: string; message: string } | undefined {
  const header = req.headers.authorization ?? ''
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      header
    )
  if (m === null) return { code: 'MissingAuthenticationToken', message: 'Missing Authentication Token' }
  const [, keyId, date, region, service, signedHeaders, signature] = m as unknown as string[]
  const key = credentials.get(keyId!)
  if (key === undefined) {
    return { code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' }
  }
  if (service !== 'route53')
    return { code: 'SignatureDoesNotMatch', message: `Credential should be scoped to correct service: 'route53'.` }
  const amzDate = String(req.headers['x-amz-date'] ?? '')
  const names = signedHeaders!.split(';')
  const canonicalHeaders = names
    .map(
      n =>
        `${n}:${String(req.headers[n] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`
    )
    .join('')
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
  const path = url.pathname
    .split('/')
    .map(segment => encode(decodeURIComponent(segment)))
    .join('/')
  const canonicalRequest = [
    req.method,
    path,
    query,
    canonicalHeaders,
    signedHeaders,
    createHash('sha256').update(body).digest('hex')
  ].join('\n')
  const scope = `${date}/${region}/${service}/aws4_request`
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex')
  ].join('\n')
  let signingKey: Buffer = Buffer.from(`AWS4${key.secretAccessKey}`)
  for (const part of [date!, region!, service!, 'aws4_request'])
    signingKey = createHmac('sha256', signingKey).update(part).digest()
  const expected = createHmac('sha256', signingKey).update(stringToSign).digest('hex')
  if (expected !== signature) {
    return {
      code: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'
    }
  }
  return undefined
}

function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

function sendError(res: ServerResponse, status: number, code: string, message: string, type = 'Sender'): void {
  send(
    res,
    status,
    el(
      'ErrorResponse',
      el('Error', el('Type', type), el('Code', code), el('Message', esc(message))),
      el('RequestId', randomBytes(16).toString('hex'))
    )
  )
}

function send(res: ServerResponse, status: number, xml: string): void {
  const text = `<?xml version="1.0"?>\n${xml.replace(/^<(\w+)>/, `<$1 xmlns="${NS}">`)}`
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomBytes(16).toString('hex')
  })
  res.end(text)
}

/**
 * One page of a sorted list as Route 53 pages it: from the first item at or after the start (the
 * whole list without a start), maxItems of them, and the item the next page begins with.
 */
function pageOf<T>(
  sorted: readonly T[],
  atOrAfterStart: ((item: T) => boolean) | undefined,
  maxItems: number
): { page: T[]; next: T | undefined } {
  let from = atOrAfterStart === undefined ? 0 : sorted.findIndex(atOrAfterStart)
  if (from < 0) from = sorted.length
  return { page: sorted.slice(from, from + maxItems), next: sorted[from + maxItems] }
}

function el(name: string, ...content: string[]): string {
  return `<${name}>${content.join('')}</${name}>`
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** An element of a parsed XML document: enough for the request bodies the SDK sends. */
export class XmlNode {
  readonly name: string
  readonly children: XmlNode[] = []
  text = ''
  constructor(name: string) {
    this.name = name
  }
  child(name: string): XmlNode | undefined {
    return this.children.find(c => c.name === name)
  }
}

/** Parses well-formed XML without DTDs (declarations and comments skipped, entities decoded). */
export function parseXml(source: string): XmlNode {
  const root = new XmlNode('#document')
  const stack: XmlNode[] = [root]
  const token =
    /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g
  let consumed = 0
  for (let match = token.exec(source); match !== null; match = token.exec(source)) {
    if (match.index !== consumed) throw new Error(`unexpected input at ${consumed}`)
    consumed = token.lastIndex
    const [whole, closing, name, , selfClosing, text] = match
    if (whole.startsWith('<?') || whole.startsWith('<!--')) continue
    const top = stack[stack.length - 1]!
    if (text !== undefined) {
      top.text += decodeEntities(text)
    } else if (closing === '/') {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`)
      stack.pop()
    } else {
      const node = new XmlNode(name!.replace(/^[\w-]+:/, ''))
      top.children.push(node)
      if (selfClosing !== '/') stack.push(node)
    }
  }
  if (consumed !== source.length || stack.length !== 1) throw new Error('unterminated document')
  const element = root.children[0]
  if (element === undefined) throw new Error('no root element')
  for (const node of walk(element)) if (node.children.length > 0) node.text = node.text.trim()
  return element
}

function* walk(node: XmlNode): Generator<XmlNode> {
  yield node
  for (const child of node.children) yield* walk(child)
}

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) => {
    switch (entity) {
      case 'lt':
        return '<'
      case 'gt':
        return '>'
      case 'amp':
        return '&'
      case 'quot':
        return '"'
      case 'apos':
        return "'"
      default:
        return String.fromCodePoint(
          entity.startsWith('#x') ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10)
        )
    }
  })
}
