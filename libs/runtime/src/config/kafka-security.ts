// TLS and SASL to the brokers, from KAFKA_SSL_CA_FILE and KAFKA_SASL_*: SASL always travels over TLS.
import { existsSync } from 'node:fs';
import type { KafkaSecurity } from '@ledger/messaging';

interface KafkaSecuritySettings {
  readonly kafkaSslCaFile?: string;
  readonly kafkaSaslMechanism?: string;
  readonly kafkaSaslUsername?: string;
  readonly kafkaSaslPassword?: string;
}

/** Throws, naming the variables, when they do not make one consistent setting. */
export function kafkaSecurityOf(settings: KafkaSecuritySettings): KafkaSecurity {
  const caFile = settings.kafkaSslCaFile;
  if (caFile && !existsSync(caFile)) throw new Error(`KAFKA_SSL_CA_FILE ${caFile} does not exist`);
  const mechanism = settings.kafkaSaslMechanism?.toLowerCase();
  const username = settings.kafkaSaslUsername;
  const password = settings.kafkaSaslPassword;
  if (!mechanism) {
    if (username || password)
      throw new Error('KAFKA_SASL_USERNAME/PASSWORD need KAFKA_SASL_MECHANISM=scram-sha-512');
    return caFile ? { ssl: { caFile } } : {};
  }
  if (mechanism !== 'scram-sha-512')
    throw new Error(`KAFKA_SASL_MECHANISM must be scram-sha-512, got "${settings.kafkaSaslMechanism}"`);
  if (!username || !password)
    throw new Error('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  // The system's CAs unless KAFKA_SSL_CA_FILE names one.
  return { ssl: { caFile }, sasl: { mechanism, username, password } };
}
