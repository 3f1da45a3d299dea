// npm run local-action: runs the action from source (src/main.ts's run(), through
// @github/local-action, which loads TypeScript with tsx and stands in for @actions/core) against
// the demo's sandbox: a BIND 9 primary and secondary for contoso100.com, updated with TSIG, and an
// OpenLDAP slapd serving LDAPS with a throwaway CA, all on loopback addresses. The inputs come from
// .env.example with the sandbox's values filled in; see README.md, Development.

import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { startBindPair, type BindPair } from '../__tests__/helpers/bind.ts'
import { startSlapd, type Slapd } from '../__tests__/helpers/slapd.ts'
import { createTestPki } from '../__tests__/helpers/test-pki.ts'

// Apart from the demo's 127.0.12.x, so the two can run side by side.
const PRIMARY = '127.0.14.1'
const SECONDARY = '127.0.14.2'
const LDAPS_ADDRESS = '127.0.14.3'

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
  let bind: BindPair | undefined
  let slapd: Slapd | undefined
  try {
    const pki = createTestPki()
    bind = await startBindPair({ zone: 'contoso100.com', primary: PRIMARY, secondary: SECONDARY, refreshSeconds: 2 })
    slapd = await startSlapd({
      host: LDAPS_ADDRESS,
      chainPem: pki.leaves.good.chainPem,
      keyPem: pki.leaves.good.leaf.keyPem
    })
    const caDer = pki.root.certPem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '')
    const env = fillEnvTemplate(readFileSync('.env.example', 'utf8'), {
      SANDBOX_PRIMARY: PRIMARY,
      SANDBOX_LDAPS_ADDRESS: LDAPS_ADDRESS,
      SANDBOX_LDAPS_PORT: String(slapd.ldapsPort),
      SANDBOX_TSIG_KEY_NAME: bind.keys.sha256.name,
      SANDBOX_TSIG_SECRET: bind.keys.sha256.secret,
      SANDBOX_CA_CERTIFICATE: caDer
    })
    mkdirSync('.tmp', { recursive: true })
    writeFileSync('.tmp/local-action.env', env, { mode: 0o600 })
    console.log(
      `Sandbox up: BIND ${PRIMARY} and ${SECONDARY} for contoso100.com, slapd on ${LDAPS_ADDRESS}:${slapd.ldapsPort}`
    )
    const run = spawnSync(
      process.execPath,
      ['node_modules/@github/local-action/bin/local-action.js', 'run', '.', 'src/main.ts', '.tmp/local-action.env'],
      { stdio: 'inherit' }
    )
    return run.status ?? 1
  } finally {
    await slapd?.stop()
    await bind?.stop()
    console.log('Sandbox stopped.')
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main()
