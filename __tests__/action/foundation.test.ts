// The bundled action run as a runner runs it: INPUT_* variables with action.yml's defaults,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Requires a built dist/ (npm run build).

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runAction } from '../helpers/run-action.ts'

const MINIMAL = {
  domain: 'ldaps.contoso100.com',
  ip: '52.165.38.113',
  provider: 'none',
  'wait-for-propagation': 'false',
  'verify-certificate': 'false'
}

describe('bundled action, provider none, nothing to wait for or verify', () => {
  it('exits 0 and writes outputs and a summary', async () => {
    const run = await runAction(MINIMAL)
    assert.equal(run.exitCode, 0, run.stdout + run.stderr)
    assert.equal(run.outputs['record-changed'], 'false')
    assert.equal(run.outputs['drift'], 'false')
    assert.equal(run.report.version, 1)
    assert.equal(run.report.domain, 'ldaps.contoso100.com')
    assert.equal(run.report.outcome, 'success')
    assert.match(run.summary, /✅ `ldaps\.contoso100\.com` → `52\.165\.38\.113`/)
  })

  it('fails on bad inputs before doing anything, naming each input, and still writes a summary', async () => {
    const run = await runAction({ ...MINIMAL, ttl: '-5', port: '70000' })
    assert.equal(run.exitCode, 1)
    assert.match(run.stdout, /input "ttl": must be a whole number from 1 to 2147483647, got "-5"/)
    assert.match(run.stdout, /input "port": must be a whole number from 1 to 65535/)
    assert.equal(run.report.outcome, 'failure')
    assert.match(run.summary, /Invalid input ttl/)
  })

  it('annotates a non-public address as a warning and still succeeds', async () => {
    const run = await runAction({ ...MINIMAL, ip: '10.20.30.40' })
    assert.equal(run.exitCode, 0)
    assert.match(run.stdout, /::warning title=Input ip::input "ip": 10\.20\.30\.40 is a private \(RFC 1918\) address/)
  })
})

describe('secret inputs', () => {
  const secrets = {
    'azure-client-secret': 'azure-SECRET-value-1234',
    'cloudflare-api-token': 'cloudflare-SECRET-token-5678',
    'rfc2136-tsig-secret': 'dHNpZy1TRUNSRVQtc2VjcmV0LTkwMTI=',
    'github-token': 'ghs_SECRETtoken000000000000000000000'
  }

  for (const [label, inputs] of [
    ['a run that succeeds', { ...MINIMAL, ...secrets }],
    // Every secret present and the step failing on other inputs: the secrets must still be masked
    // first and never echoed by the error messages (cloudflare-api-token is invalid here on purpose).
    [
      'a run that fails',
      {
        ...MINIMAL,
        ...secrets,
        provider: 'cloudflare',
        'cloudflare-api-token': 'cloudflare SECRET token',
        'cloudflare-zone-id': 'bad',
        ttl: 'x'
      }
    ]
  ] as const) {
    it(`are masked before any other output in ${label}, and appear nowhere else`, async () => {
      const run = await runAction(inputs as Record<string, string>)
      const values = Object.entries(inputs)
        .filter(([name]) => name in secrets)
        .map(([, value]) => value)
      const lines = run.stdout.split('\n')
      const maskLines = lines.filter(l => l.startsWith('::add-mask::'))
      assert.deepEqual(lines.slice(0, maskLines.length), maskLines, 'add-mask lines come first')
      for (const value of values) {
        assert.ok(maskLines.includes(`::add-mask::${value}`), `no mask for a secret`)
        const elsewhere = [
          ...lines.filter(l => !l.startsWith('::add-mask::')),
          run.stderr,
          run.summary,
          JSON.stringify(run.outputs)
        ]
        assert.ok(!elsewhere.some(text => text.includes(value)), 'a secret leaked into output')
      }
      if (label === 'a run that fails') assert.equal(run.exitCode, 1)
    })
  }
})
