import { Module } from '@nestjs/common';
import { TeamInsightsController } from './team-insights.controller';

// LicenseGuard and LicenseService come from the SCIM feature, embedded with `isGlobal`.
@Module({ controllers: [TeamInsightsController] })
export class TeamInsightsModule {}
