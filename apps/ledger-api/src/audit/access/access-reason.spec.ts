import { AccessReasonEncodingError, decodeAccessReason } from './personal-record-access';

/** A header value as Node hands it over: each byte one latin1 character. */
const asNodeReadsIt = (bytes: Buffer) => bytes.toString('latin1');

describe('X-Access-Reason encodings', () => {
  describe('given a valid form', () => {
    it.each([
      ['raw UTF-8 bytes', asNodeReadsIt(Buffer.from('审计抽查 50%', 'utf8')), '审计抽查 50%'],
      ['percent-encoded UTF-8', encodeURIComponent('审计抽查'), '审计抽查'],
      ["RFC 8187 UTF-8''", `UTF-8''${encodeURIComponent('审计抽查')}`, '审计抽查'],
      ["RFC 8187 utf-8'zh'", `utf-8'zh'${encodeURIComponent('审计')}`, '审计'],
      ['plain ASCII', ' annual review ', 'annual review'],
    ])('%s reads as the text', (_form, value, text) => {
      expect(decodeAccessReason(value)).toBe(text);
    });
  });

  describe('given an invalid form', () => {
    it.each([
      ['GBK bytes', asNodeReadsIt(Buffer.from([0xc9, 0xf3, 0xbc, 0xc6]))],
      ['a truncated UTF-8 sequence', asNodeReadsIt(Buffer.from('审计', 'utf8').subarray(0, 4))],
      ['a bad percent escape', '%E5%AE%'],
      ['percent-encoded non-UTF-8', '%C9%F3'],
      ['another RFC 8187 charset', "GBK''%C9%F3"],
      ['a control character', '%07bell'],
    ])('%s is refused', (_form, value) => {
      expect(() => decodeAccessReason(value)).toThrow(AccessReasonEncodingError);
    });
  });
});
