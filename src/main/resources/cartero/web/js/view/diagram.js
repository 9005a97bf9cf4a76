// The diagram of the broker view, in SVG: producers on the left, the broker in the middle
// with its rooms and queues as boxes, consumers on the right, and an edge for every path
// messages took through this node, with its rate. Every shape carries data attributes and
// an aria-label, so that people with screen readers and tests read the same picture.
// When an edge's count grows, the edge lights up and a small circle runs along it (one per
// edge and update at most, so a busy room costs no more than a quiet one).

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 1000;
const TOP = 58;
const ROW = 58;
const PARTY = { width: 170, height: 40 };
const BOX = { x: 350, width: 300, height: 46 };
const LEFT_X = 10;
const RIGHT_X = WIDTH - 10 - PARTY.width;
const LIT_MS = 1_500;
const FLOW_MS = 800;
const MAX_FLOWS = 40;
const MAX_ROOMS = 12;

export class Diagram {
  constructor({ texts }) {
    this.texts = texts;
    this.svg = document.getElementById('diagram');
    this.edgeLayer = document.getElementById('diagram-edges');
    this.nodeLayer = document.getElementById('diagram-nodes');
    this.flowLayer = document.getElementById('diagram-flows');
    /** Per edge key: {total, litCount, litUntil}. */
    this.edges = new Map();
    this.flows = [];
    this.animating = false;
    this.reducedMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    this.litTimer = null;
  }

  setTexts(texts) {
    this.texts = texts;
  }

  render(view) {
    const layout = this.layout(view);
    const now = performance.now();
    this.nodeLayer.replaceChildren(...this.drawNodes(view, layout));
    this.edgeLayer.replaceChildren(...view.edges
      .filter(edge => layout.at(edge.from, 'out') && layout.at(edge.to, 'in'))
      .map(edge => this.drawEdge(edge, layout, now, view)));
    this.svg.setAttribute('viewBox', `0 0 ${WIDTH} ${layout.height}`);
    document.getElementById('diagram-empty').hidden = view.connections.length > 0;
    this.scheduleUnlight();
  }

  // ------------------------------------------------------------------ layout

  layout(view) {
    const producers = view.connections.filter(c => c.roles.includes('producer'));
    const consumers = view.connections.filter(c => c.roles.includes('consumer'));
    const rooms = this.shownRooms(view);
    const boxes = [...rooms.map(r => ({ key: `room:${r.name}`, room: r })),
      ...view.queues.map(q => ({ key: `queue:${q.name}`, queue: q }))];
    const rows = Math.max(producers.length, consumers.length, boxes.length, 1);
    const spots = new Map();
    producers.forEach((c, i) => spots.set(`producer:${c.id}`, { x: LEFT_X, y: rowY(i) }));
    consumers.forEach((c, i) => spots.set(`consumer:${c.id}`, { x: RIGHT_X, y: rowY(i) }));
    boxes.forEach((b, i) => spots.set(b.key, { x: BOX.x, y: rowY(i) }));
    return {
      producers, consumers, boxes, height: TOP + rows * ROW + 20,
      /** Where an edge starts ('out') or ends ('in') at an endpoint, or null. */
      at(end, side) {
        if (end.startsWith('conn:')) {
          const id = end.slice('conn:'.length);
          const spot = spots.get(side === 'out' ? `producer:${id}` : `consumer:${id}`);
          return spot && { x: side === 'out' ? spot.x + PARTY.width : spot.x,
            y: spot.y + PARTY.height / 2 };
        }
        const spot = spots.get(end);
        return spot && { x: side === 'out' ? spot.x + BOX.width : spot.x,
          y: spot.y + BOX.height / 2 };
      },
      spot: key => spots.get(key),
    };
  }

  /** The rooms this node's connections use first, then others, at most MAX_ROOMS. */
  shownRooms(view) {
    const used = new Set(view.edges.flatMap(e => [e.from, e.to]));
    const inUse = view.rooms.filter(r => used.has(`room:${r.name}`) || r.members.length > 0);
    const others = view.rooms.filter(r => !inUse.includes(r));
    return [...inUse, ...others].slice(0, Math.max(MAX_ROOMS, inUse.length));
  }

  // ------------------------------------------------------------------ drawing

  drawNodes(view, layout) {
    const t = this.texts;
    const shapes = [this.drawBroker(view, layout)];
    shapes.push(columnTitle(LEFT_X, t.t('web.view.producers')),
      columnTitle(RIGHT_X, t.t('web.view.consumers')));
    for (const c of layout.producers) {
      shapes.push(this.drawParty(c, 'producer', layout.spot(`producer:${c.id}`)));
    }
    for (const c of layout.consumers) {
      shapes.push(this.drawParty(c, 'consumer', layout.spot(`consumer:${c.id}`)));
    }
    for (const box of layout.boxes) {
      shapes.push(box.room ? this.drawRoom(box.room, layout.spot(box.key))
        : this.drawQueue(box.queue, layout.spot(box.key)));
    }
    return shapes;
  }

  drawBroker(view, layout) {
    const broker = view.broker;
    const node = view.nodes[0];
    const state = node.cut ? 'cut' : broker.reachable ? 'ok' : 'unreachable';
    const kind = this.texts.t(`web.view.kind.${broker.kind}`);
    const title = this.texts.t('web.view.broker_title', kind);
    const label = state === 'ok' ? title
      : `${title} · ${this.texts.t(state === 'cut' ? 'web.view.cut' : 'web.view.unreachable')}`;
    return svg('g', { class: 'broker', 'data-kind': broker.kind, 'data-state': state,
      role: 'img', 'aria-label': label }, [
      svg('rect', { x: BOX.x - 20, y: 8, width: BOX.width + 40, height: layout.height - 16,
        rx: 14 }),
      svg('text', { x: WIDTH / 2, y: 28, 'text-anchor': 'middle', class: 'broker-title' },
        [], title),
      state === 'ok' ? null : svg('text', { x: WIDTH / 2, y: 46, 'text-anchor': 'middle',
        class: 'broker-state' }, [], label.slice(title.length + 3)),
    ]);
  }

  drawParty(client, side, spot) {
    const name = this.partyName(client);
    const key = side === 'producer' ? 'web.view.producer' : 'web.view.consumer';
    const label = client.paused ? this.texts.t('web.view.paused', this.texts.t(key, name))
      : this.texts.t(key, name);
    return svg('g', { class: `party ${side}`, 'data-side': side, 'data-conn': client.id,
      'data-name': client.name ?? '', 'data-paused': String(client.paused), role: 'img',
      'aria-label': label }, [
      svg('rect', { x: spot.x, y: spot.y, width: PARTY.width, height: PARTY.height, rx: 8 }),
      svg('text', { x: spot.x + PARTY.width / 2, y: spot.y + 25, 'text-anchor': 'middle' },
        [], client.paused ? this.texts.t('web.view.paused', name) : name),
    ]);
  }

  partyName(client) {
    return client.name ?? this.texts.t('web.view.anonymous', client.id);
  }

  drawRoom(room, spot) {
    const t = this.texts;
    const figures = t.t('web.view.room_figures', room.last_offset, room.people);
    const title = t.t('web.view.room', room.name);
    return svg('g', { class: 'box room', 'data-kind': 'room', 'data-name': room.name,
      'data-length': room.last_offset, 'data-people': room.people, role: 'img',
      'aria-label': `${title}: ${figures}` }, boxShapes(spot, title, figures));
  }

  drawQueue(queue, spot) {
    const t = this.texts;
    const figures = t.t('web.view.queue_figures', queue.depth, queue.consumers.length);
    const title = t.t('web.view.queue', queue.name);
    return svg('g', { class: 'box queue', 'data-kind': 'queue', 'data-name': queue.name,
      'data-depth': queue.depth, role: 'img', 'aria-label': `${title}: ${figures}` },
    boxShapes(spot, title, figures));
  }

  drawEdge(edge, layout, now, view) {
    const key = `${edge.from}>${edge.to}`;
    const from = layout.at(edge.from, 'out');
    const to = layout.at(edge.to, 'in');
    const state = this.edges.get(key) ?? { total: edge.total, litCount: 0, litUntil: 0 };
    if (edge.total > state.total) {
      state.litCount += 1;
      state.litUntil = now + LIT_MS;
      this.launch(from, to, edge.from.startsWith('conn:') ? 0 : FLOW_MS / 2);
    }
    state.total = edge.total;
    this.edges.set(key, state);
    const lit = state.litUntil > now;
    const label = this.texts.t('web.view.edge', this.endName(edge.from, view),
      this.endName(edge.to, view), edge.total, edge.rate);
    const mid = pointOn(from, to, edge.from.startsWith('conn:') ? 0.3 : 0.7);
    return svg('g', { class: 'edge', 'data-key': key, 'data-from': edge.from,
      'data-to': edge.to, 'data-total': edge.total, 'data-rate': edge.rate,
      'data-lit': String(lit), 'data-lit-count': state.litCount, role: 'img',
      'aria-label': label }, [
      svg('path', { d: curve(from, to) }),
      edge.rate > 0 ? svg('text', { x: mid.x, y: mid.y - 6, 'text-anchor': 'middle',
        class: 'rate' }, [], this.texts.t('web.view.rate', edge.rate)) : null,
    ]);
  }

  endName(end, view) {
    if (end.startsWith('conn:')) {
      const client = view.connections.find(c => `conn:${c.id}` === end);
      return client ? this.partyName(client) : end.slice('conn:'.length);
    }
    const [kind, name] = [end.slice(0, end.indexOf(':')), end.slice(end.indexOf(':') + 1)];
    return this.texts.t(kind === 'room' ? 'web.view.room' : 'web.view.queue', name);
  }

  /** Turns edges off once their light time is over. */
  scheduleUnlight() {
    window.clearTimeout(this.litTimer);
    this.litTimer = window.setTimeout(() => {
      const now = performance.now();
      for (const node of this.edgeLayer.querySelectorAll('[data-lit="true"]')) {
        if ((this.edges.get(node.dataset.key)?.litUntil ?? 0) <= now) {
          node.dataset.lit = 'false';
        }
      }
    }, LIT_MS + 50);
  }

  // ------------------------------------------------------------------ animation

  launch(from, to, delay) {
    if (this.reducedMotion || this.flows.length >= MAX_FLOWS) {
      return;
    }
    const dot = svg('circle', { r: 6, cx: from.x, cy: from.y, class: 'flow' });
    this.flowLayer.append(dot);
    this.flows.push({ dot, from, to, start: performance.now() + delay });
    if (!this.animating) {
      this.animating = true;
      window.requestAnimationFrame(time => this.step(time));
    }
  }

  step(time) {
    this.flows = this.flows.filter(flow => {
      const t = Math.min(1, Math.max(0, (time - flow.start) / FLOW_MS));
      const point = pointOn(flow.from, flow.to, t);
      flow.dot.setAttribute('cx', point.x.toFixed(1));
      flow.dot.setAttribute('cy', point.y.toFixed(1));
      if (t >= 1) {
        flow.dot.remove();
        return false;
      }
      return true;
    });
    this.animating = this.flows.length > 0;
    if (this.animating) {
      window.requestAnimationFrame(next => this.step(next));
    }
  }
}

function rowY(index) {
  return TOP + index * ROW;
}

function columnTitle(x, text) {
  return svg('text', { x: x + PARTY.width / 2, y: 30, 'text-anchor': 'middle',
    class: 'column-title' }, [], text);
}

function boxShapes(spot, title, figures) {
  return [
    svg('rect', { x: spot.x, y: spot.y, width: BOX.width, height: BOX.height, rx: 6 }),
    svg('text', { x: spot.x + 12, y: spot.y + 19, class: 'box-title' }, [], title),
    svg('text', { x: spot.x + 12, y: spot.y + 37, class: 'box-figures' }, [], figures),
  ];
}

/** A smooth curve from one side to the other: a cubic Bézier with level ends. */
function curve(from, to) {
  const mx = (from.x + to.x) / 2;
  return `M ${from.x} ${from.y} C ${mx} ${from.y}, ${mx} ${to.y}, ${to.x} ${to.y}`;
}

/** The point at t (0-1) on curve(from, to). */
function pointOn(from, to, t) {
  const mx = (from.x + to.x) / 2;
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return {
    x: a * from.x + b * mx + c * mx + d * to.x,
    y: a * from.y + b * from.y + c * to.y + d * to.y,
  };
}

/** An SVG element with attributes, children and text. */
function svg(tag, attrs = {}, children = [], text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    node.setAttribute(name, String(value));
  }
  if (text != null) {
    node.textContent = String(text);
  }
  children.filter(Boolean).forEach(child => node.append(child));
  return node;
}
