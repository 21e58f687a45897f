import { CommandBus } from '@nestjs/cqrs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExecuteDomainCommand } from '../../src/commands/execute-domain-command';
import { conversionTargets } from '../../src/leads/convert-lead.handler';
import { SUBJECT_KEY_STORE, SubjectKeyStore } from '../../src/personal-data/subject-key-store';
import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

const NOW = new Date('2026-06-15T08:00:00.000Z');
const clock = { now: () => NOW };
const inquiry = (email: string) => ({
  channel: 'website_form',
  inquirer: {
    name: 'Zhang Xiaoming',
    email,
    phone: '+8613812345678',
    company: 'Shenzhen Bright Lighting Co., Ltd.',
    country: 'CN',
    message: 'We need 5,000 LED panels with CE and RoHS',
  },
});

describe('the write path through HTTP', () => {
  let running: RunningApp;
  let rep: ReturnType<typeof httpClient>;
  let intake: ReturnType<typeof httpClient>;
  let teamLead: ReturnType<typeof httpClient>;
  let manager: ReturnType<typeof httpClient>;
  beforeEach(async () => {
    // Streams are pinned event by event; the sagas' own events (lifecycle, tasks) would race.
    running = await startApp(undefined, { clock, env: { RUN_SAGAS: 'false' } });
    rep = httpClient(running.baseUrl, { id: 'u-rep-1', role: 'rep', teamId: 't-gulf' });
    intake = httpClient(running.baseUrl, { id: 'u-import', role: 'intake' });
    teamLead = rep.as({ id: 'u-lead-1', role: 'team_lead', teamId: 't-gulf' });
    manager = rep.as({ id: 'u-mgr-1', role: 'manager' });
  });
  afterEach(() => running.stop());

  describe('back-dating', () => {
    it('lets importers back-date, and such an inquiry starts no SLA clock', async () => {
      const created = await intake.post('/api/inquiries', {
        ...inquiry('old@bright.cn'),
        occurredAt: '2026-03-01T10:00:00Z',
      });
      expect(created.status).toBe(201);
      // Unassigned, the imported lead is for a team lead to triage; no rep sees it yet.
      expect(await rep.get(`/api/leads/${created.body.id}`)).toMatchObject({
        status: 403,
        body: { code: 'auth.record_forbidden' },
      });
      const lead = await teamLead.get(`/api/leads/${created.body.id}`);
      expect(lead.body.state).toMatchObject({
        live: false,
        receivedAt: '2026-03-01T10:00:00.000Z',
      });
      const [event] = (await teamLead.get(`/api/leads/${created.body.id}/history`)).body;
      expect(event.actor).toEqual({ userId: 'intake:u-import', role: 'intake' });
      expect(event).toMatchObject({ occurredAt: '2026-03-01T10:00:00.000Z' });
      expect(Date.parse(event.recordedAt)).toBeGreaterThan(Date.parse('2026-06-01'));
    });

    it('refuses back-dating from a rep, a future time, and a time before the record’s last change', async () => {
      expect(
        (
          await rep.post('/api/inquiries', {
            ...inquiry('x@bright.cn'),
            occurredAt: '2026-03-01T10:00:00Z',
          })
        ).body,
      ).toMatchObject({ status: 403, code: 'command.backdating_not_allowed', field: 'occurredAt' });
      expect(
        (
          await intake.post('/api/inquiries', {
            ...inquiry('x@bright.cn'),
            occurredAt: '2026-07-01T10:00:00Z',
          })
        ).body,
      ).toMatchObject({ status: 400, code: 'command.occurred_at_in_future', field: 'occurredAt' });
      const created = await intake.post('/api/inquiries', {
        ...inquiry('y@bright.cn'),
        occurredAt: '2026-03-01T10:00:00Z',
      });
      const id = created.body.id;
      const backdated = { to: 'u-rep-1', reason: 'import', occurredAt: '2026-02-01T10:00:00Z' };
      // An intake key creates inquiries and nothing else; staff who may assign may not back-date.
      expect(await intake.post(`/api/leads/${id}/owner`, backdated)).toMatchObject({
        status: 403,
        body: { code: 'auth.forbidden' },
      });
      for (const staff of [teamLead, manager]) {
        expect((await staff.post(`/api/leads/${id}/owner`, backdated)).body).toMatchObject({
          status: 403,
          code: 'command.backdating_not_allowed',
        });
      }
      // No HTTP route lets an importer write to an existing record (reported), so the rule is
      // exercised on the command bus, with the envelope an importer's request would carry.
      await expect(
        running.app.get(CommandBus).execute(
          new ExecuteDomainCommand(
            'lead',
            id,
            { type: 'AssignLead', data: { leadId: id, to: 'u-rep-1', reason: 'import' } },
            {
              commandId: 'import-assign-0001',
              actor: { userId: 'intake:u-import', role: 'intake' },
              mayBackdate: true,
              occurredAt: backdated.occurredAt,
            },
          ),
        ),
      ).rejects.toMatchObject({
        code: 'command.occurred_at_before_stream',
        field: 'occurredAt',
        message: expect.stringMatching(/before this record's last change/),
      });
      expect((await manager.get(`/api/leads/${id}/history`)).body).toHaveLength(1);
    });

    it('refuses an occurredAt that is not a date, naming the field', async () => {
      const response = await intake.post('/api/inquiries', {
        ...inquiry('z@bright.cn'),
        occurredAt: 'last tuesday',
      });
      expect(response.body).toMatchObject({ status: 400, field: 'occurredAt' });
    });
  });

  describe('concurrency', () => {
    it('answers a stale If-Match with 409 carrying the current revision, and writes nothing', async () => {
      const { id } = (await rep.post('/api/inquiries', inquiry('c@bright.cn'))).body;
      await rep.post(`/api/leads/${id}/owner`, { to: 'u-rep-1', reason: 'territory' });
      const stale = await rep.post(`/api/leads/${id}/qualify`, {}, { 'if-match': '"0"' });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ code: 'concurrency.conflict', currentRevision: 1 });
      expect((await rep.post(`/api/leads/${id}/qualify`, {}, { 'if-match': '"1"' })).status).toBe(
        200,
      );
      expect(
        (await rep.post(`/api/leads/${id}/qualify`, {}, { 'if-match': 'soon' })).body,
      ).toMatchObject({
        status: 400,
        field: 'If-Match',
      });
    });

    it('lets exactly one of many simultaneous writes at the same revision through', async () => {
      // A manager, who may assign a lead to anyone.
      const { id } = (await manager.post('/api/inquiries', inquiry('d@bright.cn'))).body;
      const attempts = await Promise.all(
        Array.from({ length: 6 }, (_, n) =>
          manager.post(
            `/api/leads/${id}/owner`,
            { to: `u-rep-${n + 2}`, reason: 'race' },
            { 'if-match': '"0"' },
          ),
        ),
      );
      expect(attempts.filter((a) => a.status === 200)).toHaveLength(1);
      expect(attempts.filter((a) => a.status === 409)).toHaveLength(5);
    });
  });

  describe('idempotency and the multi-stream conversion', () => {
    const conversion = {
      newAccount: {
        name: 'Shenzhen Bright Lighting Co., Ltd.',
        country: 'CN',
        website: 'bright-lighting.cn',
        mainProducts: ['LED panels'],
        customerType: 'manufacturer',
        grade: 'B',
      },
      deal: { title: 'LED panels 5,000 pcs', productLine: 'lighting', currency: 'USD' },
    };

    it('a retried create returns the original record and writes nothing twice', async () => {
      const key = { 'idempotency-key': 'inquiry-form-7781' };
      const first = await rep.post('/api/inquiries', inquiry('e@bright.cn'), key);
      const second = await rep.post('/api/inquiries', inquiry('e@bright.cn'), key);
      expect(first.status).toBe(201);
      expect(second.body).toEqual({ ...first.body, replayed: true });
      expect((await rep.get(`/api/leads/${first.body.id}/history`)).body).toHaveLength(1);
    });

    it('refuses a conversion into an unknown account before recording anything on the lead', async () => {
      const { id: leadId } = (await rep.post('/api/inquiries', inquiry('g@bright.cn'))).body;
      await rep.post(`/api/leads/${leadId}/owner`, { to: 'u-rep-1', reason: 'territory' });
      const refused = await rep.post(`/api/leads/${leadId}/convert`, {
        existingAccountId: '01a21a00-0000-7000-8000-000000000000',
        deal: conversion.deal,
      });
      expect(refused.body).toMatchObject({ status: 404, code: 'account.not_found' });
      expect((await rep.get(`/api/leads/${leadId}`)).body.state.status).not.toBe('converted');
    });

    it('completes a conversion that crashed after its first append, without duplicating it', async () => {
      const { id: leadId } = (await rep.post('/api/inquiries', inquiry('f@bright.cn'))).body;
      await rep.post(`/api/leads/${leadId}/owner`, { to: 'u-rep-1', reason: 'territory' });
      const commandId = 'convert-crash-0001';
      // The crash: only the lead's decision reaches the store.
      await running.app.get(CommandBus).execute(
        new ExecuteDomainCommand(
          'lead',
          leadId,
          {
            type: 'ConvertLead',
            data: {
              ...conversion,
              leadId,
              ...conversionTargets(leadId, commandId),
            },
          },
          { commandId, actor: { userId: 'u-rep-1', role: 'rep' } },
        ),
      );
      const { accountId, dealId } = conversionTargets(leadId, commandId);
      expect((await rep.get(`/api/leads/${leadId}`)).body.state.status).toBe('converted');
      expect((await rep.get(`/api/accounts/${accountId}/history`)).status).toBe(404);

      const resumed = await rep.post(`/api/leads/${leadId}/convert`, conversion, {
        'idempotency-key': commandId,
      });
      expect(resumed.status).toBe(201);
      expect(resumed.body).toMatchObject({ accountId, dealId });
      const again = await rep.post(`/api/leads/${leadId}/convert`, conversion, {
        'idempotency-key': commandId,
      });
      expect(again.body).toMatchObject({ ...resumed.body, replayed: true });

      const account = (await rep.get(`/api/accounts/${accountId}/history`)).body;
      expect(account.map((e: { type: string }) => e.type)).toEqual([
        'AccountRegistered',
        'ContactAdded',
      ]);
      const deal = (await rep.get(`/api/deals/${resumed.body.dealId}/history`)).body;
      expect(deal.map((e: { type: string }) => e.type)).toEqual(['DealOpened']);
      expect(deal[0].data).toMatchObject({
        originLeadId: leadId,
        country: 'CN',
        channel: 'website_form',
      });
      const lead = (await rep.get(`/api/leads/${leadId}/history`)).body;
      expect(lead.filter((e: { type: string }) => e.type === 'LeadConverted')).toHaveLength(1);
    });
  });

  describe('personal data', () => {
    it('never stores personal values in plain text, and reads "[erased]" once the key is destroyed', async () => {
      const email = 'unique.person.7731@bright-lighting.cn';
      const { id } = (await rep.post('/api/inquiries', inquiry(email))).body;
      await running.app.get(CommandBus); // the app is up; read the files it wrote
      const files = readdirSync(running.dataDir).filter((name) => name.startsWith('events.sqlite'));
      const bytes = Buffer.concat(files.map((name) => readFileSync(join(running.dataDir, name))));
      for (const secret of [email, 'Zhang Xiaoming', '+8613812345678', 'LED panels with CE']) {
        expect(bytes.includes(Buffer.from(secret))).toBe(false);
      }
      expect(bytes.includes(Buffer.from('Shenzhen Bright Lighting'))).toBe(true);
      expect((await rep.get(`/api/leads/${id}`)).body.state.inquirer.email).toBe(email);

      const keys = running.app.get<SubjectKeyStore>(SUBJECT_KEY_STORE);
      await keys.destroy(`lead:${id}`, {
        erasedAt: NOW.toISOString(),
        erasedBy: 'u-admin',
        requestRef: 'DSR-1',
      });
      const erased = (await rep.get(`/api/leads/${id}`)).body.state.inquirer;
      expect(erased).toMatchObject({
        name: '[erased]',
        email: '[erased]',
        phone: '[erased]',
        message: '[erased]',
        company: 'Shenzhen Bright Lighting Co., Ltd.',
        country: 'CN',
      });
      expect((await rep.get(`/api/leads/${id}/history`)).body[0].data.inquirer.email).toBe(
        '[erased]',
      );
    });
  });
});

describe('durability across a restart', () => {
  it('serves what was written before the restart', async () => {
    const first = await startApp();
    const api = httpClient(first.baseUrl, { id: 'u-rep-1', role: 'rep' });
    const { id } = (await api.post('/api/inquiries', inquiry('restart@bright.cn'))).body;
    await api.post(`/api/leads/${id}/owner`, { to: 'u-rep-1', reason: 'territory' });
    await first.stop({ keepData: true });

    const second = await startApp(first.dataDir);
    try {
      const again = httpClient(second.baseUrl, { id: 'u-rep-1', role: 'rep' });
      const lead = await again.get(`/api/leads/${id}`);
      expect(lead.body).toMatchObject({
        revision: 1,
        state: { ownerId: 'u-rep-1', inquirer: { email: 'restart@bright.cn' } },
      });
      const ops = again.as({ id: 'u-ops-1', role: 'operations' });
      expect((await ops.get('/api/policies')).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
