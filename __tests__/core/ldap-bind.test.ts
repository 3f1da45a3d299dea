// The pure side of the authenticated bind: Active Directory's data codes as AD writes them, other
// result codes by name, the bind-name and filter rules (the filter rule cross-checked against the
// parser ldapts uses when it sends the search), and the password kept out of quoted server text.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FilterParser } from 'ldapts'
import {
  AD_DATA_CODES,
  adDataCode,
  checkBindName,
  checkDistinguishedName,
  checkSearchFilter,
  describeBind,
  ENTRA_DS_PASSWORD_HASH_URL,
  outdatedTlsVersion,
  resultCodeName
} from '../../src/core/ldap-bind.ts'

const DN = 'svc-ldap@contoso100.com'

/** The diagnostic message of a failed simple bind, exactly as Active Directory writes it. */
const adMessage = (data: string): string =>
  `80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data ${data}, v4563\u0000`

// [data code, result output, words the message must hold]
const AD_TABLE: readonly [string, string, RegExp][] = [
  ['52e', 'invalidCredentials (data 52e)', /the password is wrong .*check the password stored in the secret/],
  ['525', 'invalidCredentials (data 525)', /no such user .*check the bind DN or UPN/],
  ['530', 'invalidCredentials (data 530)', /logon is not allowed at this time .*logon hours/i],
  ['531', 'invalidCredentials (data 531)', /not allowed from this workstation .*userWorkstations/],
  ['532', 'invalidCredentials (data 532)', /password has expired/],
  ['533', 'invalidCredentials (data 533)', /account is disabled .*enable the account/],
  ['701', 'invalidCredentials (data 701)', /account has expired .*accountExpires/],
  ['773', 'invalidCredentials (data 773)', /must reset the password .*pwdLastSet/],
  ['775', 'invalidCredentials (data 775)', /locked out .*unlock the account/]
]

describe('describeBind: Active Directory data codes of invalidCredentials (49)', () => {
  for (const [data, result, words] of AD_TABLE) {
    it(`data ${data}`, () => {
      const outcome = describeBind(DN, { resultCode: 49, diagnosticMessage: adMessage(data) })
      assert.equal(outcome.state, 'failed')
      assert.equal(outcome.result, result)
      assert.equal(outcome.resultCode, 49)
      assert.equal(outcome.dataCode, data)
      assert.match(outcome.message, /^the bind as "svc-ldap@contoso100\.com" failed with invalidCredentials: /)
      assert.match(outcome.message, words)
      assert.match(outcome.message, new RegExp(`Active Directory data code ${data}`))
      // The server's own words are quoted, without the trailing NUL AD sends.
      assert.match(outcome.message, /\(the server said: 80090308: LdapErr: DSID-0C09044E, .*v4563\)$/)
    })
  }

  it('every documented data code has a row in the table', () => {
    assert.deepEqual(Object.keys(AD_DATA_CODES).sort(), AD_TABLE.map(([d]) => d).sort())
  })

  it('52e explains the unsynchronised password hash of a cloud-only user of Entra DS, with the fix', () => {
    const { message } = describeBind(DN, { resultCode: 49, diagnosticMessage: adMessage('52e') })
    assert.match(message, /Microsoft Entra Domain Services managed domain, a cloud-only user/)
    assert.match(message, /change the password after the managed domain was enabled/)
    assert.ok(message.includes(ENTRA_DS_PASSWORD_HASH_URL))
    assert.ok(!describeBind(DN, { resultCode: 49, diagnosticMessage: adMessage('775') }).message.includes('Entra'))
  })

  it('an unknown data code is still named, and upper-case hex is read', () => {
    const outcome = describeBind(DN, { resultCode: 49, diagnosticMessage: adMessage('52F') })
    assert.equal(outcome.dataCode, '52f')
    assert.equal(outcome.result, 'invalidCredentials (data 52f)')
    assert.match(outcome.message, /Win32 error 0x52f/)
  })

  it('invalidCredentials without a data code (OpenLDAP and others)', () => {
    const outcome = describeBind('cn=svc,dc=x', { resultCode: 49, diagnosticMessage: '' })
    assert.equal(outcome.result, 'invalidCredentials')
    assert.equal(outcome.dataCode, undefined)
    assert.equal(
      outcome.message,
      'the bind as "cn=svc,dc=x" failed with invalidCredentials: the bind name or the password is wrong'
    )
  })

  it('adDataCode reads only the data field', () => {
    assert.equal(adDataCode(adMessage('773')), '773')
    assert.equal(adDataCode('80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error'), undefined)
  })
})

describe('describeBind: other results by name', () => {
  const CASES: readonly [number, string, RegExp][] = [
    [8, 'strongerAuthRequired', /LDAP signing or channel binding/],
    [13, 'confidentialityRequired', /confidential \(TLS-protected\) connection/],
    [53, 'unwillingToPerform', /refuses the bind/],
    [51, 'busy', /too busy/],
    [52, 'unavailable', /unavailable/],
    [34, 'invalidDNSyntax', /could not parse the bind name/],
    [48, 'inappropriateAuthentication', /does not accept this kind of authentication/],
    [80, 'other', /^the bind as "svc-ldap@contoso100\.com" failed with other \(the server said: boom\)$/],
    [99, 'resultCode 99', /failed with resultCode 99/]
  ]
  for (const [code, name, words] of CASES) {
    it(`${code} ${name}`, () => {
      const outcome = describeBind(DN, { resultCode: code, diagnosticMessage: 'boom' })
      assert.equal(outcome.state, 'failed')
      assert.equal(outcome.result, name)
      assert.equal(outcome.resultCode, code)
      assert.match(outcome.message, words)
    })
  }

  it('success', () => {
    assert.deepEqual(describeBind(DN, { resultCode: 0, diagnosticMessage: '' }), {
      state: 'ok',
      result: 'success',
      resultCode: 0,
      dataCode: undefined,
      message: 'the bind as "svc-ldap@contoso100.com" succeeded'
    })
  })

  it('no result at all (timeout, closed connection)', () => {
    const outcome = describeBind(DN, { resultCode: undefined, diagnosticMessage: 'no answer to the bind within 15 s' })
    assert.equal(outcome.state, 'failed')
    assert.equal(outcome.result, 'no result')
    assert.match(outcome.message, /got no result: no answer to the bind within 15 s/)
  })

  it('a server that echoes the password does not get it quoted; control characters are dropped', () => {
    const outcome = describeBind(
      DN,
      { resultCode: 53, diagnosticMessage: 'rejected password "hunter2-Secret"\r\n::error::injected' },
      ['hunter2-Secret']
    )
    assert.ok(!outcome.message.includes('hunter2-Secret'))
    assert.match(outcome.message, /rejected password "\*\*\*" ::error::injected\)$/)
    assert.doesNotMatch(outcome.message, /[\r\n]/)
  })

  it('resultCodeName uses the RFC 4511 names', () => {
    assert.equal(resultCodeName(32), 'noSuchObject')
    assert.equal(resultCodeName(4), 'sizeLimitExceeded')
  })
})

describe('outdatedTlsVersion', () => {
  it('warns below TLS 1.2 only', () => {
    assert.deepEqual(['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3', undefined].map(outdatedTlsVersion), [
      true,
      true,
      true,
      false,
      false,
      false
    ])
  })
})

describe('checkBindName', () => {
  const GOOD: readonly [string, string][] = [
    ['CN=svc-ldap,OU=AADDC Users,DC=contoso100,DC=com', 'dn'],
    ['cn=Smith\\, John,ou=People,dc=contoso100,dc=com', 'dn'],
    ['cn=a+uid=b,dc=x', 'dn'],
    ['2.5.4.3=svc,dc=x', 'dn'],
    ['cn=#04024869,dc=x', 'dn'],
    ['svc-ldap@contoso100.com', 'upn'],
    ['first.last@contoso100.onmicrosoft.com', 'upn'],
    ['CONTOSO100\\svc-ldap', 'down-level']
  ]
  for (const [value, form] of GOOD) {
    it(`accepts ${value}`, () => assert.deepEqual(checkBindName(value), { ok: true, form }))
  }
  const BAD: readonly [string, RegExp][] = [
    ['svc-ldap', /must be a distinguished name .* or a user principal name/],
    ['cn=svc,dc=', /the value of dc is empty/],
    ['cn=svc,,dc=x', /",dc" is not an attribute type/],
    ['cn=svc,dc=x,', /ends with a separator/],
    ['c n=svc', /"c n" is not an attribute type/],
    ['cn=a"b', /unescaped "/],
    ['cn=a\\qb', /backslash/],
    ['svc@', /must be a distinguished name/],
    ['svc@contoso', /the part after @ is not a domain name/],
    ['s vc@contoso100.com', /the part before @/],
    ['cn=svc\u0000,dc=x', /control character/]
  ]
  for (const [value, rule] of BAD) {
    it(`rejects ${JSON.stringify(value)}`, () => {
      const checked = checkBindName(value)
      assert.equal(checked.ok, false)
      assert.match((checked as { rule: string }).rule, rule)
    })
  }
  it('checkDistinguishedName alone', () => {
    assert.deepEqual(checkDistinguishedName('DC=contoso100,DC=com'), { ok: true })
    assert.equal(checkDistinguishedName('').ok, false)
  })
})

describe('checkSearchFilter agrees with the parser ldapts sends the search with', () => {
  const GOOD = [
    '(objectClass=*)',
    '(cn=svc-ldap)',
    '(&(objectClass=user)(sAMAccountName=svc-ldap))',
    '(|(cn=a*)(cn=*b)(cn=*c*))',
    '(!(userAccountControl:1.2.840.113556.1.4.803:=2))',
    '(cn:dn:=John)',
    '(:dn:2.4.8.10:=Dino)',
    '(cn~=jon)',
    '(uSNChanged>=1000)',
    '(whenCreated<=20260101000000.0Z)',
    '(cn=a\\28b\\29)',
    'objectClass=user',
    '(description=a=b)'
  ]
  for (const filter of GOOD) {
    it(`accepts ${filter}`, () => {
      assert.deepEqual(checkSearchFilter(filter), { ok: true })
      assert.doesNotThrow(() => FilterParser.parseString(filter))
    })
  }
  const BAD: readonly [string, RegExp][] = [
    ['(objectClass=*', /expected "\)" at the end/],
    ['(cn;lang-en=x)', /"cn;lang-en" is not an attribute description/],
    ['(objectClass=*))', /unexpected text after the filter/],
    ['(&)', /must be followed by at least one/],
    ['(cn)', /no comparison/],
    ['(=x)', /"" is not an attribute description/],
    ['(c n=x)', /"c n" is not an attribute description/],
    ['(cn=a(b)', /unescaped "\("/],
    ['(cn=a\\zz)', /bad \\ escape/],
    ['', /expected "\("/]
  ]
  for (const [filter, rule] of BAD) {
    it(`rejects ${JSON.stringify(filter)}`, () => {
      const checked = checkSearchFilter(filter)
      assert.equal(checked.ok, false)
      assert.match((checked as { rule: string }).rule, rule)
      assert.throws(() => FilterParser.parseString(filter), 'ldapts rejects it as well')
    })
  }
})
