import { get, getWithEtag, post } from '../api.js';
import { may } from '../access.js';
import { missingRequirements } from '../deal-requirements.js';
import { loadUsers, openStages, stageLabel, userName } from '../directory.js';
import { announce, field, h, link, select, uid } from '../dom.js';
import { duration, money, number } from '../format.js';
import { problemText, t } from '../i18n.js';

const CARDS_PER_COLUMN = 50;

export async function render(container, { session }) {
  const message = h('div', { class: 'board-message', 'aria-live': 'polite' });
  const boardNode = h('div', { class: 'board' });
  container.append(
    h('h1', { text: t('board.title') }),
    h('p', {
      class: 'muted',
      text: may(session.role, 'moveDeals') ? t('board.dragHint') : t('board.readOnly'),
    }),
    message,
    boardNode,
  );
  const [stages] = await Promise.all([openStages(), loadUsers(session.role)]);
  const canMove = may(session.role, 'moveDeals');

  const show = (node) => message.replaceChildren(node);
  const fail = (text) => show(h('div', { class: 'alert', role: 'alert' }, text));

  async function load() {
    const board = await get(`/api/reports/pipeline?limit=${CARDS_PER_COLUMN}`);
    boardNode.replaceChildren(...board.columns.map((column) => columnNode(column)));
  }

  async function move(card, to) {
    const target = stageLabel(stages, to, t);
    try {
      const { data: deal, etag } = await getWithEtag(`/api/deals/${card.id}`);
      // The board is a read model: the deal may have moved since it was drawn.
      if (deal.state.status !== 'open' || deal.state.stage !== card.stage) {
        await load();
        fail(
          t('error.board.moved_meanwhile', {
            stage: stageLabel(
              stages,
              deal.state.status === 'open' ? deal.state.stage : deal.state.status,
              t,
            ),
          }),
        );
        return;
      }
      const missing = missingRequirements(stages, deal.state, to);
      if (missing.length > 0) {
        fail(
          problemText(
            { code: 'deal.stage.requirement_missing', details: { stage: to, missing } },
            { stageLabel: target },
          ),
        );
        return;
      }
      await post(`/api/deals/${card.id}/stage`, { to }, etag ? { 'If-Match': etag } : {});
      await load();
      const text = t('board.moved', { title: card.title, stage: target });
      show(h('p', { class: 'success', role: 'status' }, text));
      announce(text);
      boardNode.querySelector(`[data-deal="${card.id}"] select`)?.focus();
    } catch (error) {
      if (error.code === 'concurrency.conflict') await load();
      fail(error.problem ? problemText(error.problem, { stageLabel: target }) : t('error.network'));
    }
  }

  function columnNode(column) {
    const name = stageLabel(stages, column.stage, t);
    const headingId = uid('col');
    const amounts = Object.entries(column.amounts).map(([currency, minor]) =>
      money(minor, currency),
    );
    const node = h(
      'section',
      { class: 'column', 'aria-labelledby': headingId, dataset: { stage: column.stage } },
      h(
        'header',
        {},
        h('h2', { id: headingId, text: name }),
        h(
          'p',
          { class: 'muted' },
          t('board.cards', { count: number(column.count) }),
          amounts.length ? ` · ${amounts.join(' + ')}` : '',
          column.unpriced ? ` · ${t('board.unpriced', { count: number(column.unpriced) })}` : '',
        ),
      ),
      column.cards.length
        ? h(
            'ol',
            {},
            column.cards.map((card) => h('li', {}, cardNode(card))),
          )
        : h('p', { class: 'muted', text: t('board.empty') }),
      column.more ? h('p', { class: 'muted', text: t('board.more') }) : null,
    );
    if (canMove) {
      node.addEventListener('dragover', (event) => {
        event.preventDefault();
        node.classList.add('drop-target');
      });
      node.addEventListener('dragleave', () => node.classList.remove('drop-target'));
      node.addEventListener('drop', (event) => {
        event.preventDefault();
        node.classList.remove('drop-target');
        const dealId = event.dataTransfer.getData('text/plain');
        const card = findCard(dealId);
        if (card && card.stage !== column.stage) move(card, column.stage);
      });
    }
    return node;
  }

  const cards = new Map();
  const findCard = (id) => cards.get(id);

  function cardNode(card) {
    cards.set(card.id, card);
    const inStage = (Date.now() - Date.parse(card.enteredStageAt)) / 1000;
    const node = h(
      'article',
      {
        class: 'card',
        draggable: canMove ? 'true' : undefined,
        dataset: { deal: card.id, stage: card.stage },
      },
      h('h3', {}, link(`#/deals/${card.id}`, card.title)),
      h('p', {}, link(`#/accounts/${card.account.id}`, card.account.name ?? card.account.id)),
      h(
        'p',
        { class: 'muted' },
        card.amount ? money(card.amount.minor, card.amount.currency) : '—',
        ' · ',
        t('board.inStage', { time: duration(inStage) }),
        ' · ',
        userName(card.ownerId),
      ),
      canMove ? moveControl(card) : null,
    );
    if (canMove) {
      node.addEventListener('dragstart', (event) => {
        event.dataTransfer.setData('text/plain', card.id);
        event.dataTransfer.effectAllowed = 'move';
        node.classList.add('moving');
      });
      node.addEventListener('dragend', () => node.classList.remove('moving'));
    }
    return node;
  }

  /** The keyboard way to move a card: choose the stage, then press Move. */
  function moveControl(card) {
    const choice = select(
      stages.map((stage) => [stage.key, stageLabel(stages, stage.key, t)]),
      card.stage,
    );
    const labelled = field(t('board.moveLabel', { title: card.title }), choice);
    labelled.querySelector('label').className = 'visually-hidden';
    return h(
      'div',
      { class: 'move' },
      labelled,
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          'aria-label': `${t('board.move')}: ${card.title}`,
          onclick: () => {
            if (choice.value !== card.stage) move(card, choice.value);
          },
        },
        t('board.move'),
      ),
    );
  }

  await load();
}
