// npm run local-action: runs the action from source (src/main.ts's run(), through
// @github/local-action, which loads TypeScript with tsx and stands in for @actions/core) against
// the demo's sandbox: a BIND 9 primary and secondary for contoso100.com, updated with TSIG, and an
// OpenLDAP slapd serving LDAPS with a throwaway CA, all on loopback addresses. The inputs come from
// .env.example with the sandbox's values filled in; see README.md, Development.

import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { startDemoSandbox, type DemoSandbox, type SandboxAddresses } from '../demo/sandbox.ts'

// Apart from the demo's 127.0.12.x, so the two can run side by side.
const ADDRESSES: SandboxAddresses = { primary: '127.0.14.1', secondary: '127.0.14.2', ldaps: '127.0.14.3' }

/** .env.example with every ${NAME} replaced; an unknown name is an error, not an empty input. */
export function fillEnvTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => {
    const value = values[name]
    if (value === undefined)
      throw new Error(`local-action: .env.example uses \${${name}}, which the sandbox does not provide`)
    if (/[\r\n]/.test(value)) throw new Error(`local-action: the value of \${${name}} spans lines`)
    return value
  })
}

async function main(): Promise<number> {
  const missing = [
    ['/usr/sbin/named', 'bind9'],
    ['/usr/sbin/slapd', 'slapd']
  ].filter(([path]) => !existsSync(path!))
  if (missing.length > 0) {
    console.error(
      `local-action: the sandbox needs ${missing.map(([, pkg]) => pkg).join(', ')} (bash scripts/setup.sh installs them)`
    )
    return 2
  }
  let sandbox: DemoSandbox | undefined
  try {
    sandbox = await startDemoSandbox(ADDRESSES)
    const { bind, slapd } = sandbox
    const caDer = sandbox.caPem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '')
    const env = fillEnvTemplate(readFileSync('.env.example', 'utf8'), {
      SANDBOX_PRIMARY: ADDRESSES.primary,
      SANDBOX_LDAPS_ADDRESS: ADDRESSES.ldaps,
      SANDBOX_LDAPS_PORT: String(slapd.ldapsPort),
      SANDBOX_TSIG_KEY_NAME: bind.keys.sha256.name,
      SANDBOX_TSIG_SECRET: bind.keys.sha256.secret,
      SANDBOX_CA_CERTIFICATE: caDer
    })
    mkdirSync('.tmp', { recursive: true })
    writeFileSync('.tmp/local-action.env', env, { mode: 0o600 })
    console.log(
      `Sandbox up: BIND ${ADDRESSES.primary} and ${ADDRESSES.secondary} for contoso100.com, slapd on ${ADDRESSES.ldaps}:${slapd.ldapsPort}`
    )
    const run = spawnSync(
      process.execPath,
      ['node_modules/@github/local-action/bin/local-action.js', 'run', '.', 'src/main.ts', '.tmp/local-action.env'],
      { stdio: 'inherit' }
    )
    return run.status ?? 1
  } finally {
    await sandbox?.stop()
    console.log('Sandbox stopped.')
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main()
