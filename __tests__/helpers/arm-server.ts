// A local stand-in for Azure Resource Manager's DNS API (Microsoft.Network/dnsZones,
// api-version 2018-05-01), faithful to what the real @azure/arm-dns client meets: the record set
// and zone paths (case-insensitive, as ARM's are), whole-set PUT with ETag preconditions
// (If-Match / If-None-Match: * → 412), the CNAME-coexistence 409, the 404 bodies ARM and the DNS
// resource provider send (SubscriptionNotFound, ResourceGroupNotFound, ParentResourceNotFound
// wrapped in {"error":{…}}, a missing record set as a bare {"code":"NotFound",…}), 401 without a
// bearer token or with a token for another audience, 403 AuthorizationFailed by role, zone listing
// with nextLink paging, and injected faults (429 with Retry-After, 5xx). Shapes follow the
// examples in Azure/azure-rest-api-specs (specification/dns/resource-manager/…/2018-05-01) and
// error bodies as ARM returns them.

import { armNetworkFault, type NetworkFault } from './http-faults.ts'
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'

export type Role = 'contributor' | 'reader' | 'none'

/** Who an access token belongs to; the Entra stand-in (or a test) registers tokens here. */
/** ARM's 403 body for a principal whose role does not allow the action. */
export function authorizationFailed(principal: Principal, action: string, scope: string): unknown {
  return {
    error: {
      code: 'AuthorizationFailed',
      message: `The client '${principal.appId}' with object id '${principal.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`
    }
  }
}

/** ARM's 404 body for a resource of the given type missing from an existing resource group. */
export function resourceNotFound(type: string, name: string | undefined, resourceGroup: string | undefined): unknown {
  return {
    error: {
      code: 'ResourceNotFound',
      message: `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`
    }
  }
}

export interface Principal {
  readonly appId: string
  readonly objectId: string
  /** The resource the token was issued for (scope without /.default). */
  readonly audience: string
  readonly role: Role
}

export type TokenRegistry = Map<string, Principal>

/**
 * Another resource provider served from the same host, as ARM serves every provider from one
 * endpoint (entra-ds-arm.ts: Microsoft.AAD and the Network subnets/NSGs). Called for an
 * authenticated request before the DNS routes; returns false when the path is not its own.
 */
/** Sends ARM's answer: a status and a JSON body. */
export type ArmAnswer = (status: number, body: unknown) => void

export type ArmExtension = (
  request: ArmRequest,
  principal: Principal,
  answer: (status: number, body: unknown, headers?: Record<string, string>) => void
) => boolean

export interface StoredRecordSet {
  name: string
  type: string
  ttl: number
  etag: string
  metadata?: Record<string, string> | undefined
  aRecords?: { ipv4Address: string }[]
  aaaaRecords?: { ipv6Address: string }[]
  cnameRecord?: { cname: string }
  txtRecords?: { value: string[] }[]
  targetResource?: { id?: string }
}

/** The A set at ldaps (the name the Azure tests publish), TTL 300, with these addresses. */
export function ldapsASet(
  addresses: readonly string[],
  metadata?: Record<string, string>
): Omit<StoredRecordSet, 'etag'> {
  return { name: 'ldaps', type: 'A', ttl: 300, metadata, aRecords: addresses.map(ipv4Address => ({ ipv4Address })) }
}

interface StoredZone {
  name: string
  resourceGroup: string
  etag: string
  recordSets: Map<string, StoredRecordSet>
}

interface StoredResourceGroup {
  name: string
  zones: Map<string, StoredZone>
}

export interface ArmRequest {
  readonly method: string
  readonly path: string
  readonly query: Record<string, string>
  readonly ifMatch: string | undefined
  readonly ifNoneMatch: string | undefined
  readonly authorization: string | undefined
  readonly body: any
  status?: number
}

export interface ArmFault {
  readonly method?: string
  /** Case-insensitive substring of the path. */
  readonly pathIncludes?: string
  /** How many matching requests get this answer. */
  times: number
  readonly status: number
  readonly headers?: Record<string, string>
  readonly body?: unknown
}

export interface ArmServer {
  readonly url: string
  readonly requests: ArmRequest[]
  readonly faults: ArmFault[]
  /** Transport faults (cut or stalled answers), see http-faults.ts. */
  readonly networkFaults: NetworkFault[]
  /** Zones per page in list answers (nextLink beyond). */
  pageSize: number
  /** Runs before a PUT is checked, so a test can play the concurrent writer. */
  beforeWrite: ((request: ArmRequest) => void) | undefined
  addZone(subscription: string, resourceGroup: string, zone: string): void
  addResourceGroup(subscription: string, resourceGroup: string): void
  /** Creates or replaces a record set as another writer would; returns its new ETag. */
  putRecordSet(subscription: string, resourceGroup: string, zone: string, set: Omit<StoredRecordSet, 'etag'>): string
  /** Deletes a record set as another writer would. */
  deleteRecordSet(subscription: string, resourceGroup: string, zone: string, type: string, name: string): void
  getRecordSet(
    subscription: string,
    resourceGroup: string,
    zone: string,
    type: string,
    name: string
  ): StoredRecordSet | undefined
  /** Requests that would change something (PUT, PATCH, DELETE) that reached the handler. */
  writeCount(): number
  /** Record set PUTs that carried neither If-Match nor If-None-Match, over the server's life. */
  unconditionalWrites(): number
  /** Forgets every subscription, request, fault and hook, as a freshly started server (the count of unconditional writes stays: it covers the server's life). */
  reset(): void
  close(): Promise<void>
}

const API_VERSION = '2018-05-01'
const RECORD_TYPES = new Set(['A', 'AAAA', 'CAA', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT'])

export async function startArmServer(options: {
  host: string
  key: string
  cert: string
  tokens: TokenRegistry
  extensions?: ArmExtension[]
}): Promise<ArmServer> {
  const subscriptions = new Map<string, Map<string, StoredResourceGroup>>()
  const requests: ArmRequest[] = []
  const faults: ArmFault[] = []
  const networkFaults: NetworkFault[] = []
  let unconditional = 0
  let url = ''

  const groupsOf = (sub: string): Map<string, StoredResourceGroup> => {
    let groups = subscriptions.get(sub.toLowerCase())
    if (groups === undefined) subscriptions.set(sub.toLowerCase(), (groups = new Map()))
    return groups
  }
  const addResourceGroup = (sub: string, rg: string): StoredResourceGroup => {
    const groups = groupsOf(sub)
    let group = groups.get(rg.toLowerCase())
    if (group === undefined) groups.set(rg.toLowerCase(), (group = { name: rg, zones: new Map() }))
    return group
  }
  const zoneOf = (sub: string, rg: string, zone: string): StoredZone | undefined =>
    subscriptions.get(sub.toLowerCase())?.get(rg.toLowerCase())?.zones.get(zone.toLowerCase())
  const setKey = (type: string, name: string): string => `${type.toUpperCase()}/${name.toLowerCase()}`

  const server: ArmServer = {
    url: '',
    requests,
    faults,
    networkFaults,
    pageSize: 2,
    beforeWrite: undefined,
    addResourceGroup: (sub, rg) => void addResourceGroup(sub, rg),
    addZone(sub, rg, zone) {
      addResourceGroup(sub, rg).zones.set(zone.toLowerCase(), {
        name: zone,
        resourceGroup: rg,
        etag: randomUUID(),
        recordSets: new Map()
      })
    },
    putRecordSet(sub, rg, zone, set) {
      const z = zoneOf(sub, rg, zone)
      if (z === undefined) throw new Error(`test ARM: no zone ${zone} in ${rg}`)
      const etag = randomUUID()
      z.recordSets.set(setKey(set.type, set.name), { ...structuredClone(set), etag })
      return etag
    },
    deleteRecordSet(sub, rg, zone, type, name) {
      zoneOf(sub, rg, zone)?.recordSets.delete(setKey(type, name))
    },
    getRecordSet(sub, rg, zone, type, name) {
      return zoneOf(sub, rg, zone)?.recordSets.get(setKey(type, name))
    },
    writeCount: () => requests.filter(r => ['PUT', 'PATCH', 'DELETE'].includes(r.method)).length,
    unconditionalWrites: () => unconditional,
    reset() {
      subscriptions.clear()
      requests.length = 0
      faults.length = 0
      networkFaults.length = 0
      server.beforeWrite = undefined
      server.pageSize = 2
    },
    close: () => new Promise<void>(resolve => httpsServer.close(() => resolve()))
  }

  const httpsServer: Server = createServer({ key: options.key, cert: options.cert }, (req, res) => {
    armNetworkFault(networkFaults, req, res)
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const parsed = new URL(req.url ?? '/', url)
      const text = Buffer.concat(chunks).toString('utf8')
      let body: any
      try {
        body = text === '' ? undefined : JSON.parse(text)
      } catch {
        body = text
      }
      const request: ArmRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(parsed.pathname),
        query: Object.fromEntries(parsed.searchParams),
        ifMatch: header(req, 'if-match'),
        ifNoneMatch: header(req, 'if-none-match'),
        authorization: header(req, 'authorization'),
        body
      }
      requests.push(request)
      if (request.method === 'PUT' && request.ifMatch === undefined && request.ifNoneMatch === undefined)
        unconditional++
      const answer = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
        request.status = status
        send(res, status, payload, headers)
      }
      try {
        handle(request, answer)
      } catch (error) {
        answer(500, { error: { code: 'InternalServerError', message: String(error) } })
      }
    })
  })

  function handle(
    request: ArmRequest,
    answer: (status: number, body: unknown, headers?: Record<string, string>) => void
  ): void {
    const fault = faults.find(
      f =>
        f.times > 0 &&
        (f.method === undefined || f.method === request.method) &&
        (f.pathIncludes === undefined || request.path.toLowerCase().includes(f.pathIncludes.toLowerCase()))
    )
    if (fault !== undefined) {
      fault.times--
      return answer(fault.status, fault.body ?? defaultFaultBody(fault.status), fault.headers)
    }

    // Authentication: ARM wants a bearer token issued for its own audience.
    const bearer = /^Bearer (.+)$/i.exec(request.authorization ?? '')?.[1]
    if (bearer === undefined) {
      return answer(
        401,
        {
          error: {
            code: 'AuthenticationFailed',
            message: "Authentication failed. The 'Authorization' header is missing."
          }
        },
        {
          'WWW-Authenticate':
            'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."'
        }
      )
    }
    const principal = options.tokens.get(bearer)
    if (principal === undefined) {
      return answer(
        401,
        { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } },
        {
          'WWW-Authenticate':
            'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The access token is invalid."'
        }
      )
    }
    if (principal.audience.replace(/\/+$/, '') !== url) {
      return answer(401, {
        error: {
          code: 'InvalidAuthenticationTokenAudience',
          message: `The access token has been obtained for wrong audience or resource '${principal.audience}'. It should exactly match with one of the allowed audiences '${url}/'.`
        }
      })
    }

    for (const extension of options.extensions ?? []) if (extension(request, principal, answer)) return

    if (request.query['api-version'] !== API_VERSION) {
      return answer(400, {
        error: {
          code: 'InvalidApiVersionParameter',
          message: `The api-version '${request.query['api-version'] ?? ''}' is invalid. The supported versions are '${API_VERSION}'.`
        }
      })
    }

    const segments = request.path.split('/').filter(s => s !== '')
    const lower = segments.map(s => s.toLowerCase())
    if (lower[0] !== 'subscriptions' || segments[1] === undefined) return notFoundPath(request, answer)
    const sub = segments[1]
    const groups = subscriptions.get(sub.toLowerCase())
    if (groups === undefined) {
      return answer(404, {
        error: { code: 'SubscriptionNotFound', message: `The subscription '${sub}' could not be found.` }
      })
    }

    // GET /subscriptions/{s}/providers/Microsoft.Network/dnszones
    if (lower.length === 5 && lower[2] === 'providers' && lower[3] === 'microsoft.network' && lower[4] === 'dnszones') {
      if (request.method !== 'GET') return methodNotAllowed(answer)
      if (!authorize(principal, 'Microsoft.Network/dnszones/read', `/subscriptions/${sub}`, answer)) return
      const all = [...groups.values()].flatMap(g => [...g.zones.values()])
      return answerPage(all, `/subscriptions/${sub}/providers/Microsoft.Network/dnszones`, request, answer, sub)
    }

    if (lower[2] !== 'resourcegroups' || segments[3] === undefined) return notFoundPath(request, answer)
    const rgName = segments[3]
    const rgScope = `/subscriptions/${sub}/resourceGroups/${rgName}`
    if (lower[4] !== 'providers' || lower[5] !== 'microsoft.network' || lower[6] !== 'dnszones') {
      return notFoundPath(request, answer)
    }
    const zoneName = segments[7]
    const type = segments[8]?.toUpperCase()
    const relative = segments[9]
    const action =
      type === undefined
        ? `Microsoft.Network/dnszones/${request.method === 'GET' ? 'read' : 'write'}`
        : `Microsoft.Network/dnszones/${type}/${request.method === 'GET' ? 'read' : request.method === 'DELETE' ? 'delete' : 'write'}`
    const scope = [rgScope, 'providers/Microsoft.Network/dnszones', zoneName, type, relative].filter(Boolean).join('/')
    if (!authorize(principal, action, scope, answer)) return
    const group = groups.get(rgName.toLowerCase())
    if (group === undefined) {
      return answer(404, {
        error: { code: 'ResourceGroupNotFound', message: `Resource group '${rgName}' could not be found.` }
      })
    }
    if (zoneName === undefined) {
      if (request.method !== 'GET') return methodNotAllowed(answer)
      return answerPage(
        [...group.zones.values()],
        `${rgScope}/providers/Microsoft.Network/dnszones`,
        request,
        answer,
        sub
      )
    }
    const zone = group.zones.get(zoneName.toLowerCase())
    if (type === undefined) {
      if (zone === undefined) {
        return answer(404, resourceNotFound('Microsoft.Network/dnszones', zoneName, rgName))
      }
      if (request.method !== 'GET') return methodNotAllowed(answer)
      return answer(200, zoneBody(sub, zone))
    }
    if (zone === undefined) {
      return answer(404, {
        error: {
          code: 'ParentResourceNotFound',
          message: `Can not perform requested operation on nested resource. Parent resource '${zoneName}' not found.`
        }
      })
    }
    if (relative === undefined || segments.length !== 10 || !RECORD_TYPES.has(type))
      return notFoundPath(request, answer)
    const key = setKey(type, relative)
    switch (request.method) {
      case 'GET': {
        const set = zone.recordSets.get(key)
        if (set === undefined) {
          // The DNS resource provider's own answer: not wrapped in "error".
          return answer(404, {
            code: 'NotFound',
            message: `The resource record '${relative}' does not exist in resource group '${rgName}' of subscription '${sub}'.`
          })
        }
        return answer(200, recordSetBody(sub, zone, set))
      }
      case 'PUT': {
        server.beforeWrite?.(request)
        const existing = zone.recordSets.get(key)
        if (request.ifNoneMatch === '*' && existing !== undefined) {
          return answer(412, {
            code: 'PreconditionFailed',
            message: `The condition '*' in the If-None-Match header was satisfied. The record set ${relative} of type ${type} already exists.`
          })
        }
        if (ifMatchFails(request, existing)) return answer(412, ifMatchFailed(request, existing))
        const cnameKey = setKey('CNAME', relative)
        const clash =
          type === 'CNAME'
            ? [...zone.recordSets.entries()].some(([k]) => k !== cnameKey && k.endsWith(`/${relative.toLowerCase()}`))
            : zone.recordSets.has(cnameKey)
        if (clash) {
          return answer(409, {
            code: 'Conflict',
            message: `The record set could not be created because a CNAME record set with the same name '${relative}' already exists in this zone, or a CNAME was being added beside other record sets.`
          })
        }
        const invalid = validateRecordSet(type, request.body)
        if (invalid !== undefined) return answer(400, { code: 'BadRequest', message: invalid })
        const p = request.body.properties
        const stored: StoredRecordSet = {
          name: relative,
          type,
          ttl: p.TTL,
          etag: randomUUID(),
          metadata: p.metadata ?? undefined,
          ...(p.ARecords ? { aRecords: p.ARecords } : {}),
          ...(p.AAAARecords ? { aaaaRecords: p.AAAARecords } : {}),
          ...(p.CNAMERecord ? { cnameRecord: p.CNAMERecord } : {}),
          ...(p.TXTRecords ? { txtRecords: p.TXTRecords } : {}),
          ...(p.targetResource?.id ? { targetResource: p.targetResource } : {})
        }
        zone.recordSets.set(key, stored)
        return answer(existing === undefined ? 201 : 200, recordSetBody(sub, zone, stored))
      }
      case 'DELETE': {
        // RecordSets_Delete: 200 when deleted, 204 when there was nothing; If-Match on an ETag
        // that is not (or no longer) the set's is 412, so a conditional delete never removes
        // values someone added after the read.
        server.beforeWrite?.(request)
        const existing = zone.recordSets.get(key)
        if (ifMatchFails(request, existing)) return answer(412, ifMatchFailed(request, existing))
        if (existing === undefined) return answer(204, undefined)
        zone.recordSets.delete(key)
        return answer(200, undefined)
      }
      default:
        return methodNotAllowed(answer)
    }
  }

  function authorize(principal: Principal, action: string, scope: string, answer: ArmAnswer): boolean {
    const write = !action.endsWith('/read')
    const allowed = principal.role === 'contributor' || (principal.role === 'reader' && !write)
    if (allowed) return true
    answer(403, authorizationFailed(principal, action, scope))
    return false
  }

  function answerPage(zones: StoredZone[], path: string, request: ArmRequest, answer: ArmAnswer, sub: string): void {
    const start = Number(request.query['$skipToken'] ?? '0')
    const page = zones.slice(start, start + server.pageSize)
    const next = start + server.pageSize < zones.length ? start + server.pageSize : undefined
    answer(200, {
      value: page.map(z => zoneBody(sub, z)),
      ...(next === undefined ? {} : { nextLink: `${url}${path}?api-version=${API_VERSION}&$skipToken=${next}` })
    })
  }

  await new Promise<void>(resolve => httpsServer.listen(0, options.host, () => resolve()))
  const { port } = httpsServer.address() as AddressInfo
  url = `https://${options.host}:${port}`
  ;(server as { url: string }).url = url
  return server
}

function zoneBody(sub: string, zone: StoredZone): unknown {
  return {
    id: `/subscriptions/${sub}/resourceGroups/${zone.resourceGroup}/providers/Microsoft.Network/dnszones/${zone.name}`,
    etag: zone.etag,
    location: 'global',
    name: zone.name,
    type: 'Microsoft.Network/dnszones',
    properties: {
      maxNumberOfRecordSets: 10000,
      numberOfRecordSets: zone.recordSets.size + 2,
      nameServers: [
        'ns1-01.azure-dns.com.',
        'ns2-01.azure-dns.net.',
        'ns3-01.azure-dns.org.',
        'ns4-01.azure-dns.info.'
      ],
      zoneType: 'Public'
    },
    tags: {}
  }
}

function recordSetBody(sub: string, zone: StoredZone, set: StoredRecordSet): unknown {
  const fqdn = set.name === '@' ? `${zone.name}.` : `${set.name}.${zone.name}.`
  return {
    id: `/subscriptions/${sub}/resourceGroups/${zone.resourceGroup}/providers/Microsoft.Network/dnszones/${zone.name}/${set.type}/${set.name}`,
    etag: set.etag,
    name: set.name,
    type: `Microsoft.Network/dnszones/${set.type}`,
    properties: {
      metadata: set.metadata ?? null,
      TTL: set.ttl,
      fqdn,
      provisioningState: 'Succeeded',
      targetResource: set.targetResource ?? {},
      ...(set.aRecords ? { ARecords: set.aRecords } : {}),
      ...(set.aaaaRecords ? { AAAARecords: set.aaaaRecords } : {}),
      ...(set.cnameRecord ? { CNAMERecord: set.cnameRecord } : {}),
      ...(set.txtRecords ? { TXTRecords: set.txtRecords } : {})
    }
  }
}

function validateRecordSet(type: string, body: any): string | undefined {
  const p = body?.properties
  if (p === undefined || typeof p !== 'object') return 'The request body must have properties.'
  if (!Number.isInteger(p.TTL) || p.TTL < 0 || p.TTL > 2147483647)
    return 'The TTL must be an integer from 0 to 2147483647.'
  const lists = [
    'ARecords',
    'AAAARecords',
    'CNAMERecord',
    'TXTRecords',
    'MXRecords',
    'NSRecords',
    'PTRRecords',
    'SRVRecords',
    'CAARecords'
  ]
  const own = { A: 'ARecords', AAAA: 'AAAARecords', CNAME: 'CNAMERecord', TXT: 'TXTRecords' }[type]
  for (const list of lists) {
    if (p[list] !== undefined && list !== own) return `The record set of type ${type} cannot hold ${list}.`
  }
  if (type === 'A' && !(p.ARecords ?? []).every((r: any) => /^\d{1,3}(\.\d{1,3}){3}$/.test(r?.ipv4Address ?? ''))) {
    return 'The IPv4 address is not valid.'
  }
  if (
    type === 'AAAA' &&
    !(p.AAAARecords ?? []).every((r: any) => typeof r?.ipv6Address === 'string' && r.ipv6Address.includes(':'))
  ) {
    return 'The IPv6 address is not valid.'
  }
  // Through the REST API each TXT string is given separately, 255 characters at most (the portal
  // and CLI split longer values; the API does not).
  if (
    type === 'TXT' &&
    !(p.TXTRecords ?? []).every(
      (r: any) => Array.isArray(r?.value) && r.value.every((v: unknown) => typeof v === 'string' && v.length <= 255)
    )
  ) {
    return 'A TXT record value must be a list of strings of at most 255 characters each.'
  }
  return undefined
}

/** An If-Match other than `*` that names an ETag the set does not have (or a set that is gone). */
function ifMatchFails(request: ArmRequest, existing: StoredRecordSet | undefined): boolean {
  if (request.ifMatch === undefined || request.ifMatch === '*') return false
  const wanted = request.ifMatch.replace(/^W\//, '').replace(/^"|"$/g, '')
  return existing === undefined || existing.etag !== wanted
}

/** The DNS resource provider's 412 body for a failed If-Match. */
function ifMatchFailed(request: ArmRequest, existing: StoredRecordSet | undefined): unknown {
  return {
    code: 'PreconditionFailed',
    message: `The condition '${request.ifMatch}' in the If-Match header was not satisfied. The current was '${existing?.etag ?? 'n/a'}'.`
  }
}

function defaultFaultBody(status: number): unknown {
  if (status === 429) {
    return {
      error: {
        code: 'TooManyRequests',
        message:
          'The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00.'
      }
    }
  }
  return { error: { code: status >= 500 ? 'InternalServerError' : 'BadRequest', message: `Injected ${status}.` } }
}

function notFoundPath(request: ArmRequest, answer: ArmAnswer): void {
  answer(404, {
    error: { code: 'InvalidResourceType', message: `The resource type could not be found for ${request.path}.` }
  })
}

function methodNotAllowed(answer: ArmAnswer): void {
  answer(405, { error: { code: 'MethodNotAllowed', message: 'The requested method is not allowed.' } })
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'x-ms-request-id': randomUUID(),
    'x-ms-correlation-request-id': randomUUID(),
    ...headers
  })
  res.end(text)
}
