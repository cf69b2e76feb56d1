import { Body, Controller, ForbiddenException, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsString, Length } from 'class-validator';
import type { Repository } from 'typeorm';
import { Person } from '../people/person.entity';
import { ACCESS_TOKEN_TTL_SECONDS, AccessTokensService } from './access-tokens.service';

/**
 * What the OpenID Connect callback would hand over once it has checked the identity provider's ID token. This
 * stand-in takes the claim as given: a real product exchanges the authorization code and verifies the token first
 * (openid-client, passport-openidconnect) and keeps everything after that unchanged.
 */
export class OidcCallbackDto {
  @IsString()
  @Length(1, 255)
  preferredUsername: string;
}

export interface AccessTokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Sign-in: the person whose login is the `preferred_username` claim, if they exist and are active. */
@Controller('auth/oidc')
export class OidcSignInController {
  constructor(
    private readonly tokens: AccessTokensService,
    @InjectRepository(Person) private readonly people: Repository<Person>,
  ) {}

  @Post('callback')
  @HttpCode(200)
  async callback(@Body() claims: OidcCallbackDto): Promise<AccessTokenResponse> {
    // Identity providers do not keep the case of a username stable; the product matches it case-insensitively.
    const person = await this.people
      .createQueryBuilder('p')
      .where('LOWER(p.login) = LOWER(:login)', { login: claims.preferredUsername })
      .getOne();
    if (!person) throw new UnauthorizedException('No account for this sign-in');
    if (!person.active) throw new ForbiddenException('This account is deactivated');
    return { accessToken: this.tokens.issue(person.id), tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }
}
