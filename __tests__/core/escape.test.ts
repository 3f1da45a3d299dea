// The escaping of outside text for each sink (src/core/escape.ts) and the redaction of secrets
// (src/core/redact.ts): table-driven cases for the known attacks, and properties over arbitrary
// strings (fast-check) for what must hold whatever a DNS name, certificate or server holds.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { logText, logValue, mdCell, mdCode, mdText, visibleControls } from '../../src/core/escape.ts'
import { createRedactor, redactDeep, REDACTED } from '../../src/core/redact.ts'

/** How the runner reads stdout: lines split at \n, \r\n and a lone \r, leading white space trimmed. */
function runnerLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map(l => l.replace(/^\s+/, ''))
}
/** The runner honours `::name::` only at a line's start, a legacy `##[name]` anywhere in it. */
const startsCommand = (line: string): boolean => line.startsWith('::') || line.includes('##[')

/** Strings rich in the characters that matter: command starts, line breaks, Markdown, controls. */
const hostile = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '::',
        '::error::x',
        '##[',
        '\n',
        '\r',
        '\r\n',
        '\u2028',
        '\u0085',
        '\u202e',
        ' ',
        '\t',
        '`',
        '``',
        '|',
        '<',
        '>',
        '<img src=x>',
        '[x](https://e)',
        '@octocat',
        '#12',
        'GH-3',
        '&',
        '&lt;',
        '\\',
        '*',
        '_',
        '%0A',
        '$',
        '~',
        '!',
        '-',
        '1.',
        '\u0000',
        '\u0008'
      ),
      fc.string({ unit: 'binary', maxLength: 4 })
    ),
    { maxLength: 16 }
  )
  .map(parts => parts.join(''))

describe('log sink', () => {
  const cases: [string, string, string][] = [
    ['newline then a command', 'a\n::error::x', 'a\n⁝::error::x'],
    ['a lone carriage return', 'a\r::error::x', 'a\\x0d::error::x'],
    ['CRLF', 'a\r\n::warning::x', 'a\n⁝::warning::x'],
    ['indented command (the runner trims)', 'a\n   ::error::x', 'a\n   ⁝::error::x'],
    ['a log directive', 'x\n##[group]y', 'x\n##⁝[group]y'],
    ['a log directive mid-line (an NS name)', 'ns1.##[error]x.example.', 'ns1.##⁝[error]x.example.'],
    ['a log directive after a command start', '::##[group]y', '⁝::##⁝[group]y'],
    ['three hashes', 'a###[warning]b', 'a###⁝[warning]b'],
    ['two directives in a row', '##[##[x]', '##⁝[##⁝[x]'],
    ['a directive split by a control character', '##\u0000[x]', '##\\x00[x]'],
    ['backspace and NUL', 'a\u0008b\u0000', 'a\\x08b\\x00'],
    ['NEL and line separator', 'a\u0085::x\u2028::y', 'a\\x85::x\\u2028::y'],
    ['bidi override', 'abc\u202edef', 'abc\\u202edef'],
    [
      'ordinary text untouched',
      'Plan: create — ldaps.contoso100.com A 192.0.2.1',
      'Plan: create — ldaps.contoso100.com A 192.0.2.1'
    ],
    ['a command at the very start', '::error::x', '⁝::error::x']
  ]
  for (const [name, input, expected] of cases) {
    it(`logText: ${name}`, () => assert.equal(logText(input), expected))
  }

  it('logValue keeps a value on one line', () => {
    assert.equal(logValue('ns1.\n::error::x'), 'ns1.\\n::error::x')
    assert.equal(logValue(42), '42')
  })

  it('property: no line the runner reads from logText starts a command', () => {
    fc.assert(
      fc.property(hostile, text => runnerLines(logText(text)).every(line => !startsCommand(line))),
      { numRuns: 2000 }
    )
  })

  it('property: logValue is one line and starts no command even after our own prefix', () => {
    fc.assert(
      fc.property(hostile, text => {
        const line = `Plan: ${logValue(text)}`
        return runnerLines(line).length === 1 && !startsCommand(runnerLines(logValue(text))[0]!)
      }),
      { numRuns: 2000 }
    )
  })
})

describe('markdown sink', () => {
  const cases: [string, unknown, string][] = [
    ['image', '<img src=https://e/x.png>', '&lt;img src=https://e/x.png&gt;'],
    ['link', '[x](https://e)', '\\[x\\](https://e)'],
    ['mention', 'hi @octocat', 'hi @&#8203;octocat'],
    ['team mention', '@org/team', '@&#8203;org/team'],
    ['issue reference', 'see #123 and GH-4', 'see #&#8203;123 and GH-&#8203;4'],
    ['an e-mail-like address is left alone', 'a@b', 'a@&#8203;b'],
    ['backticks', 'a`b``c', 'a\\`b\\`\\`c'],
    ['emphasis and table', '*a*_b_|c', '\\*a\\*\\_b\\_\\|c'],
    ['backslash', 'a\\b', 'a\\\\b'],
    ['newlines', 'a\nb\r\nc\rd', 'a<br>b<br>c<br>d'],
    ['entity stays literal', '&lt;', '&amp;lt;'],
    ['math and strikethrough', '$x$ ~~y~~', '\\$x\\$ \\~\\~y\\~\\~'],
    ['heading at line start', '# big', '\\# big'],
    ['list at line start', '- item', '\\- item'],
    ['an address stays readable (no escaped dots)', '127.0.0.1', '127.0.0.1'],
    ['percent-encoded newline stays text', '%0A::error::x', '%0A::error::x'],
    ['controls shown', 'a\u0008b', 'a\\\\x08b'],
    ['numbers', 300, '300']
  ]
  for (const [name, input, expected] of cases) {
    it(`mdText: ${name}`, () => assert.equal(mdText(input), expected))
  }

  it('mdCell writes an empty value as a dash', () => {
    assert.equal(mdCell(''), '—')
    assert.equal(mdCell(undefined), '—')
    assert.equal(mdCell('a|b'), 'a\\|b')
  })

  const codeCases: [string, string, string][] = [
    ['plain', 'ldaps.contoso100.com', '`ldaps.contoso100.com`'],
    ['one backtick inside', 'a`b', '``a`b``'],
    ['starts with a backtick', '`x', '`` `x ``'],
    ['a run of three', 'a```b', '````a```b````'],
    ['newline', 'a\nb', '`a\\nb`'],
    ['empty', '', '` `']
  ]
  for (const [name, input, expected] of codeCases) {
    it(`mdCode: ${name}`, () => assert.equal(mdCode(input), expected))
  }
  it('mdCode in a table escapes the pipe', () => assert.equal(mdCode('a|b', { inTable: true }), '`a\\|b`'))

  it('property: mdText has no raw <, no line break, and no unescaped Markdown punctuation', () => {
    fc.assert(
      fc.property(hostile, text => {
        const md = mdText(text)
        if (md.replace(/<br>/g, '').includes('<')) return false
        if (/[\r\n\u2028\u2029\u0085]/.test(md)) return false
        // Every special character is preceded by an odd number of backslashes.
        for (const m of md.matchAll(/(\\*)([`*_[\]|~$])/g)) if (m[1]!.length % 2 === 0) return false
        return true
      }),
      { numRuns: 2000 }
    )
  })

  it('property: mdText breaks every @mention and #reference', () => {
    fc.assert(
      fc.property(hostile, fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}$/), (text, name) => {
        const md = mdText(`${text}@${name} #${name.length}`)
        return !/@[A-Za-z0-9]/.test(md) && !/#\d/.test(md.replace(/&#8203;/g, '\u200b'))
      }),
      { numRuns: 1000 }
    )
  })

  it('property: a code span cannot be closed from inside', () => {
    fc.assert(
      fc.property(hostile, text => {
        const code = mdCode(text)
        const fence = /^`+/.exec(code)![0]
        const inner = code.slice(fence.length, code.length - fence.length)
        // The closing fence is the only run of exactly that many backticks, and nothing breaks the line.
        const runs = inner.match(/`+/g) ?? []
        return (
          code.endsWith(fence) &&
          runs.every(r => r.length < fence.length) &&
          !/[\r\n\u2028\u2029\u0085]/.test(code) &&
          inner.length > 0
        )
      }),
      { numRuns: 2000 }
    )
  })

  it('visibleControls is one line', () => {
    fc.assert(fc.property(hostile, text => !/[\r\n\u0085\u2028\u2029]/.test(visibleControls(text))))
  })
})

describe('redaction', () => {
  const token = 'cf_Tok3n/with+special=chars'
  const redact = createRedactor([token, '', 'abc'])
  const cases: [string, string][] = [
    ['verbatim', `Authorization: Bearer ${token}`],
    ['URL-encoded', `?token=${encodeURIComponent(token)}`],
    ['URL-encoded, lowercase hex', `token=${encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, m => m.toLowerCase())}`],
    ['JSON', JSON.stringify({ echoed: token })],
    ['JSON with escaped slashes', JSON.stringify({ echoed: token }).replace(/\//g, '\\/')],
    ['base64', Buffer.from(token).toString('base64')],
    ['HTTP Basic user:token', `Basic ${Buffer.from(`user:${token}`).toString('base64')}`],
    ['HTTP Basic u:token', `Basic ${Buffer.from(`u:${token}`).toString('base64')}`],
    ['HTTP Basic :token', `Basic ${Buffer.from(`:${token}`).toString('base64')}`]
  ]
  for (const [name, text] of cases) {
    it(`removes the ${name} form`, () => {
      const out = redact(text)
      assert.ok(out.includes(REDACTED), out)
      assert.ok(!out.includes(token))
      assert.ok(!out.includes(encodeURIComponent(token)))
      assert.ok(!out.includes(Buffer.from(token).toString('base64').slice(4, 20)), out)
    })
  }

  // The strict percent-encoding (RFC 3986 unreserved only) that Python's quote(s, safe=''), Go's
  // url.QueryEscape and .NET's Uri.EscapeDataString write; the expected strings are written out
  // by hand from those libraries' rules, not computed with the code under test.
  const strict: [string, string, string][] = [
    ["Python quote(safe='')", "p@ss!w'rd(1)*x", 'p%40ss%21w%27rd%281%29%2Ax'],
    ['Go url.QueryEscape (space as +)', "p@ss w'rd(1)*x", 'p%40ss+w%27rd%281%29%2Ax'],
    ['.NET Uri.EscapeDataString, lowercase hex', "p@ss!w'rd(1)*x", 'p%40ss%21w%27rd%281%29%2ax'.toLowerCase()]
  ]
  for (const [name, secret, encoded] of strict) {
    it(`removes the strict percent-encoding: ${name}`, () => {
      assert.equal(createRedactor([secret])(`client_secret=${encoded}&x=1`), `client_secret=${REDACTED}&x=1`)
    })
  }

  it('a TSIG secret is hidden in other base64 spellings too', () => {
    const bytes = Buffer.from('0123456789abcdef0123456789abcdef0123456789abcdef'.slice(0, 32))
    const secret = bytes.toString('base64')
    const r = createRedactor([secret])
    assert.equal(r(`key ${secret.replace(/=+$/, '')}`), `key ${REDACTED}`)
    assert.equal(r(`key ${bytes.toString('base64url')}`), `key ${REDACTED}`)
    assert.equal(r(`key ${bytes.toString('hex')}`), `key ${REDACTED}`)
  })

  it('ignores empty and very short values, which would shred the text', () => {
    assert.equal(redact('abc is fine'), 'abc is fine')
    assert.equal(createRedactor([])('text'), 'text')
  })

  it('redactDeep redacts every string of a report-like value and keeps its shape', () => {
    const value = { a: [`x ${token}`, 1, true], b: { c: token, d: undefined } }
    assert.deepEqual(redactDeep(value, redact), { a: [`x ${REDACTED}`, 1, true], b: { c: REDACTED, d: undefined } })
  })

  it('property: no secret of 4+ characters survives, verbatim, URL-encoded or in JSON', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 40 }).filter(s => !s.includes('*')),
        fc.string(),
        fc.string(),
        (secret, before, after) => {
          const out = createRedactor([secret])(
            `${before}${secret}${after} ${encodeURIComponent(secret)} ${JSON.stringify(secret)}`
          )
          return !out.includes(secret) && !out.includes(encodeURIComponent(secret))
        }
      ),
      { numRuns: 1000 }
    )
  })
})
