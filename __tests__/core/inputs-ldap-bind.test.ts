// The ldap-bind-* inputs: nothing without ldap-bind-dn, the password required with it and never
// shown, the bind name, base and filter checked, and no bind where no verified channel can exist.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InputError } from '../../src/core/inputs.ts'
import { parseInputs } from '../../src/adapters/providers/index.ts'
import { SECRET_INPUTS } from '../../src/core/settings.ts'
import { runnerInputEnv } from '../helpers/run-action.ts'

const PASSWORD = 'Pa55-w0rd-N0t-Shown'
const GOOD: Record<string, string> = {
  domain: 'ldaps.contoso100.com',
  ip: '52.165.38.113',
  provider: 'none',
  'ldap-bind-dn': 'svc-ldap@contoso100.com',
  'ldap-bind-password': PASSWORD
}

function parse(overrides: Record<string, string>) {
  const env = runnerInputEnv({ ...GOOD, ...overrides })
  return parseInputs(name => env[`INPUT_${name.toUpperCase()}`] ?? '')
}

function violations(overrides: Record<string, string>): string[] {
  try {
    parse(overrides)
  } catch (error) {
    assert.ok(error instanceof InputError)
    assert.ok(!error.message.includes(PASSWORD), 'the password is never in an input error')
    return error.violations.map(v => `${v.input}: ${v.message}`)
  }
  assert.fail(`expected ${JSON.stringify(overrides)} to be rejected`)
}

describe('ldap-bind-* inputs', () => {
  it('the password is a secret input, masked first', () => {
    assert.ok((SECRET_INPUTS as readonly string[]).includes('ldap-bind-password'))
  })

  it('reads the bind with the action.yml defaults', () => {
    const { settings } = parse({})
    assert.deepEqual(settings.ldapBind, {
      dn: 'svc-ldap@contoso100.com',
      password: PASSWORD,
      searchBase: undefined,
      searchFilter: '(objectClass=*)'
    })
  })

  it('takes a DN, a base and a filter', () => {
    const { settings } = parse({
      'ldap-bind-dn': 'CN=svc-ldap,OU=AADDC Users,DC=contoso100,DC=com',
      'ldap-search-base': 'OU=AADDC Users,DC=contoso100,DC=com',
      'ldap-search-filter': '(&(objectClass=user)(sAMAccountName=svc-ldap))'
    })
    assert.equal(settings.ldapBind?.searchBase, 'OU=AADDC Users,DC=contoso100,DC=com')
  })

  it('without ldap-bind-dn nothing changes; a lone password or base is a warning', () => {
    const { settings, warnings } = parse({ 'ldap-bind-dn': '', 'ldap-search-base': 'DC=contoso100,DC=com' })
    assert.equal(settings.ldapBind, undefined)
    assert.deepEqual(
      warnings.filter(w => w.input.startsWith('ldap-')).map(w => w.input),
      ['ldap-bind-password', 'ldap-search-base']
    )
    assert.ok(!JSON.stringify(warnings).includes(PASSWORD))
    assert.equal(parse({ 'ldap-bind-dn': '', 'ldap-bind-password': '' }).settings.ldapBind, undefined)
  })

  const BAD: readonly [string, Record<string, string>, RegExp][] = [
    ['password required', { 'ldap-bind-password': '' }, /^ldap-bind-password: is required with ldap-bind-dn/],
    [
      'bad bind name',
      { 'ldap-bind-dn': 'svc-ldap' },
      /^ldap-bind-dn: must be a distinguished name .*, got "svc-ldap"$/
    ],
    ['bad DN', { 'ldap-bind-dn': 'CN=svc,DC=' }, /^ldap-bind-dn: .*the value of DC is empty/],
    ['no verified channel', { 'verify-certificate': 'false' }, /^ldap-bind-dn: needs verify-certificate true/],
    ['protocol tls', { protocol: 'tls' }, /^ldap-bind-dn: needs protocol ldaps or starttls/],
    ['bad base', { 'ldap-search-base': 'contoso100.com' }, /^ldap-search-base: must be a distinguished name/],
    [
      'bad filter',
      { 'ldap-search-filter': '(cn=a' },
      /^ldap-search-filter: must be an LDAP search filter \(RFC 4515\)/
    ],
    ['blank filter', { 'ldap-search-filter': '(   )' }, /^ldap-search-filter: must be an LDAP search filter/]
  ]
  for (const [what, overrides, rule] of BAD) {
    it(`rejects: ${what}`, () => {
      const found = violations(overrides)
      assert.ok(
        found.some(v => rule.test(v)),
        `expected ${rule} in ${JSON.stringify(found)}`
      )
    })
  }

  it('an empty filter (an unset vars.X) is the default (objectClass=*)', () => {
    assert.equal(parse({ 'ldap-search-filter': '' }).settings.ldapBind?.searchFilter, '(objectClass=*)')
  })

  it('a password pasted into another ldap-* input is not quoted back', () => {
    const found = violations({ 'ldap-bind-dn': PASSWORD, 'ldap-search-filter': `(cn=${PASSWORD}` })
    assert.equal(found.length, 2, JSON.stringify(found))
    assert.match(found[0]!, /got "\*\*\*"$/)
  })
})
