// The NSG verdict for TCP 636 (alert AADDS101), table-driven over plain rule data, evaluated as
// Azure does: inbound rules by ascending priority, first match wins, custom and default together.

import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { evaluateLdapsExposure, worstExposure, type NsgRule } from '../../src/core/nsg.ts'

const DEFAULTS: NsgRule[] = [
  { name: 'AllowVnetInBound', priority: 65000, direction: 'Inbound', access: 'Allow', protocol: '*', sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '*', isDefault: true },
  { name: 'AllowAzureLoadBalancerInBound', priority: 65001, direction: 'Inbound', access: 'Allow', protocol: '*', sourceAddressPrefix: 'AzureLoadBalancer', destinationAddressPrefix: '*', destinationPortRange: '*', isDefault: true },
  { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', access: 'Deny', protocol: '*', sourceAddressPrefix: '*', destinationAddressPrefix: '*', destinationPortRange: '*', isDefault: true },
  { name: 'AllowInternetOutBound', priority: 65001, direction: 'Outbound', access: 'Allow', protocol: '*', sourceAddressPrefix: '*', destinationAddressPrefix: 'Internet', destinationPortRange: '*', isDefault: true }
] // prettier-ignore

// What the managed domain needs anyway (network-considerations.md): these never decide 636.
const REQUIRED: NsgRule[] = [
  { name: 'AllowPSRemoting', priority: 301, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: 'AzureActiveDirectoryDomainServices', destinationAddressPrefix: '*', destinationPortRange: '5986', isDefault: false },
  { name: 'AllowRD', priority: 201, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: 'CorpNetSaw', destinationAddressPrefix: '*', destinationPortRange: '3389', isDefault: false }
] // prettier-ignore

function rule(name: string, priority: number, over: Partial<NsgRule>): NsgRule {
  return {
    name,
    priority,
    direction: 'Inbound',
    access: 'Allow',
    protocol: 'Tcp',
    sourceAddressPrefix: '*',
    destinationAddressPrefix: '*',
    destinationPortRange: '636',
    isDefault: false,
    ...over
  }
}

const TARGET = { addresses: ['10.0.1.4', '10.0.1.5'], subnetPrefixes: ['10.0.1.0/24'] }

interface Case {
  name: string
  rules: NsgRule[]
  exposure: string
  rule?: string
}
const verdictCase = (name: string, rules: NsgRule[], exposure: string, rule?: string): Case => ({
  name,
  rules,
  exposure,
  rule
})

// One custom rule at priority 100 that looks like it admits LDAPS but does not: the default deny decides.
const LOOKALIKES: [name: string, rule: string, over: Partial<NsgRule>][] = [
  ['outbound lookalike', 'AllowOut', { direction: 'Outbound' }],
  ['UDP lookalike', 'AllowUdp', { protocol: 'Udp' }],
  ['6360 lookalike', 'Allow6360', { destinationPortRange: '6360' }],
  ['637-700 range lookalike', 'AllowRange', { destinationPortRange: '637-700' }],
  ['destination elsewhere (another subnet)', 'AllowOther', { destinationAddressPrefix: '10.9.0.0/16' }]
]

/** 0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/3 … 255.255.255.254/32: every IPv4 address but the last. */
const ALL_BUT_LAST_ADDRESS = Array.from({ length: 32 }, (_, i) => {
  const bits = i + 1
  const start = 2 ** 32 - 2 ** (33 - bits)
  return `${[24, 16, 8, 0].map(shift => Math.floor(start / 2 ** shift) % 256).join('.')}/${bits}`
})

const CASES: Case[] = [
  verdictCase('source * on 636', [rule('AllowLDAPS', 401, {})], 'open', 'AllowLDAPS'),
  verdictCase(
    'Internet with a range and protocol *',
    [rule('AllowHighPorts', 350, { sourceAddressPrefix: 'Internet', protocol: '*', destinationPortRange: '600-700' })],
    'open',
    'AllowHighPorts'
  ),
  verdictCase(
    '0.0.0.0/0 with a port list (plural fields)',
    [
      rule('AllowDirectory', 410, {
        sourceAddressPrefix: undefined,
        sourceAddressPrefixes: ['203.0.113.0/24', '0.0.0.0/0'],
        destinationPortRange: undefined,
        destinationPortRanges: ['389', '636', '3269']
      })
    ],
    'open',
    'AllowDirectory'
  ),
  verdictCase(
    'restricted sources only (the tutorial AllowLDAPS)',
    [
      rule('AllowLDAPS', 401, {
        sourceAddressPrefixes: ['198.51.100.0/24', '203.0.113.7'],
        sourceAddressPrefix: undefined
      })
    ],
    'restricted',
    'AllowLDAPS'
  ),
  verdictCase(
    'Deny before Allow',
    [rule('DenyLDAPS', 300, { access: 'Deny' }), rule('AllowLDAPS', 401, {})],
    'restricted',
    'DenyLDAPS'
  ),
  verdictCase(
    'restricted Allow, then Deny for everyone, then a later Allow *',
    [
      rule('AllowPartners', 200, { sourceAddressPrefix: '198.51.100.0/24' }),
      rule('DenyLDAPS', 300, { access: 'Deny', sourceAddressPrefix: 'Internet' }),
      rule('AllowLDAPS', 401, {})
    ],
    'restricted',
    'AllowPartners'
  ),
  verdictCase(
    'Allow before Deny (priority, not list order, decides)',
    [rule('DenyLDAPS', 500, { access: 'Deny' }), rule('AllowLDAPS', 401, {})],
    'open',
    'AllowLDAPS'
  ),
  ...LOOKALIKES.map(([name, ruleName, over]) =>
    verdictCase(name, [rule(ruleName, 100, over)], 'no-rule', 'DenyAllInBound')
  ),
  verdictCase(
    'destination a domain controller address',
    [rule('AllowDc', 100, { destinationAddressPrefix: '10.0.1.4' })],
    'open',
    'AllowDc'
  ),
  verdictCase('no 636 rule', [], 'no-rule', 'DenyAllInBound'),
  // Sources that only together cover every address: as open as *.
  verdictCase(
    'two halves of IPv4 in two rules',
    [
      rule('AllowLow', 400, { sourceAddressPrefix: '0.0.0.0/1' }),
      rule('AllowHigh', 401, { sourceAddressPrefix: '128.0.0.0/1' })
    ],
    'open',
    'AllowHigh'
  ),
  verdictCase(
    'two halves of IPv4 in one rule (plural field)',
    [rule('AllowHalves', 400, { sourceAddressPrefix: undefined, sourceAddressPrefixes: ['128.0.0.0/1', '0.0.0.0/1'] })],
    'open',
    'AllowHalves'
  ),
  verdictCase(
    'IPv4 quarters, unordered, overlapping, with a host address among them',
    [
      rule('AllowA', 400, { sourceAddressPrefix: '192.0.0.0/2' }),
      rule('AllowB', 410, { sourceAddressPrefix: undefined, sourceAddressPrefixes: ['0.0.0.0/2', '203.0.113.7'] }),
      rule('AllowC', 420, { sourceAddressPrefix: '64.0.0.0/2' }),
      rule('AllowD', 430, { sourceAddressPrefix: '128.0.0.0/3' }),
      rule('AllowE', 440, { sourceAddressPrefix: '160.0.0.0/3' })
    ],
    'open',
    'AllowE'
  ),
  verdictCase(
    'IPv6 halves (::/1 and 8000::/1)',
    [
      rule('AllowV6Low', 400, { sourceAddressPrefix: '::/1' }),
      rule('AllowV6High', 401, { sourceAddressPrefix: '8000::/1' })
    ],
    'open',
    'AllowV6High'
  ),
  verdictCase(
    'IPv6 halves written long (0:0:0:0:0:0:0:0/1 and 8000:0::0/1)',
    [
      rule('AllowV6', 400, {
        sourceAddressPrefix: undefined,
        sourceAddressPrefixes: ['0:0:0:0:0:0:0:0/1', '8000:0::0/1']
      })
    ],
    'open',
    'AllowV6'
  ),
  verdictCase(
    'everything but 255.255.255.255: restricted',
    [rule('AllowAlmostAll', 400, { sourceAddressPrefix: undefined, sourceAddressPrefixes: ALL_BUT_LAST_ADDRESS })],
    'restricted',
    'AllowAlmostAll'
  ),
  verdictCase(
    'everything but 255.255.255.255, then that address: open',
    [
      rule('AllowAlmostAll', 400, { sourceAddressPrefix: undefined, sourceAddressPrefixes: ALL_BUT_LAST_ADDRESS }),
      rule('AllowLast', 401, { sourceAddressPrefix: '255.255.255.255' })
    ],
    'open',
    'AllowLast'
  ),
  verdictCase(
    'one IPv4 half and one IPv6 half: neither family covered',
    [
      rule('AllowLow', 400, { sourceAddressPrefix: '0.0.0.0/1' }),
      rule('AllowV6High', 401, { sourceAddressPrefix: '8000::/1' })
    ],
    'restricted',
    'AllowLow'
  ),
  verdictCase(
    'a Deny for everyone between the halves ends the band',
    [
      rule('AllowLow', 400, { sourceAddressPrefix: '0.0.0.0/1' }),
      rule('DenyRest', 401, { access: 'Deny' }),
      rule('AllowHigh', 402, { sourceAddressPrefix: '128.0.0.0/1' })
    ],
    'restricted',
    'AllowLow'
  ),
  verdictCase(
    'a Deny of one range between the halves ends the band',
    [
      rule('AllowLow', 400, { sourceAddressPrefix: '0.0.0.0/1' }),
      rule('DenyPartner', 401, { access: 'Deny', sourceAddressPrefix: '198.51.100.0/24' }),
      rule('AllowHigh', 402, { sourceAddressPrefix: '128.0.0.0/1' })
    ],
    'restricted',
    'AllowLow'
  ),
  verdictCase(
    'halves on another port do not count',
    [
      rule('AllowLow', 400, { sourceAddressPrefix: '0.0.0.0/1' }),
      rule('AllowHigh', 401, { sourceAddressPrefix: '128.0.0.0/1', destinationPortRange: '389' })
    ],
    'restricted',
    'AllowLow'
  )
]

describe('NSG verdict for secure LDAP (TCP 636)', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const verdict = evaluateLdapsExposure([...c.rules, ...REQUIRED, ...DEFAULTS], TARGET)
      assert.equal(verdict.exposure, c.exposure, verdict.reason)
      assert.equal(verdict.rule?.name, c.rule)
      if (c.rule !== undefined) assert.match(verdict.reason, new RegExp(c.rule))
    })
  }

  test('without the default rules, nothing admits 636: no-rule without a deciding rule', () => {
    const verdict = evaluateLdapsExposure([rule('AllowUdp', 100, { protocol: 'Udp' })])
    assert.equal(verdict.exposure, 'no-rule')
    assert.equal(verdict.rule, undefined)
  })

  test('an open rule names rule, priority and source', () => {
    const verdict = evaluateLdapsExposure([rule('AllowLDAPS', 401, { sourceAddressPrefix: 'Internet' }), ...DEFAULTS])
    assert.equal(verdict.reason, 'rule AllowLDAPS (priority 401) allows TCP 636 from Internet')
  })

  test('the worst verdict over replica sets comes first', () => {
    const order = ['restricted', 'no-rule', 'unknown', 'no-nsg', 'open'] as const
    assert.equal(worstExposure(order.map(exposure => ({ exposure })))?.exposure, 'open')
    assert.equal(worstExposure([{ exposure: 'no-rule' }, { exposure: 'unknown' }])?.exposure, 'unknown')
    assert.equal(worstExposure([]), undefined)
  })
})
