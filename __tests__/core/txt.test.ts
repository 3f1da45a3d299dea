// TXT values in character-strings and presentation form, and the lost-race loop every provider's
// TXT changes run in. The providers' own TXT behaviour against their stand-ins (and real BIND) is
// in __tests__/providers/conformance.ts.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { quoteTxtValue, splitTxtValue, unquoteTxtValue } from '../../src/core/txt.ts'
import {
  PreconditionFailedError,
  ProviderError,
  TXT_WRITE_ATTEMPTS,
  untilNotRaced
} from '../../src/adapters/providers/provider.ts'

test('split: at most 255 bytes a string, never inside a UTF-8 character, joined back whole', () => {
  assert.deepEqual(splitTxtValue(''), [''])
  assert.deepEqual(splitTxtValue('abc'), ['abc'])
  const long = 'x'.repeat(600)
  assert.deepEqual(
    splitTxtValue(long).map(s => s.length),
    [255, 255, 90]
  )
  const wide = 'é'.repeat(200) // 2 bytes each
  const parts = splitTxtValue(wide)
  assert.ok(parts.every(p => Buffer.byteLength(p) <= 255))
  assert.equal(parts.join(''), wide)
})

test('quote and unquote: round trip with quotes, backslashes and non-ASCII bytes, both escape styles', () => {
  for (const escapes of ['decimal', 'octal'] as const) {
    for (const value of ['plain', 'say "hi" \\ there', 'ünïcode', 'y'.repeat(300)]) {
      const quoted = quoteTxtValue(value, escapes)
      assert.match(quoted, /^"/)
      assert.equal(unquoteTxtValue(quoted, escapes), value, `${escapes}: ${quoted}`)
    }
  }
  assert.equal(quoteTxtValue('é', 'decimal'), '"\\195\\169"')
  assert.equal(quoteTxtValue('é', 'octal'), '"\\303\\251"')
  assert.equal(unquoteTxtValue('"ab" "cd"', 'decimal'), 'abcd')
  assert.equal(unquoteTxtValue('bare text', 'decimal'), 'bare text')
  assert.equal(unquoteTxtValue('"unterminated', 'decimal'), undefined)
  assert.equal(unquoteTxtValue('"a" junk', 'decimal'), undefined)
})

test('a lost race is retried; a writer that wins every race gets a precise failure, nothing overwritten', async () => {
  let calls = 0
  const result = await untilNotRaced('Test DNS: adding a value', async () => {
    if (++calls < 2) throw new PreconditionFailedError('ETag e1 is no longer current')
    return { changeId: 'c2' }
  })
  assert.deepEqual(result, { changeId: 'c2' })
  assert.equal(calls, 2)

  calls = 0
  await assert.rejects(
    untilNotRaced('Test DNS: adding a value', async () => {
      calls++
      throw new PreconditionFailedError(`ETag e${calls} is no longer current`)
    }),
    (error: Error) => {
      assert.ok(error instanceof ProviderError)
      assert.match(
        error.message,
        new RegExp(
          `^Test DNS: adding a value: the TXT set changed under us ${TXT_WRITE_ATTEMPTS} times in a row .*nothing was overwritten. Last: ETag e${TXT_WRITE_ATTEMPTS}`
        )
      )
      return true
    }
  )
  assert.equal(calls, TXT_WRITE_ATTEMPTS)

  calls = 0
  await assert.rejects(
    untilNotRaced('x', async () => {
      calls++
      throw new ProviderError('403')
    }),
    /403/
  )
  assert.equal(calls, 1, 'other errors are not retried')
})
