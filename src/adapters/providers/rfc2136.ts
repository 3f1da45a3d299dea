// RFC 2136 dynamic update with HMAC TSIG (RFC 8945), for BIND, Knot and PowerDNS (Windows DNS only
// for zones that accept nonsecure updates: it secures updates with GSS-TSIG alone, not spoken here).
// The zone is found by walking SOA up the name at the server; reads are TCP queries to the
// server; every write is one UPDATE whose prerequisites (RFC 2136 §2.4) state exactly what was
// read, so the server applies it only if nobody changed the set in between:
//   create:  "RRset does not exist" (type and CNAME), then add the new records;
//   replace: "RRset exists (value dependent)" with every old record and "no CNAME", then delete
//            the set and add the new records.
// A failed prerequisite (YXRRSET/NXRRSET) is a PreconditionFailedError, so the step re-reads.

import { randomBytes } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import dnsPacket from 'dns-packet'
import { sameValues, type CurrentRecords } from '../../core/planner.ts'
import type { InputReader } from '../../core/inputs.ts'
import { parseDomainName } from '../../core/names.ts'
import type { HostPort, RecordType, TsigAlgorithm } from '../../core/settings.ts'
import { signTsig, TsigError, verifyTsigResponse, type TsigKey } from '../../core/tsig.ts'
import {
  addressesIn,
  createQueryId,
  dataName,
  decodeResponse,
  DnsNetworkError,
  encodeQuery,
  exchangeTcp,
  formatServer,
  type DnsAnswer,
  type DnsResponse,
  zoneFromSoaAnswer,
  type QueryType
} from '../dns-client.ts'
import { splitTxtValue } from '../../core/txt.ts'
import {
  PreconditionFailedError,
  ProviderError,
  untilNotRaced,
  type DnsProvider,
  type ProviderModule,
  type ProviderStats,
  type RecordWrite,
  type TxtRecords,
  type WriteResult,
  type ZoneRef
} from './provider.ts'

const TSIG_ALGORITHMS: readonly TsigAlgorithm[] = [
  'hmac-sha256',
  'hmac-sha1',
  'hmac-sha224',
  'hmac-sha384',
  'hmac-sha512',
  'hmac-md5'
]

/** provider rfc2136: the primary server and the TSIG key its updates are signed with. */
export interface Rfc2136Settings {
  readonly kind: 'rfc2136'
  readonly server: HostPort
  /** Undefined when the server accepts unsigned updates (allowed by address). */
  readonly tsig: { readonly name: string; readonly secret: string; readonly algorithm: TsigAlgorithm } | undefined
}

export const rfc2136: ProviderModule<Rfc2136Settings> = {
  name: 'rfc2136',
  inputs: [
    {
      name: 'rfc2136-server',
      required: true,
      secret: false,
      description: 'Primary server host[:port] that accepts RFC 2136 dynamic updates (provider rfc2136).'
    },
    {
      name: 'rfc2136-tsig-key-name',
      required: false,
      secret: false,
      description: 'TSIG key name for RFC 2136 updates.'
    },
    {
      name: 'rfc2136-tsig-secret',
      required: false,
      secret: true,
      description: 'TSIG key secret, base64 (the = padding may be left out).'
    },
    {
      name: 'rfc2136-tsig-algorithm',
      required: false,
      secret: false,
      default: 'hmac-sha256',
      description: 'TSIG algorithm, one of hmac-sha256, hmac-sha1, hmac-sha224, hmac-sha384, hmac-sha512, hmac-md5.'
    }
  ],
  parse: parseRfc2136Inputs,
  // RFC 2136 speaks DNS, not HTTP: its own timeouts apply, and it needs no SDK.
  create: async settings => new Rfc2136Provider(settings)
}

/** Base64 without its `=` padding (as some key generators and copy-pastes leave it), padded. */
function padBase64(text: string): string {
  return text.length % 4 === 0 ? text : text + '='.repeat(4 - (text.length % 4))
}

/**
 * Why a TSIG secret is not usable base64, or undefined. Padding may be missing: such a secret is
 * accepted when it decodes exactly (re-encoding gives it back), since it is unambiguous. The
 * secret is never quoted.
 */
function tsigSecretProblem(secret: string): string | undefined {
  const where = 'copy the whole value of the secret "…"; line of the key file (tsig-keygen or ddns-confgen output)'
  if (/[-_]/.test(secret) && /^[A-Za-z0-9\-_]+=*$/.test(secret)) {
    return `must be standard base64, but holds - or _ (base64url); write it with + and / instead, or ${where}`
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret)) {
    return `must be base64 (letters, digits, + and /, with = padding at the end only); ${where}`
  }
  const unpadded = secret.replace(/=+$/, '')
  if (unpadded.length % 4 === 1) {
    return `must be base64, but its ${unpadded.length} characters (without padding) cannot be: one is missing or extra; ${where}`
  }
  const padded = padBase64(unpadded)
  if ((secret.endsWith('=') && secret !== padded) || Buffer.from(padded, 'base64').toString('base64') !== padded) {
    return `must be base64 that decodes exactly, but its padding or last character does not fit its length; ${where}`
  }
  return undefined
}

function parseRfc2136Inputs(r: InputReader): Rfc2136Settings {
  const serverRaw = r.required(
    'rfc2136-server',
    'give the primary server as host[:port], e.g. ns1.contoso100.com or 192.0.2.53:53'
  )
  const server = serverRaw === undefined ? undefined : r.hostPort('rfc2136-server', serverRaw, 53)
  const keyNameRaw = r.optional('rfc2136-tsig-key-name')
  const secret = r.optional('rfc2136-tsig-secret')
  const algorithm = r.choice('rfc2136-tsig-algorithm', TSIG_ALGORITHMS)
  if (keyNameRaw !== undefined && secret === undefined) {
    r.fail(
      'rfc2136-tsig-secret',
      'is required when rfc2136-tsig-key-name is set: give the base64 secret of that key, or leave both empty for unsigned updates'
    )
  }
  if (secret !== undefined && keyNameRaw === undefined) {
    r.fail(
      'rfc2136-tsig-key-name',
      'is required when rfc2136-tsig-secret is set: give the key\'s name as the server knows it (its key "…" clause)'
    )
  }
  const secretProblem = secret === undefined ? undefined : tsigSecretProblem(secret)
  if (secretProblem !== undefined) r.fail('rfc2136-tsig-secret', secretProblem)
  let keyName: string | undefined
  if (keyNameRaw !== undefined) {
    // TSIG key names are DNS names, but BIND users often name keys with underscores.
    const checked = parseDomainName(keyNameRaw.replaceAll('_', '-'))
    if (!checked.ok)
      r.fail('rfc2136-tsig-key-name', `${checked.rule}, got ${r.shown('rfc2136-tsig-key-name', keyNameRaw)}`)
    else keyName = keyNameRaw.toLowerCase().replace(/\.$/, '')
  }
  if (keyNameRaw === undefined && secret === undefined) {
    r.warn(
      'rfc2136-tsig-key-name',
      'is empty: updates are sent unsigned, which only servers that allow updates by address accept'
    )
  }
  return {
    kind: 'rfc2136',
    server: server ?? { host: '', port: 53 },
    tsig:
      keyName !== undefined && secret !== undefined && algorithm !== undefined
        ? { name: keyName, secret: padBase64(secret), algorithm }
        : undefined
  }
}

const TIMEOUT_MS = 10_000
const OPCODE_UPDATE = 5
const CLASS_IN = 1
const CLASS_NONE = 254
const CLASS_ANY = 255
const TYPE_CODES: Record<UpdateType | 'SOA', number> = { A: 1, CNAME: 5, SOA: 6, TXT: 16, AAAA: 28 }

/** The record types this provider writes or states prerequisites on. */
type UpdateType = RecordType | 'CNAME' | 'TXT'

interface Codec<T> {
  encode(value: T, buf?: Buffer, offset?: number): Buffer
}
// dns-packet's record and question codecs are exported at runtime but not in its type definitions.
const codecs = dnsPacket as unknown as {
  answer: Codec<dnsPacket.Answer>
  question: { encode(value: dnsPacket.Question, buf: Buffer, offset: number): unknown }
}

/** One record of an UPDATE message; class NONE/ANY are not in dns-packet's class table. */
function encodeRecord(
  name: string,
  type: UpdateType,
  klass: number,
  ttl: number,
  value: string | readonly Buffer[] | undefined
): Buffer {
  const record =
    value === undefined
      ? codecs.answer.encode({ name, type: `UNKNOWN_${TYPE_CODES[type]}`, ttl, data: Buffer.alloc(0) } as never)
      : codecs.answer.encode({ name, type, ttl, data: value } as dnsPacket.Answer)
  // The class follows the owner name (which dns-packet never compresses) and the type.
  record.writeUInt16BE(klass, encodedNameLength(name) + 2)
  return record
}

function encodedNameLength(name: string): number {
  const trimmed = name.replace(/^\.|\.$/g, '')
  return trimmed === '' ? 1 : Buffer.byteLength(trimmed) + 2
}

/** An UPDATE message (RFC 2136 §2): zone, prerequisites and updates. */
export function encodeUpdate(
  id: number,
  zone: string,
  prerequisites: readonly Buffer[],
  updates: readonly Buffer[]
): Buffer {
  const header = Buffer.alloc(12)
  header.writeUInt16BE(id, 0)
  header.writeUInt16BE(OPCODE_UPDATE << 11, 2)
  header.writeUInt16BE(1, 4)
  header.writeUInt16BE(prerequisites.length, 6)
  header.writeUInt16BE(updates.length, 8)
  header.writeUInt16BE(0, 10)
  // question.encode returns the question, not the buffer, so it writes into one of ours.
  const zoneSection = Buffer.alloc(encodedNameLength(zone) + 4)
  codecs.question.encode({ name: zone, type: 'SOA', class: 'IN' }, zoneSection, 0)
  return Buffer.concat([header, zoneSection, ...prerequisites, ...updates])
}

/** The TXT set at a name as read: each record's character-strings as they came (for exact prerequisites). */
interface TxtSetRead {
  readonly ttl: number
  readonly records: readonly (readonly Buffer[])[]
}

/**
 * The UPDATE that adds `value` to the TXT set at `name` (RFC 2136 §2.5.1 "add to an RRset") or
 * removes it (§2.5.4 "delete an RR from an RRset": class NONE with the RR's data), under
 * prerequisites stating exactly the set that was read (§2.4.2 "RRset exists (value dependent)",
 * or §2.4.3 "RRset does not exist") and no CNAME at the name. The last value removed takes the
 * set with it.
 */
export function planTxtUpdateMessage(
  id: number,
  zone: string,
  name: string,
  read: TxtSetRead,
  change:
    { readonly add: readonly Buffer[]; readonly ttl: number } | { readonly remove: readonly (readonly Buffer[])[] }
): Buffer {
  const prerequisites: Buffer[] = [encodeRecord(name, 'CNAME', CLASS_NONE, 0, undefined)]
  if (read.records.length === 0) prerequisites.push(encodeRecord(name, 'TXT', CLASS_NONE, 0, undefined))
  for (const record of read.records) prerequisites.push(encodeRecord(name, 'TXT', CLASS_IN, 0, record))
  const updates =
    'add' in change
      ? [encodeRecord(name, 'TXT', CLASS_IN, change.ttl, change.add)]
      : change.remove.map(record => encodeRecord(name, 'TXT', CLASS_NONE, 0, record))
  return encodeUpdate(id, zone, prerequisites, updates)
}

/** The UPDATE carrying out `change` under prerequisites on exactly what was read. */
export function planUpdateMessage(id: number, zone: string, change: RecordWrite): Buffer {
  const { desired } = change
  const prerequisites: Buffer[] = [encodeRecord(desired.name, 'CNAME', CLASS_NONE, 0, undefined)]
  const updates: Buffer[] = []
  if (change.kind === 'create') {
    prerequisites.push(encodeRecord(desired.name, desired.type, CLASS_NONE, 0, undefined))
  } else {
    for (const value of change.expected.values) {
      prerequisites.push(encodeRecord(change.expected.name, change.expected.type, CLASS_IN, 0, value))
    }
    updates.push(encodeRecord(desired.name, desired.type, CLASS_ANY, 0, undefined))
  }
  for (const value of desired.values) {
    updates.push(encodeRecord(desired.name, desired.type, CLASS_IN, desired.ttl, value))
  }
  return encodeUpdate(id, zone, prerequisites, updates)
}

function describeKey(key: TsigKey | undefined): string {
  return key === undefined ? 'without a TSIG key' : `with TSIG key "${key.name}" (${key.algorithm})`
}

export class Rfc2136Provider implements DnsProvider {
  readonly displayName: string
  readonly stats: ProviderStats = { reads: 0, writes: 0 }
  private readonly settings: Rfc2136Settings
  private address: HostPort | undefined

  constructor(settings: Rfc2136Settings) {
    this.settings = settings
    this.displayName = `RFC 2136 server ${formatServer(settings.server)}`
  }

  private get key(): TsigKey | undefined {
    return this.settings.tsig
  }

  private async server(): Promise<HostPort> {
    if (this.address !== undefined) return this.address
    const { host, port } = this.settings.server
    if (isIP(host) !== 0) return (this.address = { host, port })
    try {
      const found = await lookup(host)
      return (this.address = { host: found.address, port })
    } catch (error) {
      throw new ProviderError(
        `RFC 2136: cannot resolve the server name ${host} (${(error as Error).message}); give rfc2136-server as an IP address`
      )
    }
  }

  /** Sends a message over TCP, signed when a key is set, and verifies the signed answer. */
  private async exchange(message: Buffer, what: string): Promise<DnsResponse> {
    const server = await this.server()
    const name = formatServer(this.settings.server)
    const key = this.key
    const signed = key === undefined ? undefined : signTsig(message, key, new Date())
    let raw: Buffer
    try {
      raw = await exchangeTcp(server, signed?.message ?? message, TIMEOUT_MS)
    } catch (error) {
      if (error instanceof DnsNetworkError) {
        throw new ProviderError(`RFC 2136: ${what} at ${name} failed: ${error.message}`, {
          cause: error
        })
      }
      throw error
    }
    const response = decodeResponse(server, raw, 'tcp')
    if (key !== undefined && signed !== undefined) {
      try {
        verifyTsigResponse(raw, signed.mac, key, new Date())
      } catch (error) {
        if (!(error instanceof TsigError)) throw error
        // An unsigned error answer (FORMERR, or NOTAUTH before the key was checked) is still an
        // error; report it by its rcode. A success must be authentic.
        if (error.code === undefined && response.rcode !== 'NOERROR' && !/signature/.test(error.message)) {
          return response
        }
        throw new ProviderError(
          `RFC 2136: ${name} rejected ${what} ${describeKey(key)}: ${error.message.replace(/^TSIG: /, '')}. Check rfc2136-tsig-key-name, rfc2136-tsig-secret and rfc2136-tsig-algorithm against the key configured on the server`
        )
      }
    }
    return response
  }

  private async query(zone: string, name: string, type: QueryType): Promise<DnsResponse> {
    const message = encodeQuery(createQueryId(), name, type, false)
    const response = await this.exchange(message, `the ${type} query for ${name} (zone ${zone})`)
    const server = formatServer(this.settings.server)
    if (response.rcode === 'REFUSED' || response.rcode === 'NOTAUTH') {
      throw new ProviderError(
        `RFC 2136: ${server} answered ${response.rcode} to the ${type} query for ${name} ${describeKey(this.key)}; it does not serve zone ${zone} to this client (allow-query) or is not authoritative for it`
      )
    }
    if (response.rcode === 'SERVFAIL') {
      throw new ProviderError(`RFC 2136: ${server} answered SERVFAIL for ${name} ${type} (zone ${zone} not loaded?)`)
    }
    return response
  }

  async findZone(domain: string, zoneHint: string | undefined): Promise<ZoneRef> {
    const server = formatServer(this.settings.server)
    if (zoneHint !== undefined) {
      const response = await this.query(zoneHint, zoneHint, 'SOA')
      const soa = response.answers.find(a => a.type === 'SOA' && a.name === zoneHint)
      if (!response.authoritative || soa === undefined) {
        throw new ProviderError(
          `RFC 2136: ${server} is not authoritative for zone ${zoneHint} (no SOA with the AA bit); check zone and rfc2136-server`
        )
      }
      return { name: zoneHint }
    }
    // Walk up the name: the first name whose SOA the server serves authoritatively is the zone.
    const labels = domain.split('.')
    for (let i = 0; i < labels.length - 1; i++) {
      const candidate = labels.slice(i).join('.')
      const message = encodeQuery(createQueryId(), candidate, 'SOA', false)
      const response = await this.exchange(message, `the SOA query for ${candidate} (finding the zone of ${domain})`)
      if (response.rcode === 'REFUSED' || response.rcode === 'NOTAUTH') continue
      if (!response.authoritative) continue
      const zone = zoneFromSoaAnswer(candidate, response)
      if (zone !== undefined) return { name: zone }
    }
    throw new ProviderError(
      `RFC 2136: ${server} is not authoritative for any zone that holds ${domain} (every SOA query up the name was refused or not authoritative); set zone, or point rfc2136-server at the primary of the zone`
    )
  }

  async read(zone: ZoneRef, name: string, type: RecordType): Promise<CurrentRecords> {
    this.stats.reads++
    // One query: an authoritative server answers an A/AAAA query at a CNAME with the CNAME.
    const response = await this.query(zone.name, name, type)
    if (!response.authoritative) {
      throw new ProviderError(
        `RFC 2136: ${formatServer(this.settings.server)} answered the ${type} query for ${name} without authority; it is not a server of zone ${zone.name}`
      )
    }
    const cnameRecord = response.answers.find(a => a.type === 'CNAME' && a.name === name)
    const cname = cnameRecord === undefined ? undefined : dataName(cnameRecord)
    const values = cname !== undefined ? [] : addressesIn(response.answers, name, type)
    if (cname === undefined && values.length === 0) return { recordSet: undefined, cname: undefined }
    // A query cannot tell a record at the name from one a wildcard synthesised for it (RFC 4592;
    // without DNSSEC the two answers are identical), so ask the zone's own data.
    const answered: RecordType | 'CNAME' = cname !== undefined ? 'CNAME' : type
    const ttl = (cnameRecord ?? response.answers.find(a => a.type === type && a.name === name))?.ttl ?? 0
    const own = await this.holdsOwnRRset(zone, name, answered, cname !== undefined ? [cname] : values, ttl)
    if (!own) {
      return {
        recordSet: undefined,
        cname: undefined,
        wildcard: { type: answered, values: cname !== undefined ? [cname] : values }
      }
    }
    if (cname !== undefined) return { recordSet: undefined, cname }
    return { recordSet: { name, type, ttl, values }, cname: undefined }
  }

  /**
   * Whether `name` holds an RRset of `type` of its own, or the answer was synthesised from a
   * wildcard. First a prerequisite-only UPDATE ("RRset exists (value independent)", RFC 2136
   * §2.4.1, no update section): the server evaluates prerequisites against the zone's records
   * without wildcard expansion and changes nothing (NOERROR: it exists; NXRRSET: it does not).
   * It is signed like a write. A server that refuses it (no key, or a key not allowed to update:
   * typical of a read-only check) gets the fallback: a random sibling name has the same closest
   * encloser, so it shows what a wildcard would answer at the name. The same values and TTL there
   * are taken as the wildcard's answer (an explicit record that copies the wildcard exactly is
   * the one case this guesses wrong; docs/rfc2136.md says so).
   */
  private async holdsOwnRRset(
    zone: ZoneRef,
    name: string,
    type: UpdateType,
    answered: readonly string[],
    ttl: number
  ): Promise<boolean> {
    // The apex always exists, so nothing is ever synthesised for it.
    if (name === zone.name) return true
    const probe = encodeUpdate(createQueryId(), zone.name, [encodeRecord(name, type, CLASS_ANY, 0, undefined)], [])
    const response = await this.exchange(probe, `the prerequisite-only update for ${name} ${type} in zone ${zone.name}`)
    if (response.rcode === 'NOERROR') return true
    if (response.rcode === 'NXRRSET' || response.rcode === 'NXDOMAIN') return false
    const parent = name.slice(name.indexOf('.') + 1)
    const sibling = `ldaps-dns-probe-${randomBytes(6).toString('hex')}.${parent}`
    const other = await this.query(zone.name, sibling, type === 'CNAME' ? 'A' : type)
    const otherRecord = other.answers.find(
      a => a.name === sibling && (a.type === 'CNAME' || (type !== 'CNAME' && a.type === type))
    )
    if (otherRecord === undefined || (otherRecord.type === 'CNAME') !== (type === 'CNAME')) return true
    const otherValues =
      type === 'CNAME'
        ? [dataName(otherRecord)]
        : type === 'TXT'
          ? txtRecordsIn(other.answers, sibling).map(joinStrings)
          : addressesIn(other.answers, sibling, type)
    return !(otherRecord.ttl === ttl && sameValues(otherValues, answered))
  }

  readonly txt: TxtRecords = {
    readTxt: async (zone, name) => (await this.readTxtSet(zone, name)).records.map(joinStrings),
    addTxtValue: (zone, name, value, ttl) => this.changeTxt(zone, name, value, ttl),
    removeTxtValue: (zone, name, value) => this.changeTxt(zone, name, value, undefined)
  }

  /** The TXT set at `name` in the zone's own data (a wildcard's synthesised answer is no set). */
  private async readTxtSet(zone: ZoneRef, name: string): Promise<TxtSetRead> {
    this.stats.reads++
    const response = await this.query(zone.name, name, 'TXT')
    const server = formatServer(this.settings.server)
    if (!response.authoritative) {
      throw new ProviderError(
        `RFC 2136: ${server} answered the TXT query for ${name} without authority; it is not a server of zone ${zone.name}`
      )
    }
    const cname = response.answers.find(a => a.type === 'CNAME' && a.name === name)
    if (cname !== undefined) {
      throw new ProviderError(
        `RFC 2136: ${name} is a CNAME to ${dataName(cname)}; TXT values cannot sit beside it (write them at the target)`
      )
    }
    const records = txtRecordsIn(response.answers, name)
    if (records.length === 0) return { ttl: 0, records }
    const ttl = response.answers.find(a => a.type === 'TXT' && a.name === name)?.ttl ?? 0
    const own = await this.holdsOwnRRset(zone, name, 'TXT', records.map(joinStrings), ttl)
    return own ? { ttl, records } : { ttl: 0, records: [] }
  }

  /** Adds `value` (with `ttl` given) or removes it (without), conditional on the set as read. */
  private changeTxt(zone: ZoneRef, name: string, value: string, ttl: number | undefined): Promise<WriteResult> {
    const add = ttl !== undefined
    const what = `RFC 2136: ${add ? 'adding a value to' : 'removing a value from'} ${name} TXT`
    return untilNotRaced(what, async () => {
      const read = await this.readTxtSet(zone, name)
      const matching = read.records.filter(r => joinStrings(r) === value)
      if (matching.length > 0 === add) return {}
      const message = planTxtUpdateMessage(
        createQueryId(),
        zone.name,
        name,
        read,
        add
          ? {
              add: splitTxtValue(value).map(s => Buffer.from(s, 'utf8')),
              // A new RR's TTL would become the whole set's: keep the set's own.
              ttl: read.records.length > 0 ? read.ttl : ttl
            }
          : { remove: matching }
      )
      return this.update(zone, `${name} TXT`, message, `expected exactly ${read.records.length} TXT values as read`)
    })
  }

  async write(zone: ZoneRef, change: RecordWrite): Promise<WriteResult> {
    const message = planUpdateMessage(createQueryId(), zone.name, change)
    return this.update(zone, `${change.desired.name} ${change.desired.type}`, message, describeExpectation(change))
  }

  /** Sends one UPDATE and turns its rcode into a result, a lost race, or an error naming the fix. */
  private async update(zone: ZoneRef, target: string, message: Buffer, expectation: string): Promise<WriteResult> {
    this.stats.writes++
    const server = formatServer(this.settings.server)
    const response = await this.exchange(message, `the update of ${target} in zone ${zone.name}`)
    switch (response.rcode) {
      case 'NOERROR':
        return {}
      case 'YXRRSET':
      case 'NXRRSET':
      case 'YXDOMAIN':
      case 'NXDOMAIN':
        throw new PreconditionFailedError(
          `${server} refused the update of ${target} because the record set is no longer what was read (${response.rcode}: ${expectation})`
        )
      case 'REFUSED':
        throw new ProviderError(
          `RFC 2136: ${server} REFUSED the update of ${target} in zone ${zone.name} ${describeKey(this.key)}; ${this.key === undefined ? 'it does not accept unsigned updates from this address: set rfc2136-tsig-key-name and rfc2136-tsig-secret' : 'the key is not allowed to update this zone or name (allow-update / update-policy on the server)'}`
        )
      case 'NOTAUTH':
        throw new ProviderError(
          `RFC 2136: ${server} answered NOTAUTH to the update of zone ${zone.name} ${describeKey(this.key)}; it is not authoritative (primary) for the zone, or the key was not accepted`
        )
      case 'NOTZONE':
        throw new ProviderError(`RFC 2136: ${server} says ${target} is not in zone ${zone.name} (NOTZONE)`)
      default:
        throw new ProviderError(
          `RFC 2136: ${server} answered ${response.rcode} to the update of ${target} in zone ${zone.name} ${describeKey(this.key)}`
        )
    }
  }
}

/** The TXT records at `name` among `answers`, each as its character-strings. */
function txtRecordsIn(answers: readonly DnsAnswer[], name: string): Buffer[][] {
  return answers
    .filter(a => a.type === 'TXT' && a.name === name)
    .map(a => (Array.isArray(a.data) ? a.data : [a.data]).map(part => Buffer.from(part as Buffer)))
}

/** A TXT record's value: its character-strings joined. */
function joinStrings(strings: readonly Buffer[]): string {
  return Buffer.concat(strings).toString('utf8')
}

function describeExpectation(change: RecordWrite): string {
  if (change.kind === 'create') return `expected no ${change.desired.type} set and no CNAME`
  return `expected exactly ${change.expected.values.join(', ')}`
}
