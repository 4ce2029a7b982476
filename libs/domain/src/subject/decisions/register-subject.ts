import { Conflict, InvalidInput } from '../../errors';
import { isDivisionCode } from '../../identifiers/division-code';
import { validateResidentId } from '../../identifiers/resident-id';
import { validateUscc } from '../../identifiers/uscc';
import type { RegisterSubject } from '../subject.commands';
import type { SubjectRegistered } from '../subject.events';
import { identifierSchemeFor, isSubjectKind } from '../subject-kind';
import type { SubjectState } from '../subject.state';
import { requireActorCovers, requireText } from '../../input-checks';
import type { DecisionContext } from './decision-context';

const invalidIdentifier = (reason: string, message: string): InvalidInput =>
  new InvalidInput('SUBJECT.INVALID_IDENTIFIER', message, { reason });

const identifierOf = (
  command: RegisterSubject,
): Pick<SubjectRegistered['data'], 'identifier' | 'birthDate'> => {
  const { kind, identifier, allowLegacyChecksum } = command.data;
  const scheme = identifierSchemeFor(kind);
  if (scheme === 'uscc') {
    const validation = validateUscc(identifier, { allowLegacyChecksum });
    if (!validation.valid) throw invalidIdentifier(validation.reason, validation.message);
    return { identifier: { scheme, value: identifier, checksum: validation.checksum } };
  }
  const validation = validateResidentId(identifier);
  if (!validation.valid) throw invalidIdentifier(validation.reason, validation.message);
  return { identifier: { scheme, value: identifier }, birthDate: validation.parts.birthDate };
};

export const registerSubject = (
  command: RegisterSubject,
  state: SubjectState,
  { today, actor }: DecisionContext,
): SubjectRegistered[] => {
  const { subjectId, kind, name, jurisdiction } = command.data;
  if (state.status === 'registered') {
    throw new Conflict('SUBJECT.ALREADY_REGISTERED', `Subject ${subjectId} is already registered`, {
      subjectId,
    });
  }
  requireText('subjectId', subjectId);
  requireText('name', name);
  if (!isSubjectKind(kind)) {
    throw new InvalidInput('SUBJECT.UNKNOWN_KIND', `${String(kind)} is not a subject kind`, { kind });
  }
  if (!isDivisionCode(jurisdiction)) {
    throw new InvalidInput(
      'SUBJECT.INVALID_JURISDICTION',
      `${jurisdiction} is not a six-digit division code`,
      {
        jurisdiction,
      },
    );
  }
  requireActorCovers(actor, jurisdiction);
  return [
    {
      type: 'SubjectRegistered',
      data: { subjectId, kind, name, jurisdiction, ...identifierOf(command), registeredOn: today },
    },
  ];
};
