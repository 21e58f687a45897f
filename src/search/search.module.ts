import { Module } from '@nestjs/common';
import { SearchController } from './search.controller';

/** `GET /api/search`, over the search-index read model. */
@Module({ controllers: [SearchController] })
export class SearchModule {}
