import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { SESSION_COOKIE_NAME } from '../saml-sign-in/session-cookie';
import { OPENAPI_SECURITY } from './web-api.decorators';
import { WebApiModule } from './web-api.module';

/** Where the app serves the Web API's description: the UI, and the OpenAPI document itself. */
export const WEB_API_DOCS_PATH = 'api/docs';
export const WEB_API_DOCS_JSON_PATH = 'api/docs-json';

/** The OpenAPI document of the admin Web API, built from its controllers and parameter classes. */
export function buildWebApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Admin Web API')
    .setDescription(
      'Users, groups, permissions, user tokens, SAML settings, the license and the SCIM provisioning switch, named as ' +
        "in the product's Web API. GET routes read query parameters; POST routes read a form or a JSON object. Every " +
        'route but sign-in needs an administrator: a session cookie, or a user token as Bearer (or as Basic, with the ' +
        'token as login and an empty password). Errors are {"errors":[{"msg":"…"}]}.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A user token (squ_…)' }, OPENAPI_SECURITY.bearer)
    .addBasicAuth(
      { type: 'http', scheme: 'basic', description: 'A user token as login, with an empty password' },
      OPENAPI_SECURITY.basic,
    )
    .addCookieAuth(SESSION_COOKIE_NAME, { type: 'apiKey', in: 'cookie' }, OPENAPI_SECURITY.cookie)
    .build();
  return SwaggerModule.createDocument(app, config, { include: [WebApiModule] });
}

/** Serves the document at `/api/docs-json` and a browsable UI at `/api/docs`. */
export function setupWebApiDocs(app: INestApplication): void {
  SwaggerModule.setup(WEB_API_DOCS_PATH, app, () => buildWebApiDocument(app), {
    jsonDocumentUrl: WEB_API_DOCS_JSON_PATH,
    yamlDocumentUrl: 'api/docs-yaml',
  });
}
