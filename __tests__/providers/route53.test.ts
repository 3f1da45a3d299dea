// Route 53 through the real @aws-sdk/client-route-53 client (and the bundled action), configured
// as after aws-actions/configure-aws-credentials (AWS_* in the environment, the endpoint from
// AWS_ENDPOINT_URL_ROUTE_53), against the local Route 53 stand-in on 127.0.20.21. Route 53 keeps
// no metadata beside a record set's values.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startRoute53Server, type FakeHostedZone, type Route53Server } from '../helpers/route53-server.ts'
import { awsEnvironment } from '../helpers/stand-ins.ts'
import { IP } from '../fixtures/record.ts'
import { runProviderConformance } from './conformance.ts'

const NAME = 'ldaps.contoso100.com'
const KEY_ID = 'AKIACONFORMANCE00000'
const SECRET = 'conformance/secret/key/not/real/0000000'

let server: Route53Server
let zone: FakeHostedZone
const CHALLENGE = '_acme-challenge.contoso100.com'
const find = (type = 'A', name = NAME) => server.find(zone, name, type)
/** Another writer sets the TXT set at _acme-challenge (none when `values` is empty). */
const seedChallenge = (values: readonly string[]) => {
  zone.recordSets = zone.recordSets.filter(s => s !== find('TXT', CHALLENGE))
  if (values.length > 0) {
    zone.recordSets.push({ Name: `${CHALLENGE}.`, Type: 'TXT', TTL: 60, ResourceRecords: values.map(v => `"${v}"`) })
  }
}

runProviderConformance(
  {
    title: 'Route 53',
    zone: 'contoso100.com',
    quietAddress: '127.0.20.53',
    async start() {
      server = await startRoute53Server('127.0.20.21')
    },
    stop: async () => server?.close(),
    async reset() {
      server.reset()
      server.credentials.set(KEY_ID, { secretAccessKey: SECRET, canWrite: true })
      zone = server.addZone('contoso100.com')
    },
    inputs: () => ({ provider: 'route53' }),
    env: () => awsEnvironment(server.endpoint, KEY_ID, SECRET),
    async seed(values) {
      zone.recordSets = zone.recordSets.filter(s => s !== find())
      zone.recordSets.push({ Name: `${NAME}.`, Type: 'A', TTL: 300, ResourceRecords: [...values] })
    },
    async seedCname(target) {
      zone.recordSets.push({ Name: `${NAME}.`, Type: 'CNAME', TTL: 300, ResourceRecords: [target] })
    },
    stored: async () => [...(find()?.ResourceRecords ?? [])].sort(),
    storedCname: async () => find('CNAME')?.ResourceRecords?.[0],
    writes: async () => server.writes().length,
    raceOnce(values) {
      let raced = false
      server.afterRequest = request => {
        if (raced || request.operation !== 'ListResourceRecordSets') return
        raced = true
        find()!.ResourceRecords = [...values]
      }
    },
    faults: {
      inject(status, on, times) {
        const operation = on === 'read' ? 'ListResourceRecordSets' : 'ChangeResourceRecordSets'
        const code = status === 429 ? 'Throttling' : 'ServiceUnavailable'
        for (let i = 0; i < times; i++) server.faults.push({ status, code, operation, retryAfter: '1' })
      },
      pending: () => server.faults.length
    },
    badCredential: {
      env: { AWS_SECRET_ACCESS_KEY: 'wrong/secret/key/not/real/000000000000' },
      secret: 'wrong/secret/key/not/real/000000000000',
      message: /^Route 53: the AWS credentials were refused .*SignatureDoesNotMatch, HTTP 403/
    },
    unknownZone: { zone: 'contoso200.com', message: /contoso200\.com/ },
    txt: {
      async seed(values) {
        seedChallenge(values)
      },
      async stored() {
        const set = find('TXT', CHALLENGE)
        // Route 53 holds each value in presentation form: quoted strings, \" and \\ escaped.
        return set?.ResourceRecords?.map(v =>
          [...v.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(m => m[1]!.replace(/\\(.)/g, '$1'))
        )
      },
      raceOnce(values) {
        let raced = false
        server.afterRequest = request => {
          if (raced || request.operation !== 'ListResourceRecordSets') return
          raced = true
          seedChallenge(values)
        }
        return undefined
      }
    }
  },
  ({ run }) => {
    test('route53-hosted-zone-id with the /hostedzone/ prefix the console shows', async () => {
      zone.recordSets.push({ Name: `${NAME}.`, Type: 'A', TTL: 300, ResourceRecords: ['198.51.100.1', '198.51.100.2'] })
      const result = await run({ zone: '', 'route53-hosted-zone-id': `/hostedzone/${zone.Id}` })
      assert.equal(result.exitCode, 0, result.stdout)
      assert.equal(result.outputs['previous-ips'], '198.51.100.1,198.51.100.2')
      assert.deepEqual(find()?.ResourceRecords, [IP])
    })
  }
)
