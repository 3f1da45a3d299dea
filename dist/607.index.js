export const id = 607;
export const ids = [607];
export const modules = {

/***/ 29607:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  aM: () => (/* binding */ createEntraReader),
  ZE: () => (/* binding */ openManagedDomainClient)
});

// UNUSED EXPORTS: ENTRA_COMPONENT, ENTRA_READ_ROLE

// EXTERNAL MODULE: ./adapters/github.js + 1 modules
var github = __webpack_require__(23887);
// EXTERNAL MODULE: ../node_modules/@azure/identity/dist/esm/index.js + 184 modules
var esm = __webpack_require__(34261);
// EXTERNAL MODULE: ../node_modules/@azure/arm-domainservices/dist/index.js
var dist = __webpack_require__(28264);
// EXTERNAL MODULE: ./adapters/azure/arm.js + 1 modules
var arm = __webpack_require__(58168);
;// CONCATENATED MODULE: ./adapters/azure/fields.js
// Fields of an ARM answer read with their types checked. The SDKs pass JSON through as it came (a
// number where the model says string, an object where it says string, an invalid Date for a
// non-date text), so code that trusts the model's types fails later with a bare JavaScript error
// far from the cause. Each reader here returns the value when it has the documented type, and
// otherwise records a problem naming the field and what it held.
/** Collects the malformed fields of one ARM resource as it reads them. */
class ArmFields {
    found = [];
    /** "ldapsSettings.certificateNotAfter is "soon", not a date", one per malformed field. */
    get problems() {
        return this.found;
    }
    /** A string, or undefined when absent (undefined or null). */
    string(value, path) {
        if (value === undefined || value === null || typeof value === 'string')
            return value ?? undefined;
        return this.wrong(path, value, 'a string');
    }
    /** A finite number, or undefined when absent. */
    number(value, path) {
        if (value === undefined || value === null)
            return undefined;
        if (typeof value === 'number' && Number.isFinite(value))
            return value;
        return this.wrong(path, value, 'a number');
    }
    /** A valid date (a Date the SDK made, or a text that parses as one), or undefined when absent. */
    date(value, path) {
        if (value === undefined || value === null)
            return undefined;
        if (value instanceof Date) {
            if (!Number.isNaN(value.getTime()))
                return value;
            this.found.push(`${path} is not a date (ARM sent a text no date can be read from)`);
            return undefined;
        }
        if (typeof value === 'string' && !Number.isNaN(Date.parse(value)))
            return new Date(value);
        return this.wrong(path, value, 'a date');
    }
    /** An array (empty when absent). */
    array(value, path) {
        if (value === undefined || value === null)
            return [];
        if (Array.isArray(value))
            return value;
        this.wrong(path, value, 'a list');
        return [];
    }
    /** An array of strings (empty when absent), or undefined when malformed. */
    strings(value, path) {
        if (value === undefined || value === null)
            return [];
        if (Array.isArray(value) && value.every(v => typeof v === 'string'))
            return value;
        return this.wrong(path, value, 'a list of strings');
    }
    /** An object (its fields to read further), or undefined when absent or malformed. */
    object(value, path) {
        if (value === undefined || value === null)
            return undefined;
        if (typeof value === 'object' && !Array.isArray(value))
            return value;
        return this.wrong(path, value, 'an object');
    }
    wrong(path, value, expected) {
        this.found.push(`${path} is ${shown(value)}, not ${expected}`);
        return undefined;
    }
}
/** How a malformed value is shown: its kind and a bounded JSON excerpt (outside text: escaped at each sink). */
function shown(value) {
    const kind = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
    let json;
    try {
        json = JSON.stringify(value) ?? String(value);
    }
    catch {
        json = String(value);
    }
    const excerpt = json.length > 60 ? `${json.slice(0, 60)}…` : json;
    return `${kind} (${excerpt})`;
}

// EXTERNAL MODULE: ./adapters/providers/index.js + 7 modules
var providers = __webpack_require__(62465);
// EXTERNAL MODULE: ./core/entra.js
var entra = __webpack_require__(81397);
;// CONCATENATED MODULE: ./adapters/entra-ds.js
// Reads a Microsoft Entra Domain Services managed domain (@azure/arm-domainservices, api-version
// 2021-05-01) and the network security groups on its replica sets' subnets (@azure/arm-network,
// 2026-01-01) from Azure Resource Manager. Only GETs: nothing here writes to Microsoft.AAD or
// Microsoft.Network. Sign-in, endpoints, time bounds and ARM's error wording come from
// adapters/azure/ (as for Azure DNS), with messages named "Entra Domain Services"; every field of
// an answer is type-checked before use (adapters/azure/fields.ts).







/** Built-in role that covers every read of this stage. */
const ENTRA_READ_ROLE = 'Reader';
/** The component name every message of this stage's ARM calls starts with. */
const ENTRA_COMPONENT = 'Entra Domain Services';
/**
 * The managed domain's ARM client with the stage's sign-in, bounds and error wording: what the
 * reader uses, and what a writer of the managed domain (a certificate upload through
 * `domainServices.beginUpdate`) uses the same way. A long-running operation gets its own abort
 * signal rather than `session.run`'s per-operation budget.
 */
function openManagedDomainClient(settings, options = {}) {
    const env = options.env ?? process.env;
    const session = new arm/* ArmSession */.dB(esm, settings.azure, ENTRA_COMPONENT, {
        ...options,
        requestTimeoutMs: options.requestTimeoutMs ?? (0,providers/* parseRequestTimeout */.wZ)(env)
    });
    const domains = new dist/* DomainServicesResourceProvider */.wN(session.credential.credential, settings.azure.subscriptionId, session.clientOptions());
    return { session, domains };
}
function createEntraReader(settings, options = {}) {
    const { session, domains } = openManagedDomainClient(settings, options);
    // arm-network is large: its own chunk, loaded while the managed domain is read, and not at
    // all with entra-nsg-check off.
    let networkModule;
    const loadNetwork = () => (networkModule ??= __webpack_require__.e(/* import() */ 363).then(__webpack_require__.bind(__webpack_require__, 35363)));
    if (settings.nsgCheck !== 'off')
        void loadNetwork().catch(() => undefined);
    // The subnet may live in another subscription than the managed domain: one client each.
    const networks = new Map();
    const network = async (sub) => {
        const { NetworkManagementClient } = await loadNetwork();
        let client = networks.get(sub.toLowerCase());
        if (client === undefined) {
            client = new NetworkManagementClient(session.credential.credential, sub, session.clientOptions());
            networks.set(sub.toLowerCase(), client);
        }
        return client;
    };
    const subscriptionId = settings.azure.subscriptionId;
    github/* info */.pq(session.describeSignIn());
    const stats = { reads: 0, writes: 0 };
    const describe = (error, verb, scope, fix404) => session.describe(error, readOperation(verb, scope, fix404));
    return {
        stats,
        async readManagedDomain() {
            const wanted = settings.domainName;
            const rg = settings.resourceGroup;
            const where = `subscription ${subscriptionId}${rg ? `, resource group ${rg}` : ''}`;
            if (rg !== undefined) {
                stats.reads++;
                const domain = await session
                    .run(abortSignal => domains.domainServices.get(rg, wanted, { abortSignal }))
                    .catch((error) => {
                    const e = error;
                    // A resource name other than the domain name is allowed: fall back to the listing.
                    if (e.statusCode === 404 && e.code === 'ResourceNotFound')
                        return undefined;
                    throw describe(error, `read managed domain ${wanted}`, where, 'check entra-resource-group and entra-subscription-id (leave entra-resource-group empty to find the managed domain by listing)');
                });
                if (domain !== undefined)
                    return toFacts(domain, subscriptionId);
            }
            const found = [];
            try {
                await session.run(async (abortSignal) => {
                    const pages = rg === undefined
                        ? domains.domainServices.list({ abortSignal })
                        : domains.domainServices.listByResourceGroup(rg, { abortSignal });
                    for await (const page of pages.byPage()) {
                        stats.reads++;
                        found.push(...page);
                    }
                });
            }
            catch (error) {
                throw describe(error, 'list managed domains', where, 'check entra-subscription-id and entra-resource-group');
            }
            const facts = found.map(d => toFacts(d, subscriptionId));
            const match = facts.filter(d => (0,entra/* matchesManagedDomain */.z_)(d, wanted));
            if (match.length === 0) {
                throw new arm/* ArmError */.dW(`Entra Domain Services: no managed domain named ${wanted} in ${where} (the identity sees ${facts.length === 0 ? 'none' : facts.map(d => `${d.name} (${d.domainName})`).join(', ')}); fix entra-domain-name or entra-subscription-id, or give the identity the ${ENTRA_READ_ROLE} role on the managed domain`, 404, false);
            }
            return match[0];
        },
        async readSubnetNsg(subnetId) {
            const subnetRef = (0,entra/* parseSubnetId */.on)(subnetId);
            if (subnetRef === undefined) {
                return {
                    kind: 'unreadable',
                    message: `the replica set's subnetId ${JSON.stringify(subnetId)} is not a subnet id`
                };
            }
            const client = await network(subnetRef.subscriptionId);
            let nsgId;
            let subnetPrefixes;
            stats.reads++;
            try {
                const subnet = await session.run(abortSignal => client.subnets.get(subnetRef.resourceGroup, subnetRef.virtualNetwork, subnetRef.subnet, { abortSignal }));
                const fields = new ArmFields();
                nsgId = fields.string(fields.object(subnet.networkSecurityGroup, 'networkSecurityGroup')?.['id'], 'networkSecurityGroup.id');
                subnetPrefixes = [
                    fields.string(subnet.addressPrefix, 'addressPrefix'),
                    ...(fields.strings(subnet.addressPrefixes, 'addressPrefixes') ?? [])
                ].filter((p) => p !== undefined && p !== '');
                if (fields.problems.length > 0) {
                    return {
                        kind: 'unreadable',
                        message: malformed(`subnet ${subnetRef.virtualNetwork}/${subnetRef.subnet}`, fields.problems)
                    };
                }
            }
            catch (error) {
                return unreadable(describe(error, `read subnet ${subnetRef.virtualNetwork}/${subnetRef.subnet}`, `resource group ${subnetRef.resourceGroup} of subscription ${subnetRef.subscriptionId}`, 'the replica set points at a subnet that no longer exists'), 'Microsoft.Network/virtualNetworks/subnets/read', `/subscriptions/${subnetRef.subscriptionId}/resourceGroups/${subnetRef.resourceGroup}`);
            }
            if (nsgId === undefined || nsgId === '') {
                return { kind: 'no-nsg', subnetName: `${subnetRef.virtualNetwork}/${subnetRef.subnet}`, subnetPrefixes };
            }
            const nsgRef = (0,entra/* parseNsgId */.Zk)(nsgId);
            if (nsgRef === undefined) {
                return {
                    kind: 'unreadable',
                    message: `the subnet's networkSecurityGroup.id ${JSON.stringify(nsgId)} is not an NSG id`
                };
            }
            stats.reads++;
            try {
                const client = await network(nsgRef.subscriptionId);
                const nsg = await session.run(abortSignal => client.networkSecurityGroups.get(nsgRef.resourceGroup, nsgRef.name, { abortSignal }));
                const fields = new ArmFields();
                const rules = [
                    ...fields
                        .array(nsg.securityRules, 'securityRules')
                        .map((r, i) => toRule(r, false, fields, `securityRules[${i}]`)),
                    ...fields
                        .array(nsg.defaultSecurityRules, 'defaultSecurityRules')
                        .map((r, i) => toRule(r, true, fields, `defaultSecurityRules[${i}]`))
                ].filter((r) => r !== undefined);
                const nsgName = fields.string(nsg.name, 'name') ?? nsgRef.name;
                if (fields.problems.length > 0) {
                    return { kind: 'unreadable', message: malformed(`network security group ${nsgRef.name}`, fields.problems) };
                }
                return { kind: 'nsg', nsgId, nsgName, rules, subnetPrefixes };
            }
            catch (error) {
                return unreadable(describe(error, `read network security group ${nsgRef.name}`, `resource group ${nsgRef.resourceGroup} of subscription ${nsgRef.subscriptionId}`, 'the subnet refers to an NSG that no longer exists'), 'Microsoft.Network/networkSecurityGroups/read', `/subscriptions/${nsgRef.subscriptionId}/resourceGroups/${nsgRef.resourceGroup}`);
            }
        }
    };
}
/** 403 and 404 make the verdict unknown (a warning); anything else is a failure of the stage. */
function unreadable(error, action, scope) {
    if (error.statusCode === 403) {
        return {
            kind: 'unreadable',
            message: `${error.message.replace(/; give the identity.*$/, '')}; give the identity ${ENTRA_READ_ROLE} (${action}) on ${scope}`
        };
    }
    if (error.statusCode === 404)
        return { kind: 'unreadable', message: error.message };
    throw error;
}
/** The 403 and 404 wording of this stage's reads. */
function readOperation(verb, scope, fix404) {
    return {
        verb,
        scope,
        forbidden: `give the identity the ${ENTRA_READ_ROLE} role there`,
        notFound: code => `${code === 'SubscriptionNotFound' ? 'the subscription does not exist in this cloud or the identity cannot see it' : code === 'ResourceGroupNotFound' ? 'the resource group does not exist' : 'not found'}; ${fix404}`
    };
}
/** A resource whose fields are not as the API documents them: which fields, and that nothing was judged on them. */
function malformed(what, problems) {
    return `${ENTRA_COMPONENT}: Azure Resource Manager returned ${what} with malformed fields: ${problems.join('; ')}; it is not judged on them (report this with the managed domain's JSON view)`;
}
/**
 * The managed domain as plain facts, every field's type checked: a malformed field is an error
 * naming it, never a JavaScript error later in the stage.
 */
function toFacts(d, subscriptionId) {
    const f = new ArmFields();
    const id = f.string(d.id, 'id') ?? '';
    const name = f.string(d.name, 'name') ?? '';
    const ldapsSettings = f.object(d.ldapsSettings, 'ldapsSettings') ?? {};
    const security = f.object(d.domainSecuritySettings, 'domainSecuritySettings') ?? {};
    const replicaSets = f.array(d.replicaSets, 'replicaSets').map((raw, i) => {
        const at = `replicaSets[${i}]`;
        const r = f.object(raw, at) ?? {};
        const ip = f.string(r['externalAccessIpAddress'], `${at}.externalAccessIpAddress`);
        const healthAlerts = f.array(r['healthAlerts'], `${at}.healthAlerts`).map((rawAlert, j) => {
            const a = f.object(rawAlert, `${at}.healthAlerts[${j}]`) ?? {};
            const path = `${at}.healthAlerts[${j}]`;
            return {
                id: f.string(a['id'], `${path}.id`) ?? '?',
                name: f.string(a['name'], `${path}.name`) ?? '?',
                issue: f.string(a['issue'], `${path}.issue`),
                resolutionUri: f.string(a['resolutionUri'], `${path}.resolutionUri`)
            };
        });
        return {
            location: f.string(r['location'], `${at}.location`) ?? '?',
            subnetId: f.string(r['subnetId'], `${at}.subnetId`),
            externalAccessIpAddress: ip === '' ? undefined : ip,
            domainControllerIpAddress: f.strings(r['domainControllerIpAddress'], `${at}.domainControllerIpAddress`) ?? [],
            serviceStatus: f.string(r['serviceStatus'], `${at}.serviceStatus`),
            healthAlerts
        };
    });
    const facts = {
        id,
        name,
        subscriptionId,
        resourceGroup: (0,entra/* resourceGroupOf */.Tp)(id) ?? '',
        domainName: f.string(d.domainName, 'domainName') ?? name,
        ldaps: f.string(ldapsSettings['ldaps'], 'ldapsSettings.ldaps'),
        externalAccess: f.string(ldapsSettings['externalAccess'], 'ldapsSettings.externalAccess'),
        certificateThumbprint: f.string(ldapsSettings['certificateThumbprint'], 'ldapsSettings.certificateThumbprint'),
        publicCertificate: f.string(ldapsSettings['publicCertificate'], 'ldapsSettings.publicCertificate'),
        certificateNotAfter: f.date(ldapsSettings['certificateNotAfter'], 'ldapsSettings.certificateNotAfter'),
        tlsV1: f.string(security['tlsV1'], 'domainSecuritySettings.tlsV1'),
        replicaSets
    };
    if (f.problems.length > 0) {
        throw new arm/* ArmError */.dW(malformed(`managed domain ${name || id || '?'}`, f.problems), undefined, false);
    }
    return facts;
}
/** One security rule, or undefined (with the problem recorded) when a field it is judged on is malformed. */
function toRule(raw, isDefault, f, at) {
    const r = (f.object(raw, at) ?? {});
    const before = f.problems.length;
    const rule = {
        name: f.string(r.name, `${at}.name`) ?? '?',
        priority: f.number(r.priority, `${at}.priority`),
        direction: f.string(r.direction, `${at}.direction`),
        access: f.string(r.access, `${at}.access`),
        protocol: f.string(r.protocol, `${at}.protocol`) ?? '*',
        sourceAddressPrefix: f.string(r.sourceAddressPrefix, `${at}.sourceAddressPrefix`),
        sourceAddressPrefixes: f.strings(r.sourceAddressPrefixes, `${at}.sourceAddressPrefixes`),
        sourceApplicationSecurityGroups: f.array(r.sourceApplicationSecurityGroups, `${at}.sourceApplicationSecurityGroups`),
        destinationAddressPrefix: f.string(r.destinationAddressPrefix, `${at}.destinationAddressPrefix`),
        destinationAddressPrefixes: f.strings(r.destinationAddressPrefixes, `${at}.destinationAddressPrefixes`),
        destinationApplicationSecurityGroups: f.array(r.destinationApplicationSecurityGroups, `${at}.destinationApplicationSecurityGroups`),
        destinationPortRange: f.string(r.destinationPortRange, `${at}.destinationPortRange`),
        destinationPortRanges: f.strings(r.destinationPortRanges, `${at}.destinationPortRanges`),
        isDefault
    };
    if (f.problems.length > before)
        return undefined;
    if (rule.priority === undefined || rule.direction === undefined || rule.access === undefined)
        return undefined;
    return { ...rule, priority: rule.priority, direction: rule.direction, access: rule.access };
}


/***/ }),

/***/ 81397:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GY: () => (/* binding */ chooseReplicaSet),
/* harmony export */   Tp: () => (/* binding */ resourceGroupOf),
/* harmony export */   XC: () => (/* binding */ compareThumbprint),
/* harmony export */   Zk: () => (/* binding */ parseNsgId),
/* harmony export */   hA: () => (/* binding */ secureLdapProblems),
/* harmony export */   on: () => (/* binding */ parseSubnetId),
/* harmony export */   p7: () => (/* binding */ normalizeThumbprint),
/* harmony export */   y_: () => (/* binding */ describeDomain),
/* harmony export */   z_: () => (/* binding */ matchesManagedDomain),
/* harmony export */   zq: () => (/* binding */ uploadedCertificateExpiry)
/* harmony export */ });
/* unused harmony exports EntraError, normalizeLocation */
/* harmony import */ var _renewal_window_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(47790);
// Microsoft Entra Domain Services: what the managed domain says about its secure LDAP endpoint,
// as plain data, and the decisions taken from it (which replica set's external IP to publish,
// whether secure LDAP is on, whether the served certificate is the uploaded one). Pure: the
// adapter (adapters/entra-ds.ts) reads Azure Resource Manager and fills these shapes.

/** Thrown for a managed domain that cannot serve secure LDAP to the internet as configured. */
class EntraError extends Error {
    constructor(message) {
        super(message);
        this.name = 'EntraError';
    }
}
/** "West US", "westus" and "WestUS" are one location. */
function normalizeLocation(location) {
    return location.replace(/[\s_-]+/g, '').toLowerCase();
}
function describeDomain(d) {
    return `managed domain ${d.domainName}`;
}
/**
 * Secure LDAP over the internet needs both switches on. Returns one problem per switch that is
 * off, each titled by its own setting (two problems must not read alike in the failure line) and
 * naming the portal control that fixes it.
 */
function secureLdapProblems(d) {
    const problems = [];
    if (d.ldaps !== 'Enabled') {
        problems.push({
            code: 'entra-secure-ldap-disabled',
            title: 'Secure LDAP not enabled on the managed domain',
            message: `${describeDomain(d)}: ldapsSettings.ldaps is ${d.ldaps ?? 'not set'}; enable 'Secure LDAP' (Secure LDAP page of the managed domain, with a certificate)`
        });
    }
    if (d.externalAccess !== 'Enabled') {
        problems.push({
            code: 'entra-external-access-disabled',
            title: 'Secure LDAP internet access (externalAccess) not enabled',
            message: `${describeDomain(d)}: ldapsSettings.externalAccess is ${d.externalAccess ?? 'not set'}; enable 'Allow secure LDAP access over the internet'`
        });
    }
    return problems;
}
/**
 * The replica set whose external IP the DNS name gets: the only one with an external IP, or the
 * one at `wanted` (entra-replica-set). With several and none chosen, the action does not guess.
 */
function chooseReplicaSet(d, wanted) {
    const withIp = d.replicaSets.filter(r => r.externalAccessIpAddress !== undefined && r.externalAccessIpAddress !== '');
    const listing = (sets) => sets.map(r => `${r.location} ${r.externalAccessIpAddress ?? '(no external IP)'}`).join(', ');
    if (wanted !== undefined) {
        const found = d.replicaSets.filter(r => normalizeLocation(r.location) === normalizeLocation(wanted));
        if (found.length === 0) {
            return {
                ok: false,
                message: `${describeDomain(d)} has no replica set in ${wanted} (it has: ${listing(d.replicaSets) || 'none'}); fix entra-replica-set`
            };
        }
        const chosen = found[0];
        if (chosen.externalAccessIpAddress === undefined || chosen.externalAccessIpAddress === '') {
            return {
                ok: false,
                message: `${describeDomain(d)}: replica set ${chosen.location} has no externalAccessIpAddress (secure LDAP over the internet is not published there yet); choose another entra-replica-set (${listing(withIp) || 'none has one'})`
            };
        }
        return { ok: true, replicaSet: chosen };
    }
    if (withIp.length === 1)
        return { ok: true, replicaSet: withIp[0] };
    if (withIp.length === 0) {
        return {
            ok: false,
            message: `${describeDomain(d)}: no replica set has an externalAccessIpAddress (replica sets: ${listing(d.replicaSets) || 'none'}); enable 'Allow secure LDAP access over the internet' and wait for the managed domain to finish updating`
        };
    }
    return {
        ok: false,
        message: `${describeDomain(d)} has ${withIp.length} replica sets with an external IP (${listing(withIp)}); set entra-replica-set to the location whose IP the name should point at`
    };
}
/** 40 hex digits, lowercase; colons, spaces and case ignored. Undefined when not a SHA-1 thumbprint. */
function normalizeThumbprint(text) {
    if (text === undefined)
        return undefined;
    const hex = text.replace(/[\s:-]/g, '').toLowerCase();
    return /^[0-9a-f]{40}$/.test(hex) ? hex : undefined;
}
/**
 * The served leaf's SHA-1 (Windows "thumbprint") against ldapsSettings.certificateThumbprint.
 * `where` names the endpoint (`ldaps.contoso.com:636 at 20.1.2.3`).
 */
function compareThumbprint(d, servedSha1, where) {
    const uploaded = normalizeThumbprint(d.certificateThumbprint);
    if (uploaded === undefined)
        return undefined;
    const served = normalizeThumbprint(servedSha1);
    if (served === uploaded)
        return { match: true, thumbprint: uploaded };
    return {
        match: false,
        message: `${where} does not serve the certificate uploaded to ${describeDomain(d)}: it serves SHA-1 ${(served ?? servedSha1).toUpperCase()}, ldapsSettings.certificateThumbprint is ${uploaded.toUpperCase()}; upload the served certificate to the managed domain, or point the name at the managed domain's endpoint`
    };
}
/**
 * certificateNotAfter against min-days-valid: the same rule as the served certificate. The
 * lifetime comes from the uploaded certificate's notBefore; without it a share-of-lifetime rule
 * falls back to its floor, since the lifetime is unknown.
 */
function uploadedCertificateExpiry(d, now, rule, notBefore) {
    const notAfter = d.certificateNotAfter;
    if (notAfter === undefined)
        return undefined;
    const date = notAfter.toISOString().slice(0, 10);
    const fix = 'upload a renewed certificate on the Secure LDAP page of the managed domain (alert AADDS502)';
    if (notAfter.getTime() <= now.getTime()) {
        return {
            kind: 'expired',
            message: `${describeDomain(d)}: the secure LDAP certificate (ldapsSettings.certificateNotAfter) expired on ${date}; ${fix}`
        };
    }
    const judged = notBefore !== undefined
        ? (0,_renewal_window_js__WEBPACK_IMPORTED_MODULE_0__/* .renewalDue */ .xX)(notBefore, notAfter, rule, now)
        : (0,_renewal_window_js__WEBPACK_IMPORTED_MODULE_0__/* .renewalDue */ .xX)(notAfter, notAfter, rule.kind === 'days' ? rule : { kind: 'days', days: rule.floorDays }, now);
    if (!judged.due)
        return undefined;
    const what = notBefore !== undefined
        ? (0,_renewal_window_js__WEBPACK_IMPORTED_MODULE_0__/* .describeRenewal */ .AL)(judged)
        : `renew by ${judged.renewBy.toISOString().slice(0, 10)}: ${judged.daysLeft} days left`;
    return {
        kind: 'due',
        message: `${describeDomain(d)}: the secure LDAP certificate (ldapsSettings.certificateNotAfter ${date}) is due for renewal: ${what} (min-days-valid ${(0,_renewal_window_js__WEBPACK_IMPORTED_MODULE_0__/* .renewalRuleInput */ .nk)(rule)}); ${fix}`
    };
}
/** Parses `/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Network/virtualNetworks/{v}/subnets/{n}` (segments case-insensitive). */
function parseSubnetId(id) {
    const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)\/subnets\/([^/]+)\/?$/i.exec(id);
    if (m === null)
        return undefined;
    return { subscriptionId: m[1], resourceGroup: m[2], virtualNetwork: m[3], subnet: m[4] };
}
function parseNsgId(id) {
    const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/networkSecurityGroups\/([^/]+)\/?$/i.exec(id);
    if (m === null)
        return undefined;
    return { subscriptionId: m[1], resourceGroup: m[2], name: m[3] };
}
/** The resource group in any ARM resource id. */
function resourceGroupOf(id) {
    return id === undefined ? undefined : /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];
}
/** The managed domain that entra-domain-name names: by resource name or by properties.domainName. */
function matchesManagedDomain(d, wanted) {
    const w = wanted.toLowerCase().replace(/\.$/, '');
    return d.name.toLowerCase() === w || d.domainName.toLowerCase().replace(/\.$/, '') === w;
}


/***/ })

};
