import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InjectRepository } from '@nestjs/typeorm';
import { Strategy } from 'passport-http-bearer';
import type { Repository } from 'typeorm';
import { Person } from '../people/person.entity';
import { AccessTokensService } from './access-tokens.service';

/**
 * The product's API authentication, under passport's plain `bearer` name as most Nest products register theirs: an
 * access token from the sign-in, of a person who is still active.
 */
@Injectable()
export class PersonBearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(
    private readonly tokens: AccessTokensService,
    @InjectRepository(Person) private readonly people: Repository<Person>,
  ) {
    super();
  }

  async validate(token: string): Promise<Person> {
    const personId = this.tokens.verify(token);
    const person = personId === undefined ? null : await this.people.findOneBy({ id: personId });
    if (!person?.active) throw new UnauthorizedException('Sign in again');
    return person;
  }
}
