import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { SamlSettingsService } from '@nest-scim/saml';
import { AdminOnly, WebApiController } from '../web-api.decorators';
import { FORM_OR_JSON } from '../web-api.constants';
import { ResetSettingsParams, SetSettingParams, SettingsValuesParams, SettingsValuesResponse } from './settings.dto';

/** The SAML settings, under the product's keys (`sonar.auth.saml.*`); secrets are written here but never read back. */
@WebApiController('settings', 'settings')
@AdminOnly()
export class SettingsController {
  constructor(private readonly saml: SamlSettingsService) {}

  @Get('values')
  @ApiOperation({ summary: 'Read SAML settings', description: 'Secured settings only say whether they are set.' })
  @ApiOkResponse({ type: SettingsValuesResponse })
  async values(@Query() params: SettingsValuesParams): Promise<SettingsValuesResponse> {
    const settings = await this.saml.values(params.keys?.length ? params.keys : undefined);
    return {
      settings: settings.map((s) => ({ ...s })),
      setSecuredSettings: settings.filter((s) => s.secured && s.hasValue).map((s) => s.key),
    };
  }

  @Post('set')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a SAML setting',
    description:
      'The value is checked first: URLs, certificates and private keys must parse; signing requests needs both service provider certificate and key.',
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiNoContentResponse()
  async set(@Body() params: SetSettingParams): Promise<void> {
    await this.saml.set(params.key, params.value);
  }

  @Post('reset')
  @HttpCode(204)
  @ApiOperation({ summary: 'Reset SAML settings to their defaults' })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiNoContentResponse()
  async reset(@Body() params: ResetSettingsParams): Promise<void> {
    await this.saml.reset(params.keys);
  }
}
