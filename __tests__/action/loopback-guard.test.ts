// The loopback guard itself (helpers/loopback-only.mjs): a connection outside 127.0.0.0/8 is
// refused and logged, both in the test process and inside the bundled action. Each case logs to
// its own file, so the run's own guard log (checked after npm test) stays clean.

import assert from 'node:assert/strict'
import { createSocket } from 'node:dgram'
import { mkdtempSync, readFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { runAction } from '../helpers/run-action.ts'

function withLog<T>(body: (log: string) => T): T {
  const log = join(mkdtempSync(join(tmpdir(), 'guard-')), 'guard.log')
  const before = process.env['LOOPBACK_GUARD_LOG']
  process.env['LOOPBACK_GUARD_LOG'] = log
  try {
    return body(log)
  } finally {
    process.env['LOOPBACK_GUARD_LOG'] = before
  }
}

describe('loopback guard', { skip: process.env['LOOPBACK_GUARD_LOG'] === undefined && 'run through npm test' }, () => {
  it('refuses TCP and UDP to a documentation address in the test process, and allows loopback', () => {
    withLog(log => {
      assert.throws(
        () => net.connect({ host: '192.0.2.10', port: 636 }),
        /loopback guard: TCP connection to 192\.0\.2\.10:636/
      )
      const udp = createSocket('udp4')
      assert.throws(() => udp.send(Buffer.from('x'), 53, '198.51.100.53'), /UDP datagram to 198\.51\.100\.53:53/)
      udp.close()
      const local = net.connect({ host: '127.0.9.77', port: 9 })
      local.on('error', () => {})
      local.destroy()
      assert.equal(readFileSync(log, 'utf8').trim().split('\n').length, 2)
    })
  })

  it('refuses inside the bundled action and logs it, even where the action reports it as a finding', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'guard-')), 'guard.log')
    const run = await runAction(
      {
        domain: 'ldaps.contoso100.com',
        ip: '192.0.2.10',
        provider: 'none',
        'wait-for-propagation': 'false',
        protocol: 'tls',
        port: '443'
      },
      { env: { LOOPBACK_GUARD_LOG: log } }
    )
    assert.equal(run.exitCode, 1)
    assert.match(readFileSync(log, 'utf8'), /TCP connection to 192\.0\.2\.10:443 refused/)
  })
})
