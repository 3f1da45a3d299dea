// Renders the input and output tables of README.md from action.yml, so the two cannot drift apart.
// `node scripts/readme-tables.ts` rewrites README.md; the test suite checks it is current.

import { readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'
import { secretInputs } from '../src/adapters/providers/index.ts'

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
}

const escape = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim()

/**
 * `secrets`: the inputs marked secret in the table, from the provider registry and core (action.yml
 * has no such field).
 */
export function renderTables(
  actionYmlText: string,
  secrets: readonly string[] = secretInputs()
): { inputs: string; outputs: string } {
  const action = parse(actionYmlText) as ActionYml
  const inputs = [
    '| Input | Default | Description |',
    '| --- | --- | --- |',
    ...Object.entries(action.inputs).map(
      ([name, spec]) =>
        `| \`${name}\` | ${spec.required ? '**required**' : spec.default ? `\`${spec.default}\`` : ''} | ${secrets.includes(name) ? '**Secret** (masked). ' : ''}${escape(spec.description)} |`
    )
  ].join('\n')
  const outputs = [
    '| Output | Description |',
    '| --- | --- |',
    ...Object.entries(action.outputs).map(([name, spec]) => `| \`${name}\` | ${escape(spec.description)} |`)
  ].join('\n')
  return { inputs, outputs }
}

export function updateReadme(readme: string, actionYmlText: string): string {
  const tables = renderTables(actionYmlText)
  let text = readme
  for (const kind of ['inputs', 'outputs'] as const) {
    const start = `<!-- ${kind}:start -->`
    const end = `<!-- ${kind}:end -->`
    const from = text.indexOf(start)
    const to = text.indexOf(end)
    if (from < 0 || to < from) throw new Error(`README.md lacks the ${start} … ${end} markers`)
    text = `${text.slice(0, from + start.length)}\n${tables[kind]}\n${text.slice(to)}`
  }
  return text
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const readme = readFileSync('README.md', 'utf8')
  writeFileSync('README.md', updateReadme(readme, readFileSync('action.yml', 'utf8')))
}
