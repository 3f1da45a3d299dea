// The bounded file reader behind ca-certificate, against real files, links, a FIFO and devices.

import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { MAX_CA_FILE_BYTES, readBoundedFile } from '../../src/adapters/files.ts'
import { parseInputs } from '../../src/adapters/providers/index.ts'
import { createTestPki } from '../helpers/test-pki.ts'

describe('readBoundedFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bounded-read-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  const file = (name: string, content: string | Buffer): string => {
    const path = join(dir, name)
    writeFileSync(path, content)
    return path
  }

  it('reads a regular file byte for byte (latin1), also through a symbolic link', () => {
    const bytes = Buffer.from([0x30, 0x82, 0x01, 0x00, 0xff, 0x00, 0x80])
    const path = file('ca.der', bytes)
    assert.deepEqual(Buffer.from(readBoundedFile(path) as string, 'latin1'), bytes)
    symlinkSync(path, join(dir, 'link.der'))
    assert.deepEqual(Buffer.from(readBoundedFile(join(dir, 'link.der')) as string, 'latin1'), bytes)
  })

  it('reads a file of exactly the limit and refuses one byte more', () => {
    const exact = file('exact.pem', '')
    truncateSync(exact, MAX_CA_FILE_BYTES)
    assert.equal((readBoundedFile(exact) as string).length, MAX_CA_FILE_BYTES)
    const over = file('over.pem', '')
    truncateSync(over, MAX_CA_FILE_BYTES + 1)
    assert.deepEqual(readBoundedFile(over), {
      refused: 'is 1 MiB (1048577 bytes), more than the 1 MiB a CA file may have'
    })
    assert.deepEqual(readBoundedFile(file('small.pem', 'x'.repeat(11)), 10), {
      refused: 'is 11 bytes, more than the 10 bytes a CA file may have'
    })
  })

  it('refuses devices, a FIFO, a directory and links to them, by what they are', () => {
    assert.deepEqual(readBoundedFile('/dev/zero'), { refused: 'is a character device, not a regular file' })
    assert.deepEqual(readBoundedFile('/dev/null'), { refused: 'is a character device, not a regular file' })
    const fifo = join(dir, 'ca.fifo')
    execFileSync('mkfifo', [fifo])
    assert.deepEqual(readBoundedFile(fifo), { refused: 'is a FIFO (named pipe), not a regular file' })
    assert.deepEqual(readBoundedFile(dir), { refused: 'is a directory, not a file' })
    symlinkSync('/dev/zero', join(dir, 'zero-link'))
    assert.deepEqual(readBoundedFile(join(dir, 'zero-link')), { refused: 'is a character device, not a regular file' })
    symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'))
    symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'))
    assert.deepEqual(readBoundedFile(join(dir, 'loop-a')), { refused: 'is a symbolic link loop' })
  })

  it('has the limit action.yml states', async () => {
    const { readFileSync } = await import('node:fs')
    const actionYml = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')
    assert.ok(actionYml.includes(`a regular file of at most ${MAX_CA_FILE_BYTES / (1024 * 1024)} MiB`))
  })

  it('says "nothing there" (undefined) for a missing path, a dangling link and a path through a file', () => {
    assert.equal(readBoundedFile(join(dir, 'missing.pem')), undefined)
    symlinkSync(join(dir, 'gone.pem'), join(dir, 'dangling.pem'))
    assert.equal(readBoundedFile(join(dir, 'dangling.pem')), undefined)
    assert.equal(readBoundedFile(join(file('plain.txt', 'x'), 'ca.pem')), undefined)
  })

  it('base64 DER given inline is no file name (over-long, with slashes): the value is read as DER', () => {
    const der = Buffer.from(createTestPki().root.certPem.replace(/-----[A-Z ]+-----|\s+/g, ''), 'base64')
    const inline = der.toString('base64')
    assert.ok(inline.length > 255 && inline.includes('/'), 'a value that no file name can be')
    assert.equal(readBoundedFile(inline), undefined)
    const inputs: Record<string, string> = {
      domain: 'ldaps.contoso100.com',
      ip: '52.165.38.113',
      provider: 'none',
      mode: 'check',
      ttl: '300',
      'wait-for-propagation': 'true',
      'propagation-timeout': '300',
      'verify-certificate': 'true',
      protocol: 'ldaps',
      port: '636',
      'min-days-valid': '30',
      'fail-on-renewal-due': 'true',
      'certificate-source': 'auto',
      'fail-on-drift': 'true',
      'drift-issue': 'false',
      renew: 'off',
      'ca-certificate': inline
    }
    const parsed = parseInputs(name => inputs[name] ?? '', readBoundedFile)
    assert.equal(parsed.settings.certificate.trustAnchorsPem.length, 1)
  })
})
