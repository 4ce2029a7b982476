#!/usr/bin/env node
// A real Apache Kafka broker for development and tests: single node, KRaft mode
// (combined broker+controller), loopback only, no Docker. The jars come from
// Maven Central (see pom.xml), the JVM runs detached, and a state file under the
// cache dir remembers pid/port/data dir so any later process can stop it.
//
//   CLI:    node infra/kafka/broker.js start|stop|status|wait|fetch|pause|resume
//   Module: const { startBroker } = require('./infra/kafka/broker');
//           const kafka = await startBroker();   // { brokers: '127.0.0.1:19092', stop, ... }
//
// Env: KAFKA_PORT (19092), KAFKA_CONTROLLER_PORT (port+1), KAFKA_VERSION (3.9.2),
//      KAFKA_HOME (cache dir, default <repo>/.kafka), KAFKA_JVM_OPTS, JAVA (java), MVN (mvn),
//      KAFKA_SECURITY (plaintext | sasl_ssl: TLS, SCRAM-SHA-512 users and ACLs, see security.js).
'use strict';

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const security = require('./security');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
// 3.9 is the default on purpose: kafkajs 2.2.4 works on 4.x today, but only with
// little protocol-version margin (see README.md).
const DEFAULT_VERSION = '3.9.2';
const DEFAULT_PORT = 19092;
const MARKER = '.kafka-broker-js'; // only directories carrying this file are ever deleted

const kafkaHome = () => path.resolve(process.env.KAFKA_HOME || path.join(REPO_ROOT, '.kafka'));
const pickVersion = (v) => v || process.env.KAFKA_VERSION || DEFAULT_VERSION;
const pickPort = (p) => Number(p || process.env.KAFKA_PORT || DEFAULT_PORT);
const pickSecurity = (s) => security.checkMode(s || process.env.KAFKA_SECURITY || 'plaintext');
const majorOf = (version) => Number(String(version).split('.')[0]);
const libDirFor = (version) => path.join(kafkaHome(), `lib-${version}`);
const stateFileFor = (port) => path.join(kafkaHome(), `broker-${port}.json`);
const log = (msg) => process.stderr.write(`[kafka] ${msg}\n`); // stderr: keeps stdout clean for callers

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

// "Our broker is still running": the pid exists and, where /proc exists (Linux),
// it is still a kafka.Kafka JVM. That rules out zombies (empty cmdline) and a pid
// recycled by another program after a reboot or kill -9.
function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (err.code !== 'EPERM') return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka');
  } catch {
    return !fs.existsSync('/proc'); // no procfs (macOS): trust kill(0)
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
  fs.mkdirSync(kafkaHome(), { recursive: true });
  fs.writeFileSync(stateFileFor(port), JSON.stringify(state, null, 2) + '\n');
}

const removeState = (port) => fs.rmSync(stateFileFor(port), { force: true });

// Refuse to delete anything we did not create (a typo in dataDir must not wipe a real folder).
function removeDataDir(dir) {
  if (dir && fs.existsSync(path.join(dir, MARKER))) fs.rmSync(dir, { recursive: true, force: true });
}

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
    return '(no broker log)';
  }
}

// A KRaft cluster id is 16 random bytes, URL-safe base64 without padding (what
// `kafka-storage random-uuid` prints); Kafka never hands out ids starting with '-'.
function randomClusterId() {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

// ---------------------------------------------------------------- fetch

/**
 * Download kafka_2.13:<version> and its runtime jars with Maven, once per version. Brokers started side by
 * side (the test runner starts two) share one download in a process; across processes each fills a folder
 * of its own and renames it into place, so a second fetch never empties the first one's folder.
 */
const fetches = new Map();
function fetchKafka({ version } = {}) {
  version = pickVersion(version);
  if (!fetches.has(version)) {
    const fetching = fetchKafkaOnce(version);
    fetches.set(version, fetching);
    fetching.catch(() => fetches.delete(version));
  }
  return fetches.get(version);
}

async function fetchKafkaOnce(version) {
  const libDir = libDirFor(version);
  if (fs.existsSync(path.join(libDir, MARKER))) return libDir;

  const filling = `${libDir}.fetching-${process.pid}`;
  fs.rmSync(filling, { recursive: true, force: true });
  log(`fetching Kafka ${version} jars from Maven Central into ${libDir} (first time takes a while)...`);
  const started = process.hrtime.bigint();
  const args = ['-q', '-B', '-f', path.join(__dirname, 'pom.xml'), 'dependency:copy-dependencies'];
  args.push(`-Dkafka.version=${version}`, `-DoutputDirectory=${filling}`);
  // 3.x and 4.x ship different logging backends (reload4j vs log4j2), see pom.xml.
  if (majorOf(version) >= 4) args.push('-Pkafka4');
  try {
    await run(process.env.MVN || 'mvn', args, { cwd: __dirname });
    const jars = fs.readdirSync(filling).filter((f) => f.endsWith('.jar'));
    if (!jars.some((f) => f.startsWith(`kafka_2.13-${version}`))) {
      throw new Error(`Maven finished but kafka_2.13-${version}.jar is missing from ${filling}`);
    }
    fs.writeFileSync(path.join(filling, MARKER), `${version}\n`);
    if (fs.existsSync(path.join(libDir, MARKER))) return libDir; // another process finished first
    fs.rmSync(libDir, { recursive: true, force: true }); // half-filled by an interrupted older run
    try {
      fs.renameSync(filling, libDir);
    } catch (error) {
      if (!fs.existsSync(path.join(libDir, MARKER))) throw error; // else another process won the race
    }
    log(`fetched ${jars.length} jars in ${seconds(started)} s`);
    return libDir;
  } finally {
    fs.rmSync(filling, { recursive: true, force: true });
  }
}

const seconds = (start) => (Number(process.hrtime.bigint() - start) / 1e9).toFixed(1);

// ---------------------------------------------------------------- config files

function serverProperties({ port, controllerPort, dataDir, version, secured }) {
  const listeners = secured
    ? security.listenerProperties({ port, controllerPort, secured })
    : [
        `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
        'inter.broker.listener.name=PLAINTEXT',
      ];
  const lines = [
    '# Written by infra/kafka/broker.js: one combined KRaft node on loopback.',
    'process.roles=broker,controller',
    'node.id=1',
    // Static quorum of one voter: works the same on 3.9 and 4.x, no --standalone needed.
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    ...listeners,
    'controller.listener.names=CONTROLLER',
    `log.dirs=${path.join(dataDir, 'kraft-logs')}`,
    'num.partitions=1',
    // A single node cannot satisfy the default replication factor of 3.
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    // 1 partition instead of 50 for the internal topics: much faster first start on a dev box.
    'offsets.topic.num.partitions=1',
    'transaction.state.log.num.partitions=1',
    // Topics are created explicitly by the application; typos must fail loudly.
    'auto.create.topics.enable=false',
    // Tests should not wait 3 s for the first consumer group rebalance.
    'group.initial.rebalance.delay.ms=0',
  ];
  if (majorOf(version) >= 4) {
    // 4.x share groups have their own internal topic, also RF 3 by default.
    lines.push(
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
    );
  }
  return lines.join('\n') + '\n';
}

// Everything goes to stdout, which start() redirects into <dataDir>/broker.log.
function loggingConfig(version) {
  if (majorOf(version) >= 4) {
    return {
      file: 'log4j2.properties',
      jvmArg: (f) => `-Dlog4j2.configurationFile=${f}`,
      text: [
        'rootLogger.level=INFO',
        'rootLogger.appenderRef.stdout.ref=STDOUT',
        'appender.stdout.type=Console',
        'appender.stdout.name=STDOUT',
        'appender.stdout.layout.type=PatternLayout',
        'appender.stdout.layout.pattern=[%d] %p %m (%c)%n',
        'logger.kafka.name=kafka',
        'logger.kafka.level=INFO',
        'logger.apache.name=org.apache.kafka',
        'logger.apache.level=INFO',
      ].join('\n'),
    };
  }
  return {
    file: 'log4j.properties',
    jvmArg: (f) => `-Dlog4j.configuration=file:${f}`,
    text: [
      'log4j.rootLogger=INFO, stdout',
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
    ].join('\n'),
  };
}

// ---------------------------------------------------------------- readiness

/**
 * Resolve once `brokers` accepts TCP connections AND answers an admin
 * describeCluster(); reject after timeoutMs with the tail of the broker log.
 */
async function waitForBroker(
  brokers = `127.0.0.1:${pickPort()}`,
  timeoutMs = 60_000,
  { pid, client = {} } = {},
) {
  const { Kafka, logLevel } = require('kafkajs'); // lazy: fetch/stop/status work without node_modules
  const [host, portText] = brokers.split(',')[0].split(':');
  const port = Number(portText);
  const began = Date.now();
  const deadline = began + timeoutMs;
  let lastError = 'port closed';

  while (Date.now() < deadline) {
    if (pid && !isAlive(pid)) {
      lastError = `broker process ${pid} exited`;
      break;
    }
    if (await portInUse(port, host)) {
      const kafka = new Kafka({
        clientId: 'broker-js-wait',
        brokers: brokers.split(','),
        logLevel: logLevel.NOTHING,
        connectionTimeout: 2000,
        requestTimeout: 5000,
        retry: { retries: 0 },
        ...client,
      });
      const admin = kafka.admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length > 0) return cluster;
        lastError = 'describeCluster returned no brokers';
      } catch (err) {
        lastError = `${err.name}: ${err.message}`;
      } finally {
        await admin.disconnect().catch(() => {});
      }
    }
    await sleep(300);
  }
  const state = readState(port);
  const logFile = state && state.logFile;
  throw new Error(
    `Kafka at ${brokers} not ready after ${Date.now() - began} ms (${lastError}).` +
      (logFile ? `\n--- last lines of ${logFile} ---\n${tail(logFile)}` : ''),
  );
}

/**
 * Create/load the internal __consumer_offsets and __transaction_state topics now.
 * On a brand-new broker they appear on first use, and kafkajs 2.2.4 does not
 * retry every call through that window: e.g. transaction.sendOffsets() fails
 * with "This is not the correct coordinator for this group" (seen on 3.9 and 4.x).
 */
async function warmUp(brokers, timeoutMs = 30_000, client = {}) {
  const { Kafka, logLevel } = require('kafkajs');
  const kafka = new Kafka({
    clientId: 'broker-js-warmup',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    ...client,
  });
  const admin = kafka.admin();
  const producer = kafka.producer({
    transactionalId: 'broker-js-warmup',
    maxInFlightRequests: 1,
    idempotent: true,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    await admin.connect();
    for (;;) {
      try {
        await admin.describeGroups(['broker-js-warmup']); // FindCoordinator(GROUP) creates __consumer_offsets
        await producer.connect(); // InitProducerId via FindCoordinator(TRANSACTION) creates __transaction_state
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`warm-up failed: ${err.message}`);
        await sleep(300);
      }
    }
  } finally {
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
  }
}

// ---------------------------------------------------------------- start / stop / status

function handleFor(state, owned) {
  return {
    brokers: `127.0.0.1:${state.port}`,
    port: state.port,
    pid: state.pid,
    dataDir: state.dataDir,
    logFile: state.logFile,
    version: state.version,
    security: state.security || 'plaintext',
    // sasl_ssl only: the CA file and every SCRAM user's password (security.json in the data dir).
    secretsFile: state.secretsFile,
    // A broker we did not start in this call (started by hand, or by an earlier
    // run) is left running: its owner stops it with `npm run kafka:stop`.
    stop: owned ? () => stopBroker({ port: state.port }).then(() => {}) : async () => {},
  };
}

/**
 * Start a broker (or return the one already running on that port).
 * Pass `dataDir` (from an earlier `stopBroker({ keepData: true })`) to restart on
 * the same data without reformatting, e.g. to simulate a broker outage.
 */
async function startBroker({
  port,
  version,
  dataDir,
  controllerPort,
  timeoutMs = 60_000,
  security: mode,
} = {}) {
  port = pickPort(port);
  mode = pickSecurity(mode);
  controllerPort = Number(controllerPort || process.env.KAFKA_CONTROLLER_PORT || port + 1);

  const previous = readState(port);
  if (previous && previous.pid && isAlive(previous.pid)) {
    log(`broker already running on 127.0.0.1:${port} (pid ${previous.pid}, Kafka ${previous.version})`);
    if ((previous.security || 'plaintext') !== mode) {
      throw new Error(`the broker on port ${port} runs ${previous.security || 'plaintext'}, not ${mode}`);
    }
    try {
      await waitForBroker(`127.0.0.1:${port}`, timeoutMs, {
        pid: previous.pid,
        client: security.adminClient(previous.secretsFile),
      });
      return handleFor(previous, false);
    } catch (err) {
      if (isAlive(previous.pid)) throw err; // running but not answering: leave it to a human
      // it died while we waited: fall through and treat the state as stale
    }
  }
  if (previous) {
    // Dead pid (crash, reboot, kill -9) or data kept by a pause: clean up
    // unless the caller is asking to reuse exactly that data dir.
    if (previous.pid) log(`stale state file: pid ${previous.pid} is gone, cleaning up`);
    if (previous.dataDir !== dataDir) removeDataDir(previous.dataDir);
    removeState(port);
  }
  if (await portInUse(port)) {
    if (mode !== 'plaintext')
      throw new Error(`port ${port} is in use by a broker whose credentials we do not have`);
    // Not ours, but if it speaks Kafka it is good enough (e.g. a hand-started broker).
    const cluster = await waitForBroker(`127.0.0.1:${port}`, 5000).catch(() => null);
    if (!cluster) throw new Error(`port ${port} is in use by something that is not a Kafka broker`);
    log(`a Kafka broker not started by this script already answers on 127.0.0.1:${port}; using it`);
    return handleFor({ port, pid: null, dataDir: null, logFile: null, version: 'unknown' }, false);
  }

  if (await portInUse(controllerPort)) {
    throw new Error(`controller port ${controllerPort} is already in use (set KAFKA_CONTROLLER_PORT)`);
  }

  version = pickVersion(version);
  const libDir = await fetchKafka({ version });
  const started = process.hrtime.bigint();

  const reuse = Boolean(dataDir && fs.existsSync(path.join(dataDir, 'kraft-logs', 'meta.properties')));
  if (dataDir && !reuse) throw new Error(`dataDir ${dataDir} holds no formatted Kafka storage`);
  if (!reuse) dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kafka-${port}-`));
  fs.writeFileSync(path.join(dataDir, MARKER), '');

  // sasl_ssl: certificates and passwords made once per data dir (a resumed broker keeps them).
  const secured = mode === 'sasl_ssl' ? await security.prepare(dataDir, { reuse }) : undefined;
  const props = path.join(dataDir, 'server.properties');
  fs.writeFileSync(props, serverProperties({ port, controllerPort, dataDir, version, secured }));
  const logging = loggingConfig(version);
  const loggingFile = path.join(dataDir, logging.file);
  fs.writeFileSync(loggingFile, logging.text + '\n');

  const java =
    process.env.JAVA || (process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java');
  const classpath = path.join(libDir, '*'); // the JVM expands the wildcard itself
  const jvmBase = ['-cp', classpath, logging.jvmArg(loggingFile), `-Dkafka.logs.dir=${dataDir}`];

  if (!reuse) {
    // Same thing `kafka-storage.sh format -t <id> -c server.properties` does.
    // Short-lived JVM: C1-only JIT and serial GC shave ~0.5 s off its start-up.
    const quick = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];
    const format = ['kafka.tools.StorageTool', 'format', '-t', randomClusterId(), '-c', props];
    if (secured) format.push(...security.scramFormatArgs(secured));
    await run(java, [...quick, ...jvmBase, ...format]).catch((err) => {
      removeDataDir(dataDir);
      throw err;
    });
  }

  const logFile = path.join(dataDir, 'broker.log');
  const out = fs.openSync(logFile, 'a');
  // Modest heap for a dev box; the rest mirrors kafka-run-class.sh. KAFKA_JVM_OPTS appends/overrides.
  const jvm = ['-Xms256m', '-Xmx512m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true'];
  if (process.env.KAFKA_JVM_OPTS) jvm.push(...process.env.KAFKA_JVM_OPTS.trim().split(/\s+/));
  // detached + unref: the broker outlives this Node process (CLI `start` returns at once).
  const child = spawn(java, [...jvm, ...jvmBase, 'kafka.Kafka', props], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  fs.closeSync(out);

  const state = {
    pid: child.pid,
    port,
    controllerPort,
    version,
    dataDir,
    logFile,
    security: mode,
    secretsFile: secured?.secretsFile,
    startedAt: new Date().toISOString(),
  };
  writeState(port, state);
  log(
    `${reuse ? 'restarting' : 'starting'} Kafka ${version} on 127.0.0.1:${port} (pid ${child.pid}, data ${dataDir})`,
  );

  try {
    const client = security.adminClient(state.secretsFile);
    await waitForBroker(`127.0.0.1:${port}`, timeoutMs, { pid: child.pid, client });
    await warmUp(`127.0.0.1:${port}`, 30_000, client);
    if (secured && !reuse) await security.createAcls(`127.0.0.1:${port}`, client);
  } catch (err) {
    await stopBroker({ port, keepData: true }).catch(() => {});
    writeState(port, { ...readState(port), failed: true });
    throw new Error(`${err.message}\n(data dir kept for inspection: ${dataDir})`);
  }
  log(`Kafka ${version} (${mode}) ready on 127.0.0.1:${port} in ${seconds(started)} s`);
  return handleFor(state, true);
}

/**
 * SIGTERM, wait up to 20 s for a clean shutdown, then SIGKILL. With keepData the
 * data dir stays and the state file remembers it for `resumeBroker`.
 */
async function stopBroker({ port, keepData = false } = {}) {
  port = pickPort(port);
  const state = readState(port);
  if (!state) return { stopped: false, port };

  let stopped = false;
  if (state.pid && isAlive(state.pid)) {
    process.kill(state.pid, 'SIGTERM'); // Kafka's shutdown hook flushes logs and leaves the quorum cleanly
    const deadline = Date.now() + 20_000;
    while (isAlive(state.pid) && Date.now() < deadline) await sleep(200);
    if (isAlive(state.pid)) {
      log(`pid ${state.pid} ignored SIGTERM for 20 s, sending SIGKILL`);
      process.kill(state.pid, 'SIGKILL');
      for (let i = 0; i < 50 && isAlive(state.pid); i++) await sleep(100);
    }
    stopped = true;
  }
  if (keepData) {
    writeState(port, { ...state, pid: null, stoppedAt: new Date().toISOString() });
  } else {
    removeDataDir(state.dataDir);
    removeState(port);
  }
  return { stopped, port, dataDir: state.dataDir, version: state.version };
}

/** Broker outage for tests: stop the JVM but keep its data dir. */
const pauseBroker = ({ port } = {}) => stopBroker({ port, keepData: true });

/** Bring a paused broker back on the same data dir (same topics, offsets, groups). */
async function resumeBroker({ port, timeoutMs } = {}) {
  const state = readState(pickPort(port));
  if (!state || !state.dataDir) throw new Error(`no paused broker on port ${pickPort(port)}`);
  return startBroker({
    port: state.port,
    version: state.version,
    dataDir: state.dataDir,
    timeoutMs,
    security: state.security,
  });
}

function brokerStatus({ port } = {}) {
  port = pickPort(port);
  const state = readState(port);
  const running = Boolean(state && state.pid && isAlive(state.pid));
  return { running, port, ...(state || {}), brokers: `127.0.0.1:${port}` };
}

module.exports = {
  startBroker,
  stopBroker,
  pauseBroker,
  resumeBroker,
  brokerStatus,
  waitForBroker,
  fetchKafka,
  DEFAULT_VERSION,
  DEFAULT_PORT,
};

// ---------------------------------------------------------------- CLI

async function main(command) {
  switch (command) {
    case 'fetch':
      console.log(await fetchKafka());
      return;
    case 'start': {
      const b = await startBroker();
      if (b.pid) console.log(`Kafka ${b.version} running at ${b.brokers} (pid ${b.pid}, data ${b.dataDir})`);
      else console.log(`a Kafka broker (not managed by broker.js) is running at ${b.brokers}`);
      return;
    }
    case 'stop': {
      const r = await stopBroker();
      console.log(r.stopped ? `stopped broker on port ${r.port}` : `no broker running on port ${r.port}`);
      return;
    }
    case 'pause': {
      const r = await pauseBroker();
      console.log(`paused broker on port ${r.port}; data kept in ${r.dataDir}`);
      return;
    }
    case 'resume': {
      const b = await resumeBroker();
      console.log(`Kafka ${b.version} running again at ${b.brokers} (pid ${b.pid})`);
      return;
    }
    case 'status': {
      const s = brokerStatus();
      if (s.running) {
        console.log(
          `running  pid=${s.pid} port=${s.port} version=${s.version} security=${s.security || 'plaintext'} dataDir=${s.dataDir}`,
        );
        if (s.secretsFile) console.log(`secrets (CA file, SCRAM users) in ${s.secretsFile}`);
      } else if (s.failed) {
        console.log(
          `not running (last start failed; log in ${s.logFile}) port=${s.port} version=${s.version}`,
        );
      } else if (s.pid) {
        console.log(
          `not running (pid ${s.pid} died; next start cleans up) port=${s.port} dataDir=${s.dataDir}`,
        );
      } else if (s.dataDir) {
        console.log(
          `not running (paused, data kept) port=${s.port} version=${s.version} dataDir=${s.dataDir}`,
        );
      } else {
        console.log(`not running  port=${s.port}`);
      }
      return;
    }
    case 'wait': {
      const timeout = Number(process.env.KAFKA_WAIT_MS || 60_000);
      const client = security.adminClient(brokerStatus().secretsFile);
      const cluster = await waitForBroker(`127.0.0.1:${pickPort()}`, timeout, { client });
      console.log(`ready: cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)`);
      return;
    }
    default:
      console.error('usage: node infra/kafka/broker.js start|stop|status|wait|fetch|pause|resume');
      process.exitCode = 2;
  }
}

if (require.main === module) {
  main(process.argv[2]).catch((err) => {
    console.error(`[kafka] ${err.message}`);
    process.exitCode = 1;
  });
}
