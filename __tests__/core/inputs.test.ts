// The input contract, table-driven: each bad input must be rejected with the input's name and the
// rule in the message. parseInputs is pure (readFile injected), so these run with no I/O at all.

import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parse as parseYaml } from 'yaml'
import type { AzureSettings } from '../../src/core/settings.ts'
import { InputError, PROPAGATION_TIMEOUT_SECONDS, unknownInputs } from '../../src/core/inputs.ts'
import { parseInputs } from '../../src/adapters/providers/index.ts'
import { runnerInputEnv } from '../helpers/run-action.ts'
import { ownCertificatePfx } from '../helpers/self-signed.ts'

const GOOD: Record<string, string> = {
  domain: 'ldaps.contoso100.com',
  ip: '52.165.38.113',
  provider: 'none'
}

/**
 * The environment the runner gives the action (action.yml defaults applied), overlaid with
 * `overrides`; a key spelt as a variable (INPUT_…) is put in as it is, as the runner passes a
 * with: key action.yml does not declare.
 */
function runnerEnv(overrides: Record<string, string>): Record<string, string> {
  const asVariables = Object.entries(overrides).filter(([name]) => name.startsWith('INPUT_'))
  const asInputs = Object.entries(overrides).filter(([name]) => !name.startsWith('INPUT_'))
  return { ...runnerInputEnv({ ...GOOD, ...Object.fromEntries(asInputs) }), ...Object.fromEntries(asVariables) }
}

// Stand-in for the bounded file reader (src/adapters/files.ts, tested against real files in
// __tests__/adapters/files.test.ts): content, or why the path was refused.
const files: Record<string, string | { refused: string }> = {
  '/etc': { refused: 'is a directory, not a file' },
  '/dev/zero': { refused: 'is a character device, not a regular file' },
  '/tmp/ca.fifo': { refused: 'is a FIFO (named pipe), not a regular file' },
  'huge.pem': { refused: 'is 12.0 MiB (12582912 bytes), more than the 1 MiB a CA file may have' },
  '/root/ca.pem': { refused: 'cannot be read (permission denied)' },
  'garbage.pem': 'hello, not a certificate'
}
const readFile = (path: string): string | undefined | { refused: string } => files[path]

// A PFX made by openssl, as a user might paste it (base64) or name its file.
const PFX = ownCertificatePfx()
files['ldaps.pfx'] = PFX.toString('latin1')

function parse(overrides: Record<string, string>) {
  const env = runnerEnv(overrides)
  // core.getInput's lookup: INPUT_ and the name with spaces as underscores, upper-cased.
  return parseInputs(name => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '', readFile, Object.keys(env))
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
  ['ca-certificate', { 'ca-certificate': 'QUJDRA==' }, /neither base64 DER of an X.509 certificate nor a file path/],
  ['min-days-valid', { 'min-days-valid': '-1' }, /whole number from 0 to 3650/],
  ['expected-fingerprint', { 'expected-fingerprint': 'abc123' }, /64 hex digits/],
  ['expected-fingerprint', { 'expected-fingerprint': 'g'.repeat(64) }, /64 hex digits/],
  ['fail-on-drift', { 'fail-on-drift': 'maybe' }, /true or false/],
  ['drift-issue', { 'drift-issue': 'on' }, /true or false/],
  ['github-token', { mode: 'check', 'drift-issue': 'true', 'github-token': '' }, /required when drift-issue/],

  // Issue 11, point 7: addresses accepted wrongly before.
  ['ip', { ip: '::ffff:52.165.38.113' }, /IPv4 address 52\.165\.38\.113 itself, not as an IPv4-mapped/],
  ['ip', { ip: '::52.165.38.113' }, /IPv4 address 52\.165\.38\.113 itself, not as an IPv4-compatible/],
  ['ip', { ip: '::ffff:34a5:2671' }, /IPv4 address 52\.165\.38\.113 itself/],
  ['ip', { ip: '0:0:0:0:0:ffff:52.165.38.113' }, /IPv4-mapped.*AAAA record/],
  ['ip', { ip: '::FFFF:10.0.0.1' }, /IPv4 address 10\.0\.0\.1 itself/],
  ['ip', { ip: '239.255.255.250' }, /multicast/],
  ['ip', { ip: 'ff02::1' }, /multicast/],
  ['ip', { ip: '0.1.2.3' }, /this network/],
  ['connect-to', { 'connect-to': '0.0.0.0' }, /this network/],
  ['connect-to', { 'connect-to': '::' }, /unspecified/],
  ['connect-to', { 'connect-to': '[::]' }, /unspecified/],
  ['connect-to', { 'connect-to': '224.0.0.1' }, /multicast/],
  ['connect-to', { 'connect-to': 'ff05::2' }, /multicast/],
  ['connect-to', { 'connect-to': '255.255.255.255' }, /broadcast/],
  ['connect-to', { 'connect-to': 'fe80::1' }, /link-local.*zone id/],
  ['connect-to', { 'connect-to': 'fe80::1%eth0' }, /zone id/],
  ['connect-to', { 'connect-to': '::ffff:52.165.38.113' }, /IPv4 address 52\.165\.38\.113 itself/],
  ['resolver', { resolver: '0.0.0.0' }, /this network/],
  ['resolver', { resolver: '::' }, /unspecified/],
  ['resolver', { resolver: '224.0.0.251' }, /multicast/],
  ['resolver', { resolver: '[ff02::fb]:5353' }, /multicast/],
  ['resolver', { resolver: '255.255.255.255:53' }, /broadcast/],
  ['resolver', { resolver: '127.0.0.1, 0.0.0.0' }, /this network/],
  ['resolver', { resolver: 'fe80::53' }, /link-local/],
  ['resolver', { resolver: '::ffff:8.8.8.8' }, /IPv4 address 8\.8\.8\.8 itself/],
  ['nameservers', { nameservers: '0.0.0.0:53' }, /this network/],
  ['nameservers', { nameservers: '[::]:53' }, /unspecified/],
  ['nameservers', { nameservers: '239.1.1.1' }, /multicast/],
  ['nameservers', { nameservers: '::52.165.38.113' }, /IPv4-compatible/],
  ['nameservers', { nameservers: '[ff02::1]' }, /multicast/],
  ['rfc2136-server', { ...RFC2136, 'rfc2136-server': '0.0.0.0' }, /this network/],
  ['rfc2136-server', { ...RFC2136, 'rfc2136-server': '224.0.0.1:53' }, /multicast/],
  ['rfc2136-server', { ...RFC2136, 'rfc2136-server': '[::]:53' }, /unspecified/],
  ['propagation-timeout', { 'propagation-timeout': '3601' }, /whole number from 1 to 3600, got "3601"/],
  ['propagation-timeout', { 'propagation-timeout': '21600' }, /from 1 to 3600/],
  ['propagation-timeout', { 'propagation-timeout': '-1' }, /from 1 to 3600/],
  ['propagation-timeout', { 'propagation-timeout': '1e3' }, /whole number/],
  ['propagation-timeout', { 'propagation-timeout': '5 minutes' }, /whole number/],

  // Issue 11, point 7: unclear messages. A URL where a host is expected.
  ['connect-to', { 'connect-to': 'ldaps://ldaps.contoso100.com:636' }, /not a URL: write "ldaps\.contoso100\.com"/],
  ['connect-to', { 'connect-to': 'https://ldaps.contoso100.com/' }, /not a URL: write "ldaps\.contoso100\.com"/],
  ['connect-to', { 'connect-to': 'ldap://10.0.0.4' }, /not a URL: write "10\.0\.0\.4"/],
  [
    'connect-to',
    { 'connect-to': 'ldaps.contoso100.com:636' },
    /without a port: write "ldaps\.contoso100\.com" and set the port input/
  ],
  ['connect-to', { 'connect-to': '52.165.38.113:636' }, /without a port: write "52\.165\.38\.113"/],
  ['connect-to', { 'connect-to': '[2603:1030::1]:636' }, /without a port: write "2603:1030::1"/],
  ['domain', { domain: 'https://ldaps.contoso100.com' }, /host name only, not a URL: write "ldaps\.contoso100\.com"/],
  ['domain', { domain: 'ldaps://ldaps.contoso100.com:636' }, /not a URL: write "ldaps\.contoso100\.com"/],
  ['domain', { domain: 'LDAPS://user@ldaps.contoso100.com/' }, /not a URL: write "ldaps\.contoso100\.com"/i],
  ['zone', { zone: 'https://contoso100.com' }, /not a URL: write "contoso100\.com"/],
  ['ip', { ip: 'https://52.165.38.113' }, /IP address only, not a URL: write "52\.165\.38\.113"/],
  ['ip', { ip: 'ldaps://[2603:1030::1]:636' }, /not a URL: write "2603:1030::1"/],
  ['resolver', { resolver: 'https://dns.google/dns-query' }, /not a URL: write "dns\.google"/],
  ['resolver', { resolver: 'udp://8.8.8.8:53' }, /not a URL: write "8\.8\.8\.8"/],
  ['resolver', { resolver: 'tls://1.1.1.1:853' }, /not a URL/],
  ['nameservers', { nameservers: 'dns://ns1.contoso100.com' }, /not a URL: write "ns1\.contoso100\.com"/],
  ['rfc2136-server', { ...RFC2136, 'rfc2136-server': 'https://ns1.contoso100.com' }, /not a URL/],
  // A list separated by anything but commas.
  ['resolver', { resolver: '8.8.8.8;1.1.1.1' }, /separate its entries with commas, e\.g\. "8\.8\.8\.8, 1\.1\.1\.1"/],
  ['resolver', { resolver: '8.8.8.8 1.1.1.1' }, /separate its entries with commas/],
  ['resolver', { resolver: '8.8.8.8\n1.1.1.1' }, /separate its entries with commas/],
  ['resolver', { resolver: '8.8.8.8; 1.1.1.1;' }, /separate its entries with commas/],
  ['nameservers', { nameservers: 'ns1.contoso100.com;ns2.contoso100.com' }, /separate its entries with commas/],
  ['nameservers', { nameservers: 'ns1.contoso100.com ns2.contoso100.com' }, /separate its entries with commas/],
  ['nameservers', { nameservers: 'ns1.contoso100.com\tns2.contoso100.com' }, /separate its entries with commas/],
  // Other dots: mapped to "." (accepted, see below), so only a real empty label is refused.
  ['domain', { domain: 'ldaps.contoso100.com。。' }, /empty label/],
  ['domain', { domain: '。contoso100.com' }, /start with a dot/],
  ['domain', { domain: 'ldaps．．contoso100.com' }, /empty label/],
  // provider defaults to azure: a missing Azure input says so and names the others.
  [
    'azure-subscription-id',
    { provider: 'azure' },
    /default when provider is not set.*rfc2136, cloudflare, route53 or none/
  ],
  [
    'azure-subscription-id',
    { provider: 'azure', 'cloudflare-api-token': 'tok' },
    /provider is azure, the default when provider is not set/
  ],

  // ca-certificate as a path: refused by what is there, with the workspace hint when nothing is.
  [
    'ca-certificate',
    { 'ca-certificate': '/etc' },
    /"\/etc" is a directory, not a file; give the path of a regular PEM/
  ],
  ['ca-certificate', { 'ca-certificate': '/dev/zero' }, /"\/dev\/zero" is a character device/],
  ['ca-certificate', { 'ca-certificate': '/tmp/ca.fifo' }, /is a FIFO/],
  ['ca-certificate', { 'ca-certificate': 'huge.pem' }, /more than the 1 MiB a CA file may have/],
  ['ca-certificate', { 'ca-certificate': '/root/ca.pem' }, /permission denied/],
  [
    'ca-certificate',
    { 'ca-certificate': 'certs/ldaps-ca.pem' },
    /relative path is resolved from the workspace, GITHUB_WORKSPACE.*actions\/checkout/
  ],
  ['ca-certificate', { 'ca-certificate': '/ca/cert' }, /no file at "\/ca\/cert".*actions\/checkout/],
  ['ca-certificate', { 'ca-certificate': 'garbage.pem' }, /certificate 1 in the file garbage\.pem does not parse/],
  [
    'ca-certificate',
    { 'ca-certificate': '-----BEGIN CERTIFICATE-----\nMIIB' },
    /no "-----BEGIN CERTIFICATE-----" block/
  ],
  [
    'ca-certificate',
    { 'ca-certificate': '-----BEGIN CERTIFICATE-----\n<img src=x>\n-----END CERTIFICATE-----' },
    /does not parse.*give PEM text/
  ],

  // More of every kind: names, numbers, choices, identifiers.
  ['ip', { ip: '52.165.38.113/32' }, /IPv4 address/],
  ['ip', { ip: '52.165.38.113:636' }, /IPv4 address/],
  ['ip', { ip: '52.165.38.113, 52.165.38.114' }, /IPv4 address/],
  ['ip', { ip: '1.2.3.4.5' }, /IPv4 address/],
  ['ip', { ip: '0x34.0xa5.0x26.0x71' }, /IPv4 address/],
  ['ip', { ip: '   ' }, /required.*e\.g\. 52\.165\.38\.113/],
  ['domain', { domain: 'ldaps.contoso100.com:636' }, /:/],
  ['domain', { domain: 'ldaps.contoso100.com..' }, /empty label/],
  ['domain', { domain: 'ldaps.contoso100.com/' }, /\//],
  ['domain', { domain: '<img src=x>.contoso100.com' }, /whitespace/],
  ['domain', { domain: '::error::x' }, /:/],
  ['domain', { domain: 'ldaps.contoso100.123' }, /not an IP address/],
  ['domain', { domain: 'xn--.contoso100.com' }, /hyphen/],
  ['domain', { domain: 'ldaps.contoso100.com\u0000' }, /letters, digits and hyphens/],
  ['domain', { domain: '   ' }, /required.*e\.g\. ldaps\.contoso100\.com/],
  ['zone', { zone: 'contoso100..com' }, /empty label/],
  ['zone', { zone: 'ldaps.contoso100.com.evil' }, /parent domains/],
  ['zone', { zone: '*.contoso100.com' }, /wildcard/],
  ['provider', { provider: 'Azure DNS' }, /one of azure, rfc2136/],
  ['provider', { provider: 'aws' }, /one of azure, rfc2136, cloudflare, route53, none/],
  ['mode', { mode: 'read-only' }, /one of apply, check/],
  ['azure-subscription-id', { ...AZURE, 'azure-subscription-id': '{00000000-1111-2222-3333-444444444444}' }, /GUID/],
  [
    'azure-subscription-id',
    { ...AZURE, 'azure-subscription-id': '/subscriptions/00000000-1111-2222-3333-444444444444' },
    /GUID/
  ],
  ['azure-resource-group', { ...AZURE, 'azure-resource-group': 'rg.' }, /not ending in a period/],
  ['azure-resource-group', { ...AZURE, 'azure-resource-group': 'r'.repeat(91) }, /1 to 90/],
  [
    'azure-tenant-id',
    { ...AZURE, 'azure-client-id': '00000000-1111-2222-3333-444444444444', 'azure-tenant-id': 'not a tenant!' },
    /GUID or a verified domain/
  ],
  ['azure-client-id', { ...AZURE, 'azure-tenant-id': '00000000-1111-2222-3333-444444444444' }, /OIDC/],
  [
    'azure-resource-manager-endpoint',
    { ...AZURE, 'azure-resource-manager-endpoint': 'https://user:pw@management.local' },
    /without credentials/
  ],
  [
    'azure-resource-manager-endpoint',
    { ...AZURE, 'azure-resource-manager-endpoint': 'https://management.local/?api-version=1' },
    /query/
  ],
  ['azure-environment', { ...AZURE, 'azure-environment': 'AzureCloud2' }, /one of AzureCloud/],
  ['cloudflare-api-token', { provider: 'cloudflare', 'cloudflare-api-token': 'Bearer abc' }, /without whitespace/],
  [
    'cloudflare-zone-id',
    { provider: 'cloudflare', 'cloudflare-api-token': 'tok', 'cloudflare-zone-id': 'ABCDEF0123456789ABCDEF0123456789' },
    /32 lowercase hex/
  ],
  [
    'cloudflare-zone-id',
    { provider: 'cloudflare', 'cloudflare-api-token': 'tok', 'cloudflare-zone-id': 'abcdef0123456789abcdef012345678' },
    /32 lowercase hex/
  ],
  ['route53-hosted-zone-id', { provider: 'route53', 'route53-hosted-zone-id': '/hostedzone/' }, /hosted zone id/],
  [
    'route53-hosted-zone-id',
    { provider: 'route53', 'route53-hosted-zone-id': 'arn:aws:route53:::hostedzone/Z1D633PJN98FT9' },
    /hosted zone id/
  ],
  ['rfc2136-server', { ...RFC2136, 'rfc2136-server': '[::1]:0' }, /port must be/],
  ['rfc2136-tsig-key-name', { ...RFC2136, 'rfc2136-tsig-key-name': 'update key' }, /whitespace/],
  ['rfc2136-tsig-algorithm', { ...RFC2136, 'rfc2136-tsig-algorithm': 'sha256' }, /one of hmac-sha256/],
  ['wait-for-propagation', { 'wait-for-propagation': 'tRue' }, /true or false/],
  ['verify-certificate', { 'verify-certificate': 'no' }, /true or false/],
  ['fail-on-drift', { 'fail-on-drift': '0' }, /true or false/],
  ['drift-issue', { 'drift-issue': 'enabled' }, /true or false/],
  ['ttl', { ttl: '1e3' }, /whole number/],
  ['ttl', { ttl: '0x10' }, /whole number/],
  ['ttl', { ttl: '٣٠٠' }, /whole number/],
  ['ttl', { ttl: '３００' }, /whole number/],
  ['port', { port: '636.0' }, /1 to 65535/],
  ['port', { port: '-636' }, /1 to 65535/],
  ['port', { port: 'ldaps' }, /1 to 65535/],
  ['protocol', { protocol: 'ldaps://' }, /one of ldaps, starttls, tls/],
  ['protocol', { protocol: 'tls1.3' }, /one of ldaps, starttls, tls/],
  ['min-days-valid', { 'min-days-valid': '3651' }, /0 to 3650/],
  ['min-days-valid', { 'min-days-valid': '30d' }, /0 to 3650/],
  ['expected-fingerprint', { 'expected-fingerprint': `sha1:${'ab'.repeat(20)}` }, /64 hex digits/],
  ['expected-fingerprint', { 'expected-fingerprint': 'a'.repeat(65) }, /64 hex digits/],
  ['expected-fingerprint', { 'expected-fingerprint': Buffer.alloc(32, 7).toString('base64') }, /64 hex digits/],
  ['resolver', { resolver: '8.8.8.8:' }, /port must be/],
  ['resolver', { resolver: ',8.8.8.8' }, /empty items/],
  ['nameservers', { nameservers: 'ns1.contoso100.com:0' }, /port must be/],
  ['nameservers', { nameservers: 'ns1_.contoso100.com' }, /letters, digits/],
  ['connect-to', { 'connect-to': '*.contoso100.com' }, /wildcard/],
  ['connect-to', { 'connect-to': 'ldaps..contoso100.com' }, /empty label/],

  // Issue 18, point 10: refused, or refused with a clearer message.
  ['domain', { domain: 'xn--zzzz.contoso100.com' }, /label "xn--zzzz" starts with xn-- but is not valid punycode/],
  ['domain', { domain: 'ldaps.xn--abc.com' }, /not valid punycode.*write the label in Unicode/],
  ['zone', { domain: 'ldaps.contoso100.com', zone: 'xn--99999999.com' }, /not valid punycode/],
  ['nameservers', { nameservers: 'ns1.xn--zzzz.com' }, /not valid punycode/],
  [
    'azure-tenant-id',
    { ...AZURE, 'azure-client-id': '00000000-1111-2222-3333-444444444444', 'azure-tenant-id': 'common' },
    /own tenant, not "common": .*multi-tenant.*give the Directory \(tenant\) ID GUID/
  ],
  [
    'azure-tenant-id',
    { ...AZURE, 'azure-client-id': '00000000-1111-2222-3333-444444444444', 'azure-tenant-id': 'organizations' },
    /multi-tenant/
  ],
  [
    'azure-tenant-id',
    { ...AZURE, 'azure-client-id': '00000000-1111-2222-3333-444444444444', 'azure-tenant-id': 'Consumers' },
    /multi-tenant/
  ],
  ['ip', { ip: '169.254.1.1' }, /must not be a link-local address \(169\.254\.1\.1 is in 169\.254\.0\.0\/16/],
  ['ip', { ip: '169.254.169.254' }, /link-local/],
  ['ip', { ip: 'fe80::1' }, /must not be a link-local address \(fe80::1 is in fe80::\/10/],
  ['resolver', { resolver: '8.8.8.8:53:53' }, /host\[:port\] with one port: write "8\.8\.8\.8:53".*brackets/],
  ['resolver', { resolver: '1.1.1.1, 8.8.8.8:53:53' }, /one port/],
  ['nameservers', { nameservers: 'ns1.contoso100.com:53:53' }, /one port: write "ns1\.contoso100\.com:53"/],
  ['rfc2136-server', { ...RFC2136, 'rfc2136-server': '192.0.2.53:53:53' }, /one port/],
  // A TSIG secret: without its padding it is accepted (below); these cannot be base64 at all.
  [
    'rfc2136-tsig-secret',
    { ...RFC2136, 'rfc2136-tsig-secret': 'abc' + 'd'.repeat(22) },
    /25 characters.*one is missing or extra/
  ],
  ['rfc2136-tsig-secret', { ...RFC2136, 'rfc2136-tsig-secret': 'c2VjcmV0-2VjcmV0_2VjcmV0' }, /base64url.*\+ and \//],
  [
    'rfc2136-tsig-secret',
    { ...RFC2136, 'rfc2136-tsig-secret': 'c2VjcmV0c2VjcmV0c2VjcmV0cw=' },
    /padding or last character/
  ],
  [
    'rfc2136-tsig-secret',
    { ...RFC2136, 'rfc2136-tsig-secret': 'c2VjcmV0c2VjcmV0c2VjcmV0cx' },
    /padding or last character/
  ],
  ['rfc2136-tsig-secret', { ...RFC2136, 'rfc2136-tsig-secret': 'c2Vj cmV0' }, /letters, digits, \+ and \//],

  // Issue 18, point 11: a with: key that is no input, named with the input it likely meant.
  [
    'min-days-vaild',
    { 'INPUT_MIN-DAYS-VAILD': '60' },
    /^is not an input of this action: did you mean min-days-valid\? Write min-days-valid instead/
  ],
  ['min_days_valid', { INPUT_MIN_DAYS_VALID: '60' }, /did you mean min-days-valid\?/],
  ['verify-certificates', { 'INPUT_VERIFY-CERTIFICATES': 'false' }, /did you mean verify-certificate\?/],
  ['tsig-secret', { ...RFC2136, 'INPUT_TSIG-SECRET': 'c2VjcmV0' }, /did you mean rfc2136-tsig-secret\?/],
  ['entra-domain', { 'INPUT_ENTRA-DOMAIN': 'aaddscontoso.com' }, /did you mean entra-domain-name\?/],
  [
    'ipaddress',
    { INPUT_IPADDRESS: '52.165.38.113' },
    /is not an input of this action\. Write one of the inputs listed in README\.md/
  ],
  [
    'fail-on-drfit',
    { 'INPUT_FAIL-ON-DRFIT': 'false' },
    /did you mean fail-on-drift\?.*remove INPUT_FAIL-ON-DRFIT from env: or GITHUB_ENV/
  ],

  // Issue 18, point 13: a PFX as ca-certificate, a SHA-1 thumbprint as expected-fingerprint.
  [
    'ca-certificate',
    { 'ca-certificate': PFX.toString('base64') },
    /^is a PFX \(PKCS #12\) file, which holds a private key.*give the public CA certificate.*openssl pkcs12/
  ],
  ['ca-certificate', { 'ca-certificate': 'ldaps.pfx' }, /^the file ldaps\.pfx is a PFX \(PKCS #12\) file/],
  ['ca-certificate', { 'ca-certificate': PFX.toString('base64').replace(/(.{64})/g, '$1\n') }, /is a PFX/],
  [
    'expected-fingerprint',
    { 'expected-fingerprint': 'AB'.repeat(20) },
    /is a SHA-1 thumbprint \(40 hex digits.*give the SHA-256 fingerprint, 64 hex digits: openssl x509 .*-fingerprint -sha256/
  ],
  ['expected-fingerprint', { 'expected-fingerprint': 'ab:'.repeat(19) + 'ab' }, /SHA-1 thumbprint/],
  [
    'expected-fingerprint',
    { 'expected-fingerprint': `SHA1:${'9f'.repeat(20)}` },
    /SHA-1 thumbprint.*certificate-sha256 output/
  ],

  // Issue 18, point 14: a private ip in a public zone, unless allow-private-ip says it is meant.
  [
    'ip',
    { ...AZURE, ip: '10.1.2.3' },
    /10\.1\.2\.3 is a private \(RFC 1918\) address and provider azure publishes to a public zone.*allow-private-ip: true/
  ],
  ['ip', { ...AZURE, ip: '172.16.0.5', 'allow-private-ip': 'false' }, /private \(RFC 1918\)/],
  ['ip', { ...AZURE, ip: 'fd12:3456::1' }, /unique local \(RFC 4193\) address and provider azure/],
  [
    'ip',
    { provider: 'cloudflare', 'cloudflare-api-token': 'tok', ip: '192.168.1.10' },
    /provider cloudflare publishes to a public zone/
  ],
  ['allow-private-ip', { 'allow-private-ip': 'yes' }, /true or false/],

  // Issue 18, point 16: a domain outside the zone names both inputs.
  [
    'zone',
    { zone: 'contoso100.org' },
    /domain ldaps\.contoso100\.com is not inside zone contoso100\.org: zone must be domain itself or one of its parent domains.*fix domain or zone/
  ]
]

describe('parseInputs rejects bad input, naming the input and the rule', () => {
  it('has at least 150 distinct cases', () => {
    const distinct = new Set(BAD.map(([input, overrides]) => JSON.stringify([input, overrides])))
    assert.equal(distinct.size, BAD.length, 'a case is listed twice')
    assert.ok(BAD.length >= 150, `only ${BAD.length} cases`)
  })
  for (const [input, overrides, rule] of BAD) {
    it(`${input}: ${JSON.stringify(overrides[input] ?? overrides).slice(0, 60)}`, () => {
      const started = performance.now()
      const error = violationsOf(overrides)
      const violation = error.violations.find(v => v.input === input)
      assert.ok(violation, `no violation for "${input}" in: ${error.message}`)
      assert.match(error.message, new RegExp(`input "${input}": `))
      assert.match(violation.message, rule)
      // Every message says what to write instead, not only what is wrong.
      for (const v of error.violations) {
        assert.match(v.message, /\b(must|give|write|set|leave|separate)\b|e\.g\./, `no advice in: ${v.message}`)
      }
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

  it('reads the ideographic and fullwidth full stops as dots (UTS-46), also at the end', () => {
    for (const domain of ['ldaps.contoso100.com。', 'ldaps。contoso100。com', 'ldaps．contoso100｡com.']) {
      assert.equal(parse({ domain }).settings.domain, 'ldaps.contoso100.com', domain)
    }
    const { settings } = parse({
      zone: 'contoso100。com',
      'connect-to': 'ldaps。contoso100.com',
      nameservers: 'ns1．contoso100.com:53'
    })
    assert.equal(settings.zone, 'contoso100.com')
    assert.equal(settings.certificate.connectTo, 'ldaps.contoso100.com')
    assert.deepEqual(settings.propagation.nameservers, [{ host: 'ns1.contoso100.com', port: 53 }])
  })

  it('accepts what point 7 must not refuse: IPv4 link-local resolvers, spaces around commas, the timeout bounds', () => {
    // AWS's VPC resolver lives at 169.254.169.253; IPv4 link-local needs no zone id.
    const { settings } = parse({
      resolver: '169.254.169.253 , [2001:4860:4860::8888]:53',
      'propagation-timeout': '3600'
    })
    assert.deepEqual(settings.propagation.resolvers, [
      { host: '169.254.169.253', port: 53 },
      { host: '2001:4860:4860::8888', port: 53 }
    ])
    assert.equal(settings.propagation.timeoutSeconds, 3600)
    assert.equal(parse({ 'propagation-timeout': '1' }).settings.propagation.timeoutSeconds, 1)
    assert.equal(parse({ ip: '2603:1030::ffff:1' }).settings.recordType, 'AAAA')
  })

  it('states the propagation-timeout range once, as action.yml, README and the error show it', async () => {
    const { readFileSync } = await import('node:fs')
    const { min, max } = PROPAGATION_TIMEOUT_SECONDS
    const stated = `(${min} to ${max})`
    const root = new URL('../../', import.meta.url)
    assert.match(
      readFileSync(new URL('action.yml', root), 'utf8'),
      new RegExp(`propagation[^\\n]*\\n\\s+description: .*${stated.replace(/[()]/g, '\\$&')}`)
    )
    assert.ok(
      readFileSync(new URL('README.md', root), 'utf8').includes(
        `| \`propagation-timeout\` | \`300\` | Seconds to wait for propagation, finding the nameservers included, before failing ${stated}. |`
      )
    )
    const error = violationsOf({ 'propagation-timeout': String(max + 1) })
    assert.match(error.message, new RegExp(`from ${min} to ${max}, got "${max + 1}"`))
  })

  it('says which provider an ignored input belongs to, and that azure is the default', () => {
    const { warnings } = parse({ ...AZURE, 'cloudflare-api-token': 'tok' })
    assert.deepEqual(
      warnings.map(w => w.input),
      ['cloudflare-api-token']
    )
    assert.match(
      warnings[0]!.message,
      /ignored with provider azure \(the default\); set provider: cloudflare to use it/
    )
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
      ['100.64.0.1', /shared address space/],
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

  it('accepts a TSIG secret without its = padding when it decodes exactly, and pads it', () => {
    for (const [given, padded] of [
      ['c2VjcmV0c2VjcmV0c2VjcmV0cw', 'c2VjcmV0c2VjcmV0c2VjcmV0cw=='],
      ['c2VjcmV0c2VjcmV0c2VjcmV0c2U', 'c2VjcmV0c2VjcmV0c2VjcmV0c2U='],
      ['c2VjcmV0c2VjcmV0c2VjcmV0c2U=', 'c2VjcmV0c2VjcmV0c2VjcmV0c2U=']
    ]) {
      const { provider } = parse({ ...RFC2136, 'rfc2136-tsig-secret': given! }).settings
      assert.equal((provider as { tsig?: { secret: string } }).tsig?.secret, padded, given)
    }
  })

  it('takes the INPUT_* variables that are inputs, in any case, and none other', () => {
    // @github/local-action also reads INPUT_domain (not upper-cased); such a name is an input.
    const { settings } = parse({ INPUT_domain: 'ldaps.contoso100.com', 'INPUT_Min-Days-Valid': '30' })
    assert.equal(settings.domain, 'ldaps.contoso100.com')
    // Variables that only start like one are not inputs, and not refused.
    assert.deepEqual(unknownInputs(['INPUTS', 'INPUT', 'INPUT_', 'PATH', 'GITHUB_TOKEN'], ['domain']), [])
    const error = violationsOf({ 'INPUT_MIN-DAYS-VAILD': '60', 'INPUT_TTL-SECONDS': '60' })
    assert.deepEqual(error.violations.map(v => v.input).sort(), ['min-days-vaild', 'ttl-seconds'])
  })

  it('an input given empty (an unset vars.X) takes its action.yml default; only required inputs may not be empty', () => {
    const action = parseYaml(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
      inputs: Record<string, { default?: string }>
    }
    const withDefaults = Object.entries(action.inputs).filter(
      ([name, spec]) => spec.default && !spec.default.includes('${{') && name !== 'provider'
    )
    assert.ok(withDefaults.length >= 15, `only ${withDefaults.length} inputs with a default`)
    const defaulted = parse(RFC2136).settings
    const emptied = parse({ ...RFC2136, ...Object.fromEntries(withDefaults.map(([n]) => [n, ''])) }).settings
    assert.deepEqual(emptied, defaulted)
    assert.equal(emptied.mode, 'apply')
    assert.equal(emptied.ttl, 300)
    assert.equal(emptied.certificate.port, 636)
    assert.equal(emptied.propagation.wait, true)
    assert.equal((emptied.provider as { tsig?: { algorithm: string } }).tsig?.algorithm, 'hmac-sha256')
    // provider apart, whose default (azure) needs a subscription:
    assert.equal(parse({ ...AZURE, provider: '' }).settings.provider.kind, 'azure')
    // A required one stays required, and whitespace is empty too.
    assert.match(violationsOf({ domain: ' ' }).message, /input "domain": is required/)
  })

  it('refuses a private ip only where the zone is public, and not with allow-private-ip: true', () => {
    assert.equal(parse({ ...AZURE, ip: '10.1.2.3', 'allow-private-ip': 'true' }).settings.ip, '10.1.2.3')
    assert.equal(parse({ ...AZURE, ip: '10.1.2.3', 'allow-private-ip': 'true' }).settings.allowPrivateIp, true)
    // RFC 2136 servers hold internal zones: a warning only.
    const rfc = parse({ ...RFC2136, ip: '10.1.2.3' })
    assert.deepEqual(
      rfc.warnings.filter(w => w.input === 'ip').map(w => w.message),
      [
        '10.1.2.3 is a private (RFC 1918) address, not reachable from the internet; clients outside that network cannot use this name'
      ]
    )
    // Route 53 has public and private hosted zones: judged once the zone is found (steps/dns-record.ts).
    assert.equal(parse({ provider: 'route53', ip: '10.1.2.3' }).settings.ip, '10.1.2.3')
    // Other non-public ranges are not "private": a loopback or CGNAT address stays a warning.
    assert.equal(parse({ ...AZURE, ip: '100.64.0.1' }).warnings.length, 1)
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
    assert.equal(settings.provider.kind === 'azure' && (settings.provider as AzureSettings).clientSecret, undefined)
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
