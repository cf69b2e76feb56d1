import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReportsController } from './reports.controller';
import { RevenueEntryEntity } from './revenue-entry.entity';

// LicenseGuard comes from the provisioning feature, embedded with `isGlobal`, so nothing is imported for it here.
@Module({ imports: [TypeOrmModule.forFeature([RevenueEntryEntity])], controllers: [ReportsController] })
export class ReportsModule {}
