import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import type { UserTokenView } from '@nest-scim/auth';
import { OptionalText, RequiredText } from '../web-api-params';

const LOGIN_DOC = {
  description: "Login of the token's owner; the caller's own when omitted",
  maxLength: 255,
  example: 'alice',
};

export class GenerateTokenParams {
  @RequiredText('name', { description: 'Token name, unique per user', maxLength: 100, example: 'entra-id' })
  name: string;

  @OptionalText('login', LOGIN_DOC)
  login?: string;

  @applyDecorators(
    ApiPropertyOptional({
      description:
        'When the token stops working: a date (YYYY-MM-DD, from 00:00 UTC that day) or a date and time (ISO 8601). ' +
        'Never, when omitted',
      example: '2027-06-30',
    }),
    IsOptional(),
    IsISO8601(
      { strict: true },
      { message: "The 'expirationDate' parameter must be a date (YYYY-MM-DD) or an ISO 8601 date and time" },
    ),
  )
  expirationDate?: string;
}

export class SearchTokensParams {
  @OptionalText('login', LOGIN_DOC)
  login?: string;
}

export class RevokeTokenParams {
  @RequiredText('name', { description: 'Name of the token to revoke', maxLength: 100, example: 'entra-id' })
  name: string;

  @OptionalText('login', LOGIN_DOC)
  login?: string;
}

export class GeneratedTokenResponse {
  @ApiProperty({ example: 'alice' })
  login: string;

  @ApiProperty({ example: 'entra-id' })
  name: string;

  @ApiProperty({
    description: 'The token itself: shown this once, never again',
    example: 'squ_0123456789abcdef0123456789abcdef01234567',
  })
  token: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ example: 'USER_TOKEN' })
  type: 'USER_TOKEN';

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  expirationDate: Date | null;
}

export class UserTokenJson {
  @ApiProperty({ example: 'entra-id' })
  name: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  lastConnectionDate: Date | null;

  @ApiProperty({ example: 'USER_TOKEN' })
  type: 'USER_TOKEN';

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  expirationDate: Date | null;

  @ApiProperty()
  isExpired: boolean;
}

export class TokensSearchResponse {
  @ApiProperty({ example: 'alice' })
  login: string;

  @ApiProperty({ type: [UserTokenJson], description: 'Never the tokens themselves' })
  userTokens: UserTokenJson[];
}

export function userTokenJson(token: UserTokenView): UserTokenJson {
  return {
    name: token.name,
    createdAt: token.createdAt,
    lastConnectionDate: token.lastConnectionDate,
    type: 'USER_TOKEN',
    expirationDate: token.expiresAt,
    isExpired: token.expired,
  };
}

/** A date alone means from the start of that day, UTC, as the product reads it. */
export function expirationOf(value: string | undefined): Date | null {
  if (value === undefined) return null;
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}
