// What a published action shows about itself: who made it (no placeholder as author or copyright
// holder), and the owner placeholder only where a reader must replace it (`uses:` lines, links).
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parse } from 'yaml'

const root = new URL('../../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8')
const AUTHOR = 'ldaps-dns-action contributors'
const PLACEHOLDER = 'your-org'

/** Every file under dir (relative to the repository), recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(new URL(`${dir}/`, root)).flatMap(name => {
    const path = `${dir}/${name}`
    return statSync(new URL(path, root)).isDirectory() ? filesUnder(path) : [path]
  })
}

describe('author and owner', () => {
  it('action.yml, LICENSE and package.json name the project as author and copyright holder', () => {
    assert.equal((parse(read('action.yml')) as { author: string }).author, AUTHOR)
    assert.match(read('LICENSE'), new RegExp(`^Copyright \\(c\\) 2026 ${AUTHOR}$`, 'm'))
    assert.equal((JSON.parse(read('package.json')) as { author: string }).author, AUTHOR)
  })

  it(`the owner placeholder "${PLACEHOLDER}" appears only in uses: lines and links`, () => {
    const files = [
      'README.md',
      'action.yml',
      'LICENSE',
      'CHANGELOG.md',
      'SECURITY.md',
      'package.json',
      ...filesUnder('docs').filter(f => /\.(md|ya?ml)$/.test(f)),
      ...filesUnder('examples'),
      ...filesUnder('.github')
    ]
    // The README's note that explains the placeholder is the one place it stands alone.
    const note = /^> \*\*`your-org` is a placeholder\*\*[^\n]*(\n>[^\n]*)*/m
    const allowed = [/uses: your-org\/ldaps-dns-action@/g, /github\.com\/your-org\/ldaps-dns-action\b/g]
    let notes = 0
    for (const file of files) {
      let text = read(file)
      if (file === 'README.md') {
        assert.match(text, note, 'README.md explains the placeholder')
        text = text.replace(note, () => (notes++, ''))
      }
      for (const pattern of allowed) text = text.replace(pattern, '')
      text.split('\n').forEach((line, i) => {
        assert.ok(
          !line.includes(PLACEHOLDER),
          `${file}:${i + 1}: "${PLACEHOLDER}" outside a uses: line or link: ${line}`
        )
      })
    }
    assert.equal(notes, 1)
  })
})

describe('set-up and test commands', () => {
  it('.ci/run runs exactly the two commands README.md gives for a fresh machine', () => {
    const readme = read('README.md')
    const development = readme.slice(readme.indexOf('## Development'))
    const block = /```sh\n([\s\S]*?)```/.exec(development)![1]!
    const commands = block
      .split('\n')
      .map(line => line.replace(/#.*$/, '').trim())
      .filter(Boolean)
    assert.deepEqual(commands, ['bash scripts/setup.sh', 'npm test'])
    const ci = read('.ci/run')
      .split('\n')
      .map(line => line.trim())
      .filter(line => line !== '' && !line.startsWith('#') && !line.startsWith('echo '))
    for (const command of commands) assert.ok(ci.includes(command), `.ci/run runs "${command}"`)
    assert.equal(ci.at(-1), 'npm test', 'the last thing .ci/run does is the test command')
  })
})
