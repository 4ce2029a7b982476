#!/usr/bin/env node
// A real Prometheus for development and tests: Debian's `prometheus` package (apt-get install prometheus),
// on loopback, with a throw-away data directory and a scrape config for one or more ledgers. No Docker.
//
//   CLI:    node infra/prometheus/prometheus.js find | check-rules [file] | start <target> [token]
//   Module: const { startPrometheus } = require('./infra/prometheus/prometheus');
//           const prom = await startPrometheus({ targets: ['127.0.0.1:3000'], token, rules: [file] });
//           await prom.query('ledger_follower_lag_events'); await prom.alerts(); await prom.stop();
//
// Env: PROMETHEUS_BIN, PROMTOOL_BIN (default: found on PATH, then /usr/bin). Missing = a clear error, never a skip.
/* global fetch */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const ALERTS_FILE = path.join(__dirname, 'alerts.yml');
const log = (msg) => process.stderr.write(`[prometheus] ${msg}\n`);

function findBinary(name, variable) {
  const given = process.env[variable];
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`${variable}=${given} does not exist`);
    return given;
  }
  for (const dir of [...(process.env.PATH || '').split(path.delimiter), '/usr/bin', '/usr/local/bin']) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  throw new Error(
    `${name} not found: install Debian's prometheus package (apt-get install -y prometheus) or set ${variable}`,
  );
}

const findPrometheus = () => findBinary('prometheus', 'PROMETHEUS_BIN');
const findPromtool = () => findBinary('promtool', 'PROMTOOL_BIN');

/** `promtool check rules`: { ok, output }. */
function checkRules(file = ALERTS_FILE) {
  const result = spawnSync(findPromtool(), ['check', 'rules', file], { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The scrape config: every target with the API key as bearer credentials, the way an operator writes it. */
function configFor({ targets, token, rules, scrapeInterval, evaluationInterval, tokenFile }) {
  const lines = [
    'global:',
    `  scrape_interval: ${scrapeInterval}`,
    `  evaluation_interval: ${evaluationInterval}`,
    ...(rules.length > 0 ? ['rule_files:', ...rules.map((r) => `  - ${JSON.stringify(r)}`)] : []),
    'scrape_configs:',
    '  - job_name: ledger',
    '    metrics_path: /metrics',
    ...(token
      ? ['    authorization:', '      type: Bearer', `      credentials_file: ${JSON.stringify(tokenFile)}`]
      : []),
    '    static_configs:',
    `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
  ];
  return `${lines.join('\n')}\n`;
}

async function startPrometheus({
  targets,
  token,
  rules = [],
  scrapeInterval = '1s',
  evaluationInterval = '1s',
  port,
} = {}) {
  const binary = findPrometheus();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-prometheus-'));
  const tokenFile = path.join(dir, 'token');
  if (token) fs.writeFileSync(tokenFile, token, { mode: 0o600 });
  const configFile = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(
    configFile,
    configFor({ targets, token, rules, scrapeInterval, evaluationInterval, tokenFile }),
  );
  const listen = `127.0.0.1:${port ?? (await freePort())}`;
  const logFile = path.join(dir, 'prometheus.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=${listen}`,
      '--web.enable-lifecycle',
    ],
    { stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  const url = `http://${listen}`;
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      if (!exited) child.kill('SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const api = async (apiPath) => {
    const response = await fetch(`${url}${apiPath}`);
    const body = await response.json();
    if (body.status !== 'success') throw new Error(`${apiPath}: ${JSON.stringify(body)}`);
    return body.data;
  };
  for (let i = 0; ; i++) {
    if (exited) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`prometheus exited at start:\n${tail}`);
    }
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300) {
      await stop();
      throw new Error('prometheus did not become ready within 30 s');
    }
    await sleep(100);
  }
  log(`ready at ${url} (${binary}), scraping ${targets.join(', ')}`);
  return {
    url,
    dir,
    logFile,
    stop,
    /** An instant query: the vector's samples as { metric, value } with numeric values. */
    async query(expr) {
      const data = await api(`/api/v1/query?query=${encodeURIComponent(expr)}`);
      return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    /** The scrape targets with their health and last error. */
    async targets() {
      return (await api('/api/v1/targets')).activeTargets;
    },
    /** Alerts pending or firing. */
    async alerts() {
      return (await api('/api/v1/alerts')).alerts;
    },
  };
}

module.exports = { startPrometheus, checkRules, findPrometheus, findPromtool, ALERTS_FILE };

if (require.main === module) {
  const [command, ...args] = process.argv.slice(2);
  (async () => {
    if (command === 'find') {
      console.log(`${findPrometheus()}\n${findPromtool()}`);
    } else if (command === 'check-rules') {
      const { ok, output } = checkRules(args[0]);
      process.stdout.write(output);
      process.exit(ok ? 0 : 1);
    } else if (command === 'start') {
      const prom = await startPrometheus({ targets: [args[0]], token: args[1], rules: [ALERTS_FILE] });
      console.log(`${prom.url} (Ctrl-C stops it)`);
      process.on('SIGINT', () => prom.stop().then(() => process.exit(0)));
    } else {
      console.error('usage: prometheus.js find | check-rules [file] | start <host:port> [api-key]');
      process.exit(2);
    }
  })().catch((error) => {
    console.error(`[prometheus] ${error.message}`);
    process.exit(1);
  });
}
