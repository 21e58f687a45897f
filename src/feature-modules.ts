import { Type } from '@nestjs/common';

/** The HTTP feature slices, one module each. */
export const FEATURE_MODULES: Type[] = [];
