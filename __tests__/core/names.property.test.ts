// Property tests: the domain and IP validators agree with independent oracles, the WHATWG URL
// host parser and node:net isIP, over generated names and addresses.

import assert from 'node:assert/strict'
import { isIP } from 'node:net'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { InputError } from '../../src/core/inputs.ts'
import { parseInputs } from '../../src/adapters/providers/index.ts'
import { parseDomainName, parseIpAddress } from '../../src/core/names.ts'

/** The WHATWG URL parser's view of a host, or undefined when it rejects it. */
function urlHost(name: string): string | undefined {
  try {
    return new URL(`http://${name}/`).hostname
  } catch {
    return undefined
  }
}

const label = fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,20}[a-zA-Z0-9])?$/)
const tld = fc.stringMatching(/^[a-zA-Z]{2,10}$/)
const validName = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 5 }), tld, fc.boolean())
  .map(([labels, top, dot]) => `${[...labels, top].join('.')}${dot ? '.' : ''}`)
const nameCharacters = fc.constantFrom(...'abcXYZ019-._/?#%@: ü例*'.split(''))
const anyName = fc.oneof(validName, fc.string({ unit: nameCharacters, maxLength: 40 }), fc.domain())

describe('parseDomainName', () => {
  it('accepts every well-formed name, in the same form as the URL host parser', () => {
    fc.assert(
      fc.property(fc.oneof(validName, fc.domain()), name => {
        const parsed = parseDomainName(name)
        assert.ok(parsed.ok, `${name}: ${parsed.ok ? '' : parsed.rule}`)
        assert.equal(parsed.value, urlHost(name)?.replace(/\.$/, ''))
      }),
      { numRuns: 500 }
    )
  })

  it('never accepts what the URL host parser rejects or reads differently', () => {
    fc.assert(
      fc.property(anyName, name => {
        const parsed = parseDomainName(name)
        if (!parsed.ok) return
        assert.equal(urlHost(name)?.replace(/\.$/, ''), parsed.value, name)
        assert.ok(parsed.value.length <= 253)
        assert.ok(parsed.value.split('.').every(l => l.length >= 1 && l.length <= 63))
        assert.doesNotMatch(parsed.value, /[/?#%\s@:*]/)
      }),
      { numRuns: 2000 }
    )
  })
})

describe('parseIpAddress', () => {
  it('agrees with node:net isIP on generated addresses and noise', () => {
    const noise = fc.string({ unit: fc.constantFrom(...'0123456789abcdef.:%'.split('')), maxLength: 45 })
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), noise), text => {
        const parsed = parseIpAddress(text)
        const family = text.includes('%') ? 0 : isIP(text)
        assert.equal(parsed.ok ? parsed.value.family : 0, family, text)
      }),
      { numRuns: 2000 }
    )
  })

  it('gives IPv6 addresses the canonical form the URL parser gives them', () => {
    fc.assert(
      fc.property(fc.ipV6(), text => {
        const parsed = parseIpAddress(text)
        assert.ok(parsed.ok)
        assert.equal(`[${parsed.value.address}]`, new URL(`http://[${text}]/`).hostname)
      }),
      { numRuns: 500 }
    )
  })
})

describe('parseInputs over arbitrary values', () => {
  it('either returns settings or throws InputError, never anything else', () => {
    const names = ['domain', 'ip', 'ttl', 'port', 'provider', 'mode', 'resolver', 'nameservers', 'connect-to', 'zone']
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), fc.string({ maxLength: 30 })), values => {
        const get = (name: string) =>
          values[name] ??
          (
            {
              domain: 'ldaps.contoso100.com',
              ip: '52.165.38.113',
              provider: 'none',
              mode: 'apply',
              ttl: '300'
            } as Record<string, string>
          )[name] ??
          (
            {
              'wait-for-propagation': 'true',
              'propagation-timeout': '300',
              'verify-certificate': 'true',
              protocol: 'ldaps',
              port: '636',
              'min-days-valid': '30',
              'fail-on-renewal-due': 'true',
              'certificate-source': 'auto',
              'fail-on-drift': 'true',
              'drift-issue': 'false',
              'rfc2136-tsig-algorithm': 'hmac-sha256',
              'azure-environment': 'AzureCloud'
            } as Record<string, string>
          )[name] ??
          ''
        try {
          parseInputs(get)
        } catch (error) {
          assert.ok(error instanceof InputError, String(error))
          assert.ok(error.violations.every(v => error.message.includes(`input "${v.input}"`)))
        }
      }),
      { numRuns: 1000 }
    )
  })
})
