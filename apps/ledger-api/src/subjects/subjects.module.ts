// The HTTP use cases on subjects: one folder per use case, each a controller and its request DTO.
import { Module } from '@nestjs/common';
import { ExecuteSubjectCommandHandler } from '../commands/execute-subject-command';
import { GetSubjectStatusController } from './get-subject-status/get-subject-status.controller';
import { GetSubjectStatusHandler } from './get-subject-status/get-subject-status.query';
import { RegisterSubjectController } from './register-subject/register-subject.controller';

@Module({
  controllers: [RegisterSubjectController, GetSubjectStatusController],
  providers: [ExecuteSubjectCommandHandler, GetSubjectStatusHandler],
})
export class SubjectsModule {}
