// The input contract, table-driven: each bad input must be rejected with the input's name and the
// rule in the message. parseInputs is pure (readFile injected), so these run with no I/O at all.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InputError, parseInputs } from '../../src/core/inputs.ts'
import { runnerInputEnv } from '../helpers/run-action.ts'

const GOOD: Record<string, string> = {
  domain: 'ldaps.contoso100.com',
  ip: '52.165.38.113',
  provider: 'none'
}

/** Inputs as the runner passes them (action.yml defaults applied), overlaid with `overrides`. */
function inputs(overrides: Record<string, string>): (name: string) => string {
  const env = runnerInputEnv({ ...GOOD, ...overrides })
  return name => env[`INPUT_${name.toUpperCase()}`] ?? ''
}

const files: Record<string, string> = {}
const readFile = (path: string): string | undefined => files[path]

function parse(overrides: Record<string, string>) {
  return parseInputs(inputs(overrides), readFile)
}

function violationsOf(overrides: Record<string, string>): InputError {
  try {
    parse(overrides)
  } catch (error) {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`)
    return error
  }
  assert.fail(`expected ${JSON.stringify(overrides)} to be rejected`)
}

const AZURE = { provider: 'azure', 'azure-subscription-id': '00000000-1111-2222-3333-444444444444' }
const RFC2136 = {
  provider: 'rfc2136',
  'rfc2136-server': '127.0.0.1',
  'rfc2136-tsig-key-name': 'update-key',
  'rfc2136-tsig-secret': 'c2VjcmV0c2VjcmV0c2VjcmV0'
}

// [input that must be named, overrides, a fragment of the rule]
const BAD: readonly [string, Record<string, string>, RegExp][] = [
  ['domain', { domain: '' }, /required/],
  ['domain', { domain: 'ldaps..contoso100.com' }, /empty label/],
  ['domain', { domain: '-ldaps.contoso100.com' }, /hyphen/],
  ['domain', { domain: 'ldaps-.contoso100.com' }, /hyphen/],
  ['domain', { domain: 'ld_aps.contoso100.com' }, /letters, digits and hyphens/],
  ['domain', { domain: `${'a'.repeat(64)}.contoso100.com` }, /63 characters/],
  ['domain', { domain: `${'abcdefghi.'.repeat(26)}com` }, /253 characters/],
  ['domain', { domain: 'ldaps.contoso100.com/zones' }, /\//],
  ['domain', { domain: 'ldaps.contoso100.com?x=1' }, /\?/],
  ['domain', { domain: 'ldaps.contoso100.com#frag' }, /#/],
  ['domain', { domain: 'ldaps%2e.contoso100.com' }, /%/],
  ['domain', { domain: 'ldaps contoso100.com' }, /whitespace/],
  ['domain', { domain: '../etc/passwd' }, /\//],
  ['domain', { domain: '*.contoso100.com' }, /wildcard/],
  ['domain', { domain: '52.165.38.113' }, /not an IP address/],
  ['domain', { domain: '.contoso100.com' }, /start with a dot/],
  ['domain', { domain: 'ldaps' }, /fully qualified/],
  ['domain', { domain: 'ldaps.0x1f' }, /not an IP address/],
  ['domain', { domain: 'user@contoso100.com' }, /@/],
  ['ip', { ip: '' }, /required/],
  ['ip', { ip: '52.165.38' }, /IPv4 address/],
  ['ip', { ip: '52.165.38.256' }, /IPv4 address/],
  ['ip', { ip: '052.165.38.113' }, /IPv4 address/],
  ['ip', { ip: 'ldaps.contoso100.com' }, /IPv4 address/],
  ['ip', { ip: '2001:db8::1::2' }, /IPv6/],
  ['ip', { ip: 'fe80::1%eth0' }, /zone id/],
  ['ip', { ip: '224.0.0.1' }, /multicast/],
  ['ip', { ip: '0.0.0.0' }, /this network/],
  ['ip', { ip: '::' }, /unspecified/],
  ['ip', { ip: '255.255.255.255' }, /broadcast/],
  ['provider', { provider: 'gcp' }, /one of azure, rfc2136, cloudflare, route53, none/],
  ['mode', { mode: 'dry-run' }, /one of apply, check/],
  ['ttl', { ttl: '-5' }, /whole number from 1 to 2147483647, got "-5"/],
  ['ttl', { ttl: '0' }, /whole number from 1/],
  ['ttl', { ttl: '2147483648' }, /2147483647/],
  ['ttl', { ttl: '300s' }, /whole number/],
  ['ttl', { ttl: '3.5' }, /whole number/],
  ['zone', { zone: 'fabrikam.com' }, /parent domains/],
  ['zone', { zone: 'contoso100.com/x' }, /\//],
  ['azure-subscription-id', { ...AZURE, 'azure-subscription-id': '' }, /required/],
  ['azure-subscription-id', { ...AZURE, 'azure-subscription-id': 'my-subscription' }, /GUID/],
  ['azure-resource-group', { ...AZURE, 'azure-resource-group': 'rg/../other' }, /letters, digits/],
  ['azure-client-id', { ...AZURE, 'azure-client-id': 'app', 'azure-tenant-id': 'contoso.onmicrosoft.com' }, /GUID/],
  ['azure-tenant-id', { ...AZURE, 'azure-client-id': '00000000-1111-2222-3333-444444444444' }, /OIDC/],
  ['azure-client-secret', { ...AZURE, 'azure-client-secret': 's3cr3t-value' }, /needs azure-client-id/],
  ['azure-environment', { ...AZURE, 'azure-environment': 'AzureGermanCloud' }, /one of AzureCloud/],
  [
    'azure-resource-manager-endpoint',
    { ...AZURE, 'azure-resource-manager-endpoint': 'http://management.local' },
    /https URL/
  ],
  ['azure-resource-manager-endpoint', { ...AZURE, 'azure-resource-manager-endpoint': 'not a url' }, /https URL/],
  ['cloudflare-api-token', { provider: 'cloudflare' }, /required/],
  [
    'cloudflare-zone-id',
    { provider: 'cloudflare', 'cloudflare-api-token': 'tok', 'cloudflare-zone-id': 'contoso100.com' },
    /32 lowercase hex/
  ],
  ['route53-hosted-zone-id', { provider: 'route53', 'route53-hosted-zone-id': 'contoso100.com' }, /hosted zone id/],
  ['rfc2136-server', { ...RFC2136, 'rfc2136-server': '' }, /required/],
  ['rfc2136-server', { ...RFC2136, 'rfc2136-server': '127.0.0.1:99999' }, /port must be/],
  ['rfc2136-server', { ...RFC2136, 'rfc2136-server': 'ns1.contoso100.com:dns' }, /port must be/],
  ['rfc2136-tsig-secret', { ...RFC2136, 'rfc2136-tsig-secret': '' }, /required when rfc2136-tsig-key-name/],
  ['rfc2136-tsig-key-name', { ...RFC2136, 'rfc2136-tsig-key-name': '' }, /required when rfc2136-tsig-secret/],
  ['rfc2136-tsig-secret', { ...RFC2136, 'rfc2136-tsig-secret': 'not base64!' }, /base64/],
  ['rfc2136-tsig-algorithm', { ...RFC2136, 'rfc2136-tsig-algorithm': 'hmac-sha3' }, /one of hmac-sha256/],
  ['wait-for-propagation', { 'wait-for-propagation': 'yes' }, /true or false, got "yes"/],
  ['propagation-timeout', { 'propagation-timeout': '0' }, /whole number from 1/],
  ['propagation-timeout', { 'propagation-timeout': '5m' }, /whole number/],
  ['resolver', { resolver: '127.0.0.1,,127.0.0.2' }, /empty items/],
  ['resolver', { resolver: '127.0.0.1:0' }, /port must be/],
  ['nameservers', { nameservers: 'ns1.contoso100.com/x' }, /\//],
  ['nameservers', { nameservers: '[::1]:70000' }, /port must be/],
  ['verify-certificate', { 'verify-certificate': '1' }, /true or false/],
  ['protocol', { protocol: 'ldap' }, /one of ldaps, starttls, tls/],
  ['port', { port: '0' }, /1 to 65535/],
  ['port', { port: '65536' }, /1 to 65535/],
  ['connect-to', { 'connect-to': '10.0.0.300' }, /IPv4 address/],
  ['connect-to', { 'connect-to': 'host name' }, /whitespace/],
  [
    'ca-certificate',
    { 'ca-certificate': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' },
    /does not parse/
  ],
  ['ca-certificate', { 'ca-certificate': '/nonexistent/ca.pem' }, /no file at/],
  [
    'ca-certificate',
    { 'ca-certificate': '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' },
    /no "-----BEGIN CERTIFICATE-----" block/
  ],
  ['ca-certificate', { 'ca-certificate': 'QUJDRA==' }, /does not parse/],
  ['min-days-valid', { 'min-days-valid': '-1' }, /whole number from 0 to 3650/],
  ['expected-fingerprint', { 'expected-fingerprint': 'abc123' }, /64 hex digits/],
  ['expected-fingerprint', { 'expected-fingerprint': 'g'.repeat(64) }, /64 hex digits/],
  ['fail-on-drift', { 'fail-on-drift': 'maybe' }, /true or false/],
  ['drift-issue', { 'drift-issue': 'on' }, /true or false/],
  ['github-token', { mode: 'check', 'drift-issue': 'true', 'github-token': '' }, /required when drift-issue/]
]

describe('parseInputs rejects bad input, naming the input and the rule', () => {
  it('has at least 40 cases, covering every input of action.yml that has a rule', () => {
    assert.ok(BAD.length >= 40, `only ${BAD.length} cases`)
  })
  for (const [input, overrides, rule] of BAD) {
    it(`${input}: ${JSON.stringify(overrides[input] ?? overrides).slice(0, 60)}`, () => {
      const started = performance.now()
      const error = violationsOf(overrides)
      const violation = error.violations.find(v => v.input === input)
      assert.ok(violation, `no violation for "${input}" in: ${error.message}`)
      assert.match(error.message, new RegExp(`input "${input}": `))
      assert.match(violation.message, rule)
      // Generous bound: validation is pure and should take microseconds; this only catches a hang.
      assert.ok(performance.now() - started < 1000)
    })
  }
})

describe('parseInputs', () => {
  it('reports every violation at once', () => {
    const error = violationsOf({ domain: 'a..b', ttl: 'x', port: '0', mode: 'sometimes' })
    assert.deepEqual(error.violations.map(v => v.input).sort(), ['domain', 'mode', 'port', 'ttl'])
    assert.match(error.message, /^4 invalid inputs:/)
  })

  it('never shows a secret value in a message', () => {
    const secret = 'super secret token value'
    const error = violationsOf({ provider: 'cloudflare', 'cloudflare-api-token': secret, 'cloudflare-zone-id': 'x' })
    assert.ok(!error.message.includes(secret))
    const tsig = violationsOf({ ...RFC2136, 'rfc2136-tsig-secret': 'bad base64 secret!' })
    assert.ok(!tsig.message.includes('bad base64 secret!'))
  })

  it('builds frozen settings with the record type from the address family', () => {
    const { settings, warnings } = parse({ domain: 'LDAPS.Contoso100.com.', ip: '2603:1030:0:0::0:1', ttl: '60' })
    assert.equal(settings.domain, 'ldaps.contoso100.com')
    assert.equal(settings.ip, '2603:1030::1')
    assert.equal(settings.recordType, 'AAAA')
    assert.equal(settings.ttl, 60)
    assert.equal(settings.certificate.connectTo, '2603:1030::1')
    assert.equal(settings.certificate.minDaysValid, 30)
    assert.deepEqual(warnings, [])
    assert.ok(Object.isFrozen(settings) && Object.isFrozen(settings.certificate))
    assert.throws(() => {
      ;(settings as { ttl: number }).ttl = 1
    })
  })

  it('converts internationalised names to punycode', () => {
    assert.equal(parse({ domain: 'ldaps.bücher.example' }).settings.domain, 'ldaps.xn--bcher-kva.example')
  })

  it('accepts min-days-valid 0, a fingerprint with colons, and host:port lists', () => {
    const fp = 'AB:'.repeat(31) + 'AB'
    const { settings } = parse({
      'min-days-valid': '0',
      'expected-fingerprint': fp,
      resolver: '127.0.0.1:5353, [::1]:53, ns1.contoso100.com',
      nameservers: '::1'
    })
    assert.equal(settings.certificate.minDaysValid, 0)
    assert.equal(settings.certificate.expectedFingerprint, 'ab'.repeat(32))
    assert.deepEqual(settings.propagation.resolvers, [
      { host: '127.0.0.1', port: 5353 },
      { host: '::1', port: 53 },
      { host: 'ns1.contoso100.com', port: 53 }
    ])
    assert.deepEqual(settings.propagation.nameservers, [{ host: '::1', port: 53 }])
  })

  it('warns about non-public addresses without failing', () => {
    for (const [ip, range] of [
      ['10.1.2.3', /private/],
      ['127.0.0.1', /loopback/],
      ['169.254.1.1', /link-local/],
      ['192.0.2.10', /documentation/],
      ['fd00::1', /unique local/],
      ['2001:db8::1', /documentation/]
    ] as const) {
      const { warnings } = parse({ ip })
      assert.equal(warnings.length, 1, ip)
      assert.equal(warnings[0]!.input, 'ip')
      assert.match(warnings[0]!.message, range)
    }
    assert.deepEqual(parse({ ip: '52.165.38.113' }).warnings, [])
  })

  it('warns about inputs of another provider, which are ignored', () => {
    const { warnings } = parse({ provider: 'none', 'cloudflare-api-token': 'tok' })
    assert.deepEqual(
      warnings.map(w => w.input),
      ['cloudflare-api-token']
    )
  })

  it('selects the provider settings, with OIDC when client and tenant are given without a secret', () => {
    const { settings } = parse({
      ...AZURE,
      'azure-client-id': '00000000-1111-2222-3333-555555555555',
      'azure-tenant-id': '00000000-1111-2222-3333-666666666666'
    })
    assert.equal(settings.provider.kind, 'azure')
    assert.equal(settings.provider.kind === 'azure' && settings.provider.clientSecret, undefined)
    const rfc = parse(RFC2136).settings.provider
    assert.deepEqual(rfc, {
      kind: 'rfc2136',
      server: { host: '127.0.0.1', port: 53 },
      tsig: { name: 'update-key', secret: 'c2VjcmV0c2VjcmV0c2VjcmV0', algorithm: 'hmac-sha256' }
    })
    assert.deepEqual(
      parse({ provider: 'route53', 'route53-hosted-zone-id': '/hostedzone/Z1D633PJN98FT9' }).settings.provider,
      {
        kind: 'route53',
        hostedZoneId: 'Z1D633PJN98FT9'
      }
    )
  })

  it('reads ca-certificate from PEM text, base64 DER or a file', async () => {
    const { X509Certificate } = await import('node:crypto')
    const { ownCertificatePem } = await import('../helpers/self-signed.ts')
    const pem = ownCertificatePem()
    const der = new X509Certificate(pem).raw
    files['/etc/ssl/ldaps-ca.cer'] = der.toString('latin1')
    files['ca.pem'] = `${pem}\n${pem}`
    assert.equal(parse({ 'ca-certificate': pem }).settings.certificate.trustAnchorsPem.length, 1)
    assert.equal(parse({ 'ca-certificate': der.toString('base64') }).settings.certificate.trustAnchorsPem.length, 1)
    assert.equal(parse({ 'ca-certificate': '/etc/ssl/ldaps-ca.cer' }).settings.certificate.trustAnchorsPem.length, 1)
    assert.equal(parse({ 'ca-certificate': 'ca.pem' }).settings.certificate.trustAnchorsPem.length, 2)
  })
})
