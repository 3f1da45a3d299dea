// Every workflow the project ships or shows (.github/workflows, examples/, and each yaml block of
// README.md and docs/) follows the two rules README.md gives its users: no `${{ … }}` inside a
// `run:` script (an expression is pasted into the script before the shell parses it, so outside
// text in an output could run as code; pass it through `env:`), and a `concurrency:` group in every
// whole workflow (a check never reads while an apply writes; an apply is never cancelled halfway).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parse } from 'yaml'
// @ts-expect-error: a plain JavaScript script without type declarations
import { collectSources } from '../../scripts/actionlint.js'

const root = new URL('../../', import.meta.url).pathname

interface Source {
  file: string
  line: number
  text: string
}

/** Where an expression sits inside a `run:` script, anywhere in a parsed document. */
export function expressionsInRun(node: unknown, path = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => expressionsInRun(item, `${path}[${i}]`))
  if (node === null || typeof node !== 'object') return []
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) =>
    key === 'run' && typeof value === 'string' && value.includes('${{')
      ? [
          `${path}.run: ${value
            .trim()
            .split('\n')
            .find(l => l.includes('${{'))!
            .trim()}`
        ]
      : expressionsInRun(value, `${path}.${key}`)
  )
}

/** Why a whole workflow (a document with `jobs:`) lacks a concurrency group, or undefined. */
export function missingConcurrency(doc: unknown): string | undefined {
  if (doc === null || typeof doc !== 'object' || !('jobs' in doc)) return undefined
  const workflow = doc as { concurrency?: unknown; jobs: Record<string, { concurrency?: unknown }> }
  const hasGroup = (c: unknown): boolean =>
    (typeof c === 'string' && c !== '') || (c !== null && typeof c === 'object' && 'group' in c)
  if (hasGroup(workflow.concurrency)) return undefined
  const without = Object.entries(workflow.jobs ?? {})
    .filter(([, job]) => !hasGroup(job?.concurrency))
    .map(([name]) => name)
  return without.length === 0 ? undefined : `no concurrency: group for the workflow or for job(s) ${without.join(', ')}`
}

describe('workflow rules', () => {
  it('find an expression in a run: script and a workflow without a concurrency group', () => {
    const doc = parse(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo ok
        env:
          X: \${{ steps.s.outputs.x }}
      - run: |
          echo start
          echo "\${{ steps.s.outputs.x }}"
`)
    assert.deepEqual(expressionsInRun(doc), ['.jobs.a.steps[1].run: echo "${{ steps.s.outputs.x }}"'])
    assert.equal(missingConcurrency(doc), 'no concurrency: group for the workflow or for job(s) a')
    assert.equal(missingConcurrency({ ...(doc as object), concurrency: { group: 'g' } }), undefined)
    assert.equal(missingConcurrency({ jobs: { a: { concurrency: 'g' } } }), undefined)
    assert.equal(missingConcurrency([{ run: 'echo' }]), undefined, 'a list of steps is no whole workflow')
  })

  const sources = collectSources(root) as Source[]

  it('reads the repository workflows, the examples and the README and docs snippets', () => {
    const files = new Set(sources.map(s => s.file))
    for (const file of [
      '.github/workflows/release.yml',
      'examples/apply-on-push.yml',
      'examples/entra-nightly-apply.yml',
      'README.md',
      'docs/azure.md',
      'docs/drift-issue.md'
    ])
      assert.ok(files.has(file), file)
  })

  it('no `${{ … }}` inside run:, and a concurrency group in every whole workflow', () => {
    const problems = sources.flatMap(source => {
      const doc: unknown = parse(source.text)
      const at = `${source.file}:${source.line}`
      const concurrency = missingConcurrency(doc)
      return [
        ...expressionsInRun(doc).map(p => `${at}: \${{ }} inside run: (pass it through env:) ${p}`),
        ...(concurrency ? [`${at}: ${concurrency}`] : [])
      ]
    })
    assert.deepEqual(problems, [])
  })
})
