// At start-up: every route declares a permission or says it is public, or the application does not start.
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { PUBLIC_ROUTE } from '../auth/api-key.guard';
import { REQUIRED_PERMISSION } from './requires';

export interface RouteDeclaration {
  readonly route: string;
  readonly permission: string | 'public' | undefined;
}

@Injectable()
export class RouteDeclarationsCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** Every route handler of every controller with what it declares. */
  declarations(): RouteDeclaration[] {
    return this.discovery.getControllers().flatMap((wrapper) => {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) return [];
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      const base = String(this.reflector.get(PATH_METADATA, wrapper.metatype) ?? '');
      return this.scanner.getAllMethodNames(prototype).flatMap((name) => {
        const handler = prototype[name] as (...args: unknown[]) => unknown;
        const path = this.reflector.get<string | undefined>(PATH_METADATA, handler);
        if (path === undefined || this.reflector.get(METHOD_METADATA, handler) === undefined) return [];
        const isPublic =
          this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [handler, wrapper.metatype!]) === true;
        const permission = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_PERMISSION, [
          handler,
          wrapper.metatype!,
        ]);
        return [
          {
            route: `${wrapper.metatype!.name}.${name} (${base}/${path})`,
            permission: isPublic ? 'public' : permission,
          },
        ];
      });
    });
  }

  onModuleInit(): void {
    const undeclared = this.declarations().filter((d) => d.permission === undefined);
    if (undeclared.length > 0) {
      throw new Error(
        `Routes without a permission (add @Requires(...) or @Public()): ${undeclared.map((d) => d.route).join(', ')}`,
      );
    }
  }
}
