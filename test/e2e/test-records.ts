/** A distributor account as a rep registers it by hand: the smallest valid POST /api/accounts body. */
export const GULF_VALVE_ACCOUNT = {
  name: 'Gulf Valve Trading LLC',
  country: 'AE',
  website: 'gulf-valve.ae',
  mainProducts: ['ball valves'],
  customerType: 'distributor',
  sourceChannel: 'alibaba',
  grade: 'B',
};

/** The same company as the account a lead converts into (its source channel comes from the lead). */
export const GULF_VALVE_NEW_ACCOUNT = {
  name: 'Gulf Valve Trading LLC',
  country: 'AE',
  website: 'gulf-valve.ae',
  mainProducts: ['ball valves'],
  customerType: 'distributor',
  grade: 'A',
};
