import { Body, Get, HttpCode, Post } from '@nestjs/common';
import { ApiConsumes, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { LicenseService } from '@nest-scim/license';
import { AdminOnly, WebApiController } from '../web-api.decorators';
import { FORM_OR_JSON } from '../web-api.constants';
import { licenseJson, LicenseResponse, SetLicenseParams } from './editions.dto';

/** The license: installed here, in force at once on every instance (it lives in the database). */
@WebApiController('editions', 'editions')
@AdminOnly()
export class EditionsController {
  constructor(private readonly licenses: LicenseService) {}

  @Post('set_license')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Install a license key',
    description:
      'The key is verified first: a malformed, tampered, untrusted or expired key is refused with the reason, and nothing changes.',
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiNoContentResponse()
  async setLicense(@Body() params: SetLicenseParams): Promise<void> {
    await this.licenses.install(params.license);
  }

  @Get('license')
  @ApiOperation({ summary: 'The license in force: edition, licensee, features, expiry' })
  @ApiOkResponse({ type: LicenseResponse })
  async license(): Promise<LicenseResponse> {
    return licenseJson(await this.licenses.current());
  }
}
