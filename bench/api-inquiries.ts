/**
 * Request bodies for POST /api/inquiries: every one a different buyer, drawn with the history
 * generator's own countries, products and wording, so the server validates, hashes and encrypts
 * what it would in production.
 */
import { INQUIRY_CHANNELS, InquiryChannel } from '../domain/shared/channels';
import { makeInquiry, makeProspect } from '../src/cli/history/prospects';
import { Random } from '../src/cli/history/random';

export interface InquiryBody {
  channel: InquiryChannel;
  sourceRef: string;
  inquirer: Record<string, string>;
  attachments?: Array<{ sha256: string; filename: string; mime: string; size: number }>;
}

/** An endless supply of distinct bodies; the serial number in sourceRef keeps even look-alikes apart. */
export function inquiryBodies(seed: string): () => string {
  const random = new Random(seed);
  let serial = 0;
  let domains = 0;
  return () => {
    serial++;
    const channel = random.pick(INQUIRY_CHANNELS.filter((c) => c !== 'trade_show'));
    const prospect = makeProspect(random, (domain) => domain.replace('.', `${++domains}.`));
    const content = makeInquiry(random, prospect, channel, Date.now(), () => serial);
    const body: InquiryBody = {
      channel,
      sourceRef: `${content.sourceRef ?? channel}#bench-${serial}`,
      inquirer: content.inquirer as Record<string, string>,
      ...(content.attachments.length > 0 && { attachments: content.attachments }),
    };
    return JSON.stringify(body);
  };
}
