// Fuzzing the bundled action's inputs (fast-check): whatever the inputs, the action never crashes
// with an unhandled exception, never hangs, and never sends a single packet when an input is
// invalid. Every provider endpoint, resolver and nameserver points at local tripwires (TCP, UDP,
// HTTP on 127.0.9.10) that count what reaches them.

import assert from 'node:assert/strict'
import { createSocket } from 'node:dgram'
import { createServer, type Server } from 'node:net'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { runAction } from '../helpers/run-action.ts'

const TRIPWIRE = '127.0.9.10'
let contacts = 0
const servers: Server[] = []
const udp = createSocket('udp4')
let tcpPort = 0
let udpPort = 0

before(async () => {
  const tcp = createServer(socket => {
    contacts++
    socket.destroy()
  })
  servers.push(tcp)
  await new Promise<void>(resolve => tcp.listen(0, TRIPWIRE, resolve))
  tcpPort = (tcp.address() as { port: number }).port
  udp.on('message', () => contacts++)
  await new Promise<void>(resolve => udp.bind(0, TRIPWIRE, resolve))
  udpPort = udp.address().port
})

after(() => {
  for (const s of servers) s.close()
  udp.close()
})

const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'true',
    'false',
    '0',
    '-1',
    '65536',
    '1e3',
    '::1',
    '127.0.9.10',
    'ldaps.contoso100.com',
    '../x',
    '%00',
    '${{ x }}',
    'a'.repeat(300)
  )
)

describe('fuzzed inputs through the bundled action', () => {
  it('an invalid input fails cleanly before any network traffic', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          provider: fc.constantFrom('azure', 'rfc2136', 'cloudflare', 'route53', 'none', 'bogus'),
          mode: fc.constantFrom('apply', 'check', 'x'),
          ttl: anyText,
          port: anyText,
          domain: anyText,
          'min-days-valid': anyText,
          'expected-fingerprint': anyText,
          'azure-subscription-id': anyText,
          'cloudflare-api-token': anyText,
          'rfc2136-tsig-secret': anyText
        }),
        // One input is certainly invalid, so validation must stop the run.
        fc.constantFrom<[string, string]>(
          ['ip', '999.1.1.1'],
          ['domain', 'a..b'],
          ['ttl', '-5'],
          ['propagation-timeout', 'soon'],
          ['protocol', 'ftp']
        ),
        async (values, [badName, badValue]) => {
          const before = contacts
          const run = await runAction(
            {
              ip: '52.165.38.113',
              ...values,
              [badName]: badValue,
              'rfc2136-server': `${TRIPWIRE}:${udpPort}`,
              resolver: `${TRIPWIRE}:${udpPort}`,
              nameservers: `${TRIPWIRE}:${udpPort}`,
              'connect-to': TRIPWIRE,
              'azure-resource-manager-endpoint': `https://${TRIPWIRE}:${tcpPort}`
            },
            {
              env: {
                CLOUDFLARE_BASE_URL: `http://${TRIPWIRE}:${tcpPort}/client/v4`,
                AWS_ENDPOINT_URL_ROUTE_53: `http://${TRIPWIRE}:${tcpPort}`,
                GITHUB_API_URL: `http://${TRIPWIRE}:${tcpPort}`
              },
              timeoutMs: 20_000
            }
          )
          assert.equal(run.exitCode, 1, run.stdout)
          assert.ok(run.report, 'the report output is set')
          assert.ok(run.report.findings.some((f: { step: string }) => f.step === 'inputs'))
          assert.doesNotMatch(run.stderr, /\n\s+at .*\(/, 'no stack trace')
          assert.equal(contacts, before, 'no packet reached any endpoint')
        }
      ),
      { numRuns: 40 }
    )
  })

  it('valid or not, a run with nothing to contact never crashes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          domain: anyText,
          ip: anyText,
          ttl: anyText,
          zone: anyText,
          'ca-certificate': anyText,
          'connect-to': anyText
        }),
        async values => {
          const run = await runAction(
            { ...values, provider: 'none', 'wait-for-propagation': 'false', 'verify-certificate': 'false' },
            { timeoutMs: 20_000 }
          )
          assert.ok(run.exitCode === 0 || run.exitCode === 1, `exit code ${run.exitCode}`)
          assert.ok(run.report, 'the report output is set')
          assert.doesNotMatch(run.stderr, /\n\s+at .*\(/, 'no stack trace')
        }
      ),
      { numRuns: 40 }
    )
  })
})
