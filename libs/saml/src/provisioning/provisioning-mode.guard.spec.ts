import { LICENSE_ENTITIES, LicenseModule } from '@nest-scim/license';
import { makeLicenseKeyPair } from '@nest-scim/license/testing';
import { openScratchDataSource, testDialects } from '@nest-scim/persistence/testing';
import { Controller, Get, INestApplication, UseGuards } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { SamlModule } from '../saml.module';
import { SAML_ENTITIES } from '../saml.entities';
import { ProvisioningModeGuard } from './provisioning-mode.guard';
import { ProvisioningModeService } from './provisioning-mode.service';
import { ScimProvisioningDisabledError } from './scim-provisioning-disabled.error';

const vendor = makeLicenseKeyPair();

@Controller('provisioned')
class ProvisionedController {
  @Get()
  @UseGuards(ProvisioningModeGuard)
  list() {
    return { ok: true };
  }
}

describe.each(testDialects())('ProvisioningModeGuard on a host route (%s)', (dialect) => {
  let db: { dataSource: DataSource; close(): Promise<void> };
  let app: INestApplication;

  beforeAll(async () => {
    db = await openScratchDataSource(dialect, [...LICENSE_ENTITIES, ...SAML_ENTITIES]);
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => db.dataSource.options,
          dataSourceFactory: async () => db.dataSource,
        }),
        LicenseModule.forRoot({ trustedPublicKeys: [vendor.publicKey] }),
        SamlModule.forRoot(),
      ],
      controllers: [ProvisionedController],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('refuses with 403 in JIT mode, lets requests through in SCIM mode, and refuses again once switched back', async () => {
    const server = app.getHttpServer();
    await request(server).get('/provisioned').expect(403, {
      statusCode: 403,
      error: 'Forbidden',
      message:
        'SCIM provisioning is not enabled: an administrator must turn on automatic user and group provisioning with SCIM',
    });

    const mode = app.get(ProvisioningModeService);
    await mode.switchTo('scim');
    await request(server).get('/provisioned').expect(200, { ok: true });

    await mode.switchTo('jit');
    await request(server).get('/provisioned').expect(403);
  });

  it('throws a typed error that other layers can recognise', () => {
    const error = new ScimProvisioningDisabledError();
    expect(error.getStatus()).toBe(403);
    expect(error.message).toBe(
      'SCIM provisioning is not enabled: an administrator must turn on automatic user and group provisioning with SCIM',
    );
  });
});
