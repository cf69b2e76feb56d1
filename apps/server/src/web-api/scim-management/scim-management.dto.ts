import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OptionalBoolean } from '../web-api-params';

export class EnableScimParams {
  @OptionalBoolean('confirm', {
    description:
      'Must be true: the admin confirms that users and groups become read-only here, owned by the identity provider',
    example: true,
  })
  confirm?: boolean;
}

export class ScimStatusResponse {
  @ApiProperty({ description: 'Users and groups are provisioned through SCIM (the instance is externally managed)' })
  enabled: boolean;

  @ApiPropertyOptional({
    description: "Entra ID's Tenant URL for this server; present when the server knows its public address",
    example: 'https://sonar.example.com/api/scim/v2',
  })
  tenantUrl?: string;
}
