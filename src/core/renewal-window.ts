// When a certificate is due for renewal: a fixed number of days before it expires, or a share of
// its lifetime (with a floor), as `min-days-valid` says. Pure: dates in, a judgement out. A
// certificate inside its renewal window is still valid and trusted; being due is its own verdict.
// The ACME renewal and the managed domain's certificateNotAfter use the same rule.

/** `min-days-valid: 30` (days) or `min-days-valid: 33%` (of the lifetime, never under the floor). */
export type RenewalRule =
  | { readonly kind: 'days'; readonly days: number }
  | { readonly kind: 'lifetime'; readonly percent: number; readonly floorDays: number }

/**
 * The floor under a share of the lifetime: with short certificates a third of the lifetime
 * leaves too little time for a person to react to a failed automatic renewal over a weekend
 * and a holiday (a 14-day certificate would be due only 4.6 days before it expires).
 */
export const RENEWAL_FLOOR_DAYS = 7

/** action.yml's default, `33%`: renew with a third of the lifetime left (Let's Encrypt's advice). */
export const DEFAULT_RENEWAL_RULE: RenewalRule = { kind: 'lifetime', percent: 33, floorDays: RENEWAL_FLOOR_DAYS }

/** Largest fixed window, as before: ten years. */
export const MAX_RENEWAL_DAYS = 3650

const DAY_MS = 86_400_000

export interface RenewalJudgement {
  /** True from renewBy on, while the certificate has not expired (expiry is a validity failure). */
  readonly due: boolean
  /** The moment renewal becomes due: notAfter minus the window. */
  readonly renewBy: Date
  /** Whole days left until notAfter (0 on the last day; negative once expired). */
  readonly daysLeft: number
  /** notAfter − notBefore, in whole days (rounded). */
  readonly lifetimeDays: number
  /** The window this rule gives this certificate, in days (may be fractional). */
  readonly windowDays: number
}

/** The window for a certificate of this lifetime. */
export function renewalWindowDays(rule: RenewalRule, lifetimeDays: number): number {
  if (rule.kind === 'days') return rule.days
  return Math.max(rule.floorDays, (rule.percent / 100) * lifetimeDays)
}

export function renewalDue(notBefore: Date, notAfter: Date, rule: RenewalRule, now: Date): RenewalJudgement {
  const lifetimeMs = Math.max(0, notAfter.getTime() - notBefore.getTime())
  const lifetimeDays = Math.round(lifetimeMs / DAY_MS)
  const windowDays = renewalWindowDays(rule, lifetimeMs / DAY_MS)
  const renewBy = new Date(notAfter.getTime() - windowDays * DAY_MS)
  const left = notAfter.getTime() - now.getTime()
  return {
    due: left > 0 && now.getTime() >= renewBy.getTime(),
    renewBy,
    daysLeft: Math.floor(left / DAY_MS),
    lifetimeDays,
    windowDays
  }
}

/** Parses the input text: whole days (0 to 3650) or a percentage (1% to 99%). Undefined when neither. */
export function parseRenewalRule(text: string): RenewalRule | undefined {
  const percent = /^([0-9]{1,2})%$/.exec(text)
  if (percent !== null) {
    const value = Number(percent[1])
    return value >= 1 && value <= 99 ? { kind: 'lifetime', percent: value, floorDays: RENEWAL_FLOOR_DAYS } : undefined
  }
  if (!/^[0-9]{1,4}$/.test(text)) return undefined
  const days = Number(text)
  return days <= MAX_RENEWAL_DAYS ? { kind: 'days', days } : undefined
}

/** The rule as the summary and messages show it, e.g. "33% of the lifetime, at least 7 days". */
export function describeRenewalRule(rule: RenewalRule): string {
  if (rule.kind === 'days') return `${rule.days} day${rule.days === 1 ? '' : 's'} before expiry`
  return `${rule.percent}% of the lifetime, at least ${rule.floorDays} days, before expiry`
}

/** The input text of a rule, for messages that name `min-days-valid`. */
export function renewalRuleInput(rule: RenewalRule): string {
  return rule.kind === 'days' ? String(rule.days) : `${rule.percent}%`
}

/** "renew by 2026-03-01: 10 days left of a 47-day certificate". */
export function describeRenewal(j: RenewalJudgement): string {
  return `renew by ${isoDate(j.renewBy)}: ${j.daysLeft} day${j.daysLeft === 1 ? '' : 's'} left of a ${j.lifetimeDays}-day certificate`
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}
