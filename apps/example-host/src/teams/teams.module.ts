import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TeamMember } from './team-member.entity';
import { Team } from './team.entity';
import { TeamsController } from './teams.controller';

@Module({ imports: [TypeOrmModule.forFeature([Team, TeamMember])], controllers: [TeamsController] })
export class TeamsModule {}
