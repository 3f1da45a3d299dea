// A port the tests need is already taken (a system named or slapd on a developer's machine or a
// shared CI host): the helpers say which socket and which process hold it, instead of a vague
// timeout. The holder here is a real separate process bound to the port.

import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { after, describe, it } from 'node:test'
import { startBindServer } from '../helpers/bind.ts'
import { describePortHolders, portHolders } from '../helpers/port-owner.ts'
import { freePort } from '../helpers/slapd.ts'

const children: ChildProcess[] = []

/** A separate node process holding address:port (udp or tcp listen); resolves once it is bound. */
async function holdPort(protocol: 'udp' | 'tcp', address: string, port: number): Promise<ChildProcess> {
  const script =
    protocol === 'udp'
      ? `const s = require('node:dgram').createSocket(${JSON.stringify(address.includes(':') ? 'udp6' : 'udp4')}); s.bind(${port}, ${JSON.stringify(address)}, () => console.log('ready'))`
      : `require('node:net').createServer().listen(${port}, ${JSON.stringify(address)}, () => console.log('ready'))`
  const child = spawn(process.execPath, ['-e', `${script} // port-holder`], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  const [data] = (await once(child.stdout!, 'data')) as [Buffer]
  assert.equal(data.toString().trim(), 'ready')
  return child
}

after(() => {
  for (const child of children) child.kill('SIGTERM')
})

describe('port taken', () => {
  it('startBindServer names the process holding 127.x:53 instead of timing out', async () => {
    const holder = await holdPort('udp', '127.0.9.1', 53)
    await assert.rejects(
      startBindServer({
        addresses: ['127.0.9.1'],
        port: 53,
        zones: [{ name: 'example.test', role: 'primary', records: ['@ IN NS ns1', 'ns1 IN A 127.0.9.1'] }],
        startTimeoutMs: 60_000
      }),
      (error: Error) => {
        assert.match(
          error.message,
          new RegExp(
            `^named cannot listen where the test needs it: udp 127\\.0\\.9\\.1:53 is held by pid ${holder.pid} \\(\\S*node -e const s = require`
          )
        )
        return true
      }
    )
  })

  it('portHolders finds TCP listeners, exact and wildcard, IPv4 and IPv6, with their process', async () => {
    const exactPort = await freePort('127.0.9.2')
    const exact = await holdPort('tcp', '127.0.9.2', exactPort)
    const found = portHolders('127.0.9.2', exactPort, ['tcp', 'udp'])
    assert.deepEqual(
      found.map(h => [h.protocol, h.address, h.port, h.pid]),
      [['tcp', '127.0.9.2', exactPort, exact.pid]]
    )
    assert.match(
      describePortHolders(found),
      new RegExp(`^tcp 127\\.0\\.9\\.2:${exactPort} is held by pid ${exact.pid} \\(`)
    )
    assert.deepEqual(portHolders('127.0.9.3', exactPort, ['tcp']), [], 'another address on the same port is free')

    const wildcardPort = await freePort('0.0.0.0')
    const wildcard = await holdPort('tcp', '0.0.0.0', wildcardPort)
    assert.deepEqual(
      portHolders('127.0.9.3', wildcardPort, ['tcp']).map(h => [h.address, h.pid]),
      [['0.0.0.0', wildcard.pid]]
    )

    const v6Port = await freePort('::1')
    const v6 = await holdPort('udp', '::1', v6Port)
    const v6Holders = portHolders('::1', v6Port, ['udp'])
    assert.deepEqual(
      v6Holders.map(h => [h.protocol, h.address, h.pid]),
      [['udp', '::1', v6.pid]]
    )
    assert.match(describePortHolders(v6Holders), new RegExp(`^udp \\[::1\\]:${v6Port} is held by pid ${v6.pid}`))
  })
})
