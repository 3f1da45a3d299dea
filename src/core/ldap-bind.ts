// The optional authenticated LDAP bind, as pure functions: the input rules for the bind name and
// the search filter, and the mapping from an LDAP result (code and diagnostic message) to words a
// directory admin can act on. No I/O: the probe (adapters/tls-probe.ts) performs the bind, the
// certificate step decides whether it may, and this file says what the answer means.

/** RFC 4511 section 4.1.9 result codes, by name. */
export const RESULT_CODE_NAMES: Readonly<Record<number, string>> = {
  0: 'success',
  1: 'operationsError',
  2: 'protocolError',
  3: 'timeLimitExceeded',
  4: 'sizeLimitExceeded',
  5: 'compareFalse',
  6: 'compareTrue',
  7: 'authMethodNotSupported',
  8: 'strongerAuthRequired',
  10: 'referral',
  11: 'adminLimitExceeded',
  12: 'unavailableCriticalExtension',
  13: 'confidentialityRequired',
  14: 'saslBindInProgress',
  16: 'noSuchAttribute',
  17: 'undefinedAttributeType',
  18: 'inappropriateMatching',
  19: 'constraintViolation',
  20: 'attributeOrValueExists',
  21: 'invalidAttributeSyntax',
  32: 'noSuchObject',
  33: 'aliasProblem',
  34: 'invalidDNSyntax',
  36: 'aliasDereferencingProblem',
  48: 'inappropriateAuthentication',
  49: 'invalidCredentials',
  50: 'insufficientAccessRights',
  51: 'busy',
  52: 'unavailable',
  53: 'unwillingToPerform',
  54: 'loopDetect',
  64: 'namingViolation',
  65: 'objectClassViolation',
  66: 'notAllowedOnNonLeaf',
  67: 'notAllowedOnRDN',
  68: 'entryAlreadyExists',
  69: 'objectClassModsProhibited',
  71: 'affectsMultipleDSAs',
  80: 'other'
}

export function resultCodeName(code: number): string {
  return RESULT_CODE_NAMES[code] ?? `resultCode ${code}`
}

/** The documented fix for cloud-only users of a managed domain whose password hash is missing. */
export const ENTRA_DS_PASSWORD_HASH_URL =
  'https://learn.microsoft.com/entra/identity/domain-services/tutorial-create-instance#enable-user-accounts-for-azure-ad-ds'

/**
 * Active Directory's data codes in the diagnostic message of invalidCredentials (49): the Win32
 * error of the logon, in hex. What each means and what the admin does about it.
 */
export const AD_DATA_CODES: Readonly<Record<string, { readonly meaning: string; readonly action: string }>> = {
  '52e': {
    meaning: 'the password is wrong (or the account is unknown to this domain controller)',
    action: 'check the password stored in the secret'
  },
  '525': { meaning: 'no such user', action: 'check the bind DN or UPN: no account has that name' },
  '530': {
    meaning: 'logon is not allowed at this time',
    action: "widen the account's logon hours (Account tab, Logon Hours)"
  },
  '531': {
    meaning: 'logon is not allowed from this workstation',
    action: 'remove the "Log On To" workstation restriction of the account (userWorkstations)'
  },
  '532': {
    meaning: 'the password has expired',
    action: "set a new password, or set the account's password not to expire"
  },
  '533': { meaning: 'the account is disabled', action: 'enable the account' },
  '701': { meaning: 'the account has expired', action: "extend or clear the account's expiry date (accountExpires)" },
  '773': {
    meaning: 'the user must reset the password',
    action: 'set a new password and clear "User must change password at next logon" (pwdLastSet)'
  },
  '775': {
    meaning: 'the account is locked out',
    action: 'unlock the account, then find what keeps sending a wrong password'
  }
}

/** What other bind results mean, for the admin. */
const RESULT_ADVICE: Readonly<Record<string, string>> = {
  strongerAuthRequired:
    'the server requires stronger authentication than a simple bind (LDAP signing or channel binding policy, or TLS it does not accept)',
  confidentialityRequired: 'the server requires a confidential (TLS-protected) connection for this operation',
  unwillingToPerform:
    'the server refuses the bind (for example an empty password, or simple binds are disabled by policy)',
  inappropriateAuthentication: 'the server does not accept this kind of authentication for this account',
  invalidDNSyntax: 'the server could not parse the bind name: check the DN or UPN',
  busy: 'the server is too busy: try again later',
  unavailable: 'the directory service is unavailable (shutting down or not ready)',
  authMethodNotSupported: 'the server does not support simple binds',
  operationsError: 'the server reports an operations error (on Active Directory often a bind name it cannot resolve)',
  protocolError: 'the server did not understand the bind request'
}

export type BindState = 'ok' | 'failed' | 'skipped'

/** What the LDAP server answered, or why nothing usable came back. */
export interface LdapAnswer {
  /** The LDAP resultCode; undefined when no result arrived (timeout, closed connection). */
  readonly resultCode: number | undefined
  /** The diagnosticMessage, or the transport error's text when no result arrived. */
  readonly diagnosticMessage: string
}

export interface BindOutcome {
  readonly state: Exclude<BindState, 'skipped'>
  /** e.g. `success`, `invalidCredentials (data 52e)`, `no result`. */
  readonly result: string
  readonly resultCode: number | undefined
  /** Active Directory's data code from the diagnostic message, lowercase hex. */
  readonly dataCode: string | undefined
  /** One sentence for people, naming the bind name and the cause. Never holds the password. */
  readonly message: string
}

/** The data code of an AD diagnostic message: `…AcceptSecurityContext error, data 52e, v4563`. */
export function adDataCode(diagnosticMessage: string): string | undefined {
  const m = /\bdata ([0-9a-f]{1,8})\b/i.exec(diagnosticMessage)
  return m === null ? undefined : m[1]!.toLowerCase()
}

/**
 * Server text made safe to quote: secrets replaced, control characters dropped, length bounded.
 * A server that echoes the password in its message must not get it into the log or the summary.
 */
export function quoteServerText(text: string, secrets: readonly string[] = []): string {
  let out = text
  for (const s of secrets) if (s !== '') out = out.split(s).join('***')
  // eslint-disable-next-line no-control-regex
  out = out.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()
  return out.length > 200 ? `${out.slice(0, 197)}...` : out
}

/**
 * Maps a bind answer to the outcome a directory admin can act on. `bindName` is the DN or UPN as
 * given; `secrets` (the password) are removed from any server text that is quoted.
 */
export function describeBind(bindName: string, answer: LdapAnswer, secrets: readonly string[] = []): BindOutcome {
  const who = `the bind as "${bindName}"`
  const quoted = quoteServerText(answer.diagnosticMessage.replace(/\s*Code: 0x[0-9a-f]+$/i, ''), secrets)
  if (answer.resultCode === undefined) {
    return {
      state: 'failed',
      result: 'no result',
      resultCode: undefined,
      dataCode: undefined,
      message: `${who} got no result: ${quoted || 'the connection ended'}`
    }
  }
  if (answer.resultCode === 0) {
    return { state: 'ok', result: 'success', resultCode: 0, dataCode: undefined, message: `${who} succeeded` }
  }
  const name = resultCodeName(answer.resultCode)
  const server = quoted === '' ? '' : ` (the server said: ${quoted})`
  if (answer.resultCode === 49) {
    const data = adDataCode(answer.diagnosticMessage)
    const known = data === undefined ? undefined : AD_DATA_CODES[data]
    let cause: string
    if (known !== undefined) {
      cause = `${known.meaning} (Active Directory data code ${data}): ${known.action}`
      if (data === '52e') {
        cause +=
          '. On a Microsoft Entra Domain Services managed domain, a cloud-only user gets this until its password hash is synchronised: ' +
          `the user must change the password after the managed domain was enabled, then wait for the sync (${ENTRA_DS_PASSWORD_HASH_URL})`
      }
    } else if (data !== undefined) {
      cause = `Active Directory data code ${data} (look it up as Win32 error 0x${data})`
    } else {
      cause = 'the bind name or the password is wrong'
    }
    return {
      state: 'failed',
      result: data === undefined ? name : `${name} (data ${data})`,
      resultCode: 49,
      dataCode: data,
      message: `${who} failed with ${name}: ${cause}${server}`
    }
  }
  const advice = RESULT_ADVICE[name]
  return {
    state: 'failed',
    result: name,
    resultCode: answer.resultCode,
    dataCode: undefined,
    message: `${who} failed with ${name}${advice === undefined ? '' : `: ${advice}`}${server}`
  }
}

/** The TLS versions an LDAP client should no longer accept; Entra DS can still allow TLS 1.0. */
export function outdatedTlsVersion(version: string | undefined): boolean {
  return version === 'TLSv1' || version === 'TLSv1.1' || version === 'SSLv3'
}

export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly rule: string }

const ATTRIBUTE_TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)+)$/
const DNS_NAME =
  /^(?=.{1,253}$)(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/

export type BindNameForm = 'dn' | 'upn' | 'down-level'

/**
 * The bind name: an RFC 4514 distinguished name (CN=svc-ldap,OU=AADDC Users,DC=contoso100,DC=com),
 * a user principal name (svc-ldap@contoso100.com) or a down-level name (CONTOSO100\svc-ldap), the
 * three forms Active Directory accepts in a simple bind.
 */
export function checkBindName(value: string): { ok: true; form: BindNameForm } | { ok: false; rule: string } {
  const rule =
    'must be a distinguished name such as CN=svc-ldap,OU=AADDC Users,DC=contoso100,DC=com or a user principal name such as svc-ldap@contoso100.com'
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return { ok: false, rule: `${rule}; it contains a control character` }
  if (value.includes('=')) {
    const dn = checkDistinguishedName(value)
    return dn.ok ? { ok: true, form: 'dn' } : { ok: false, rule: `${rule}; as a DN: ${dn.rule}` }
  }
  const at = value.lastIndexOf('@')
  if (at > 0) {
    const local = value.slice(0, at)
    const domain = value.slice(at + 1)
    if (/[\s@"\\,;<>]/.test(local))
      return { ok: false, rule: `${rule}; the part before @ has a character a UPN cannot hold` }
    if (!DNS_NAME.test(domain)) return { ok: false, rule: `${rule}; the part after @ is not a domain name` }
    return { ok: true, form: 'upn' }
  }
  const down = /^([A-Za-z0-9][A-Za-z0-9._-]{0,14})\\([^\\/"[\]:;|=,+*?<>@\s][^\\/"[\]:;|=,+*?<>@]{0,103})$/.exec(value)
  if (down !== null) return { ok: true, form: 'down-level' }
  return { ok: false, rule }
}

/** RFC 4514: RDNs separated by commas, each attributeType=value pairs joined by '+'. */
export function checkDistinguishedName(value: string): CheckResult {
  let i = 0
  const n = value.length
  if (n === 0) return { ok: false, rule: 'it is empty' }
  for (;;) {
    // attributeType
    const typeStart = i
    while (i < n && value[i] !== '=') i++
    const type = value.slice(typeStart, i).trim()
    if (i >= n) return { ok: false, rule: `"${short(value.slice(typeStart))}" has no "="` }
    if (!ATTRIBUTE_TYPE.test(type)) return { ok: false, rule: `"${short(type)}" is not an attribute type` }
    i++ // '='
    // attributeValue: #hex or a string with escapes
    let valueText = ''
    if (value[i] === '#') {
      const m = /^#(?:[0-9A-Fa-f]{2})+/.exec(value.slice(i))
      if (m === null) return { ok: false, rule: `the value of ${type} starts with # but is not hex` }
      i += m[0].length
      valueText = m[0]
    } else {
      while (i < n && value[i] !== ',' && value[i] !== '+') {
        const c = value[i]!
        if (c === '\\') {
          const next = value[i + 1]
          if (next !== undefined && /[0-9A-Fa-f]/.test(next) && /[0-9A-Fa-f]/.test(value[i + 2] ?? '')) i += 3
          else if (next !== undefined && ' "#+,;<=>\\'.includes(next)) i += 2
          else return { ok: false, rule: `a backslash in the value of ${type} escapes nothing it may escape` }
          valueText += 'x'
          continue
        }
        if (c === '"' || c === ';' || c === '<' || c === '>' || c === '=') {
          return { ok: false, rule: `the value of ${type} has an unescaped ${c}` }
        }
        valueText += c
        i++
      }
    }
    if (valueText.trim() === '') return { ok: false, rule: `the value of ${type} is empty` }
    if (i >= n) return { ok: true }
    i++ // ',' or '+'
    if (i >= n) return { ok: false, rule: 'it ends with a separator' }
  }
}

/**
 * RFC 4515 search filter syntax: a parenthesised filter, with &, | and ! and the simple, present,
 * substring and extensible items. Checked here (no dependency) so a typo fails before any
 * connection; ldapts parses the same text again when it sends the search.
 */
export function checkSearchFilter(text: string): CheckResult {
  // A bare item (objectClass=user) is accepted as ldapsearch and ldapts accept it.
  const value = text !== '' && !text.startsWith('(') ? `(${text})` : text
  const fail = (rule: string): CheckResult => ({ ok: false, rule })
  let i = 0
  let depth = 0
  const filter = (): string | undefined => {
    if (value[i] !== '(') return `expected "(" at position ${i + 1}`
    if (++depth > 50) return 'it nests deeper than 50 levels'
    i++
    const op = value[i]
    if (op === '&' || op === '|') {
      i++
      if (value[i] !== '(') return `"${op}" must be followed by at least one parenthesised filter`
      while (value[i] === '(') {
        const inner = filter()
        if (inner !== undefined) return inner
      }
    } else if (op === '!') {
      i++
      const inner = filter()
      if (inner !== undefined) return inner
    } else {
      const end = itemEnd(value, i)
      if (end === -2) return `expected ")" at the end`
      if (end < 0) return `an unescaped "(" or a bad \\ escape inside the item at position ${i + 1}`
      const item = value.slice(i, end)
      const problem = checkItem(item)
      if (problem !== undefined) return `${problem} in "(${short(item)})"`
      i = end
    }
    if (value[i] !== ')') return `expected ")" at position ${i + 1}`
    i++
    depth--
    return undefined
  }
  const problem = filter()
  if (problem !== undefined) return fail(problem)
  if (i !== value.length) return fail(`unexpected text after the filter at position ${i + 1}`)
  return { ok: true }
}

/** Index of the ")" that ends an item starting at `start`; -1 on a bad character, -2 at the end. */
function itemEnd(value: string, start: number): number {
  let i = start
  while (i < value.length) {
    const c = value[i]!
    if (c === ')') return i
    if (c === '(') return -1
    if (c === '\\') {
      if (!/^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) return -1
      i += 3
      continue
    }
    i++
  }
  return -2
}

// Without attribute options (cn;lang-en): ldapts, which sends the filter, does not parse them.
const ATTRIBUTE_DESCRIPTION = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)+)$/

function checkItem(item: string): string | undefined {
  // extensible: attr [":dn"] [":" rule] ":=" value  |  [":dn"] ":" rule ":=" value
  const ext = /^([^:=]*)((?::[Dd][Nn])?)(?::([A-Za-z0-9.-]+))?:=(.*)$/s.exec(item)
  if (ext !== null) {
    const [, attr, , rule] = ext
    if (attr === '' && rule === undefined) return 'an extensible match without attribute needs a matching rule'
    if (attr !== '' && !ATTRIBUTE_DESCRIPTION.test(attr!)) return `"${short(attr!)}" is not an attribute description`
    return undefined
  }
  const m = /^([^=~<>]*)(=|~=|>=|<=)(.*)$/s.exec(item)
  if (m === null) return 'no comparison (=, ~=, >= or <=)'
  const [, attr, op, assertion] = m
  if (!ATTRIBUTE_DESCRIPTION.test(attr!)) return `"${short(attr!)}" is not an attribute description`
  // `*` makes a presence or substring item, which only the equality form can carry.
  if (op !== '=' && assertion!.includes('*')) return `"*" can only be used with "="`
  return undefined
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}
