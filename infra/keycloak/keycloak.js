#!/usr/bin/env node
// A real Keycloak for development and tests: the Quarkus distribution from Maven Central, dev mode,
// loopback only, no Docker, with the test province's realm (ledger-realm.json) imported at every start.
// It runs detached; a state file under the cache dir remembers pid/port so any later process can stop it.
//
//   CLI:    node infra/keycloak/keycloak.js start|stop|status|wait|fetch
//   Module: const { startKeycloak } = require('./infra/keycloak/keycloak');
//           const keycloak = await startKeycloak();   // { issuer: 'http://127.0.0.1:18080/realms/test-province', stop, ... }
//
// Env: KEYCLOAK_PORT (18080), KEYCLOAK_VERSION (26.7.3), KEYCLOAK_HOME (cache dir, default <repo>/.keycloak),
//      KEYCLOAK_JAVA_HOME (a JDK 21+; default: the newest one under /usr/lib/jvm), KEYCLOAK_HEAP, MVN (mvn),
//      KEYCLOAK_START_TIMEOUT_MS (600000).
/* global fetch, AbortSignal */
'use strict';

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DEFAULT_VERSION = '26.7.3';
const DEFAULT_PORT = 18080;
const MINIMUM_JAVA = 21; // Keycloak 26 runs on Java 21 or newer only
const REALM_FILE = path.join(__dirname, 'ledger-realm.json');
const DEFAULT_HEAP = '-Xms64m -Xmx384m';
const MARKER = '.keycloak-js';

const keycloakHome = () => path.resolve(process.env.KEYCLOAK_HOME || path.join(REPO_ROOT, '.keycloak'));
const pickVersion = (v) => v || process.env.KEYCLOAK_VERSION || DEFAULT_VERSION;
const pickPort = (p) => Number(p || process.env.KEYCLOAK_PORT || DEFAULT_PORT);
const distDirFor = (version) => path.join(keycloakHome(), `keycloak-${version}`);
const stateFileFor = (port) => path.join(keycloakHome(), `keycloak-${port}.json`);
const log = (msg) => process.stderr.write(`[keycloak] ${msg}\n`);
const seconds = (start) => (Number(process.hrtime.bigint() - start) / 1e9).toFixed(1);

// ---------------------------------------------------------------- small helpers

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${out}`)),
    );
  });
}

// Still our Keycloak: the pid exists and is kc.sh or the JVM it started (kc.sh execs java after a rebuild).
function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (err.code !== 'EPERM') return false;
  }
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('kc.sh') || cmdline.includes('io.quarkus.bootstrap.runner.QuarkusEntryPoint');
  } catch {
    return !fs.existsSync('/proc');
  }
}

function readState(port) {
  try {
    return JSON.parse(fs.readFileSync(stateFileFor(port), 'utf8'));
  } catch {
    return null;
  }
}

function writeState(port, state) {
  fs.mkdirSync(keycloakHome(), { recursive: true });
  // It holds the temporary admin's password: readable by its owner only.
  fs.writeFileSync(stateFileFor(port), JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
}

const removeState = (port) => fs.rmSync(stateFileFor(port), { force: true });

function portInUse(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no Keycloak log)';
  }
}

/** Resident memory of a process and its children (kc.sh is a shell around the JVM), in MiB. */
function residentMiB(pid) {
  const rssKiB = (p) => {
    try {
      const line = fs.readFileSync(`/proc/${p}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m);
      return line ? Number(line[1]) : 0;
    } catch {
      return 0;
    }
  };
  const children = (p) => {
    try {
      return fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      return [];
    }
  };
  let total = 0;
  const queue = [String(pid)];
  while (queue.length > 0) {
    const p = queue.shift();
    total += rssKiB(p);
    queue.push(...children(p));
  }
  return Math.round(total / 1024);
}

// ---------------------------------------------------------------- Java 21+

function javaMajorOf(jdk) {
  try {
    const release = fs.readFileSync(path.join(jdk, 'release'), 'utf8');
    const version = release.match(/^JAVA_VERSION="([^"]+)"/m)?.[1];
    if (!version || !fs.existsSync(path.join(jdk, 'bin', 'java'))) return 0;
    const [first, second] = version.split('.').map(Number);
    return first === 1 ? second : first; // "1.8.0" is Java 8
  } catch {
    return 0;
  }
}

/**
 * The JDK Keycloak runs on: KEYCLOAK_JAVA_HOME, else JAVA_HOME when it is 21+, else the newest 21+ under
 * /usr/lib/jvm. The machine's default `java` may be older (17): it stays the default for everything else.
 */
function findJavaHome() {
  const explicit = process.env.KEYCLOAK_JAVA_HOME;
  if (explicit) {
    const major = javaMajorOf(explicit);
    if (major >= MINIMUM_JAVA) return explicit;
    throw new Error(
      `KEYCLOAK_JAVA_HOME=${explicit} is ${major ? `Java ${major}` : 'not a JDK'}; Keycloak needs Java ${MINIMUM_JAVA} or newer`,
    );
  }
  const candidates = [process.env.JAVA_HOME].filter(Boolean);
  const jvmDir = '/usr/lib/jvm';
  if (fs.existsSync(jvmDir)) {
    for (const name of fs.readdirSync(jvmDir)) candidates.push(path.join(jvmDir, name));
  }
  const usable = candidates
    .map((jdk) => ({ jdk, major: javaMajorOf(jdk) }))
    .filter((c) => c.major >= MINIMUM_JAVA)
    .sort((a, b) => b.major - a.major);
  if (usable.length > 0) return usable[0].jdk;
  const seen = candidates.map((jdk) => `${jdk} (${javaMajorOf(jdk) || '?'})`).join(', ') || 'none';
  throw new Error(
    `Keycloak needs Java ${MINIMUM_JAVA} or newer and none was found (looked at JAVA_HOME and ${jvmDir}: ${seen}). ` +
      'Install a JDK 21+ (these machines have Temurin 25 in /usr/lib/jvm/temurin-25-jdk-amd64) or set KEYCLOAK_JAVA_HOME.',
  );
}

// ---------------------------------------------------------------- fetch

/** Download the Quarkus distribution (tar.gz) with Maven and unpack it, once per version. */
async function fetchKeycloak({ version } = {}) {
  version = pickVersion(version);
  const distDir = distDirFor(version);
  const done = path.join(distDir, MARKER);
  if (fs.existsSync(done)) return distDir;

  fs.rmSync(distDir, { recursive: true, force: true }); // half-unpacked by an interrupted run
  const download = path.join(keycloakHome(), 'download');
  fs.mkdirSync(download, { recursive: true });
  log(
    `fetching Keycloak ${version} from Maven Central into ${keycloakHome()} (about 170 MB the first time)...`,
  );
  const started = process.hrtime.bigint();
  const artifact = `org.keycloak:keycloak-quarkus-dist:${version}:tar.gz`;
  await run(process.env.MVN || 'mvn', [
    '-q',
    '-B',
    'dependency:copy',
    `-Dartifact=${artifact}`,
    `-DoutputDirectory=${download}`,
  ]);
  const archive = path.join(download, `keycloak-quarkus-dist-${version}.tar.gz`);
  if (!fs.existsSync(archive)) throw new Error(`Maven finished but ${archive} is missing`);
  await run('tar', ['-xzf', archive, '-C', keycloakHome()]);
  fs.rmSync(archive, { force: true }); // Maven keeps its own copy in ~/.m2
  if (!fs.existsSync(path.join(distDir, 'bin', 'kc.sh'))) {
    throw new Error(`${archive} did not unpack into ${distDir}`);
  }
  fs.writeFileSync(done, `${version}\n`);
  log(`fetched and unpacked Keycloak ${version} in ${seconds(started)} s`);
  return distDir;
}

// ---------------------------------------------------------------- readiness

const realmOf = (realmFile) => JSON.parse(fs.readFileSync(realmFile, 'utf8')).realm;
const issuerFor = (port, realm) => `http://127.0.0.1:${port}/realms/${realm}`;

/** Resolve once the realm's discovery document and its JWKS answer; reject after timeoutMs with the log's tail. */
async function waitForKeycloak(issuer, timeoutMs = 180_000, { pid, logFile } = {}) {
  const began = Date.now();
  let lastError = 'no answer';
  while (Date.now() - began < timeoutMs) {
    if (pid && !isAlive(pid)) {
      lastError = `Keycloak process ${pid} exited`;
      break;
    }
    try {
      const discovery = await fetchJson(`${issuer}/.well-known/openid-configuration`);
      if (discovery.issuer !== issuer) throw new Error(`discovery names issuer ${discovery.issuer}`);
      const jwks = await fetchJson(discovery.jwks_uri);
      if (!jwks.keys?.some((k) => k.use === 'sig')) throw new Error('the JWKS has no signing key yet');
      return discovery;
    } catch (err) {
      lastError = err.message;
    }
    await sleep(500);
  }
  throw new Error(
    `Keycloak at ${issuer} not ready after ${Date.now() - began} ms (${lastError}).` +
      (logFile ? `\n--- last lines of ${logFile} ---\n${tail(logFile)}` : ''),
  );
}

async function fetchJson(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

// ---------------------------------------------------------------- start / stop / status

function handleFor(state, owned) {
  return {
    issuer: state.issuer,
    url: `http://127.0.0.1:${state.port}`,
    realm: state.realm,
    port: state.port,
    pid: state.pid,
    logFile: state.logFile,
    version: state.version,
    admin: state.admin,
    // A Keycloak we did not start in this call is left running: its owner stops it.
    stop: owned ? () => stopKeycloak({ port: state.port }).then(() => {}) : async () => {},
  };
}

/**
 * Start Keycloak in dev mode with the realm imported (or return the one already running on that port).
 * Dev mode keeps its H2 database in <dist>/data/h2; it is deleted first, because an import skips a realm
 * that already exists, so every start has exactly the realm of `realmFile` (and new signing keys).
 */
// The first start also builds Keycloak's Quarkus image: 40 s on a quiet machine, over 4 minutes on a loaded one.
const START_TIMEOUT_MS = Number(process.env.KEYCLOAK_START_TIMEOUT_MS || 600_000);

async function startKeycloak({ port, version, realmFile = REALM_FILE, timeoutMs = START_TIMEOUT_MS } = {}) {
  port = pickPort(port);
  const realm = realmOf(realmFile);
  const issuer = issuerFor(port, realm);

  const previous = readState(port);
  if (previous && isAlive(previous.pid)) {
    log(`Keycloak already running on 127.0.0.1:${port} (pid ${previous.pid})`);
    await waitForKeycloak(previous.issuer, timeoutMs, { pid: previous.pid, logFile: previous.logFile });
    return handleFor(previous, false);
  }
  if (previous) removeState(port);
  if (await portInUse(port)) {
    // Not ours; if it serves the realm it is good enough (e.g. one started by hand).
    await waitForKeycloak(issuer, 3000).catch(() => {
      throw new Error(
        `port ${port} is in use by something that does not serve ${issuer} (set KEYCLOAK_PORT)`,
      );
    });
    log(`a Keycloak not started by this script already serves ${issuer}; using it`);
    return handleFor({ issuer, port, realm, pid: null, version: 'unknown' }, false);
  }

  const javaHome = findJavaHome(); // before the download: a machine without Java 21 fails at once
  version = pickVersion(version);
  const distDir = await fetchKeycloak({ version });
  const started = process.hrtime.bigint();

  const dataDir = path.join(distDir, 'data');
  fs.rmSync(path.join(dataDir, 'h2'), { recursive: true, force: true });
  const importDir = path.join(dataDir, 'import');
  fs.rmSync(importDir, { recursive: true, force: true });
  fs.mkdirSync(importDir, { recursive: true });
  // Keycloak only imports <realm>-realm.json files from data/import.
  fs.copyFileSync(realmFile, path.join(importDir, `${realm}-realm.json`));

  const logFile = path.join(keycloakHome(), `keycloak-${port}.log`);
  const out = fs.openSync(logFile, 'w');
  const admin = { username: 'admin', password: crypto.randomBytes(18).toString('base64url') };
  const args = [
    path.join(distDir, 'bin', 'kc.sh'),
    'start-dev',
    '--http-host=127.0.0.1',
    `--http-port=${port}`,
    '--import-realm',
  ];
  const child = spawn('sh', args, {
    detached: true, // its own process group: stop() signals kc.sh and the JVM together
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      JAVA_HOME: javaHome,
      JAVA: path.join(javaHome, 'bin', 'java'),
      JAVA_OPTS_KC_HEAP: process.env.KEYCLOAK_HEAP || DEFAULT_HEAP,
      // A temporary admin of the master realm, for looking around in the admin console.
      KC_BOOTSTRAP_ADMIN_USERNAME: admin.username,
      KC_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
    },
  });
  child.unref();
  fs.closeSync(out);

  const state = {
    pid: child.pid,
    port,
    realm,
    issuer,
    version,
    javaHome,
    logFile,
    admin,
    startedAt: new Date().toISOString(),
  };
  writeState(port, state);
  log(
    `starting Keycloak ${version} on 127.0.0.1:${port} (pid ${child.pid}, Java ${javaHome}, log ${logFile})`,
  );

  try {
    await waitForKeycloak(issuer, timeoutMs, { pid: child.pid, logFile });
  } catch (err) {
    await stopKeycloak({ port }).catch(() => {});
    throw err;
  }
  log(`Keycloak ready at ${issuer} in ${seconds(started)} s (${residentMiB(child.pid)} MiB resident)`);
  return handleFor(state, true);
}

/** SIGTERM to kc.sh and its JVM, SIGKILL after 20 s. */
async function stopKeycloak({ port } = {}) {
  port = pickPort(port);
  const state = readState(port);
  if (!state) return { stopped: false, port };
  let stopped = false;
  if (isAlive(state.pid)) {
    const signalGroup = (signal) => {
      try {
        process.kill(-state.pid, signal);
      } catch {
        process.kill(state.pid, signal);
      }
    };
    signalGroup('SIGTERM');
    const deadline = Date.now() + 20_000;
    while (isAlive(state.pid) && Date.now() < deadline) await sleep(200);
    if (isAlive(state.pid)) {
      log(`pid ${state.pid} ignored SIGTERM for 20 s, sending SIGKILL`);
      signalGroup('SIGKILL');
      for (let i = 0; i < 50 && isAlive(state.pid); i++) await sleep(100);
    }
    stopped = true;
  }
  removeState(port);
  return { stopped, port };
}

function keycloakStatus({ port } = {}) {
  port = pickPort(port);
  const state = readState(port);
  const running = Boolean(state && isAlive(state.pid));
  return { running, port, ...(state || {}), residentMiB: running ? residentMiB(state.pid) : 0 };
}

module.exports = {
  startKeycloak,
  stopKeycloak,
  keycloakStatus,
  waitForKeycloak,
  fetchKeycloak,
  findJavaHome,
  DEFAULT_VERSION,
  DEFAULT_PORT,
  REALM_FILE,
};

// ---------------------------------------------------------------- CLI

async function main(command) {
  switch (command) {
    case 'fetch':
      console.log(await fetchKeycloak());
      return;
    case 'start': {
      const k = await startKeycloak();
      console.log(`Keycloak ${k.version} serving ${k.issuer} (pid ${k.pid ?? 'not ours'})`);
      if (k.admin)
        console.log(`admin console ${k.url}/admin (user ${k.admin.username}, password ${k.admin.password})`);
      return;
    }
    case 'stop': {
      const r = await stopKeycloak();
      console.log(r.stopped ? `stopped Keycloak on port ${r.port}` : `no Keycloak running on port ${r.port}`);
      return;
    }
    case 'status': {
      const s = keycloakStatus();
      if (s.running) {
        console.log(
          `running  pid=${s.pid} port=${s.port} issuer=${s.issuer} rss=${s.residentMiB}MiB log=${s.logFile}`,
        );
      } else {
        console.log(`not running  port=${s.port}`);
      }
      return;
    }
    case 'wait': {
      const issuer = issuerFor(pickPort(), realmOf(REALM_FILE));
      await waitForKeycloak(issuer, Number(process.env.KEYCLOAK_WAIT_MS || 180_000));
      console.log(`ready: ${issuer}`);
      return;
    }
    default:
      console.error('usage: node infra/keycloak/keycloak.js start|stop|status|wait|fetch');
      process.exitCode = 2;
  }
}

if (require.main === module) {
  main(process.argv[2]).catch((err) => {
    console.error(`[keycloak] ${err.message}`);
    process.exitCode = 1;
  });
}
