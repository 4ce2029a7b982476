import { KafkaJSNonRetriableError, KafkaJSProtocolError, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { kafkaFailureOf } from './kafka-client';

const ledger = { sasl: { mechanism: 'scram-sha-512' as const, username: 'ledger', password: 'x' } };
const protocolError = (type: string) =>
  new KafkaJSProtocolError({ type, code: 29, retriable: false, message: 'Not authorized' } as never);
const at = new Date('2026-12-07T12:00:00Z');
// kafkajs' typings declare no arguments; the class takes the message, as kafkajs itself throws it.
const SaslError = KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;

describe('a Kafka failure as /health shows it', () => {
  it('names a refused password and the settings to check', () => {
    expect(kafkaFailureOf(new SaslError('SASL SCRAM SHA512 authentication failed'), ledger, at)).toEqual({
      message: 'SASL SCRAM SHA512 authentication failed',
      kind: 'SASL_AUTHENTICATION_FAILED',
      hint: 'the brokers refused the credentials of principal "ledger": check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD',
      at: '2026-12-07T12:00:00.000Z',
    });
  });

  it('finds a missing ACL however deep kafkajs wrapped it', () => {
    const wrapped = new KafkaJSNonRetriableError(new Error('outer') as never);
    Object.assign(wrapped, { cause: { errors: [protocolError('TOPIC_AUTHORIZATION_FAILED')] } });
    expect(kafkaFailureOf(wrapped, ledger, at)).toMatchObject({
      kind: 'TOPIC_AUTHORIZATION_FAILED',
      hint: expect.stringContaining('principal "ledger" lacks an ACL on a topic'),
    });
    expect(kafkaFailureOf(protocolError('GROUP_AUTHORIZATION_FAILED'), {}, at)).toMatchObject({
      kind: 'GROUP_AUTHORIZATION_FAILED',
      hint: expect.stringContaining('this client lacks READ on its consumer group'),
    });
  });

  it('gives only the message when it does not know the failure', () => {
    expect(kafkaFailureOf(new Error('Connection timeout'), ledger, at)).toEqual({
      message: 'Connection timeout',
      at: '2026-12-07T12:00:00.000Z',
    });
  });
});
