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
  verdictCase('no 636 rule', [], 'no-rule', 'DenyAllInBound')
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
