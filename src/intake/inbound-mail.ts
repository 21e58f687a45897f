import { AddressObject, simpleParser } from 'mailparser';
import { isEmail } from '../../domain/shared/validation';
import { IntakeProblem } from './intake-problem';

export interface MailAttachment {
  filename?: string;
  mime: string;
  content: Buffer;
}

export interface InboundMail {
  messageId?: string;
  from: { address: string; name?: string };
  /** To, then Cc. */
  recipients: string[];
  /** From the Date header; absent when there is none or it cannot be read. */
  date?: Date;
  subject?: string;
  text?: string;
  attachments: MailAttachment[];
}

const unreadable = (reason: string, field = 'file') =>
  new IntakeProblem('email.unreadable', reason, field);

const addresses = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : [])
    .flatMap((group) => group.value)
    .flatMap((entry) => [entry.address, ...(entry.group ?? []).map((member) => member.address)])
    .filter((address): address is string => isEmail(address));

/**
 * Parses an .eml with mailparser. mailparser reads nearly anything as some message, so a file
 * without headers or without a valid From address is refused here as unreadable.
 */
export async function readMail(bytes: Buffer): Promise<InboundMail> {
  if (bytes.length === 0) throw unreadable('The message is empty');
  let parsed;
  try {
    parsed = await simpleParser(bytes, { skipImageLinks: true, skipTextLinks: true });
  } catch (error) {
    throw unreadable(`The message cannot be parsed: ${(error as Error).message}`);
  }
  if (parsed.headerLines.length === 0) throw unreadable('The message has no header lines');
  const from = parsed.from?.value[0];
  if (!from?.address || !isEmail(from.address)) {
    throw unreadable('The message has no valid From address', 'From');
  }
  // mailparser puts the current time in for a Date header it cannot read; the mail's time matters.
  const dateLine = parsed.headerLines.find((line) => line.key === 'date')?.line;
  const date = dateLine ? new Date(dateLine.slice(dateLine.indexOf(':') + 1).trim()) : undefined;
  return {
    messageId: parsed.messageId?.trim() || undefined,
    from: { address: from.address, name: from.name?.trim() || undefined },
    recipients: [...addresses(parsed.to), ...addresses(parsed.cc)],
    date: date && !Number.isNaN(date.getTime()) ? date : undefined,
    subject: parsed.subject?.trim() || undefined,
    text: parsed.text?.trim() || undefined,
    attachments: parsed.attachments.map((attachment) => ({
      filename: attachment.filename,
      mime: attachment.contentType,
      content: attachment.content,
    })),
  };
}
