import { Body, ConflictException, Controller, Get, NotFoundException, Param, ParseIntPipe, Post } from '@nestjs/common';
import { UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Person } from '../people/person.entity';
import { CreateTeamDto } from './create-team.dto';
import { TeamMember } from './team-member.entity';
import { Team } from './team.entity';

@Controller('teams')
@UseGuards(AuthGuard('bearer'))
export class TeamsController {
  constructor(
    @InjectRepository(Team) private readonly teams: Repository<Team>,
    @InjectRepository(TeamMember) private readonly members: Repository<TeamMember>,
  ) {}

  @Get()
  async list(): Promise<{ teams: Team[] }> {
    return { teams: await this.teams.find({ order: { id: 'ASC' } }) };
  }

  @Post()
  async create(@Body() dto: CreateTeamDto): Promise<Team> {
    if (await this.teams.existsBy({ name: dto.name })) throw new ConflictException('A team with this name exists');
    return this.teams.save(this.teams.create({ name: dto.name }));
  }

  @Get(':id/members')
  async membersOf(@Param('id', ParseIntPipe) id: number): Promise<{ team: Team; members: Person[] }> {
    const team = await this.teams.findOneBy({ id });
    if (!team) throw new NotFoundException('No such team');
    const rows = await this.members.find({
      where: { teamId: id },
      relations: { person: true },
      order: { personId: 'ASC' },
    });
    return { team, members: rows.map((row) => row.person!) };
  }
}
