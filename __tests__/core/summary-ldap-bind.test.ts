// The job summary's LDAP bind section and the ldap-* outputs, rendered from the report.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createReport, toOutputs, type LdapBindReport } from '../../src/core/report.ts'
import { renderSummary } from '../../src/core/summary.ts'

function reportWith(ldapBind: LdapBindReport | undefined) {
  const report = createReport({
    domain: 'ldaps.contoso100.com',
    ip: '203.0.113.10',
    mode: 'apply',
    provider: 'none',
    now: new Date(0)
  })
  if (ldapBind !== undefined) report.ldapBind = ldapBind
  return report
}

describe('LDAP bind in the summary and outputs', () => {
  it('ok: state, name, result and the search with its entry count', () => {
    const report = reportWith({
      state: 'ok',
      dn: 'svc-ldap@contoso100.com',
      result: 'success',
      resultCode: 0,
      message: 'the bind as "svc-ldap@contoso100.com" succeeded',
      search: { base: 'DC=contoso100,DC=com', filter: '(objectClass=*)', result: 'success', entries: 1 }
    })
    assert.match(
      renderSummary(report),
      /#### LDAP bind\n\n✅ \*\*ok\*\* · svc-ldap@&#8203;contoso100\.com · success · search of DC=contoso100,DC=com with \(objectClass=\\\*\): success, 1 entry\n/
    )
    const out = toOutputs(report)
    assert.equal(out['ldap-bind'], 'ok')
    assert.equal(out['ldap-bind-result'], 'success')
    assert.equal(out['ldap-search-entries'], '1')
  })

  it('failed: the message, with server text escaped for Markdown', () => {
    const report = reportWith({
      state: 'failed',
      dn: 'cn=a|b,dc=x',
      result: 'invalidCredentials (data 52e)',
      resultCode: 49,
      dataCode: '52e',
      message: 'the bind as "cn=a|b,dc=x" failed with invalidCredentials (the server said: <script>)'
    })
    const summary = renderSummary(report)
    assert.match(
      summary,
      /❌ \*\*failed\*\* · cn=a\\\|b,dc=x · invalidCredentials \(data 52e\)\n\nthe bind as "cn=a\\\|b,dc=x" failed/
    )
    assert.ok(!summary.includes('<script>'))
    const out = toOutputs(report)
    assert.equal(out['ldap-bind-result'], 'invalidCredentials (data 52e)')
    assert.equal(out['ldap-search-entries'], undefined)
  })

  it('skipped says why; without a bind there is no section and no output', () => {
    const skipped = reportWith({
      state: 'skipped',
      dn: 'svc@contoso100.com',
      message:
        'the bind as "svc@contoso100.com" was skipped: the certificate is not trusted, so the credentials were not sent'
    })
    assert.match(
      renderSummary(skipped),
      /⚠️ \*\*skipped\*\* · svc@&#8203;contoso100\.com\n\n.*the certificate is not trusted, so the credentials were not sent/
    )
    assert.equal(toOutputs(skipped)['ldap-bind'], 'skipped')
    const none = reportWith(undefined)
    assert.doesNotMatch(renderSummary(none), /LDAP bind/)
    assert.equal(toOutputs(none)['ldap-bind'], undefined)
  })
})
