// The renewal inputs (renew, acme-*, renew-timeout): off reads nothing else; acme needs the Entra
// stage and apply mode, a directory and an account key (the error says how to make one), and never
// shows the key or the EAB HMAC key.

import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, it } from 'node:test'
import { ACME_ACCOUNT_KEY_COMMAND, InputError } from '../../src/core/inputs.ts'
import { parseInputs } from '../../src/adapters/providers/index.ts'
import { SECRET_INPUTS } from '../../src/core/settings.ts'
import { runnerInputEnv } from '../helpers/run-action.ts'

const ACCOUNT_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString()
const HMAC = 'zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W'
const GOOD: Record<string, string> = {
  provider: 'rfc2136',
  'rfc2136-server': '192.0.2.53',
  'rfc2136-tsig-key-name': 'update-key',
  'rfc2136-tsig-secret': 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==',
  'entra-domain-name': 'contoso100.com',
  'azure-subscription-id': '6f1c2a9e-0b7d-4c55-9a31-2d8e4f0c7b11',
  renew: 'acme',
  'acme-directory': 'letsencrypt',
  'acme-account-key': ACCOUNT_KEY
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
    for (const secret of [
      ACCOUNT_KEY,
      ...ACCOUNT_KEY.split('\n').filter(l => l.length > 20 && !l.startsWith('-----')),
      HMAC
    ]) {
      assert.ok(!error.message.includes(secret), 'no secret in an input error')
    }
    return error.violations.map(v => `${v.input}: ${v.message}`)
  }
  assert.fail(`expected ${JSON.stringify(overrides)} to be rejected`)
}

describe('renewal inputs', () => {
  it('the account key and the EAB HMAC key are secret inputs', () => {
    for (const name of ['acme-account-key', 'acme-eab-hmac-key'])
      assert.ok((SECRET_INPUTS as readonly string[]).includes(name))
  })

  it('renew acme: the directory resolved, the key kept, the default timeout 60 minutes', () => {
    const { settings } = parse({})
    assert.equal(settings.renewal?.directoryUrl, 'https://acme-v02.api.letsencrypt.org/directory')
    assert.equal(settings.renewal?.accountKeyPem, ACCOUNT_KEY.trim())
    assert.equal(settings.renewal?.timeoutMinutes, 60)
    assert.equal(settings.renewal?.eab, undefined)
    assert.equal(
      parse({ 'acme-directory': 'https://acme.example.net/directory' }).settings.renewal?.directoryUrl,
      'https://acme.example.net/directory'
    )
    assert.deepEqual(parse({ 'acme-eab-kid': 'kid-1', 'acme-eab-hmac-key': HMAC }).settings.renewal?.eab, {
      kid: 'kid-1',
      hmacKey: HMAC
    })
  })

  it('renew off (the default) reads nothing else and warns about acme inputs set anyway', () => {
    const parsed = parse({ renew: 'off' })
    assert.equal(parsed.settings.renewal, undefined)
    assert.deepEqual(
      parsed.warnings.map(w => w.input),
      ['acme-directory', 'acme-account-key']
    )
  })

  it('a missing or unreadable account key: the error gives the command that makes one, never the value', () => {
    assert.deepEqual(violations({ 'acme-account-key': '' }), [
      `acme-account-key: is required with renew acme; make one with: ${ACME_ACCOUNT_KEY_COMMAND}`
    ])
    const [broken] = violations({ 'acme-account-key': ACCOUNT_KEY.replace(/[A-Za-z]{10}/, 'xxxxxxxxxx') })
    assert.match(broken!, /acme-account-key: is not a readable private key.*openssl genpkey/)
    const [certificate] = violations({
      'acme-account-key': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'
    })
    assert.match(certificate!, /must be a private key in PEM form/)
  })

  it('refused without the Entra stage, in check mode, without a directory, with an http directory, half an EAB', () => {
    assert.match(
      violations({ 'entra-domain-name': '', domain: 'ldaps.contoso100.com', ip: '52.165.38.113' }).join('\n'),
      /renew: acme needs entra-domain-name/
    )
    assert.match(violations({ mode: 'check' }).join('\n'), /renew: acme needs mode apply: check mode changes nothing/)
    assert.match(
      violations({ 'acme-directory': '' }).join('\n'),
      /acme-directory: is required and was empty: give letsencrypt/
    )
    assert.match(
      violations({ 'acme-directory': 'http://acme.example.net/dir' }).join('\n'),
      /acme-directory: must be letsencrypt, letsencrypt-staging or an https URL/
    )
    assert.match(
      violations({ 'acme-eab-hmac-key': HMAC }).join('\n'),
      /acme-eab-kid: is required with the other acme-eab-\* input/
    )
    assert.match(violations({ 'renew-timeout': '0' }).join('\n'), /renew-timeout: must be a whole number from 1 to 240/)
    assert.match(violations({ renew: 'yes' }).join('\n'), /renew: must be one of off, acme/)
  })
})
