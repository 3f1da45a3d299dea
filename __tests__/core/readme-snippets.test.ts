// Every workflow snippet a user may paste (README.md, docs/*.md, examples/*.yml) and .env.example
// uses only inputs that action.yml declares, and names the action under one owner.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parse } from 'yaml'
import { fillEnvTemplate } from '../../scripts/local-action.ts'

const root = new URL('../../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8')
const action = parse(read('action.yml')) as { inputs: Record<string, { required?: boolean }> }
const inputs = new Set(Object.keys(action.inputs))
const required = Object.entries(action.inputs)
  .filter(([, spec]) => spec.required === true)
  .map(([name]) => name)

interface Source {
  file: string
  line: number
  text: string
}

function yamlBlocks(file: string): Source[] {
  const blocks: Source[] = []
  const lines = read(file).split('\n')
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```ya?ml\s*$/.exec(lines[i]!)
    if (!open) continue
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(open[1]!.length))
    blocks.push({ file, line: i + 2, text: body.join('\n') })
    i = j
  }
  return blocks
}

const markdown = [
  'README.md',
  ...readdirSync(new URL('docs/', root))
    .filter(n => n.endsWith('.md'))
    .map(n => `docs/${n}`)
]
const examples = readdirSync(new URL('examples/', root))
  .filter(n => /\.ya?ml$/.test(n))
  .map(n => ({ file: `examples/${n}`, line: 1, text: read(`examples/${n}`) }))
const sources: Source[] = [...markdown.flatMap(yamlBlocks), ...examples]

/** Every `{ uses: …/ldaps-dns-action@…, with: … }` step anywhere in a parsed document. */
function actionSteps(node: unknown, found: { uses: string; with: Record<string, unknown> }[] = []) {
  if (Array.isArray(node)) for (const item of node) actionSteps(item, found)
  else if (node !== null && typeof node === 'object') {
    const step = node as Record<string, unknown>
    if (typeof step['uses'] === 'string' && /(^|\/)ldaps-dns-action@/.test(step['uses'])) {
      found.push({ uses: step['uses'], with: (step['with'] ?? {}) as Record<string, unknown> })
    }
    for (const value of Object.values(step)) actionSteps(value, found)
  }
  return found
}

describe('snippets use the inputs action.yml declares', () => {
  const steps = sources.flatMap(source => {
    let doc: unknown
    try {
      doc = parse(source.text)
    } catch (e) {
      assert.fail(`${source.file}:${source.line}: the yaml block does not parse: ${(e as Error).message}`)
    }
    return actionSteps(doc).map(step => ({ ...step, at: `${source.file}:${source.line}` }))
  })

  it('finds the README quick start, the provider snippets and the examples', () => {
    const at = new Set(steps.map(s => s.at.split(':')[0]))
    for (const file of [
      'README.md',
      'examples/apply-on-push.yml',
      'examples/nightly-drift-check.yml',
      'examples/matrix.yml'
    ]) {
      assert.ok(at.has(file), `${file} has a step using the action`)
    }
    const providers = new Set(
      steps.filter(s => s.at.startsWith('README.md')).map(s => String(s.with['provider'] ?? 'azure'))
    )
    for (const provider of ['azure', 'rfc2136', 'cloudflare', 'route53'])
      assert.ok(providers.has(provider), `README shows ${provider}`)
  })

  it('every with: key is an input, and every required input is given', () => {
    for (const step of steps) {
      for (const key of Object.keys(step.with))
        assert.ok(inputs.has(key), `${step.at}: with: ${key} is not an input of action.yml`)
      for (const name of required) assert.ok(name in step.with, `${step.at}: the required input ${name} is missing`)
    }
  })

  it('the action is named under one owner everywhere', () => {
    const owners = new Set(steps.map(s => s.uses.split('/')[0]))
    assert.equal(owners.size, 1, `one owner placeholder, found ${[...owners].join(', ')}`)
    for (const s of steps) assert.match(s.uses, /^[\w.-]+\/ldaps-dns-action@v\d+$/, `${s.at}: ${s.uses}`)
  })
})

describe('.env.example for npm run local-action', () => {
  const template = read('.env.example')

  it('sets only inputs of action.yml, every required one', () => {
    const names = [...template.matchAll(/^INPUT_([A-Z0-9_-]+)=/gm)].map(m => m[1]!.toLowerCase())
    assert.ok(names.length > 5)
    for (const name of names) assert.ok(inputs.has(name), `.env.example: INPUT_${name.toUpperCase()} is not an input`)
    for (const name of required) assert.ok(names.includes(name), `.env.example lacks INPUT_${name.toUpperCase()}`)
  })

  it('is filled from the sandbox values, and an unknown or multi-line value is refused', () => {
    const values = {
      SANDBOX_PRIMARY: '127.0.14.1',
      SANDBOX_LDAPS_ADDRESS: '127.0.14.3',
      SANDBOX_LDAPS_PORT: '636',
      SANDBOX_TSIG_KEY_NAME: 'k',
      SANDBOX_TSIG_SECRET: 'c2VjcmV0',
      SANDBOX_CA_CERTIFICATE: 'MIIB'
    }
    const env = fillEnvTemplate(template, values)
    assert.doesNotMatch(env.replace(/^#.*$/gm, ''), /\$\{/)
    assert.match(env, /^INPUT_RFC2136-SERVER=127\.0\.14\.1$/m)
    assert.throws(() => fillEnvTemplate('A=${NOPE}', values), /uses \$\{NOPE\}, which the sandbox does not provide/)
    assert.throws(() => fillEnvTemplate('A=${X}', { X: 'a\nB=b' }), /spans lines/)
  })
})
