// The comparison point: the same framework, adapter and validation pipe, validating the same DTO, and nothing else.
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { requestValidationPipe } from '../../apps/ledger-api/src/errors/validation';
import { RecordHonourRequest } from '../../apps/ledger-api/src/subjects/record-honour/record-honour.request.dto';

@Controller('api/v1/subjects')
class BareController {
  @Post(':subjectId/honours')
  @HttpCode(201)
  validateOnly(@Param('subjectId') subjectId: string, @Body() body: RecordHonourRequest) {
    return { subjectId, title: body.title };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main() {
  const app = await NestFactory.create<NestFastifyApplication>(
    BareModule,
    new FastifyAdapter({ bodyLimit: 256 * 1024 }),
    { logger: false },
  );
  app.useGlobalPipes(requestValidationPipe);
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.send?.('ready');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
