// README.md must tell the truth about the interface: its tables are rendered from action.yml.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { it } from 'node:test'
import { updateReadme } from '../../scripts/readme-tables.ts'

it('README input and output tables match action.yml (run node scripts/readme-tables.ts)', () => {
  const root = new URL('../../', import.meta.url)
  const readme = readFileSync(new URL('README.md', root), 'utf8')
  assert.equal(readme, updateReadme(readme, readFileSync(new URL('action.yml', root), 'utf8')))
})
