// No-op apply per provider: the record is already right and a good certificate is served by a real
// slapd, so a run should read once, write nothing and verify the certificate. Measures the wall
// time of the bundled action and counts the provider API requests it made, against the same local
// stand-ins the tests use (127.0.11.x for the bench's own servers).

import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { runAction } from '../__tests__/helpers/run-action.ts'
import { startSlapd } from '../__tests__/helpers/slapd.ts'
import { createTestPki } from '../__tests__/helpers/test-pki.ts'
import { startCloudflareServer } from '../__tests__/helpers/cloudflare-server.ts'
import { startRoute53Server } from '../__tests__/helpers/route53-server.ts'
import {
  SECRET_CLIENT,
  CLIENT_SECRET,
  SUBSCRIPTION,
  TENANT,
  startAzureWorld
} from '../__tests__/helpers/azure-world.ts'
import { median } from './cold-start.ts'

const DOMAIN = 'ldaps.contoso100.com'
const ZONE = 'contoso100.com'

export interface NoopResult {
  readonly provider: string
  readonly runs: number
  readonly medianMs: number
  /** HTTP requests the API stand-in received per run; undefined where there is none (RFC 2136). */
  readonly apiRequestsPerRun: number | undefined
  /** Provider reads and writes as the action's report counts them (last run). */
  readonly providerReads: number
  readonly providerWrites: number
  /** DNS queries the propagation step sent in the last run (0 when it did not run). */
  readonly dnsQueries: number
  readonly recordChanged: boolean
  readonly certificateTrusted: boolean
}

export interface ProviderRig {
  readonly name: string
  readonly inputs: Record<string, string>
  readonly env: Record<string, string>
  /** Requests the stand-in received so far, and how many of them were writes (undefined: no stand-in to count). */
  counts?(): { requests: number; writes: number }
  close(): Promise<void> | void
}

/** Rigs that need the slapd address (the record's value), e.g. an RFC 2136 server seeded with it. */
export type RigFactory = (ip: string) => Promise<ProviderRig>

export async function measureNoop(runs = 5, extraRigs: readonly RigFactory[] = []): Promise<NoopResult[]> {
  const pki = createTestPki()
  const slapd = await startSlapd({
    host: '127.0.11.1',
    chainPem: pki.leaves.good.chainPem,
    keyPem: pki.leaves.good.leaf.keyPem
  })
  const ip = slapd.host
  const common = {
    domain: DOMAIN,
    ip,
    'wait-for-propagation': 'false',
    'verify-certificate': 'true',
    protocol: 'ldaps',
    port: String(slapd.ldapsPort),
    'ca-certificate': pki.root.certPem
  }
  const rigs: ProviderRig[] = [
    {
      name: 'none',
      inputs: { provider: 'none' },
      env: {},
      counts: () => ({ requests: 0, writes: 0 }),
      close: () => {}
    },
    await cloudflareRig(ip, false),
    await cloudflareRig(ip, true),
    await route53Rig(ip, false),
    await route53Rig(ip, true),
    await azureRig(ip)
  ]
  for (const factory of extraRigs) rigs.push(await factory(ip))
  const results: NoopResult[] = []
  try {
    for (const rig of rigs) {
      const times: number[] = []
      const before = rig.counts?.()
      let last: Awaited<ReturnType<typeof runAction>> | undefined
      for (let i = 0; i < runs; i++) {
        const started = performance.now()
        last = await runAction({ ...common, ...rig.inputs }, { env: rig.env })
        times.push(performance.now() - started)
        if (last.exitCode !== 0) throw new Error(`no-op run with provider ${rig.name} failed:\n${last.stdout}`)
      }
      const after = rig.counts?.()
      results.push({
        provider: rig.name,
        runs,
        medianMs: median(times),
        apiRequestsPerRun: after && before ? (after.requests - before.requests) / runs : undefined,
        providerReads: last?.report?.record?.providerReads ?? 0,
        providerWrites:
          (last?.report?.record?.providerWrites ?? 0) + (after && before ? after.writes - before.writes : 0),
        dnsQueries: last?.report?.propagation?.queries ?? 0,
        recordChanged: last?.outputs['record-changed'] === 'true',
        certificateTrusted: last?.outputs['certificate-trusted'] === 'true'
      })
    }
  } finally {
    for (const rig of rigs) await rig.close()
    await slapd.stop()
  }
  return results
}

async function cloudflareRig(ip: string, zoneIdGiven: boolean): Promise<ProviderRig> {
  const server = await startCloudflareServer(zoneIdGiven ? '127.0.11.4' : '127.0.11.2')
  const zone = server.addZone(ZONE)
  server.tokens.set('bench-token', { zones: [zone.id], edit: true })
  server.addRecord(zone, { name: DOMAIN, type: 'A', content: ip, ttl: 300 })
  return {
    name: zoneIdGiven ? 'cloudflare, cloudflare-zone-id given' : 'cloudflare',
    inputs: {
      provider: 'cloudflare',
      'cloudflare-api-token': 'bench-token',
      ...(zoneIdGiven ? { 'cloudflare-zone-id': zone.id } : {})
    },
    env: { CLOUDFLARE_BASE_URL: server.baseUrl },
    counts: () => ({ requests: server.requests.length, writes: server.writes().length }),
    close: () => server.close()
  }
}

async function route53Rig(ip: string, zoneIdGiven: boolean): Promise<ProviderRig> {
  const server = await startRoute53Server(zoneIdGiven ? '127.0.11.5' : '127.0.11.3')
  server.credentials.set('AKIABENCHKEY00000000', { secretAccessKey: 'bench/secret/not/real', canWrite: true })
  const zone = server.addZone(ZONE)
  zone.recordSets.push({ Name: `${DOMAIN}.`, Type: 'A', TTL: 300, ResourceRecords: [ip] })
  return {
    name: zoneIdGiven ? 'route53, route53-hosted-zone-id given' : 'route53',
    inputs: {
      provider: 'route53',
      ...(zoneIdGiven ? { 'route53-hosted-zone-id': zone.Id.replace(/^\/hostedzone\//, '') } : {})
    },
    env: {
      AWS_ENDPOINT_URL_ROUTE_53: server.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIABENCHKEY00000000',
      AWS_SECRET_ACCESS_KEY: 'bench/secret/not/real',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(tmpdir(), 'ldaps-dns-action-no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'ldaps-dns-action-no-aws-credentials')
    },
    counts: () => ({ requests: server.requests.length, writes: server.writes().length }),
    close: () => server.close()
  }
}

async function azureRig(ip: string): Promise<ProviderRig> {
  const world = await startAzureWorld()
  world.arm.addZone(SUBSCRIPTION, 'rg-dns', ZONE)
  world.arm.putRecordSet(SUBSCRIPTION, 'rg-dns', ZONE, {
    type: 'A',
    name: 'ldaps',
    ttl: 300,
    aRecords: [{ ipv4Address: ip }]
  })
  return {
    name: 'azure',
    inputs: {
      provider: 'azure',
      zone: ZONE,
      'azure-subscription-id': SUBSCRIPTION,
      'azure-resource-group': 'rg-dns',
      'azure-client-id': SECRET_CLIENT,
      'azure-tenant-id': TENANT,
      'azure-client-secret': CLIENT_SECRET,
      'azure-resource-manager-endpoint': world.arm.url
    },
    env: { NODE_EXTRA_CA_CERTS: world.pki.caFile, AZURE_AUTHORITY_HOST: world.entra.url },
    counts: () => ({
      requests: world.arm.requests.length,
      writes: world.arm.requests.filter(r => r.method === 'PUT' || r.method === 'PATCH' || r.method === 'DELETE').length
    }),
    close: () => world.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureNoop(Number(process.argv[2] ?? 5)), null, 2))
}
