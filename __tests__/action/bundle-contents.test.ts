// dist/ ships only code a runner can run: no browser launcher (the `open` package and its xdg-open
// script, reached from @azure/identity's interactive sign-in) — scripts/build.js swaps in a stub.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { it } from 'node:test'

const dist = new URL('../../dist/', import.meta.url)

it('dist/ has no xdg-open script and no browser-launching chunk, and the open stub is bundled', () => {
  const files = readdirSync(dist)
  assert.ok(!files.includes('xdg-open'), 'dist/xdg-open is shipped: rebuild with npm run build')
  const javascript = files.filter(name => name.endsWith('.js')).map(name => readFileSync(new URL(name, dist), 'utf8'))
  assert.ok(javascript.length > 1)
  assert.ok(!javascript.some(code => code.includes('xdg-open')), 'a dist/ chunk still launches browsers (xdg-open)')
  assert.equal(javascript.filter(code => code.includes('Interactive browser sign-in is not available')).length, 1)
})

it('the ACME client is in a chunk of its own: runs without renew never load it', () => {
  const main = readFileSync(new URL('index.js', dist), 'utf8')
  assert.ok(!main.includes('Account URL exists, returning updateAccount()'), 'dist/index.js carries acme-client')
  const chunks = readdirSync(dist).filter(name => name.endsWith('.js') && name !== 'index.js')
  assert.equal(
    chunks.filter(name =>
      readFileSync(new URL(name, dist), 'utf8').includes('Account URL exists, returning updateAccount()')
    ).length,
    1
  )
})
