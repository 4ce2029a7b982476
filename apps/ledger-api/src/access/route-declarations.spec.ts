import { Controller, Get, Module, Post } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { Public } from '../auth/api-key.guard';
import { Requires } from './requires';
import { RouteDeclarationsCheck } from './route-declarations';

@Controller('declared')
class DeclaredController {
  @Get() @Requires('lists.read') list(): string {
    return 'ok';
  }
  @Get('open') @Public() open(): string {
    return 'ok';
  }
}

@Controller('forgotten')
class ForgottenController {
  @Post(':id') write(): string {
    return 'ok';
  }
  /** Not a route: no HTTP method, needs no declaration. */
  helper(): string {
    return 'ok';
  }
}

const contextWith = async (...controllers: Array<new () => unknown>) => {
  @Module({ imports: [DiscoveryModule], controllers, providers: [RouteDeclarationsCheck] })
  class Probe {}
  return NestFactory.createApplicationContext(Probe, { logger: false, abortOnError: false });
};

describe('route declarations at start-up', () => {
  it('start when every route declares a permission or is public', async () => {
    const context = await contextWith(DeclaredController);
    expect(
      context
        .get(RouteDeclarationsCheck)
        .declarations()
        .map((d) => d.permission),
    ).toEqual(['lists.read', 'public']);
    await context.close();
  });

  it('refuse to start with a route that declares neither, naming it', async () => {
    await expect(contextWith(DeclaredController, ForgottenController)).rejects.toThrow(
      /Routes without a permission.*ForgottenController\.write \(forgotten\/:id\)/,
    );
  });
});
