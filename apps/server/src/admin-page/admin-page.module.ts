import { DynamicModule, Module } from '@nestjs/common';
import { ADMIN_PAGE_ROOT, defaultAdminPageRoot } from './admin-page.constants';
import { AdminPageController } from './admin-page.controller';

export interface AdminPageOptions {
  /** Folder of the built page; `dist/apps/admin-page` of the project by default. */
  root?: string;
}

/** The admin page, served as static files by the app itself: no CDN, works offline. */
@Module({})
export class AdminPageModule {
  static forRoot(options: AdminPageOptions = {}): DynamicModule {
    return {
      module: AdminPageModule,
      controllers: [AdminPageController],
      providers: [{ provide: ADMIN_PAGE_ROOT, useValue: options.root ?? defaultAdminPageRoot() }],
    };
  }
}
