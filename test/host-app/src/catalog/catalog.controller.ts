import { Body, Controller, Get, Post, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { CreateProductDto } from './create-product.dto';
import { ProductEntity } from './product.entity';

@Controller('products')
@UseGuards(AuthGuard('bearer'))
export class CatalogController {
  constructor(@InjectRepository(ProductEntity) private readonly products: Repository<ProductEntity>) {}

  @Post()
  async create(@Body() dto: CreateProductDto): Promise<{ ok: true; product: ProductEntity }> {
    const product = await this.products.save(this.products.create(dto));
    return { ok: true, product };
  }

  @Get()
  async list(): Promise<{ ok: true; products: ProductEntity[] }> {
    return { ok: true, products: await this.products.find({ order: { id: 'ASC' } }) };
  }
}
