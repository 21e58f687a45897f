/**
 * The buyers of the intake benchmark: 38 countries with their cities, people, legal forms, trade
 * words, web domains and mobile numbering, and a generator of distinct company names drawn from
 * them. Everything comes from a seeded {@link Random}, so every run sees the same names.
 */
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js';
import { slug } from '../src/cli/history/countries';
import { Random } from '../src/cli/history/random';

type Language =
  | 'en'
  | 'de'
  | 'fr'
  | 'es'
  | 'pt'
  | 'it'
  | 'nl'
  | 'pl'
  | 'sv'
  | 'tr'
  | 'ru'
  | 'vi'
  | 'id'
  | 'ja'
  | 'ko'
  | 'zh';

export interface BenchCountry {
  code: string;
  name: string;
  language: Language;
  weight: number;
  cities: string[];
  first: string[];
  last: string[];
  /** Legal forms as people write them; a leading one ends with a space ("OOO "). */
  forms: string[];
  tlds: string[];
  /** E.164 mobile prefixes and how many digits follow. */
  mobiles: Array<[prefix: string, digits: number]>;
  /** Syllables that give brand names a local sound, on top of the shared ones. */
  sounds: string[];
  /** Names written in the country's own script (CJK), in share of its companies. */
  nativeScript?: number;
}

const list = (text: string) => text.split(',').map((item) => item.trim());

/** Trade words by language: the shared words (Trading, Industrial…) most names carry. */
const TRADES: Record<Language, string[]> = {
  en: list(
    'Trading, General Trading, Industrial, Industrial Supplies, Engineering, Valves, Pumps, Flow Control, Solar, Solar Energy, Power Systems, Lighting, LED Lighting, Electric, Electrical Supplies, Import & Export, Technologies, Hardware, Building Materials, Water Technology, Energy, Machinery',
  ),
  de: list(
    'Armaturen, Pumpentechnik, Handel, Industrietechnik, Elektrotechnik, Solartechnik, Lichttechnik, Haustechnik, Energietechnik, Anlagenbau, Industriebedarf, Wassertechnik',
  ),
  fr: list(
    'Industrie, Négoce, Équipements, Robinetterie, Pompes, Énergie Solaire, Éclairage, Électricité, Distribution, Matériaux, Import Export, Technologies',
  ),
  es: list(
    'Válvulas, Comercial, Industrial, Suministros Industriales, Bombas, Energía Solar, Iluminación, Eléctrica, Distribuciones, Importaciones, Ingeniería, Ferretería',
  ),
  pt: list(
    'Válvulas, Comércio, Industrial, Bombas, Energia Solar, Iluminação, Elétrica, Distribuidora, Importação e Exportação, Engenharia, Materiais Elétricos',
  ),
  it: list(
    'Valvole, Commerciale, Industriale, Pompe, Energia Solare, Illuminazione, Elettrica, Forniture Industriali, Impianti, Tecnologie, Rubinetteria',
  ),
  nl: list(
    'Handel, Techniek, Installatietechniek, Pompen, Zonne-energie, Verlichting, Elektrotechniek, Industrie, Groothandel, Afsluiters',
  ),
  pl: list(
    'Handel, Technika, Armatura, Pompy, Energia Słoneczna, Oświetlenie, Elektro, Przemysł, Hurtownia, Instalacje',
  ),
  sv: list(
    'Handel, Teknik, Ventiler, Pumpar, Solenergi, Belysning, Elteknik, Industri, Installation, Energi',
  ),
  tr: list(
    'Vana, Pompa, Solar Enerji, Aydınlatma, Elektrik, Makina, Mühendislik, İnşaat, Dış Ticaret, Enerji, Sanayi ve Ticaret',
  ),
  ru: list(
    'Trade, Prom, Energo, Tekhnika, Armatura, Nasos, Svet, Elektro, Snab, Stroy, Industrial',
  ),
  vi: list(
    'Thương Mại, Xuất Nhập Khẩu, Kỹ Thuật, Điện, Năng Lượng Mặt Trời, Chiếu Sáng, Công Nghiệp, Thiết Bị, Van, Bơm',
  ),
  id: list(
    'Trading, Teknik, Elektrik, Energi Surya, Penerangan, Industri, Perkasa, Sejahtera, Mandiri, Abadi, Makmur, Jaya',
  ),
  ja: list(
    'Industries, Trading, Electric, Engineering, Shoji, Denki, Kogyo, Sangyo, Seiki, Tsusho',
  ),
  ko: list(
    'Industrial, Trading, Electric, Engineering, Tech, Energy, Valve, Pump, Lighting, Systems',
  ),
  zh: list(
    'Trading, Industrial, Electronics, Lighting, Hardware, Valve, Pump, Solar, Technology, Engineering, Import & Export, International',
  ),
};

/** Trade words in the country's own script, for the names written in it. */
const NATIVE_TRADES: Partial<Record<Language, string[]>> = {
  ja: list('工業, 商事, 電機, 産業, 精工, 電気, 技研, 通商, 機工, 興業'),
  ko: list('산업, 전기, 기계, 무역, 에너지, 조명, 테크, 정밀, 엔지니어링'),
  zh: list('照明, 电子, 贸易, 五金, 阀门, 泵业, 光电, 新能源, 电器, 机电, 实业, 进出口'),
};
const NATIVE_BRANDS: Partial<Record<Language, string[]>> = {
  ja: list(
    '東洋, 大和, 日本, 三和, 共栄, 富士, 光, 山田, 中村, 北陸, 東邦, 新栄, 昭和, 太平, 関西, 丸善, 旭, 平和, 協和, 明治',
  ),
  ko: list(
    '대한, 한국, 삼화, 동양, 신성, 현대, 세진, 한빛, 우리, 대성, 성진, 태양, 동아, 금강, 한일, 서울',
  ),
  zh: list(
    '光, 明, 华, 盛, 鑫, 泰, 宏, 达, 恒, 源, 新, 昌, 隆, 丰, 金, 利, 通, 远, 创, 佳, 美, 德, 兴, 力, 科, 威, 海, 天, 长, 永',
  ),
};
const NATIVE_CITIES: Partial<Record<Language, string[]>> = {
  zh: list('深圳市, 宁波市, 广州市, 东莞市, 温州市, 佛山市, 中山市, 厦门市, 香港, 台北'),
  ja: list('東京, 大阪, 名古屋, 横浜'),
};
const NATIVE_FORMS: Partial<Record<Language, string[]>> = {
  ja: list('株式会社, 有限会社, 合同会社'),
  ko: list('주식회사, 유한회사'),
  zh: list('有限公司, 股份有限公司, 有限责任公司, 有限公司, 有限公司'),
};

/** The legal forms of the names written in the country's own script. */
export const nativeFormsOf = (country: BenchCountry): string[] => [
  ...new Set(NATIVE_FORMS[country.language] ?? []),
];

/** Shared brand syllables: every country's names draw on these too, so trigrams overlap a lot. */
const SOUNDS = list(
  'ka, ro, mi, ta, ne, vo, lu, si, be, da, al, an, ar, el, en, in, on, or, ma, ra, sa, ti, no, ve, lo, te, ri, co, de, li, na, mar, tor, len, ver, tec, pro, max, star, sun, nor, sol, flo',
);

/**
 * One country a line: code | name | language | weight | cities | first names | last names | legal
 * forms (separated by `;`) | web TLDs | mobile prefixes (E.164 prefix:digits that follow) | brand syllables | share of
 * names in the country's own script. A form ending in `_` leads the name: "OOO_" → "OOO Name".
 */
const TABLE = [
  'AE | United Arab Emirates | en | 8 | Dubai, Sharjah, Abu Dhabi, Ajman | Ahmed, Mohammed, Khalid, Fatima, Rashid, Yousef, Aisha, Rajeev, Priya | Al-Farsi, Al-Mansoori, Al-Hashimi, Al-Suwaidi, Khan, Menon, Haddad, Qasim, Nair | LLC; L.L.C.; FZE; FZCO; FZ-LLC | ae, com | +97150:7 +97152:7 +97155:7 +97156:7 | gulf, noor, fal, zah, ras, kha, sha, jab, ami, oasis',
  'SA | Saudi Arabia | en | 6 | Riyadh, Jeddah, Dammam, Khobar | Abdullah, Faisal, Saud, Turki, Nasser, Majed, Sultan, Noura | Al-Qahtani, Al-Otaibi, Al-Ghamdi, Al-Harbi, Al-Dosari, Al-Zahrani, Al-Shehri | Co. Ltd; Est.; Co.; LLC | com.sa, sa | +96650:7 +96653:7 +96654:7 +96655:7 +96656:7 | najd, waha, jaz, hej, bin, saf, tab, qas',
  'EG | Egypt | en | 3 | Cairo, Alexandria, Giza, Port Said | Mohamed, Ahmed, Mahmoud, Mostafa, Yasmin, Hany, Tarek | Hassan, Ibrahim, El-Sayed, Fathy, Abdelrahman, Nasser | S.A.E.; Co.; LLC | com.eg | +2010:8 +2011:8 +2012:8 +2015:8 | nil, delta, misr, sina, ham, far',
  'TR | Türkiye | tr | 5 | İstanbul, İzmir, Bursa, Ankara, Konya | Mehmet, Mustafa, Ahmet, Ayşe, Fatma, Emre, Burak, Zeynep | Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Öztürk, Aydın | A.Ş.; Ltd. Şti.; San. ve Tic. Ltd. Şti.; San. ve Tic. A.Ş. | com.tr | +90532:7 +90542:7 +90505:7 +90553:7 | ana, ege, yıl, çel, öz, kar, akd, bos, gök',
  'DE | Germany | de | 8 | Hamburg, München, Berlin, Köln, Düsseldorf, Stuttgart, Bremen | Thomas, Michael, Stefan, Julia, Katrin, Andreas, Markus, Jörg, Sabine | Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schäfer, Köhler | GmbH; GmbH & Co. KG; AG; KG; e.K.; UG (haftungsbeschränkt) | de | +49151:8 +49152:8 +49160:7 +49170:7 +49171:7 +49176:8 | berg, stein, wald, mann, heim, hof, brück, würth, kraft, lux, rhein, elb, nord',
  'AT | Austria | de | 2 | Wien, Graz, Linz, Salzburg | Lukas, Florian, Anna, Katharina, Josef, Martin | Gruber, Huber, Bauer, Wagner, Pichler, Steiner | GmbH; Ges.m.b.H.; KG; AG | at | +43664:7 +43676:7 +43699:8 | alp, donau, tirol, stei, inn',
  'GB | United Kingdom | en | 6 | London, Manchester, Birmingham, Leeds, Glasgow | James, Oliver, Sarah, Emma, David, Daniel, Charlotte | Smith, Jones, Taylor, Brown, Williams, Wilson, Evans | Ltd; Limited; Ltd.; PLC; LLP; & Co. Ltd | co.uk, com | +4474:8 +4475:8 +4477:8 +4478:8 +4479:8 | brit, ford, ton, ley, wick, shire, crown, thames',
  'FR | France | fr | 5 | Paris, Lyon, Marseille, Lille, Toulouse, Nantes | Jean, Pierre, Marie, Sophie, Nicolas, Camille, Julien | Dupont, Martin, Bernard, Dubois, Moreau, Lefèvre, Girard | SARL; SAS; S.A.; SA; EURL; SASU | fr | +336:8 +337:8 | beau, mont, val, chât, lumi, ère, ique, ette',
  'IT | Italy | it | 4 | Milano, Torino, Bologna, Napoli, Verona | Marco, Luca, Giulia, Francesca, Alessandro, Paolo | Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo | S.r.l.; S.p.A.; Srl; SpA; S.a.s. | it | +39320:7 +39333:7 +39340:7 +39347:7 +39380:7 | ital, ferr, bell, tori, vene, lomb, tecno',
  'ES | Spain | es | 4 | Madrid, Barcelona, Valencia, Sevilla, Bilbao | José, Antonio, María, Carmen, Javier, Lucía | García, Fernández, González, Rodríguez, López, Martínez, Sánchez | S.L.; S.A.; SL; S.L.U.; SA | es | +346:8 | ibér, cast, sol, mar, montes, río',
  'PT | Portugal | pt | 2 | Lisboa, Porto, Braga, Aveiro | João, Pedro, Ana, Inês, Rui, Tiago | Silva, Santos, Ferreira, Pereira, Oliveira, Costa | Lda.; S.A.; Unipessoal Lda. | pt | +35191:7 +35192:7 +35193:7 +35196:7 | lus, tejo, douro, atl',
  'NL | Netherlands | nl | 3 | Rotterdam, Amsterdam, Eindhoven, Utrecht | Jan, Pieter, Sanne, Lotte, Bram, Daan | de Jong, Jansen, de Vries, van den Berg, Bakker, Visser | B.V.; BV; N.V.; VOF | nl | +316:8 | hol, dijk, maas, polder, zee',
  'PL | Poland | pl | 3 | Warszawa, Kraków, Gdańsk, Poznań, Wrocław | Piotr, Krzysztof, Anna, Katarzyna, Tomasz, Agnieszka | Nowak, Kowalski, Wiśniewski, Wójcik, Kamiński, Lewandowski | Sp. z o.o.; sp. z o.o.; S.A.; Sp.k. | pl | +48500:6 +48501:6 +48601:6 +48660:6 +48691:6 +48792:6 | pol, wis, prz, ska, tech, bud',
  'SE | Sweden | sv | 2 | Stockholm, Göteborg, Malmö, Uppsala | Erik, Lars, Anna, Karin, Johan, Sofia | Andersson, Johansson, Karlsson, Nilsson, Eriksson, Larsson | AB; Aktiebolag | se | +4670:7 +4672:7 +4673:7 +4676:7 | nord, sven, fjord, skog, ström, björk',
  'RU | Russia | ru | 3 | Moskva, Sankt-Peterburg, Kazan, Novosibirsk, Yekaterinburg | Aleksandr, Dmitry, Sergey, Elena, Olga, Ivan | Ivanov, Smirnov, Kuznetsov, Popov, Sokolov, Volkova | OOO_; LLC; AO_; OOO_; JSC | ru | +7916:7 +7925:7 +7903:7 +7985:7 | volg, ural, sib, neva, ross, mos, rus',
  'US | United States | en | 6 | Houston, Chicago, Miami, Los Angeles, Atlanta, Dallas | John, Michael, Jennifer, Jessica, Robert, Chris, Ashley | Johnson, Miller, Davis, Garcia, Rodriguez, Anderson, Thomas | Inc.; LLC; Corp.; Corporation; Co.; Inc | com, us | +1212:7 +1305:7 +1312:7 +1713:7 +1404:7 +1214:7 | amer, star, eagle, lib, tex, pac, atl',
  'CA | Canada | en | 2 | Toronto, Vancouver, Montréal, Calgary | Liam, Noah, Emily, Olivia, William, Benjamin | Tremblay, Roy, Gagnon, MacDonald, Wilson, Côté | Inc.; Ltd.; Ltée; Corp. | ca | +1416:7 +1604:7 +1514:7 +1403:7 | maple, can, nord, pac, lac',
  'MX | Mexico | es | 4 | Monterrey, Guadalajara, Ciudad de México, Puebla, Querétaro | Juan, Luis, Guadalupe, Alejandra, Carlos, Fernanda | Hernández, López, Martínez, Ramírez, Flores, Torres | S.A. de C.V.; SA de CV; S. de R.L. de C.V. | com.mx, mx | +5255:8 +5281:8 +5233:8 | azt, maya, norte, sol, aguila',
  'BR | Brazil | pt | 5 | São Paulo, Rio de Janeiro, Curitiba, Porto Alegre, Belo Horizonte | Lucas, Gabriel, Mariana, Fernanda, Rafael, Bruno | Silva, Souza, Oliveira, Pereira, Lima, Carvalho | Ltda.; LTDA; S.A.; EIRELI; ME | com.br | +55119:8 +55219:8 +55419:8 +55519:8 | bras, tupi, sul, paul, ama',
  'CL | Chile | es | 2 | Santiago, Valparaíso, Concepción, Antofagasta | Matías, Sebastián, Catalina, Javiera, Felipe | Muñoz, Rojas, Díaz, Soto, Contreras, Silva | SpA; Ltda.; S.A. | cl | +569:8 | andes, pac, cord, sur',
  'CO | Colombia | es | 2 | Bogotá, Medellín, Cali, Barranquilla | Andrés, Santiago, Valentina, Daniela, Camilo | Rodríguez, Gómez, Díaz, Restrepo, Vargas, Castro | S.A.S.; SAS; Ltda.; S.A. | com.co, co | +57300:7 +57310:7 +57315:7 +57320:7 | andi, col, cafe, carib',
  'PE | Peru | es | 2 | Lima, Arequipa, Trujillo, Callao | Jorge, Carlos, Rosa, Milagros, Diego | Quispe, Flores, Mamani, Huamán, Chávez, Ramos | S.A.C.; E.I.R.L.; S.A. | com.pe, pe | +519:8 | inca, andes, pac, sur',
  'NG | Nigeria | en | 4 | Lagos, Abuja, Port Harcourt, Kano, Ibadan | Chukwuemeka, Oluwaseun, Ngozi, Adebayo, Funmilayo, Ibrahim | Okafor, Adeyemi, Okonkwo, Balogun, Eze, Bello | Ltd; Limited; Nig. Ltd | com.ng, ng, com | +234803:7 +234805:7 +234806:7 +234813:7 +234809:7 | ola, chi, ade, oba, naija, eko',
  'KE | Kenya | en | 2 | Nairobi, Mombasa, Kisumu, Nakuru | Wanjiru, Otieno, Kamau, Achieng, Mwangi | Kariuki, Odhiambo, Njoroge, Wambui, Kiptoo | Ltd; Limited | co.ke | +254710:6 +254722:6 +254733:6 +254701:6 | simba, jambo, tana, rift',
  'ZA | South Africa | en | 3 | Johannesburg, Cape Town, Durban, Pretoria | Thabo, Sipho, Johan, Pieter, Lerato, Zanele | Nkosi, Dlamini, van der Merwe, Botha, Naidoo, Mokoena | (Pty) Ltd; Pty Ltd; CC; Ltd | co.za | +2782:7 +2783:7 +2772:7 +2776:7 | cape, zulu, vaal, karoo, ubu',
  'MA | Morocco | fr | 2 | Casablanca, Tanger, Rabat, Marrakech | Youssef, Mehdi, Fatima-Zahra, Salma, Omar | El Amrani, Benali, Alaoui, Bennani, Tazi | SARL; S.A.; SARL AU | ma | +2126:8 | atlas, maghr, sahar, rif',
  'IN | India | en | 6 | Mumbai, Delhi, Chennai, Ahmedabad, Pune, Bengaluru | Rahul, Amit, Priya, Anjali, Vikram, Suresh, Deepak | Sharma, Patel, Gupta, Singh, Reddy, Iyer, Mehta | Pvt. Ltd.; Private Limited; Pvt Ltd; LLP | in, co.in, com | +9198:8 +9199:8 +9197:8 +9170:8 +9181:8 | shri, laxmi, ganga, bharat, surya, om, jai',
  'PK | Pakistan | en | 2 | Karachi, Lahore, Faisalabad, Sialkot | Ali, Usman, Ayesha, Hamza, Bilal | Qureshi, Malik, Chaudhry, Butt, Sheikh | (Pvt.) Ltd.; Pvt Ltd; & Co. | com.pk, pk | +92300:7 +92321:7 +92333:7 +92345:7 | indus, pak, noor, raz',
  'BD | Bangladesh | en | 2 | Dhaka, Chittagong, Gazipur, Khulna | Rahim, Karim, Nasrin, Tanvir, Farhana | Hossain, Rahman, Islam, Ahmed, Chowdhury | Ltd.; Limited | com.bd | +88017:8 +88018:8 +88019:8 +88015:8 | bangla, padma, meghna, sonar',
  'VN | Vietnam | vi | 3 | Hà Nội, Hồ Chí Minh, Đà Nẵng, Hải Phòng | Minh, Hùng, Lan, Hương, Tuấn, Thảo | Nguyễn, Trần, Lê, Phạm, Hoàng, Vũ | Công ty TNHH_; Công ty Cổ phần_; Co., Ltd; JSC | vn, com.vn | +8490:7 +8491:7 +8498:7 +8497:7 | viet, sai, long, phu, an, thanh',
  'TH | Thailand | en | 2 | Bangkok, Chonburi, Chiang Mai, Rayong | Somchai, Suda, Anan, Niran, Ploy | Srisuk, Chaiyaporn, Wongsawat, Rattanakorn, Boonmee | Co., Ltd.; Public Co., Ltd.; Ltd. Part.; Co.,Ltd. | co.th | +6681:7 +6689:7 +6662:7 +6698:7 | siam, thai, chao, sri, wat',
  'MY | Malaysia | en | 2 | Kuala Lumpur, Penang, Johor Bahru, Shah Alam | Ahmad, Siti, Wei Ming, Kumar, Nurul | Abdullah, Tan, Lim, Raj, Ismail | Sdn. Bhd.; Sdn Bhd; Bhd. | com.my, my | +6012:7 +6013:7 +6016:7 +6017:7 | maju, jaya, mega, tanah, bumi',
  'ID | Indonesia | id | 3 | Jakarta, Surabaya, Bandung, Medan, Semarang | Budi, Agus, Siti, Dewi, Rudi, Wahyu | Santoso, Wijaya, Hidayat, Saputra, Kusuma, Halim | PT_; PT._; CV_ | co.id, id | +62811:8 +62812:8 +62813:8 +62857:8 | nusa, indo, sinar, karya, cipta, bumi',
  'PH | Philippines | en | 2 | Manila, Cebu, Davao, Makati | Jose, Maria, Mark, Angelica, Paolo | Santos, Reyes, Cruz, Bautista, Garcia | Inc.; Corp.; Corporation; Co. | com.ph, ph | +63917:7 +63918:7 +63927:7 +63998:7 | luz, mindanao, bay, isla',
  'AU | Australia | en | 3 | Sydney, Melbourne, Brisbane, Perth, Adelaide | Jack, Lachlan, Chloe, Mia, Tom, Hannah | Smith, Nguyen, Wilson, Taylor, Kelly, Walker | Pty Ltd; Pty. Ltd.; Ltd | com.au | +614:8 | aus, oz, koala, coral, south',
  'JP | Japan | ja | 3 | Tokyo, Osaka, Nagoya, Yokohama, Kobe | Hiroshi, Takashi, Yui, Haruka, Kenji, Akiko | Tanaka, Suzuki, Takahashi, Watanabe, Yamamoto, Nakamura | Co., Ltd.; K.K.; Corporation; Inc.; Co.,Ltd. | co.jp, jp | +8190:8 +8180:8 +8170:8 | yama, kawa, shin, taka, naka, sumi, mitsu | 0.3',
  'KR | South Korea | ko | 2 | Seoul, Busan, Incheon, Daegu, Ulsan | Min-jun, Seo-yeon, Ji-hoon, Ha-eun, Dong-hyun | Kim, Lee, Park, Choi, Jung, Kang | Co., Ltd.; Corp.; Inc.; Co.,Ltd | co.kr, kr | +8210:8 | han, dae, sung, jin, hyun, dong | 0.3',
  'HK | Hong Kong | zh | 3 | Hong Kong, Kowloon, Kwun Tong, Tsuen Wan | Wing, Ka Ming, Mei Ling, Chi Keung, Wai Man | Chan, Wong, Leung, Cheung, Lau, Ho | Limited; Co., Ltd.; Company Limited; Ltd; Co. Ltd | com.hk, hk | +8525:7 +8526:7 +8529:7 | wah, hing, fung, lee, kwong, tai, shun | 0.35',
];

export const BENCH_COUNTRIES: BenchCountry[] = TABLE.map((line) => {
  const [code, name, language, weight, cities, first, last, forms, tlds, mobiles, sounds, native] =
    line.split(' | ');
  return {
    code,
    name,
    language: language as Language,
    weight: Number(weight),
    cities: list(cities),
    first: list(first),
    last: list(last),
    forms: forms.split('; ').map((form) => form.replace(/_$/, ' ')),
    tlds: list(tlds),
    mobiles: mobiles.split(' ').map((m) => {
      const [prefix, digits] = m.split(':');
      return [prefix, Number(digits)] as [string, number];
    }),
    sounds: list(sounds),
    nativeScript: native ? Number(native) : undefined,
  };
});

const totalWeight = BENCH_COUNTRIES.reduce((sum, c) => sum + c.weight, 0);

export function pickCountry(random: Random): BenchCountry {
  let roll = random.next() * totalWeight;
  for (const country of BENCH_COUNTRIES) {
    roll -= country.weight;
    if (roll < 0) return country;
  }
  return BENCH_COUNTRIES[BENCH_COUNTRIES.length - 1];
}

const capitalize = (word: string) => word.charAt(0).toLocaleUpperCase('en') + word.slice(1);

/** A coined brand word, 2 or 3 syllables: "Norlumax", "Steinvo". */
function brand(random: Random, country: BenchCountry): string {
  const syllable = () => (random.chance(0.35) ? random.pick(country.sounds) : random.pick(SOUNDS));
  const parts = random.chance(0.55) ? 2 : 3;
  let word = '';
  for (let i = 0; i < parts; i++) word += syllable();
  return capitalize(word.replace(/(.)\1\1/g, '$1$1'));
}

export interface BenchCompany {
  country: BenchCountry;
  /** As written on the card or the sign-up form. */
  name: string;
  /** Distinctive part, for domains and e-mail addresses: "Norlumax Valves". */
  stem: string;
  /** The legal form as written, empty when none. */
  form: string;
  /** The name is in CJK script. */
  native: boolean;
}

function nativeName(random: Random, country: BenchCountry): Omit<BenchCompany, 'country'> {
  const lang = country.language;
  const brands = NATIVE_BRANDS[lang] as string[];
  const word = random.pick(brands) + (random.chance(0.7) ? random.pick(brands) : '');
  const trade = random.pick(NATIVE_TRADES[lang] as string[]);
  const city = NATIVE_CITIES[lang] && random.chance(0.6) ? random.pick(NATIVE_CITIES[lang]) : '';
  const form = random.pick(NATIVE_FORMS[lang] as string[]);
  const leading = lang !== 'zh' && random.chance(0.4);
  const core = `${city}${word}${trade}`;
  const name = leading ? `${form}${core}` : `${core}${form}`;
  return { name, stem: brand(random, country), form, native: true };
}

function latinName(random: Random, country: BenchCountry): Omit<BenchCompany, 'country'> {
  const trade = random.pick(TRADES[country.language]);
  const form = random.chance(0.9) ? random.pick(country.forms) : '';
  let core: string;
  const shape = random.next();
  if (shape < 0.4) core = `${brand(random, country)} ${trade}`;
  else if (shape < 0.6) core = `${random.pick(country.cities)} ${brand(random, country)} ${trade}`;
  else if (shape < 0.72) core = `${brand(random, country)} ${brand(random, country)} ${trade}`;
  else if (shape < 0.86) core = `${random.pick(country.last)} ${brand(random, country)} ${trade}`;
  else if (shape < 0.95) core = brand(random, country);
  else core = `${brand(random, country)} & ${random.pick(country.last)} ${trade}`;
  const stem = core.replace(/ & .*$/, '');
  if (form.endsWith(' ')) return { name: `${form}${core}`, stem, form: form.trim(), native: false };
  const glue = form.startsWith('&') || form.startsWith('(') ? ' ' : random.chance(0.2) ? ', ' : ' ';
  return { name: form ? `${core}${glue}${form}` : core, stem, form, native: false };
}

/**
 * Companies with distinct names (compared without their legal form, case and spacing), so every
 * lead row and every indexed account is a different business.
 */
export function companies(random: Random): () => BenchCompany {
  const seen = new Set<string>();
  return () => {
    for (;;) {
      const country = pickCountry(random);
      const drawn =
        country.nativeScript && random.chance(country.nativeScript)
          ? nativeName(random, country)
          : latinName(random, country);
      const key = `${country.code}|${(drawn.form ? drawn.name.replace(drawn.form, '') : drawn.name)
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, '')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      return { country, ...drawn };
    }
  };
}

/** A mobile number valid for the country, written as people type it; undefined after a few misses. */
export function mobile(random: Random, country: BenchCountry): string | undefined {
  for (let attempt = 0; attempt < 6; attempt++) {
    const [prefix, digits] = random.pick(country.mobiles);
    const e164 = `${prefix}${random.digits(digits)}`;
    if (!isValidPhoneNumber(e164)) continue;
    const parsed = parsePhoneNumberFromString(e164);
    if (!parsed) continue;
    const style = random.next();
    if (style < 0.45) return parsed.formatInternational();
    if (style < 0.75) return parsed.formatNational();
    return e164;
  }
  return undefined;
}

/** "Norlumax Valves" in Germany → norlumax-valves.de; claimed once per run. */
export function domains(): (stem: string, country: BenchCountry, random: Random) => string {
  const taken = new Set<string>();
  return (stem, country, random) => {
    const base = slug(stem).replace(random.chance(0.6) ? /-/g : /^$/, '') || 'company';
    const tld = random.pick(country.tlds);
    let domain = `${base}.${tld}`;
    for (let n = 2; taken.has(domain); n++) domain = `${base}${n}.${tld}`;
    taken.add(domain);
    return domain;
  };
}
