// docs/report-schema.md is the public contract of the `report` output. Its example must be the
// typed example in __tests__/fixtures/report-example.ts (which the type checker holds to the Report
// type, every optional field included), and its tables must have a row for every field.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { FINDING_CODES, REPORT_VERSION, toOutputs } from '../../src/core/report.ts'
import { renewalExample, reportExample } from '../fixtures/report-example.ts'

const doc = readFileSync(new URL('../../docs/report-schema.md', import.meta.url), 'utf8')

/** Every field path of a value, arrays written as `[]`, e.g. propagation.nameservers[].state. */
function fieldPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap(v => fieldPaths(v, `${prefix}[]`))
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([key, v]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`
    return [path, ...fieldPaths(v, path)]
  })
}

function documentedPaths(): Set<string> {
  const rows = doc.split('\n').filter(l => l.startsWith('| `'))
  return new Set(rows.map(r => /^\| `([^`]+)`/.exec(r)![1]!))
}

test('the documented example is the typed example, as the report output prints it', () => {
  const block = /## Example[\s\S]*?```json\n([\s\S]*?)\n```/.exec(doc)
  assert.ok(block, 'docs/report-schema.md has a json example under "## Example"')
  const shown: unknown = JSON.parse(block[1]!)
  // toOutputs is what sets the `report` output, so this is the JSON a workflow reads.
  const output: unknown = JSON.parse(toOutputs(structuredClone(reportExample) as never)['report']!)
  assert.deepEqual(shown, output)
  assert.equal((shown as { version: number }).version, REPORT_VERSION)
})

test('every field of the report has a row in the tables, and every row is a field', () => {
  const documented = documentedPaths()
  const fields = new Set([...fieldPaths(reportExample), ...fieldPaths({ renewal: renewalExample })])
  // An array field is documented once as `x` or `x[]`.
  const normalise = (p: string): string => p.replace(/\[\]$/, '')
  const documentedNormalised = new Set([...documented].map(normalise))
  const missing = [...fields].filter(f => !documentedNormalised.has(normalise(f)))
  assert.deepEqual(missing, [], 'fields without a row in docs/report-schema.md')
  const fieldsNormalised = new Set([...fields].map(normalise))
  const stale = [...documented].filter(d => !fieldsNormalised.has(normalise(d)))
  assert.deepEqual(stale, [], 'rows in docs/report-schema.md for fields the Report type does not have')
})

test('the documented version is the code’s version', () => {
  assert.match(doc, new RegExp(`now \\*\\*${REPORT_VERSION}\\*\\*`))
  assert.match(doc, new RegExp(`\\| \`version\` +\\| \`${REPORT_VERSION}\` +\\|`))
})

test('every finding code is documented, and every documented code is one', () => {
  const section = /### `findings\[\]`([\s\S]*?)\n### /.exec(doc)![1]!
  const listed = section.slice(section.indexOf('`findings[].code` is one of'))
  const documented = new Set([...listed.matchAll(/`([a-z0-9]+(?:-[a-z0-9]+)+)`/g)].map(m => m[1]!))
  assert.deepEqual([...documented].toSorted(), [...FINDING_CODES].toSorted())
})
