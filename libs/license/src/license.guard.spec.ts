import { openScratchDataSource, testDialects } from '@nest-scim/persistence/testing';
import {
  ArgumentsHost,
  Catch,
  Controller,
  ExceptionFilter,
  Get,
  HttpException,
  INestApplication,
  Injectable,
  Module,
  UseGuards,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Response } from 'express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { LICENSE_ENTITIES } from './installed-license.entity';
import { LicenseRequiredError } from './license-required.error';
import { LicenseGuard } from './license.guard';
import { LicenseModule } from './license.module';
import { LicenseService } from './license.service';
import { RequiresEdition } from './requires-edition.decorator';
import { RequiresFeature } from './requires-feature.decorator';
import { makeLicenseKeyPair, signLicense } from './testing';

const vendor = makeLicenseKeyPair();

@Controller('reports')
@UseGuards(LicenseGuard)
@RequiresEdition('enterprise')
class ReportsController {
  @Get('provisioning')
  @RequiresFeature('scim')
  provisioning() {
    return { ok: true };
  }

  @Get('summary')
  summary() {
    return { ok: true };
  }

  /** Asks for less than its controller: the controller's requirement still applies. */
  @Get('basic')
  @RequiresEdition('developer')
  basic() {
    return { ok: true };
  }
}

@Controller('public')
@UseGuards(LicenseGuard)
class PublicController {
  @Get()
  get() {
    return { ok: true };
  }
}

/** The host's own error rendering: it sees the license refusal as an ordinary 403. */
@Catch(HttpException)
class HostErrorFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost) {
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(exception.getStatus())
      .json({
        host: true,
        status: exception.getStatus(),
        message: exception.message,
        licenseError: exception instanceof LicenseRequiredError,
      });
  }
}

/** Process configuration as a host would have it, resolved asynchronously. */
@Injectable()
class HostConfig {
  readonly trustedPublicKeys = [vendor.publicKey];
}
@Module({ providers: [HostConfig], exports: [HostConfig] })
class HostConfigModule {}

describe.each(testDialects())('LicenseGuard on a host controller (%s)', (dialect) => {
  let db: { dataSource: DataSource; close(): Promise<void> };
  let app: INestApplication;
  let licenses: LicenseService;
  let now: Date;

  beforeAll(async () => {
    db = await openScratchDataSource(dialect, LICENSE_ENTITIES);
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => db.dataSource.options,
          dataSourceFactory: async () => db.dataSource,
        }),
        LicenseModule.forRootAsync({
          imports: [HostConfigModule],
          inject: [HostConfig],
          useFactory: (config: HostConfig) => ({ trustedPublicKeys: config.trustedPublicKeys, clock: () => now }),
        }),
      ],
      controllers: [ReportsController, PublicController],
    }).compile();
    app = moduleRef.createNestApplication();
    app.useGlobalFilters(new HostErrorFilter());
    await app.init();
    licenses = app.get(LicenseService);
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });
  beforeEach(async () => {
    now = new Date('2026-06-01T12:00:00Z');
    await licenses.remove();
  });

  const get = (path: string) => request(app.getHttpServer()).get(path);

  it('turns 403 → 200 → 403 as a license is installed, expires, and is removed', async () => {
    await get('/reports/provisioning').expect(403, {
      host: true,
      status: 403,
      message: 'This feature requires an Enterprise license',
      licenseError: true,
    });

    await licenses.install(
      signLicense(vendor.privateKey, {
        licensee: 'Acme Corp',
        edition: 'enterprise',
        features: ['scim'],
        issuedAt: '2026-01-01',
        expiresAt: '2026-06-02',
      }),
    );
    await get('/reports/provisioning').expect(200, { ok: true });

    now = new Date('2026-06-03T00:00:00Z');
    await get('/reports/provisioning')
      .expect(403)
      .expect((res) => {
        expect(res.body.message).toBe('The license expired on 2026-06-02');
      });

    now = new Date('2026-06-01T12:00:00Z');
    await get('/reports/provisioning').expect(200);
    await licenses.remove();
    await get('/reports/provisioning')
      .expect(403)
      .expect((res) => {
        expect(res.body.message).toBe('This feature requires an Enterprise license');
      });
  });

  it('checks the handler feature on top of the controller edition', async () => {
    await licenses.install(
      signLicense(vendor.privateKey, {
        licensee: 'Acme',
        edition: 'enterprise',
        features: [],
        issuedAt: '2026-01-01',
        expiresAt: '2027-01-01',
      }),
    );
    await get('/reports/summary').expect(200);
    await get('/reports/provisioning')
      .expect(403)
      .expect((res) => {
        expect(res.body.message).toBe("This feature requires the 'scim' feature");
      });
  });

  it('never lets a handler loosen its controller requirement', async () => {
    await licenses.install(
      signLicense(vendor.privateKey, {
        licensee: 'Acme',
        edition: 'developer',
        issuedAt: '2026-01-01',
        expiresAt: '2027-01-01',
      }),
    );
    await get('/reports/basic')
      .expect(403)
      .expect((res) => {
        expect(res.body.message).toBe('This feature requires an Enterprise license');
      });
  });

  it('lets undecorated routes through without a license', async () => {
    await get('/public').expect(200);
  });

  it('honours Data Center where Enterprise is required', async () => {
    await licenses.install(
      signLicense(vendor.privateKey, {
        licensee: 'Acme',
        edition: 'datacenter',
        features: ['scim'],
        issuedAt: '2026-01-01',
        expiresAt: '2027-01-01',
      }),
    );
    await get('/reports/provisioning').expect(200);
  });
});

describe.each(testDialects())('LicenseModule on a named data source (%s)', (dialect) => {
  it('stores the license through the data source it is given', async () => {
    const db = await openScratchDataSource(dialect, LICENSE_ENTITIES);
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRootAsync({
          name: 'licensing',
          useFactory: () => ({ ...db.dataSource.options, name: 'licensing' }),
          dataSourceFactory: async () => db.dataSource,
        }),
        LicenseModule.forRoot({ trustedPublicKeys: [vendor.publicKey], dataSource: 'licensing' }),
      ],
    }).compile();
    const app = await moduleRef.init();
    try {
      await app
        .get(LicenseService)
        .install(signLicense(vendor.privateKey, { licensee: 'Named', edition: 'enterprise', expiresAt: '2099-01-01' }));
      const rows = await db.dataSource.query('SELECT slot FROM installed_license');
      expect(rows).toEqual([{ slot: 'current' }]);
    } finally {
      await app.close();
      await db.close();
    }
  });

  it('refuses to start with a trusted key that does not parse', async () => {
    const db = await openScratchDataSource(dialect, LICENSE_ENTITIES);
    try {
      await expect(
        Test.createTestingModule({
          imports: [
            TypeOrmModule.forRootAsync({
              useFactory: () => db.dataSource.options,
              dataSourceFactory: async () => db.dataSource,
            }),
            LicenseModule.forRoot({
              trustedPublicKeys: ['-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----'],
            }),
          ],
        }).compile(),
      ).rejects.toThrow(/Trusted license public key #1/);
    } finally {
      await db.close();
    }
  });
});
