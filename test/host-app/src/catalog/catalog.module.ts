import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogController } from './catalog.controller';
import { ProductEntity } from './product.entity';

@Module({ imports: [TypeOrmModule.forFeature([ProductEntity])], controllers: [CatalogController] })
export class CatalogModule {}
