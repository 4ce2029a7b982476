// The secure broker's parts (KAFKA_SECURITY=sasl_ssl): a TLS certificate signed by a CA made at start,
// SCRAM-SHA-512 users written into the storage at format time, and the ACLs of the ledger's topics.
// Nothing here is ever committed: certificates, keys and passwords are made in the broker's data dir.
'use strict';

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const MODES = ['plaintext', 'sasl_ssl'];
const MECHANISM = 'SCRAM-SHA-512';

/** The broker's own principal: inter-broker and controller traffic, and the ACLs' author. */
const ADMIN = 'admin';
/** The ledger's principal: publishes its topics and consumes the departments' feedback. */
const LEDGER = 'ledger';
/** Departments' systems, named by their departmentId (libs/messaging/src/discipline/departments.ts). */
const DEPARTMENTS = ['finance', 'education-supervision'];
/** Authenticates, and may do nothing. */
const NO_ACL = 'stranger';

const TOPICS = {
  events: 'credit.events.v1',
  restrictedEvents: 'credit.events.restricted.v1',
  lists: 'credit.lists.v1',
  restrictedLists: 'credit.lists.restricted.v1',
  requests: 'credit.discipline.requests.v1',
  restrictedRequests: 'credit.discipline.requests.restricted.v1',
  /** The base name: each department answers on `<feedback>.<departmentId>` (feedbackTopic). */
  feedback: 'credit.discipline.feedback.v1',
  deadLetters: 'credit.discipline.feedback.dlq.v1',
  digests: 'credit.digests.v1',
};
const LEDGER_FEEDBACK_GROUP = 'credit-ledger.discipline-feedback';
/**
 * Who may read the restricted topics (students' and minors' events, list entries and cases): nobody in the
 * test province. A deployment names here the departments that apply students' measures (the degree
 * committee for `degree_award_limited`); every other subscriber never sees a restricted record.
 */
const RESTRICTED_READERS = [];

/** The topic only `department` may write: its answers, so the topic says who answered. */
const feedbackTopic = (topics, department) => `${topics.feedback}.${department}`;

/**
 * Who may do what, as data. READ and WRITE imply DESCRIBE. The ledger may also CREATE its topics (the relay
 * creates missing ones) and reads every department's feedback topic (a prefix). A department reads events,
 * lists and the cases addressed to it and writes only its own feedback topic, in consumer groups named
 * `<department>.…`: it cannot answer for another department, since the ledger takes the department from
 * the topic. Only the ledger and RESTRICTED_READERS touch the restricted topics; a principal with no entry
 * (NO_ACL) is refused everything (allow.everyone.if.no.acl.found=false).
 * The tests pass topics of their own (and a consumer group of their own) to grant the same on them.
 */
function grants({
  topics = TOPICS,
  ledgerGroup = LEDGER_FEEDBACK_GROUP,
  departments = DEPARTMENTS,
  restrictedReaders = RESTRICTED_READERS,
} = {}) {
  const topic = (principal, operation, name, pattern = 'literal') => ({
    principal,
    operation,
    type: 'topic',
    name,
    pattern,
  });
  const ledgerWrites = [
    topics.events,
    topics.restrictedEvents,
    topics.lists,
    topics.restrictedLists,
    topics.requests,
    topics.restrictedRequests,
    topics.digests,
    topics.deadLetters,
  ];
  const restricted = [topics.restrictedEvents, topics.restrictedLists, topics.restrictedRequests];
  return [
    ...ledgerWrites.flatMap((name) => [topic(LEDGER, 'write', name), topic(LEDGER, 'create', name)]),
    // The base topic is still read, so that whatever lands there is dead-lettered as unattributed.
    topic(LEDGER, 'read', topics.feedback),
    topic(LEDGER, 'create', topics.feedback),
    topic(LEDGER, 'read', `${topics.feedback}.`, 'prefixed'),
    topic(LEDGER, 'create', `${topics.feedback}.`, 'prefixed'),
    { principal: LEDGER, operation: 'read', type: 'group', name: ledgerGroup, pattern: 'literal' },
    ...departments.flatMap((department) => [
      topic(department, 'read', topics.events),
      topic(department, 'read', topics.lists),
      topic(department, 'read', topics.requests),
      topic(department, 'write', feedbackTopic(topics, department)),
      {
        principal: department,
        operation: 'read',
        type: 'group',
        name: `${department}.`,
        pattern: 'prefixed',
      },
    ]),
    ...restrictedReaders.flatMap((reader) => restricted.map((name) => topic(reader, 'read', name))),
  ];
}

function checkMode(mode) {
  const normalised = String(mode).toLowerCase();
  if (!MODES.includes(normalised))
    throw new Error(`KAFKA_SECURITY must be one of ${MODES.join(', ')}, got "${mode}"`);
  return normalised;
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args[0]} exited with ${code}\n${out}`)),
    );
  });
}

const password = () => crypto.randomBytes(18).toString('base64url'); // [A-Za-z0-9_-]: safe in every config syntax

/**
 * Certificates and passwords for a secure broker in `dataDir`, made once (a resumed broker reuses them).
 * Returns what security.json holds: { caFile, keystore: { file, password }, mechanism, users: { name: password } }.
 */
async function prepare(dataDir, { reuse = false } = {}) {
  const secretsFile = path.join(dataDir, 'security.json');
  if (reuse && fs.existsSync(secretsFile))
    return { ...JSON.parse(fs.readFileSync(secretsFile, 'utf8')), secretsFile };

  const tls = path.join(dataDir, 'tls');
  fs.mkdirSync(tls, { recursive: true, mode: 0o700 });
  const file = (name) => path.join(tls, name);
  const keystorePassword = password();
  const openssl = (...args) => run('openssl', args, { cwd: tls });
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '30',
    '-subj',
    '/CN=credit ledger test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  );
  await openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    file('broker.key'),
    '-out',
    file('broker.csr'),
  );
  // The clients connect to 127.0.0.1: the certificate must name that address.
  fs.writeFileSync(
    file('broker.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n',
  );
  await openssl(
    'x509',
    '-req',
    '-in',
    file('broker.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '30',
    '-extfile',
    file('broker.ext'),
    '-out',
    file('broker.pem'),
  );
  await openssl(
    'pkcs12',
    '-export',
    '-in',
    file('broker.pem'),
    '-inkey',
    file('broker.key'),
    '-certfile',
    file('ca.pem'),
    '-name',
    'broker',
    '-out',
    file('broker.p12'),
    '-passout',
    `pass:${keystorePassword}`,
  );
  // The CA signs nothing else; the broker's key now lives only in the keystore.
  for (const name of ['ca.key', 'broker.key', 'broker.csr', 'broker.ext', 'ca.srl'])
    fs.rmSync(file(name), { force: true });

  const secrets = {
    caFile: file('ca.pem'),
    keystore: { file: file('broker.p12'), password: keystorePassword },
    mechanism: MECHANISM,
    users: Object.fromEntries([ADMIN, LEDGER, ...DEPARTMENTS, NO_ACL].map((name) => [name, password()])),
  };
  fs.writeFileSync(secretsFile, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return { ...secrets, secretsFile };
}

/**
 * Listeners of a secure node: clients and inter-broker traffic on SASL_SSL with SCRAM; the controller on
 * loopback with SASL PLAIN (SCRAM credentials live in the metadata log, which a controller must read
 * before it could check them), so that only the broker's own principal talks to it.
 */
function listenerProperties({ port, controllerPort, secured }) {
  const adminPassword = secured.users[ADMIN];
  return [
    `listeners=SASL_SSL://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=SASL_SSL://127.0.0.1:${port}`,
    'listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT',
    'inter.broker.listener.name=SASL_SSL',
    `sasl.enabled.mechanisms=${MECHANISM}`,
    `sasl.mechanism.inter.broker.protocol=${MECHANISM}`,
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${ADMIN}" password="${adminPassword}";`,
    'sasl.mechanism.controller.protocol=PLAIN',
    'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
    `listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${ADMIN}" password="${adminPassword}" user_${ADMIN}="${adminPassword}";`,
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.location=${secured.keystore.file}`,
    `ssl.keystore.password=${secured.keystore.password}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${secured.caFile}`,
    'ssl.client.auth=none',
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    `super.users=User:${ADMIN}`,
    'allow.everyone.if.no.acl.found=false',
  ];
}

/** `kafka-storage format --add-scram` arguments: the users exist before the broker first starts. */
function scramFormatArgs(secured) {
  return Object.entries(secured.users).flatMap(([name, secret]) => [
    '--add-scram',
    `${MECHANISM}=[name=${name},password=${secret}]`,
  ]);
}

/** kafkajs settings for `username` of a secure broker (the admin by default); {} for a plaintext one. */
function clientSettings(secretsFile, username = ADMIN) {
  if (!secretsFile) return {};
  const secrets = JSON.parse(fs.readFileSync(secretsFile, 'utf8'));
  return {
    ssl: { ca: [fs.readFileSync(secrets.caFile, 'utf8')] },
    sasl: { mechanism: 'scram-sha-512', username, password: secrets.users[username] },
  };
}

const adminClient = (secretsFile) => clientSettings(secretsFile, ADMIN);

/** Grants as kafkajs `createAcls`/`deleteAcls` entries. */
function kafkaAcls(list) {
  const { AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes } = require('kafkajs');
  return list.map((grant) => ({
    resourceType: grant.type === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
    resourceName: grant.name,
    resourcePatternType:
      grant.pattern === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
    principal: `User:${grant.principal}`,
    host: '*',
    operation: AclOperationTypes[grant.operation.toUpperCase()],
    permissionType: AclPermissionTypes.ALLOW,
  }));
}

async function createAcls(brokers, client, list = grants()) {
  const { Kafka, logLevel } = require('kafkajs');
  const kafka = new Kafka({
    clientId: 'broker-js-acls',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    ...client,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createAcls({ acl: kafkaAcls(list) });
  } finally {
    await admin.disconnect();
  }
}

module.exports = {
  checkMode,
  prepare,
  listenerProperties,
  scramFormatArgs,
  clientSettings,
  adminClient,
  createAcls,
  grants,
  kafkaAcls,
  feedbackTopic,
  TOPICS,
  RESTRICTED_READERS,
  LEDGER,
  DEPARTMENTS,
  NO_ACL,
  LEDGER_FEEDBACK_GROUP,
};
