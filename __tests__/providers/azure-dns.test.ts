// Azure DNS through the real @azure/arm-dns and @azure/identity clients (and the bundled action)
// against the local HTTPS stand-ins for Azure Resource Manager and Microsoft Entra on
// 127.0.20.1-3. The ARM stand-in also checks that no record set PUT went out unconditionally.

import assert from 'node:assert/strict'
import { trustTestCa } from '../helpers/azure-tls.ts'
import { SUBSCRIPTION, azureInputs, startAzureWorld, type AzureWorld } from '../helpers/azure-world.ts'
import { runProviderConformance } from './conformance.ts'
import { ldapsASet } from '../helpers/arm-server.ts'

const RG = 'rg-dns'
const ZONE = 'contoso100.com'
const METADATA = { owner: 'identity-team', ticket: 'CHG-1234' }

let world: AzureWorld
let untrust: () => void
const stored = (type = 'A') => world.arm.getRecordSet(SUBSCRIPTION, RG, ZONE, type, 'ldaps')
runProviderConformance({
  title: 'Azure DNS',
  zone: ZONE,
  quietAddress: '127.0.20.53',
  async start() {
    world = await startAzureWorld({ arm: '127.0.20.1', entra: '127.0.20.2', github: '127.0.20.3' })
    untrust = trustTestCa(world.pki.caPem)
  },
  async stop() {
    const unconditional = world?.arm.unconditionalWrites()
    untrust?.()
    await world?.close()
    assert.equal(unconditional, 0, 'a record set PUT without If-Match / If-None-Match')
  },
  async reset() {
    world.reset()
    world.arm.addZone(SUBSCRIPTION, RG, ZONE)
  },
  inputs: () => ({
    ...azureInputs(world, RG)
  }),
  env: () => ({ NODE_EXTRA_CA_CERTS: world.pki.caFile, AZURE_AUTHORITY_HOST: world.entra.url }),
  async seed(values, options) {
    world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, ldapsASet(values, options?.metadata ? METADATA : undefined))
  },
  async seedCname(target) {
    world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, {
      name: 'ldaps',
      type: 'CNAME',
      ttl: 300,
      cnameRecord: { cname: target }
    })
  },
  stored: async () => (stored()?.aRecords ?? []).map(r => r.ipv4Address).sort(),
  storedCname: async () => stored('CNAME')?.cnameRecord?.cname,
  requestsPerRead: 2,
  writes: async () => world.arm.writeCount(),
  metadata: { seeded: METADATA, read: async () => stored()?.metadata },
  raceOnce(values) {
    world.arm.beforeWrite = () => {
      world.arm.beforeWrite = undefined
      world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, ldapsASet(values))
    }
  },
  faults: {
    inject(status, on, times) {
      world.arm.faults.push(
        on === 'read'
          ? { method: 'GET', pathIncludes: '/A/ldaps', times, status, headers: { 'Retry-After': '1' } }
          : { method: 'PUT', times, status }
      )
    },
    pending: () => world.arm.faults.reduce((n, f) => n + f.times, 0)
  },
  badCredential: {
    inputs: { 'azure-client-secret': 'wrong-secret-value' },
    secret: 'wrong-secret-value',
    message: /AADSTS7000215.*azure-client-secret is wrong or expired/s
  },
  unknownZone: {
    zone: 'contoso200.com',
    message: /is not in resource group rg-dns of subscription .*ParentResourceNotFound/
  },
  txt: {
    async seed(values) {
      world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, challengeSet(values))
    },
    stored: async () =>
      world.arm.getRecordSet(SUBSCRIPTION, RG, ZONE, 'TXT', CHALLENGE_NAME)?.txtRecords?.map(r => r.value),
    raceOnce(values) {
      world.arm.beforeWrite = () => {
        world.arm.beforeWrite = undefined
        world.arm.putRecordSet(SUBSCRIPTION, RG, ZONE, challengeSet(values))
      }
      return undefined
    }
  }
})

const CHALLENGE_NAME = '_acme-challenge'
/** The TXT set another writer puts at _acme-challenge: one record per value, TTL 60. */
const challengeSet = (values: readonly string[]) => ({
  name: CHALLENGE_NAME,
  type: 'TXT',
  ttl: 60,
  txtRecords: values.map(value => ({ value: [value] }))
})
