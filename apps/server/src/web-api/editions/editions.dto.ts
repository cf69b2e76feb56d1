import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EDITIONS, LicenseInfo } from '@nest-scim/license';
import { RequiredText } from '../web-api-params';

export class SetLicenseParams {
  @RequiredText('license', { description: 'The license key, as the vendor issued it', maxLength: 16384 })
  license: string;
}

export class LicenseResponse {
  @ApiProperty({
    enum: ['none', 'valid', 'expired', 'invalid'],
    description: 'Only a valid license grants its edition and features',
  })
  status: LicenseInfo['status'];

  @ApiProperty({ enum: EDITIONS, description: 'Community when no license is installed' })
  edition: LicenseInfo['edition'];

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Acme' })
  licensee: string | null;

  @ApiProperty({ type: [String], example: ['scim', 'saml'] })
  features: string[];

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  issuedAt: Date | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  expiresAt: Date | null;

  @ApiProperty({ description: 'Valid, and expires within 30 days' })
  expiringSoon: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'The license expires on 2027-06-30' })
  warning: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  installedAt: Date | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why an installed license does not apply' })
  message: string | null;
}

export function licenseJson(info: LicenseInfo): LicenseResponse {
  return {
    status: info.status,
    edition: info.edition,
    licensee: info.licensee,
    features: info.features,
    issuedAt: info.issuedAt,
    expiresAt: info.expiresAt,
    expiringSoon: info.expiringSoon,
    warning:
      info.expiringSoon && info.expiresAt
        ? `The license expires on ${info.expiresAt.toISOString().slice(0, 10)}`
        : null,
    installedAt: info.installedAt,
    message: info.message,
  };
}
