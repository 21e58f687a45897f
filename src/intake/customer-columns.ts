import { ColumnMap, mapHeader, missing } from './lead-columns';

/** Columns of a customer list: the account's profile, its owner and stage, one primary contact. */
const ALIASES = {
  company: [
    'company',
    'companyname',
    'customer',
    'customername',
    'account',
    '公司',
    '公司名称',
    '客户名称',
    '客户',
  ],
  country: ['country', 'countrycode', '国家', '国家地区', '国别'],
  website: ['website', 'web', 'domain', 'url', 'homepage', '网站', '网址', '官网'],
  mainProducts: ['mainproducts', 'products', 'product', '主营产品', '产品'],
  customerType: ['customertype', 'type', '客户类型', '类型'],
  grade: ['grade', 'level', '等级', '客户等级', '级别'],
  sourceChannel: ['sourcechannel', 'source', 'channel', '来源', '来源渠道', '渠道'],
  owner: ['owner', 'ownerid', 'accountowner', '负责人', '业务员'],
  lifecycle: ['lifecycle', 'stage', 'status', '生命周期', '客户阶段', '阶段'],
  timeZone: ['timezone', 'tz', '时区'],
  language: ['language', 'lang', '语言'],
  incoterms: ['incoterms', 'incoterm', '贸易术语', '价格条款'],
  paymentTerms: ['paymentterms', 'payment', 'paymentmethods', '付款方式', '付款条件'],
  purchaseVolumeBand: ['purchasevolumeband', 'purchasevolume', 'volume', '采购量'],
  purchaseCycle: ['purchasecycle', 'cycle', '采购周期'],
  targetMarkets: ['targetmarkets', 'markets', '目标市场'],
  certifications: ['certifications', 'certification', '认证'],
  competitorBrands: ['competitorbrands', 'competitors', '竞品品牌', '竞争品牌'],
  priceSensitivity: ['pricesensitivity', '价格敏感度'],
  leadTimeSensitivity: ['leadtimesensitivity', '交期敏感度'],
  ports: ['ports', 'port', '港口'],
  occurredAt: ['occurredat', 'customersince', 'since', 'createdat', '创建时间', '建档日期'],
  contactName: ['contactname', 'contact', 'contactperson', '联系人', '联系人姓名'],
  contactEmail: ['contactemail', 'email', 'emailaddress', '邮箱', '电子邮件', '电子邮箱'],
  contactPhone: ['contactphone', 'phone', 'tel', 'telephone', 'mobile', '电话', '手机', '联系电话'],
  contactRole: ['contactrole', 'role', '联系人角色', '角色'],
  contactTitle: ['contacttitle', 'title', 'jobtitle', 'position', '职位', '职务'],
} satisfies Record<string, string[]>;

export type CustomerField = keyof typeof ALIASES;
export type CustomerColumns = ColumnMap<CustomerField>;
export type CustomerValues = Partial<Record<CustomerField, string>>;

/** What RegisterAccount cannot do without; the rest defaults or is optional. */
const REQUIRED: [CustomerField, string][] = [
  ['company', 'company / 公司 / 客户名称'],
  ['country', 'country / 国家'],
  ['website', 'website / 网站'],
  ['mainProducts', 'main products / 主营产品'],
  ['customerType', 'customer type / 客户类型'],
  ['grade', 'grade / 等级'],
];

/** Reads the header row of a customer list; throws when a required column is missing. */
export function mapCustomerColumns(header: string[]): CustomerColumns {
  const columns = mapHeader(header, ALIASES);
  for (const [field, spelled] of REQUIRED) {
    if (!columns.headers.has(field)) throw missing(field, `a ${field} column (${spelled})`);
  }
  return columns;
}
