import { Module } from '@nestjs/common';
import { WhatIfController } from './what-if.controller';
import { WhatIfService } from './what-if.service';

@Module({ providers: [WhatIfService], controllers: [WhatIfController] })
export class WhatIfModule {}
