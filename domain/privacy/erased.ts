/** How a personal value reads once its data subject was erased: in events, read models and exports. */
export const ERASED = '[erased]';
