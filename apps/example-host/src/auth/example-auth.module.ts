import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Person } from '../people/person.entity';
import { AccessTokensService } from './access-tokens.service';
import { OidcSignInController } from './oidc-sign-in.controller';
import { PersonBearerStrategy } from './person-bearer.strategy';

@Module({
  imports: [PassportModule, TypeOrmModule.forFeature([Person])],
  controllers: [OidcSignInController],
  providers: [AccessTokensService, PersonBearerStrategy],
})
export class ExampleAuthModule {}
