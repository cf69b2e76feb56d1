import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString } from 'class-validator';
import { SAML_SETTING_DEFINITIONS } from '@nest-scim/saml';
import { OptionalList, RequiredList, RequiredText } from '../web-api-params';

const SAML_KEYS = SAML_SETTING_DEFINITIONS.map((d) => d.key);

export class SettingsValuesParams {
  @OptionalList('keys', {
    description: 'Setting keys; every SAML setting when omitted',
    example: 'sonar.auth.saml.enabled,sonar.auth.saml.loginUrl',
  })
  keys?: string[];
}

export class SetSettingParams {
  @RequiredText('key', {
    description: `Setting key, one of: ${SAML_KEYS.join(', ')}`,
    maxLength: 100,
    example: 'sonar.auth.saml.loginUrl',
  })
  key: string;

  @ApiProperty({
    description: 'New value. Booleans as true/false, certificates and keys as PEM. Reset a setting to clear it',
    example: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2',
  })
  // JSON clients may send a boolean setting as a boolean.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'boolean' ? String(value) : value))
  @IsString({ message: "The 'value' parameter is missing" })
  value: string;
}

export class ResetSettingsParams {
  @RequiredList('keys', { description: 'Setting keys to reset to their defaults', example: 'sonar.auth.saml.enabled' })
  keys: string[];
}

export class SettingJson {
  @ApiProperty({ enum: SAML_KEYS })
  key: string;

  @ApiPropertyOptional({ description: 'The value in force; never present for secured settings' })
  value?: string;

  @ApiProperty({ description: 'A value is in force, stored or default' })
  hasValue: boolean;

  @ApiProperty({ description: 'No value is stored: the default, if any, applies' })
  inherited: boolean;

  @ApiProperty({ description: 'A secret (`*.secured`): its value is never returned' })
  secured: boolean;
}

export class SettingsValuesResponse {
  @ApiProperty({ type: [SettingJson] })
  settings: SettingJson[];

  @ApiProperty({ type: [String], description: 'Secured settings that have a value, as the product lists them' })
  setSecuredSettings: string[];
}
