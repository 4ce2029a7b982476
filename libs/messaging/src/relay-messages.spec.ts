import {
  listChanged,
  penaltyRecorded,
  school,
  student,
} from '@ledger/domain/subject/testing/subject-fixtures';
import type { StoredEvent } from '@ledger/event-store';
import { messagesFor, splitByBytes } from './relay-messages';
import { defaultTopicNames } from './topics';

const context = { topics: defaultTopicNames, source: 'urn:cn-edu-credit:ledger' };
const schoolFacts = { subjectId: 'school-1', kind: 'private_school' as const };

let position = 0;
const stored = (event: { type: string; data: unknown }, streamId = 'subject-school-1'): StoredEvent => ({
  ...event,
  id: `event-${++position}`,
  streamId,
  revision: position - 1,
  position,
  metadata: { occurredAt: '2025-03-05T02:00:00Z', policyVersion: '2025-01', schemaVersion: 1 },
  recordedAt: '2025-03-05T02:00:01.000Z',
  prevHash: null,
  hash: 'h',
});

const valueOf = (message: { value: string | null }) => JSON.parse(message.value!);

describe('messages for a stored event', () => {
  it('puts every event on the events topic as a CloudEvent keyed by subject', () => {
    const [message, ...others] = messagesFor(stored(penaltyRecorded()), schoolFacts, context);
    expect(others).toEqual([]);
    expect(message).toMatchObject({
      topic: 'credit.events.v1',
      key: 'school-1',
      headers: { 'content-type': 'application/cloudevents+json; charset=UTF-8' },
    });
    expect(valueOf(message!)).toMatchObject({
      type: 'cn.edu.credit.penalty.recorded.v1',
      subject: 'school-1',
      restricted: false,
      data: { recordId: 'penalty-1' },
    });
  });

  it('puts a calendar event on the events topic alone, keyed and named by the calendar stream', () => {
    const published = stored(
      {
        type: 'CalendarYearPublished',
        data: { year: 2027, holidays: ['2027-01-01'], makeUpWorkingDays: [] },
      },
      'calendar-china',
    );
    const messages = messagesFor(published, { subjectId: 'calendar-china' }, context);
    expect(messages.map((m) => [m.topic, m.key])).toEqual([['credit.events.v1', 'calendar-china']]);
    expect(valueOf(messages[0]!)).toMatchObject({
      type: 'cn.edu.credit.calendar.year.published.v1',
      subject: 'calendar-china',
      streamid: 'calendar-china',
      restricted: false,
    });
  });

  it('keeps the log of reads of personal records inside the ledger', () => {
    const viewed = {
      ...stored(penaltyRecorded()),
      streamId: 'access-subject-1',
      type: 'PersonalRecordViewed',
    };
    expect(messagesFor(viewed, schoolFacts, context)).toEqual([]);
  });

  it('adds the current membership to the compacted lists topic when a subject enters a list', () => {
    const entered = stored(
      listChanged('black', 'entered', '2025-03-05', {
        reasons: [{ code: 'serious_penalty', recordId: 'penalty-1' }],
        measures: ['no_project_funding'],
      }),
    );
    const lists = messagesFor(entered, schoolFacts, context).find((m) => m.topic === 'credit.lists.v1')!;
    expect(lists.key).toBe('black:school-1');
    expect(lists.headers).toMatchObject({
      'event-id': entered.id,
      'event-position': String(entered.position),
    });
    expect(valueOf(lists)).toEqual({
      list: 'black',
      subjectId: 'school-1',
      subject: school,
      reasons: [{ code: 'serious_penalty', recordId: 'penalty-1' }],
      measures: ['no_project_funding'],
      since: '2025-03-05',
      restricted: false,
      eventId: entered.id,
      position: entered.position,
      policyVersion: '2025-01',
    });
  });

  it('writes a tombstone for the membership when the subject leaves the list', () => {
    const left = stored(listChanged('black', 'left', '2026-03-05'));
    const lists = messagesFor(left, schoolFacts, context).find((m) => m.topic === 'credit.lists.v1')!;
    expect(lists).toMatchObject({ key: 'black:school-1', value: null });
  });

  describe('a student’s or minor’s records (restricted)', () => {
    const studentFacts = { subjectId: 'student-1', kind: 'student' as const };
    const ofStudent = (event: { type: string; data: unknown }, streamId = 'subject-student-1') =>
      messagesFor(stored(event, streamId), studentFacts, context);
    const entered = {
      ...listChanged('black', 'entered', '2025-03-05', { subjectId: 'student-1', subject: student }),
    };

    it('go to the restricted twins, marked restricted, never to the topics every subscriber reads', () => {
      const messages = ofStudent(entered);
      expect(messages.map((m) => [m.topic, valueOf(m).restricted])).toEqual([
        ['credit.events.restricted.v1', true],
        ['credit.lists.restricted.v1', true],
      ]);
    });

    it('their cases too', () => {
      const opened = { type: 'CaseOpened', data: { caseId: 'c-2', subjectId: 'student-1' } };
      expect(ofStudent(opened, 'case-c-2').map((m) => m.topic)).toEqual([
        'credit.events.restricted.v1',
        'credit.discipline.requests.restricted.v1',
      ]);
    });

    it('and their tombstones', () => {
      const left = listChanged('black', 'left', '2026-03-05', { subjectId: 'student-1', subject: student });
      expect(ofStudent(left).map((m) => [m.topic, m.value])).toEqual([
        ['credit.events.restricted.v1', expect.any(String)],
        ['credit.lists.restricted.v1', null],
      ]);
    });

    it('a person who is an adult when leaving a list has the tombstone on both lists topics', () => {
      const left = stored(listChanged('black', 'left', '2026-03-05'));
      const adult = { subjectId: 'school-1', kind: 'teacher' as const, birthDate: '1990-01-01' };
      expect(
        messagesFor(left, adult, context)
          .filter((m) => m.value === null)
          .map((m) => m.topic),
      ).toEqual(['credit.lists.v1', 'credit.lists.restricted.v1']);
    });
  });

  it('also puts case events on the requests topic, keyed by case', () => {
    const opened = stored({ type: 'CaseOpened', data: { caseId: 'c-1', subjectId: 'school-1' } }, 'case-c-1');
    const messages = messagesFor(opened, schoolFacts, context);
    expect(messages.map((m) => [m.topic, m.key])).toEqual([
      ['credit.events.v1', 'school-1'],
      ['credit.discipline.requests.v1', 'c-1'],
    ]);
    expect(valueOf(messages[1]!)).toMatchObject({
      type: 'cn.edu.credit.discipline.case.opened.v1',
      caseid: 'c-1',
    });
  });
});

describe('splitting a batch under the broker’s size limit', () => {
  const message = (value: string) => ({ key: 'k', value });

  it('keeps the order and puts as much in each run as fits', () => {
    const messages = ['a', 'b', 'c', 'd', 'e'].map((v) => message(v.repeat(100)));
    const runs = splitByBytes(messages, 400);
    expect(runs.map((run) => run.map((m) => m.value![0]).join(''))).toEqual(['ab', 'cd', 'e']);
  });

  it('counts bytes, not characters', () => {
    expect(splitByBytes([message('信'.repeat(100)), message('用'.repeat(100))], 500)).toHaveLength(2);
  });

  it('sends a message larger than the limit on its own rather than never', () => {
    expect(splitByBytes([message('x'.repeat(1000)), message('y')], 100).map((run) => run.length)).toEqual([
      1, 1,
    ]);
  });
});
