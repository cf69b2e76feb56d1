import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { LicenseGuard, RequiresEdition, RequiresFeature } from '@nest-scim/license';
import { RevenueEntryEntity } from './revenue-entry.entity';

/** The host's own Enterprise feature, switched on and off by the license the embedded feature keeps. */
@Controller('reports')
@UseGuards(AuthGuard('bearer'), LicenseGuard)
@RequiresEdition('enterprise')
export class ReportsController {
  constructor(@InjectRepository(RevenueEntryEntity) private readonly entries: Repository<RevenueEntryEntity>) {}

  @Get('revenue')
  @RequiresFeature('revenue-reports')
  async revenue(): Promise<{ ok: true; totalCents: number }> {
    const entries = await this.entries.find();
    return { ok: true, totalCents: entries.reduce((sum, e) => sum + e.amountCents, 0) };
  }
}
