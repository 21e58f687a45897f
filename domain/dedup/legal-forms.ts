const list = (text: string): readonly string[] => text.split(',').map((form) => form.trim());

/**
 * Legal forms, written as the tokens normalization produces: lower-case, accents and dots gone,
 * runs of single letters joined (S.A. → sa, Sp. z o.o. → sp zoo, S.r.l. → srl). Combinations such
 * as "Co., Ltd." or "GmbH & Co. KG" are removed one form at a time.
 */
export const TRAILING_LEGAL_FORMS = list(
  // German-speaking
  'gmbh, mbh, ag, kg, kgaa, ohg, ug, ev, gbr, se,' +
    // English-speaking
    'ltd, limited, co, company, corp, corporation, inc, incorporated, llc, llp, lp, plc, pllc,' +
    'pty, pte, pvt, private limited,' +
    // Romance languages
    'sa, sas, sasu, sarl, eurl, sca, snc, srl, srls, spa, sapa, sl, slu, sau, ltda, eireli,' +
    'cia, sa de cv, sab de cv, de cv,' +
    // Benelux and the Nordics
    'bv, nv, vof, cv, oy, oyj, ab, as, asa, aps,' +
    // Central and Eastern Europe
    'sp zoo, sp z oo, spzoo, sp k, sro, doo, dd, ad, ead, eood, kft, zrt, nyrt, bt,' +
    'ooo, zao, oao, pao, jsc, ojsc, cjsc, pjsc, tov,' +
    // Asia
    'kk, kabushiki kaisha, yk, gk, sdn bhd, bhd, tbk',
);

/** Forms the law puts before the name in some countries (OOO Romashka, PT Maju, Công ty TNHH …). */
export const LEADING_LEGAL_FORMS = list(
  'the, ooo, zao, oao, pao, tov, pt, cv, kabushiki kaisha, cong ty tnhh, cong ty co phan, cong ty',
);

/**
 * CJK forms, cut from the end of the text even without a space before them, since these scripts
 * write none. 集团 (group) is deliberately absent: a group is not its member company.
 */
export const CJK_TRAILING_LEGAL_FORMS = list(
  '股份有限公司, 有限责任公司, 有限責任公司, 有限公司, 股份公司, 公司,' +
    '株式会社, 有限会社, 合同会社, 유한책임회사, 주식회사, 유한회사',
);

export const CJK_LEADING_LEGAL_FORMS = list('株式会社, 有限会社, 주식회사');

/** Left over between a name and its form: "Smith & Co" → "smith and". */
export const CONNECTORS = list('and, und, et, y, e');
