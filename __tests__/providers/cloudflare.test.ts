// Cloudflare through its fetch client (and the bundled action, via CLOUDFLARE_BASE_URL) against
// the local Cloudflare v4 API stand-in on 127.0.20.11.

import { startCloudflareServer, type CloudflareServer, type FakeZone } from '../helpers/cloudflare-server.ts'
import { runProviderConformance } from './conformance.ts'

const NAME = 'ldaps.contoso100.com'
const TOKEN = 'cf-conformance-token'
const METADATA = { comment: 'LDAPS for Entra DS', tags: ['owner:identity', 'env:prod'] }

let server: CloudflareServer
let zone: FakeZone
const CHALLENGE = '_acme-challenge.contoso100.com'
const atName = (type = 'A', name = NAME) => server.records.filter(r => r.name === name && r.type === type)

runProviderConformance({
  title: 'Cloudflare',
  zone: 'contoso100.com',
  quietAddress: '127.0.20.53',
  async start() {
    server = await startCloudflareServer('127.0.20.11')
  },
  stop: async () => server?.close(),
  async reset() {
    server.reset()
    zone = server.addZone('contoso100.com')
    server.tokens.set(TOKEN, { zones: [zone.id], edit: true })
  },
  inputs: () => ({ provider: 'cloudflare', 'cloudflare-api-token': TOKEN }),
  env: () => ({ CLOUDFLARE_BASE_URL: server.baseUrl }),
  async seed(values, options) {
    for (const record of atName()) server.records.splice(server.records.indexOf(record), 1)
    for (const content of values) {
      server.addRecord(zone, { name: NAME, type: 'A', content, ttl: 300, ...(options?.metadata ? METADATA : {}) })
    }
  },
  async seedCname(target) {
    server.addRecord(zone, { name: NAME, type: 'CNAME', content: target })
  },
  stored: async () =>
    atName()
      .map(r => r.content)
      .sort(),
  storedCname: async () => atName('CNAME')[0]?.content,
  writes: async () => server.writes().length,
  metadata: {
    seeded: METADATA,
    read: async () => atName().map(({ comment, tags }) => ({ comment, tags }))[0]
  },
  raceOnce(values) {
    let raced = false
    server.afterRequest = request => {
      if (raced || request.method !== 'GET' || !request.path.endsWith('/dns_records')) return
      raced = true
      for (const record of atName()) record.content = values[0]!
    }
  },
  faults: {
    inject(status, on, times) {
      for (let i = 0; i < times; i++)
        server.faults.push({ status, method: on === 'read' ? 'GET' : 'PATCH', retryAfter: '1' })
    },
    pending: () => server.faults.length
  },
  badCredential: {
    inputs: { 'cloudflare-api-token': 'cf-revoked-token' },
    secret: 'cf-revoked-token',
    message: /^Cloudflare: the API token was refused.*Give cloudflare-api-token the permission .*Zone → DNS → Edit/
  },
  unknownZone: { zone: 'contoso200.com', message: /not a zone the API token can see|contoso200\.com/ },
  txt: {
    async seed(values) {
      setChallenge(values)
    },
    async stored() {
      const records = atName('TXT', CHALLENGE)
      // Content as stored: quoted character-strings (RFC 1035), \" and \\ escaped.
      return records.length === 0
        ? undefined
        : records.map(r => [...r.content.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(m => m[1]!.replace(/\\(.)/g, '$1')))
    },
    raceOnce(values) {
      let raced = false
      server.afterRequest = request => {
        if (raced || request.method !== 'GET' || !request.path.endsWith('/dns_records')) return
        raced = true
        setChallenge(values)
      }
      return undefined
    }
  }
})

/**
 * Another writer makes the TXT values at _acme-challenge exactly `values`, Cloudflare's way: one
 * record per value, adding the missing ones and deleting the rest by id.
 */
function setChallenge(values: readonly string[]): void {
  const held = atName('TXT', CHALLENGE)
  for (const record of held) {
    if (!values.includes(record.content.slice(1, -1))) server.records.splice(server.records.indexOf(record), 1)
  }
  for (const value of values) {
    if (!held.some(r => r.content === `"${value}"`)) {
      server.addRecord(zone, { name: CHALLENGE, type: 'TXT', content: `"${value}"`, ttl: 60 })
    }
  }
}
