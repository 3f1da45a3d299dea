// A TCP port that gives no answer, as a port filtered by a network security group does: the
// connection attempt is neither accepted nor refused, it times out. Made with a real kernel
// listener (python3, listen backlog 0) that never accepts and whose accept queue is filled, so
// Linux drops every further SYN. Node cannot be used for the listener: it always accepts.

import { spawn, type ChildProcess } from 'node:child_process'
import { ensureLoopbackAddress } from './bind.ts'

const LISTENER = `
import socket, sys, time
host = sys.argv[1]
server = socket.socket()
server.bind((host, int(sys.argv[2])))
server.listen(0)
port = server.getsockname()[1]
held = []
for _ in range(3):
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect((host, port))
    except BlockingIOError:
        pass
    held.append(c)
time.sleep(0.3)
print(port, flush=True)
sys.stdin.read()
`

export interface SilentPort {
  readonly host: string
  readonly port: number
  stop(): Promise<void>
}

/** `port` 0 (the default) picks a free one. */
export async function startSilentPort(host: string, port = 0): Promise<SilentPort> {
  await ensureLoopbackAddress(host)
  const child: ChildProcess = spawn('python3', ['-c', LISTENER, host, String(port)], {
    stdio: ['pipe', 'pipe', 'inherit']
  })
  const bound = await new Promise<number>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', code => reject(new Error(`silent port listener exited (${code})`)))
    child.stdout!.once('data', (data: Buffer) => resolve(Number(data.toString().trim())))
  })
  return {
    host,
    port: bound,
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.stdin!.end()
      child.kill()
      await exited
    }
  }
}
