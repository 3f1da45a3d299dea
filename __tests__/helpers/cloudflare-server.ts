// A local stand-in for the Cloudflare v4 API, as far as DNS records go: the documented JSON
// envelope (result / success / errors / messages / result_info); Bearer API tokens scoped to
// zones (400 with 6003/6111 for an unknown token, 403 with 10000 outside its zones or without
// DNS Edit, 403 with 9109 on zone reads without Zone Read); zones listed by name; DNS records
// listed by name and type, created (POST), updated (PATCH merges, PUT replaces, so comment and
// tags are lost on a PUT that omits them) and deleted by id; Cloudflare's own validation (81053
// A/AAAA beside a CNAME, 81058 identical record, 9021 TTL range, 81044 unknown record); and
// injected 429/5xx answers with Retry-After. Plain HTTP on a loopback address: the client under
// test reads CLOUDFLARE_BASE_URL.

import { armNetworkFault, readBody, type NetworkFault } from './http-faults.ts'
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeRecord {
  id: string
  zone_id: string
  zone_name: string
  name: string
  type: string
  content: string
  ttl: number
  proxied: boolean
  proxiable: boolean
  comment: string | null
  tags: string[]
  settings: Record<string, unknown>
  meta: Record<string, unknown>
  created_on: string
  modified_on: string
}

export interface FakeZone {
  id: string
  name: string
  status: string
}

export interface TokenGrant {
  /** Zone ids the token may see. */
  readonly zones: readonly string[]
  /** Whether it holds Zone.DNS Edit (else read only). */
  readonly edit: boolean
  /** Whether it holds Zone.Zone Read, needed to list or read zones (default true). */
  readonly zoneRead?: boolean
}

export interface LoggedRequest {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly body: any
}

export interface Fault {
  readonly status: number
  readonly retryAfter?: string
  /** Only requests with this method are faulted; any when unset. */
  readonly method?: string
  /** The error message in the envelope, instead of the stock one (e.g. one that echoes the token). */
  readonly message?: string
}

export interface CloudflareServer {
  readonly baseUrl: string
  readonly zones: FakeZone[]
  readonly records: FakeRecord[]
  readonly tokens: Map<string, TokenGrant>
  readonly requests: LoggedRequest[]
  /** Answers the next matching requests with these faults, in order. */
  readonly faults: Fault[]
  /** Transport faults (cut or stalled answers), see http-faults.ts. */
  readonly networkFaults: NetworkFault[]
  /** Called after each request has been handled (e.g. to play a concurrent writer). */
  afterRequest: ((request: LoggedRequest) => void) | undefined
  addZone(name: string): FakeZone
  addRecord(zone: FakeZone, record: Partial<FakeRecord> & { name: string; type: string; content: string }): FakeRecord
  /** Requests that change records. */
  writes(): LoggedRequest[]
  /** Forgets every zone, record, token, request, fault and hook, as a freshly started server. */
  reset(): void
  close(): Promise<void>
}

const newId = (): string => randomBytes(16).toString('hex')

export async function startCloudflareServer(host: string): Promise<CloudflareServer> {
  const zones: FakeZone[] = []
  const records: FakeRecord[] = []
  const tokens = new Map<string, TokenGrant>()
  const requests: LoggedRequest[] = []
  const faults: Fault[] = []

  const state: Pick<CloudflareServer, 'afterRequest'> = { afterRequest: undefined }

  const networkFaults: NetworkFault[] = []
  const server: Server = createServer((req, res) => {
    armNetworkFault(networkFaults, req, res)
    void handle(req, res).catch(error => {
      send(res, 500, envelope(null, false, [{ code: 10001, message: String(error) }]))
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const raw = await readBody(req)
    let body: any
    if (raw !== '') {
      try {
        body = JSON.parse(raw)
      } catch {
        return send(res, 400, envelope(null, false, [{ code: 9207, message: 'Request body is invalid.' }]))
      }
    }
    const method = req.method ?? 'GET'
    const logged: LoggedRequest = { method, path: url.pathname, query: url.searchParams, body }
    requests.push(logged)
    try {
      const faultIndex = faults.findIndex(f => f.method === undefined || f.method === method)
      if (faultIndex >= 0) {
        const fault = faults.splice(faultIndex, 1)[0]!
        const headers: Record<string, string> =
          fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }
        const error =
          fault.status === 429
            ? { code: 971, message: 'Please wait and consider throttling your request speed' }
            : { code: 10000 + fault.status, message: fault.message ?? 'Internal server error' }
        return send(res, fault.status, envelope(null, false, [error]), headers)
      }
      route(method, url, body, req, res)
    } finally {
      state.afterRequest?.(logged)
    }
  }

  function route(method: string, url: URL, body: any, req: IncomingMessage, res: ServerResponse): void {
    const path = url.pathname.replace(/^\/client\/v4/, '')
    if (path === url.pathname) return notFound(res, url.pathname)
    const auth = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')
    const grant = auth === null ? undefined : tokens.get(auth[1]!)
    // A missing or malformed Authorization header, and an unknown or revoked token alike (as
    // reported for the live API).
    if (grant === undefined) {
      return send(
        res,
        400,
        envelope(null, false, [
          {
            code: 6003,
            message: 'Invalid request headers',
            error_chain: [{ code: 6111, message: 'Invalid format for Authorization header' }]
          }
        ])
      )
    }
    const visible = zones.filter(z => grant.zones.includes(z.id))
    if (/^\/zones\/?[^/]*$/.test(path) && grant.zoneRead === false) {
      return send(
        res,
        403,
        envelope(null, false, [{ code: 9109, message: 'Unauthorized to access requested resource' }])
      )
    }

    if (path === '/zones' && method === 'GET') {
      const name = url.searchParams.get('name')
      const matching = visible.filter(z => name === null || z.name === name)
      return sendList(res, url, matching)
    }
    let m = /^\/zones\/([^/]+)$/.exec(path)
    if (m !== null && method === 'GET') {
      const zone = visible.find(z => z.id === m![1])
      if (zone === undefined) {
        return send(res, 403, envelope(null, false, [{ code: 10000, message: 'Authentication error' }]))
      }
      return send(res, 200, envelope(zone))
    }
    m = /^\/zones\/([^/]+)\/dns_records(?:\/([^/]+))?$/.exec(path)
    if (m === null) return notFound(res, url.pathname)
    const zone = visible.find(z => z.id === m![1])
    if (zone === undefined)
      return send(res, 403, envelope(null, false, [{ code: 10000, message: 'Authentication error' }]))
    const recordId = m[2]
    if (method !== 'GET' && !grant.edit) {
      return send(res, 403, envelope(null, false, [{ code: 10000, message: 'Authentication error' }]))
    }
    const inZone = records.filter(r => r.zone_id === zone.id)

    if (recordId === undefined && method === 'GET') {
      const name = url.searchParams.get('name') ?? url.searchParams.get('name.exact')
      const type = url.searchParams.get('type')
      return sendList(
        res,
        url,
        inZone.filter(r => (name === null || r.name === name) && (type === null || r.type === type))
      )
    }
    if (recordId === undefined && method === 'POST') {
      const problem = validate(zone, body, undefined)
      if (problem !== undefined) return send(res, 400, envelope(null, false, [problem]))
      const now = new Date().toISOString()
      const record: FakeRecord = {
        id: newId(),
        zone_id: zone.id,
        zone_name: zone.name,
        name: body.name,
        type: body.type,
        content: body.content,
        ttl: body.ttl ?? 1,
        proxied: body.proxied ?? false,
        proxiable: true,
        comment: body.comment ?? null,
        tags: body.tags ?? [],
        settings: {},
        meta: {},
        created_on: now,
        modified_on: now
      }
      records.push(record)
      return send(res, 200, envelope(record))
    }
    if (recordId !== undefined) {
      const record = inZone.find(r => r.id === recordId)
      if (record === undefined) {
        return send(res, 404, envelope(null, false, [{ code: 81044, message: 'Record does not exist.' }]))
      }
      if (method === 'GET') return send(res, 200, envelope(record))
      if (method === 'DELETE') {
        records.splice(records.indexOf(record), 1)
        return send(res, 200, envelope({ id: record.id }))
      }
      if (method === 'PATCH' || method === 'PUT') {
        const merged =
          method === 'PATCH'
            ? { ...record, ...body }
            : { ...record, comment: null, tags: [], ttl: 1, proxied: false, ...body }
        const problem = validate(zone, merged, record.id)
        if (problem !== undefined) return send(res, 400, envelope(null, false, [problem]))
        Object.assign(record, {
          name: merged.name,
          type: merged.type,
          content: merged.content,
          ttl: merged.ttl,
          proxied: merged.proxied,
          comment: merged.comment,
          tags: merged.tags,
          modified_on: new Date().toISOString()
        })
        return send(res, 200, envelope(record))
      }
    }
    notFound(res, url.pathname)
  }

  /** Cloudflare's own rules for a record about to be stored. */
  function validate(
    zone: FakeZone,
    record: any,
    selfId: string | undefined
  ): { code: number; message: string } | undefined {
    if (typeof record?.name !== 'string' || typeof record?.type !== 'string' || typeof record?.content !== 'string') {
      return { code: 9005, message: 'Content for A record is invalid.' }
    }
    const ttl = record.ttl ?? 1
    if (ttl !== 1 && (ttl < 60 || ttl > 86400)) {
      return { code: 9021, message: 'Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic.' }
    }
    // TXT content is quoted character-strings (RFC 1035), each at most 255 bytes; a bare text is
    // taken as one value (the API splits it).
    if (record.type === 'TXT' && record.content.trimStart().startsWith('"')) {
      const strings = /^\s*(?:"(?:[^"\\]|\\.)*"\s*)+$/.test(record.content)
        ? (record.content.match(/"(?:[^"\\]|\\.)*"/g) as string[])
        : undefined
      if (strings === undefined) return { code: 9005, message: 'Content for TXT record is invalid.' }
      if (strings.some(s => Buffer.byteLength(s.slice(1, -1).replace(/\\(\d{3}|.)/g, 'x')) > 255)) {
        return {
          code: 9005,
          message: 'Content for TXT record is invalid: a character-string is longer than 255 bytes.'
        }
      }
    }
    const others = records.filter(r => r.zone_id === zone.id && r.name === record.name && r.id !== selfId)
    if (record.type === 'CNAME' ? others.length > 0 : others.some(r => r.type === 'CNAME')) {
      return { code: 81053, message: 'An A, AAAA, or CNAME record with that host already exists.' }
    }
    if (others.some(r => r.type === record.type && r.content === record.content)) {
      return { code: 81058, message: 'An identical record already exists.' }
    }
    return undefined
  }

  function sendList(res: ServerResponse, url: URL, items: readonly unknown[]): void {
    const perPage = Number(url.searchParams.get('per_page') ?? '100')
    const page = Number(url.searchParams.get('page') ?? '1')
    const slice = items.slice((page - 1) * perPage, page * perPage)
    send(res, 200, {
      ...envelope(slice),
      result_info: {
        page,
        per_page: perPage,
        count: slice.length,
        total_count: items.length,
        total_pages: Math.max(1, Math.ceil(items.length / perPage))
      }
    })
  }

  await new Promise<void>(resolve => server.listen(0, host, resolve))
  const { port } = server.address() as AddressInfo

  return Object.assign(state, {
    baseUrl: `http://${host}:${port}/client/v4`,
    zones,
    records,
    tokens,
    requests,
    faults,
    networkFaults,
    addZone(name: string): FakeZone {
      const zone = { id: newId(), name, status: 'active' }
      zones.push(zone)
      return zone
    },
    addRecord(zone: FakeZone, init: Partial<FakeRecord> & { name: string; type: string; content: string }): FakeRecord {
      const now = new Date().toISOString()
      const record: FakeRecord = {
        id: newId(),
        zone_id: zone.id,
        zone_name: zone.name,
        ttl: 300,
        proxied: false,
        proxiable: true,
        comment: null,
        tags: [],
        settings: {},
        meta: {},
        created_on: now,
        modified_on: now,
        ...init
      }
      records.push(record)
      return record
    },
    writes(): LoggedRequest[] {
      return requests.filter(r => r.method !== 'GET' && r.path.includes('/dns_records'))
    },
    reset(): void {
      for (const list of [zones, records, requests, faults, networkFaults]) list.length = 0
      tokens.clear()
      state.afterRequest = undefined
    },
    close(): Promise<void> {
      server.closeAllConnections()
      return new Promise<void>(resolve => server.close(() => resolve()))
    }
  })
}

function envelope(result: unknown, success = true, errors: unknown[] = []): Record<string, unknown> {
  return { result, success, errors, messages: [] }
}

function notFound(res: ServerResponse, path: string): void {
  send(
    res,
    404,
    envelope(null, false, [
      { code: 7003, message: `Could not route to ${path}, perhaps your object identifier is invalid?` }
    ])
  )
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}
