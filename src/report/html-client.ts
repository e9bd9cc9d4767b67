/**
 * The report page's own script, inlined into the page (nothing is ever fetched): it draws each
 * run's space-time diagram as SVG from the page's JSON block (src/report/html-model.ts), zooms to
 * one epoch when the address names it (#run-0-epoch-17, which the anomaly links do), and shows
 * the event under the pointer. Plain ES2017, no library; kept in a string because it runs in the
 * browser, not in Node. The browser test (test/e2e/html-report.zmq.test.ts) drives every part.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var LANE_H = 56, LEFT = 96, TOP = 34, SLOT = 74, SLOT_MIN = 40;
  var data = JSON.parse(document.getElementById('semlab-report').textContent);
  var tip = document.getElementById('tip');
  var diagrams = [];

  function svg(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var key in attrs) node.setAttribute(key, String(attrs[key]));
    if (parent) parent.appendChild(node);
    return node;
  }
  var top = TOP;
  function laneY(lane) { return top + lane * LANE_H + LANE_H / 2; }
  function fmt(ms) { return (Math.round(ms * 10) / 10) + ' ms'; }

  function Diagram(root, run, index) {
    this.root = root;
    this.run = run;
    this.index = index;
    this.scale = 1;
    this.epoch = null;
    this.anomalous = {};
    for (var i = 0; i < run.anomalies.length; i++) {
      if (run.anomalies[i].drawn) this.anomalous[run.anomalies[i].epoch] = run.anomalies[i];
    }
  }

  /** x of each visible event (undefined: not in this view), and the drawing's width. */
  Diagram.prototype.layout = function () {
    var run = this.run, events = run.events, xs = new Array(events.length);
    var avail = Math.max(this.root.clientWidth || 0, 640) - LEFT - 24;
    if (this.epoch === null) {
      // Half order, half time: events of one instant (common on the virtual clock) stand apart
      // in the order they happened, and longer waits still take more room.
      var inner = avail * this.scale, n = Math.max(1, events.length - 1);
      for (var i = 0; i < events.length; i++) {
        xs[i] = LEFT + inner * (0.5 * (i / n) + 0.5 * (events[i].at / run.spanMs));
      }
      return { xs: xs, width: LEFT + inner + 24, slots: null };
    }
    // One epoch: its events one after another, and the restarts and kills among them.
    var mine = [], first = Infinity, last = -Infinity;
    for (var j = 0; j < events.length; j++) {
      if (events[j].epoch === this.epoch) {
        first = Math.min(first, events[j].at);
        last = Math.max(last, events[j].at);
      }
    }
    for (var k = 0; k < events.length; k++) {
      var e = events[k];
      var workerEvent = e.epoch === undefined && (e.kind === 'restart' || e.kind === 'kill');
      if (e.epoch === this.epoch || (workerEvent && e.at >= first && e.at <= last)) mine.push(k);
    }
    // Slots share the width while they stay wide enough to read; past that the box scrolls.
    var slot = Math.max(SLOT_MIN, Math.min(SLOT, (avail - 40) / Math.max(1, mine.length)));
    for (var s = 0; s < mine.length; s++) xs[mine[s]] = LEFT + 30 + s * slot;
    return { xs: xs, width: Math.max(LEFT + 60 + mine.length * slot, avail + LEFT), slots: mine };
  };

  Diagram.prototype.render = function () {
    var run = this.run, events = run.events, self = this;
    var layout = this.layout(), xs = layout.xs;
    // Anomalous epochs of the run view: a strip over each one's stretch of the run, packed in
    // rows above the lanes so that overlapping epochs stay apart.
    var strips = [], rowEnds = [];
    if (this.epoch === null) {
      var spans = {};
      events.forEach(function (e, i) {
        if (e.epoch === undefined || !self.anomalous[e.epoch]) return;
        var span = spans[e.epoch] || (spans[e.epoch] = { epoch: e.epoch, from: xs[i], to: xs[i] });
        span.from = Math.min(span.from, xs[i]);
        span.to = Math.max(span.to, xs[i]);
      });
      Object.keys(spans).map(function (k) { return spans[k]; })
        .sort(function (a, b) { return a.from - b.from; })
        .forEach(function (span) {
          var row = 0;
          while (row < 4 && rowEnds[row] !== undefined && rowEnds[row] > span.from - 16) row++;
          if (row === 4) row = 3;
          rowEnds[row] = Math.max(rowEnds[row] || 0, span.to);
          span.row = row;
          strips.push(span);
        });
    }
    top = TOP + Math.max(0, rowEnds.length - 1) * 10;
    var height = top + run.lanes.length * LANE_H + 8;
    var old = this.root.querySelector('svg');
    if (old) old.remove();
    var root = svg('svg', {
      width: Math.ceil(layout.width), height: height, class: 'space-time',
      'data-view': this.epoch === null ? 'run' : 'epoch-' + this.epoch, role: 'img',
    });
    var defs = svg('defs', {}, root);
    ['work', 'retry', 'ack'].forEach(function (kind) {
      var marker = svg('marker', {
        id: 'head-' + self.index + '-' + kind, viewBox: '0 0 10 10', refX: 9, refY: 5,
        markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse',
      }, defs);
      svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'head ' + kind }, marker);
    });
    // Lanes.
    run.lanes.forEach(function (name, lane) {
      svg('line', { x1: LEFT - 6, x2: layout.width - 8, y1: laneY(lane), y2: laneY(lane), class: 'lane' }, root);
      svg('text', { x: 8, y: laneY(lane) + 4, class: 'lane-name' }, root).textContent = name;
    });
    // Time ticks.
    if (layout.slots) {
      var lastAt = null;
      var lastX = -Infinity;
      layout.slots.forEach(function (i) {
        if (events[i].at === lastAt || xs[i] - lastX < 56) return;
        lastX = xs[i];
        lastAt = events[i].at;
        svg('text', { x: xs[i], y: 14, class: 'tick', 'text-anchor': 'middle' }, root).textContent = fmt(events[i].at);
      });
    } else {
      // Ticks at events spread over the run, each with its instant (the axis is not linear).
      var ticks = Math.min(8, events.length - 1), lastTick = -Infinity;
      for (var t = 0; t <= ticks; t++) {
        var at = events[Math.round(((events.length - 1) * t) / Math.max(1, ticks))];
        if (!at) continue;
        var x = xs[events.indexOf(at)];
        if (x - lastTick < 70) continue;
        lastTick = x;
        svg('line', { x1: x, x2: x, y1: top - 12, y2: height - 6, class: 'grid' }, root);
        svg('text', { x: x, y: 14, class: 'tick', 'text-anchor': 'middle' }, root).textContent = fmt(at.at);
      }
      strips.forEach(function (span) {
        var a = self.anomalous[span.epoch], y = 19 + span.row * 10;
        var band = svg('g', {
          class: 'anomaly-band ' + a.outcome, 'data-epoch': span.epoch,
          'data-text': '#' + span.epoch + ' · ' + (a.cause ? a.cause.text : a.outcome),
        }, root);
        svg('text', { x: span.from - 4, y: y + 5, class: 'band-label', 'text-anchor': 'end' }, band).textContent = span.epoch;
        svg('rect', { x: span.from - 2, y: y, width: span.to - span.from + 4, height: 5 }, band);
        band.addEventListener('mouseenter', function () { self.focus(span.epoch); });
        band.addEventListener('mouseleave', function () { self.focus(null); });
      });
    }
    // Arrows: a visible line and a wide transparent one that catches the pointer.
    var dropTargets = {};
    run.arrows.forEach(function (a) {
      if (xs[a.from] === undefined || xs[a.to] === undefined) return;
      var from = events[a.from], to = events[a.to];
      var x1 = xs[a.from], y1 = laneY(from.lane), x2 = xs[a.to], y2 = laneY(to.lane);
      if (a.dropped) {
        dropTargets[a.to] = true;
        // Lost on the way: it stops short, crossed out, toward where it was going.
        if (a.kind === 'work') { x2 = Math.max(x2, x1) + 14; y2 = y1 + LANE_H * 0.6; }
        else { y2 = y2 + LANE_H * 0.4; }
      }
      var kind = a.kind === 'ack' ? 'ack' : a.retry ? 'retry' : 'work';
      var classes = 'arrow ' + kind + (a.dropped ? ' dropped' : '') + (self.anomalous[a.epoch] ? ' anomalous' : '');
      var text = a.dropped ? to.text : from.text + ' → ' + to.text;
      var g = svg('g', {
        class: classes, 'data-epoch': a.epoch, 'data-attempt': a.attempt, 'data-kind': a.kind,
        'data-text': fmt(from.at) + ' · ' + text,
      }, root);
      var line = { x1: x1, y1: y1, x2: x2, y2: y2 };
      svg('line', Object.assign({ class: 'shaft' }, line, a.dropped ? {} : {
        'marker-end': 'url(#head-' + self.index + '-' + kind + ')',
      }), g);
      svg('line', Object.assign({ class: 'hit' }, line), g);
      if (a.dropped) cross(g, x2, y2, 5);
    });
    // Marks.
    events.forEach(function (e, i) {
      if (xs[i] === undefined || dropTargets[i]) return;
      var g = svg('g', {
        class: 'mark k-' + e.kind + (e.epoch !== undefined && self.anomalous[e.epoch] ? ' anomalous' : ''),
        'data-kind': e.kind, 'data-text': fmt(e.at) + ' · ' + e.text,
      }, root);
      if (e.epoch !== undefined) g.setAttribute('data-epoch', e.epoch);
      var x = xs[i], y = laneY(e.lane);
      switch (e.kind) {
        case 'execute': case 'duplicate':
          svg('rect', { x: x - 5, y: y - 5, width: 10, height: 10 }, g); break;
        case 'crash': case 'kill': case 'drop-work': case 'drop-ack': case 'broker-crash': case 'partition-work': case 'partition-ack':
          cross(g, x, y, 7); break;
        case 'restart': case 'broker-restart':
          svg('path', { d: 'M' + (x - 6) + ',' + (y + 6) + ' L' + x + ',' + (y - 7) + ' L' + (x + 6) + ',' + (y + 6) + ' z' }, g); break;
        case 'timeout': case 'give-up': case 'delay-work': case 'delay-ack': case 'live-on': case 'live-off': case 'duplicate-work': case 'duplicate-ack': case 'reorder-work': case 'reorder-ack':
          svg('path', { d: 'M' + x + ',' + (y - 7) + ' L' + (x + 6) + ',' + y + ' L' + x + ',' + (y + 7) + ' L' + (x - 6) + ',' + y + ' z' }, g); break;
        default:
          svg('circle', { cx: x, cy: y, r: 3.5 }, g);
      }
    });
    this.root.appendChild(root);
    this.root.setAttribute('data-epoch', this.epoch === null ? '' : String(this.epoch));
    var caption = document.getElementById('view-' + this.index);
    if (caption) caption.textContent = this.epoch === null ? '' : caption.getAttribute('data-epoch-words').replace('{epoch}', this.epoch);
  };

  /** Every other epoch fades while the pointer is on an anomaly's strip. */
  Diagram.prototype.focus = function (epoch) {
    var svgRoot = this.root.querySelector('svg');
    if (!svgRoot) return;
    svgRoot.classList.toggle('focus', epoch !== null);
    svgRoot.querySelectorAll('.hl').forEach(function (node) { node.classList.remove('hl'); });
    if (epoch !== null) {
      svgRoot.querySelectorAll('[data-epoch="' + epoch + '"]').forEach(function (node) { node.classList.add('hl'); });
    }
  };

  function cross(g, x, y, r) {
    svg('path', { class: 'cross', d: 'M' + (x - r) + ',' + (y - r) + ' L' + (x + r) + ',' + (y + r) + ' M' + (x + r) + ',' + (y - r) + ' L' + (x - r) + ',' + (y + r) }, g);
  }

  Diagram.prototype.go = function (epoch) {
    location.hash = epoch === null ? '#run-' + this.index + '-diagram' : '#run-' + this.index + '-epoch-' + epoch;
  };

  function showTip(event) {
    var target = event.target.closest ? event.target.closest('[data-text]') : null;
    if (!target || !target.closest('.diagram')) { tip.hidden = true; return; }
    tip.textContent = target.getAttribute('data-text');
    tip.hidden = false;
    tip.style.left = Math.min(event.pageX + 14, document.documentElement.scrollWidth - 380) + 'px';
    tip.style.top = event.pageY + 14 + 'px';
  }

  /** The address names a run's diagram or one epoch of it: open, zoom and scroll there. */
  function follow() {
    var match = /^#run-(\d+)-(?:epoch-(\d+)|diagram)$/.exec(location.hash);
    if (!match) return;
    var d = diagrams[Number(match[1])];
    if (!d) return;
    var details = d.root.closest('details');
    if (details && !details.open) details.open = true;
    d.epoch = match[2] === undefined ? null : Number(match[2]);
    d.render();
    d.root.scrollIntoView({ block: 'center' });
  }

  document.querySelectorAll('.diagram').forEach(function (root) {
    var index = Number(root.getAttribute('data-run'));
    var d = new Diagram(root, data.runs[index], index);
    diagrams[index] = d;
    var details = root.closest('details');
    if (details && !details.open) details.addEventListener('toggle', function () { if (details.open) d.render(); }, { once: true });
    else d.render();
    root.addEventListener('click', function (event) {
      var target = event.target.closest('[data-epoch]');
      if (target && d.epoch === null) d.go(Number(target.getAttribute('data-epoch')));
    });
    root.addEventListener('mousemove', showTip);
    root.addEventListener('mouseleave', function () { tip.hidden = true; });
  });
  document.querySelectorAll('[data-action]').forEach(function (button) {
    var d = diagrams[Number(button.getAttribute('data-run'))];
    button.addEventListener('click', function () {
      var action = button.getAttribute('data-action');
      if (action === 'whole') { d.scale = 1; d.go(null); if (d.epoch === null) d.render(); }
      if (action === 'in' || action === 'out') {
        d.scale = action === 'in' ? Math.min(d.scale * 2, 256) : Math.max(d.scale / 2, 1);
        if (d.epoch === null) d.render(); else d.go(null);
      }
      if (action === 'epoch') {
        var input = document.getElementById('epoch-' + button.getAttribute('data-run'));
        var n = Number(input.value);
        if (n >= 1 && n <= d.run.report.messages) d.go(n);
      }
    });
  });
  // Pointing at an anomaly in the list fades the other epochs in its run's diagram.
  document.querySelectorAll('ol.anomalies').forEach(function (list) {
    var d = diagrams[Number(list.getAttribute('data-run'))];
    if (!d) return;
    list.addEventListener('mouseover', function (event) {
      var item = event.target.closest('li[data-epoch]');
      if (item && d.epoch === null) d.focus(item.getAttribute('data-epoch'));
    });
    list.addEventListener('mouseleave', function () { d.focus(null); });
  });
  window.addEventListener('hashchange', follow);
  follow();
})();
`;
