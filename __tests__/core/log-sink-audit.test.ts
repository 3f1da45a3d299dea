// The audit behind "every log line goes through logText": outside src/adapters/github.ts (the
// publishing edge, which escapes with logText), no source writes to the log itself, except
// @actions/core calls whose text is a plain string literal (nothing from outside can be in it).

import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'

const SRC = new URL('../../src/', import.meta.url).pathname

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []
  )
}

test('only the GitHub adapter writes outside text to the log; elsewhere core log calls take a literal', () => {
  const offenders: string[] = []
  for (const file of sources(SRC)) {
    if (file.endsWith('src/adapters/github.ts')) continue
    const text = readFileSync(file, 'utf8')
    if (/process\.(stdout|stderr)\.write|console\.(log|info|warn|error|debug)\(/.test(text)) {
      offenders.push(`${file}: writes to stdout/stderr directly`)
    }
    for (const m of text.matchAll(/core\.(info|warning|error|notice|debug|setFailed|startGroup)\(([^)]*)\)/g)) {
      const argument = m[2]!.trim()
      if (!/^'[^'`$]*'$/.test(argument)) offenders.push(`${file}: core.${m[1]}(${argument})`)
    }
  }
  assert.deepEqual(offenders, [])
})
