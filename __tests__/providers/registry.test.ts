// Each provider module declares its inputs; action.yml is where users (and the README tables) read
// them. The two must name the same inputs, with the same descriptions and defaults, and the secret
// flags must cover exactly the inputs whose values are secrets.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parse } from 'yaml'
import { INPUT_REGISTRY, PROVIDERS, secretInputs } from '../../src/adapters/providers/index.ts'
import { CORE_INPUTS, actionInputs } from '../../src/core/inputs.ts'

const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
}

describe('provider registry', () => {
  for (const provider of PROVIDERS) {
    it(`${provider.name}: the declared inputs are action.yml's ${provider.name}-* inputs`, () => {
      const inYml = Object.entries(action.inputs).filter(([name]) => name.startsWith(`${provider.name}-`))
      assert.deepEqual(
        provider.inputs.map(i => i.name),
        inYml.map(([name]) => name)
      )
      for (const [name, spec] of inYml) {
        const declared = provider.inputs.find(i => i.name === name)!
        assert.equal(declared.description, spec.description, `${name}: description differs from action.yml`)
        assert.equal(declared.default, spec.default === '' ? undefined : spec.default, `${name}: default`)
        // The runner cannot know which provider is chosen: a provider's required input is optional there.
        assert.equal(spec.required, false, `${name}: required in action.yml`)
      }
    })
  }

  it('the secret flags are exactly the secret provider inputs', () => {
    assert.deepEqual(
      PROVIDERS.flatMap(p => p.inputs.filter(i => i.secret).map(i => i.name)),
      ['azure-client-secret', 'rfc2136-tsig-secret', 'cloudflare-api-token']
    )
    assert.deepEqual(secretInputs().sort(), [
      'acme-account-key',
      'acme-eab-hmac-key',
      'azure-client-secret',
      'cloudflare-api-token',
      'github-token',
      'ldap-bind-password',
      'rfc2136-tsig-secret'
    ])
  })

  it('names are unique and provider none is not a module', () => {
    const names = PROVIDERS.map(p => p.name)
    assert.equal(new Set(names).size, names.length)
    assert.ok(!(names as string[]).includes('none'))
  })
})

describe('the inputs the action knows', () => {
  it("are exactly action.yml's, with its defaults: core's and every provider's", () => {
    const known = actionInputs(INPUT_REGISTRY)
    assert.deepEqual([...known.keys()].sort(), Object.keys(action.inputs).sort())
    for (const [name, spec] of Object.entries(action.inputs)) {
      assert.equal(known.get(name), spec.default ?? '', `${name}: default differs from action.yml`)
    }
    assert.deepEqual(
      Object.keys(CORE_INPUTS).filter(name => PROVIDERS.some(p => name.startsWith(`${p.name}-`))),
      []
    )
  })
})
