import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request } from 'express';
import type { Repository } from 'typeorm';
import { Person } from './person.entity';

@Controller('people')
@UseGuards(AuthGuard('bearer'))
export class PeopleController {
  constructor(@InjectRepository(Person) private readonly people: Repository<Person>) {}

  @Get()
  async list(): Promise<{ people: Person[] }> {
    return { people: await this.people.find({ order: { id: 'ASC' } }) };
  }

  /** The signed-in person, as the bearer strategy found them. */
  @Get('me')
  me(@Req() request: Request): Person {
    return request.user as Person;
  }
}
