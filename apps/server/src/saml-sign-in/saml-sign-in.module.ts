import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { urlencoded } from 'express';
import { SAML_ACS_PATH, SamlSignInController } from './saml-sign-in.controller';
import { SAML_SIGN_IN_OPTIONS, SamlSignInOptions } from './saml-sign-in.options';
import { SessionOrTokenGuard } from './session-or-token.guard';

/** Entra's responses with many groups stay far below this; the SAML service refuses above 512 KiB of base64 anyway. */
const ACS_BODY_LIMIT = '1mb';

/**
 * SAML sign-in for the server's users: the product's routes over SamlSignInService (SAML) and the feature's
 * ProvisionedSignIn (what the provisioning mode lets an identity do). The app runs without a global body parser, so
 * the ACS route gets its own form parser, and only it.
 */
@Module({})
export class SamlSignInModule implements NestModule {
  static forRoot(options: SamlSignInOptions): DynamicModule {
    return {
      module: SamlSignInModule,
      imports: options.imports,
      controllers: [SamlSignInController],
      providers: [
        {
          provide: SAML_SIGN_IN_OPTIONS,
          useValue: { publicUrl: options.publicUrl },
        },
        SessionOrTokenGuard,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(urlencoded({ extended: false, limit: ACS_BODY_LIMIT, parameterLimit: 10 }))
      .forRoutes({ path: SAML_ACS_PATH, method: RequestMethod.POST });
  }
}
