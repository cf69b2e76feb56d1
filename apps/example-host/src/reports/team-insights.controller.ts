import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { LicenseGuard, RequiresEdition, RequiresFeature } from '@nest-scim/license';
import { Team } from '../teams/team.entity';
import { TeamMember } from '../teams/team-member.entity';

/** The license feature that unlocks the product's team insights. */
export const TEAM_INSIGHTS_FEATURE = 'team-insights';

export interface TeamSize {
  team: string;
  members: number;
}

/** The product's own Enterprise feature, switched on and off by the license the embedded SCIM feature keeps. */
@Controller('insights')
@UseGuards(AuthGuard('bearer'), LicenseGuard)
@RequiresEdition('enterprise')
export class TeamInsightsController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('team-sizes')
  @RequiresFeature(TEAM_INSIGHTS_FEATURE)
  async teamSizes(): Promise<{ teams: TeamSize[] }> {
    const rows = await this.dataSource
      .createQueryBuilder()
      .from(Team, 't')
      .leftJoin(TeamMember, 'm', 'm.team_id = t.id')
      .select(['t.name AS team', 'COUNT(m.person_id) AS members'])
      .groupBy('t.id')
      .addGroupBy('t.name')
      .orderBy('t.name', 'ASC')
      .getRawMany<{ team: string; members: number | string }>();
    return { teams: rows.map((row) => ({ team: row.team, members: Number(row.members) })) };
  }
}
