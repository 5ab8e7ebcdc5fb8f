'use strict';

const $ = (id) => document.getElementById(id);

function text(value) {
    const span = document.createElement('span');
    span.textContent = value;
    return span.innerHTML;
}

function substitution() {
    const data = {};
    for (const line of $('substitution').value.split('\n')) {
        const at = line.indexOf('=');
        if (at > 0) {
            data[line.slice(0, at).trim()] = line.slice(at + 1).trim();
        }
    }
    return data;
}

// The message of the Compose form, as the server's endpoints take it.
function composed() {
    return {
        to: $('to').value,
        subject: $('subject').value,
        text: $('text').value,
        html: $('html').value,
        templateId: $('templateId').value,
        substitution: substitution(),
    };
}

function attemptsTable(attempts) {
    if (!attempts || attempts.length === 0) {
        return '';
    }
    const rows = attempts.map((a) => `<tr><td>${text(a.transport)}</td><td>${text(a.outcome)}</td>` +
        `<td>${a.status ?? ''}</td><td>${a.ms} ms</td><td>${text(a.detail ?? '')}</td></tr>`).join('');
    return '<table class="attempts"><tr><th>transport</th><th>outcome</th><th>status</th><th>took</th>' +
        `<th>detail</th></tr>${rows}</table>`;
}

function showReceipt(r) {
    $('idle').hidden = true;
    $('error').hidden = true;
    const flags = [];
    if (r.failedOver) {
        flags.push('<span class="badge warn" id="failed-over">failed over</span>');
    }
    if (r.possibleDuplicate) {
        flags.push('<span class="badge warn" id="possible-duplicate">possible duplicate</span>');
    }
    $('receipt').innerHTML = `<dl>
        <dt>Delivered through</dt><dd><span class="badge" id="delivered-by">${text(r.transport)}</span> ${flags.join(' ')}</dd>
        <dt>${r.transmissionId ? 'Transmission id' : 'Message-ID'}</dt>
        <dd id="correlation-id">${text(r.transmissionId ?? r.messageId ?? '')}</dd>
        <dt>Mail id (the same on every path)</dt><dd id="mail-id">${text(r.mailId)}</dd>
        <dt>Attempts</dt><dd>${attemptsTable(r.attempts)}</dd></dl>`;
    $('receipt').hidden = false;
}

// Delivery webhooks: after a receipt the page asks for the mail's events once a second, until a delivery or bounce
// has come for every injected recipient, or it has asked POLLS times. A newer send ends the older watch.
const POLLS = 30;
const POLL_MS = 1000;
const FINAL = new Set(['DELIVERED', 'BOUNCED']);
let watching = 0;

function deliveryItem(e, receipt) {
    const bounce = e.bounce && e.bounce !== 'UNKNOWN' ? ` ${text(e.bounce.toLowerCase())}` : '';
    const sameTransmission = e.transmissionId && e.transmissionId === receipt.transmissionId;
    return `<li class="delivery-event" data-type="${text(e.type)}">` +
        `<span class="badge event ${text(e.type.toLowerCase())}">${text(e.type)}${bounce}</span> ` +
        `${text(e.recipient ?? '')} at ${text(e.at ?? '?')} (status "${text(e.status)}")` +
        `<dl><dt>Mail id</dt><dd class="event-mail-id">${text(e.mailpathId)}</dd>` +
        `<dt>Transmission id${sameTransmission ? ' (the receipt\'s)' : ''}</dt>` +
        `<dd class="event-transmission-id">${text(e.transmissionId ?? '')}</dd>` +
        (e.reason ? `<dt>Reason</dt><dd class="event-reason">${text(e.reason)}</dd>` : '') + '</dl></li>';
}

async function watchDeliveries(receipt) {
    const watch = ++watching;
    $('delivery-events').innerHTML = '';
    $('deliveries').hidden = false;
    if (receipt.transport !== 'api') {
        $('deliveries-status').textContent = `Delivered through ${receipt.transport}: the demo's embedded relay ` +
            'sends no webhooks (Mailtarget\'s relay would, to the same receiver).';
        return;
    }
    for (let poll = 1; poll <= POLLS; poll++) {
        $('deliveries-status').textContent = `Waiting for Mailtarget's webhooks (${poll}/${POLLS}) ...`;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        if (watch !== watching) {
            return;
        }
        let events;
        try {
            const response = await fetch(`api/demo/deliveries/${encodeURIComponent(receipt.mailId)}`);
            events = (await response.json()).events;
        } catch (e) {
            continue;
        }
        if (watch !== watching) {
            return;
        }
        $('delivery-events').innerHTML = events.map((e) => deliveryItem(e, receipt)).join('');
        const injected = events.filter((e) => e.type === 'INJECTED').length;
        const final = events.filter((e) => FINAL.has(e.type)).length;
        if (injected > 0 && final >= injected) {
            $('deliveries-status').textContent = `${events.length} events arrived for this mail.`;
            return;
        }
    }
    $('deliveries-status').textContent = 'Stopped asking; Refresh the peers or send again.';
}

function stopWatchingDeliveries() {
    watching++;
    $('deliveries').hidden = true;
}

function showError(e) {
    $('idle').hidden = true;
    $('receipt').hidden = true;
    stopWatchingDeliveries();
    $('error').innerHTML = `<dl>
        <dt>Error</dt><dd id="error-type">${text(e.error)}${e.kind ? ' (' + text(e.kind) + ')' : ''}</dd>
        ${e.status !== undefined ? `<dt>Status</dt><dd>${e.status}</dd>` : ''}
        <dt>Message</dt><dd id="error-message">${text(e.message ?? '')}</dd>
        ${e.attempts ? `<dt>Attempts</dt><dd>${attemptsTable(e.attempts)}</dd>` : ''}</dl>`;
    $('error').hidden = false;
}

async function refresh() {
    const response = await fetch('api/demo/received');
    const seen = await response.json();
    $('api-received').innerHTML = seen.api.map((r) =>
        `<li><strong>${r.status}</strong> (${text(r.mode)}) at ${text(r.at)}, Authorization: ${text(r.authorization)}` +
        `<pre>${text(r.body)}</pre></li>`).join('');
    $('api-canaries').textContent = seen.apiCanaries > 0
        ? `and ${seen.apiCanaries} canary message(s) of the last 50 requests, not listed: see the canary under Paths and health`
        : '';
    const revoked = $('marketing-key-revoked');
    if (revoked.dataset.applied !== 'pending') {
        revoked.checked = seen.marketingKeyRevoked;
        revoked.dataset.applied = String(seen.marketingKeyRevoked);
    }
    $('smtp-received').innerHTML = seen.smtp.map((m) =>
        `<li>MAIL FROM ${text(m.from)}, RCPT TO ${text(m.recipients)}<pre>${text(m.message)}</pre></li>`).join('');
}

// Mailpath's readiness check: the server's /health/ready (outside the application's context root). Its data holds
// "transports" (the routing order) and, per path, "<path>.<key>" entries: the counters go in columns, every other key
// of the path (state, circuit, last failure, pool figures, the canary's, ...) in its "more" cell as it comes.
const HEALTH_URL = '/health/ready';
const COUNTED = ['state', 'attempts', 'failures'];

function mailpathCheck(health) {
    return (health.checks ?? []).find((c) => c.name === 'mailpath');
}

function pathRow(path, data) {
    const value = (key) => data[`${path}.${key}`];
    // Some servers write every data value as text: read the counters as numbers either way.
    const attempts = Number(value('attempts') ?? 0);
    const failures = Number(value('failures') ?? 0);
    const state = String(value('state') ?? '?');
    const more = Object.keys(data)
        .filter((k) => k.startsWith(`${path}.`) && !COUNTED.includes(k.slice(path.length + 1)))
        .map((k) => `<dt>${text(k.slice(path.length + 1))}</dt><dd>${text(String(data[k]))}</dd>`).join('');
    return `<tr data-path="${text(path)}"><td>${text(path)}</td>` +
        `<td class="state"><span class="badge ${text(state.toLowerCase())}">${text(state)}</span></td>` +
        `<td class="count attempts">${attempts}</td><td class="count failures">${failures}</td>` +
        `<td class="count delivered">${attempts - failures}</td><td><dl>${more}</dl></td></tr>`;
}

async function refreshHealth() {
    let health;
    try {
        // DOWN is answered 503 with the same JSON body.
        const response = await fetch(HEALTH_URL, {cache: 'no-store'});
        health = await response.json();
    } catch (e) {
        $('health-status').textContent = 'unavailable';
        $('health-status').className = 'badge down';
        $('health-json').textContent = `No readiness data from ${HEALTH_URL}: ${e}`;
        return;
    }
    const status = String(health.status ?? '?');
    $('health-status').textContent = status;
    $('health-status').className = `badge ${status.toLowerCase()}`;
    $('health-checked').textContent = `read at ${new Date().toLocaleTimeString()}`;
    $('health-json').textContent = JSON.stringify(health, null, 2);
    const data = mailpathCheck(health)?.data ?? {};
    const paths = String(data.transports ?? '').split(',').filter((p) => p !== '');
    $('path-counters').tBodies[0].innerHTML = paths.map((p) => pathRow(p, data)).join('');
}

$('mail-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('send').disabled = true;
    try {
        await fetch(`api/demo/stand-in/mode/${$('mode').value}`, {method: 'PUT'});
        const response = await fetch('api/demo/send', {
            method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify(composed()),
        });
        const body = await response.json();
        if (response.ok) {
            showReceipt(body);
            watchDeliveries(body);
        } else {
            showError(body);
        }
    } catch (e) {
        showError({error: 'NetworkError', message: String(e)});
    } finally {
        $('send').disabled = false;
        await Promise.all([refresh(), refreshHealth()]);
    }
});

// The Outbox panel: the composed message enqueued through MailOutbox in a transaction the server commits or rolls
// back, and the outbox's rows. After an enqueue the page reads the rows once a second until the relay has finished
// with that mail (delivered or dead), or it has asked POLLS times; a newer enqueue ends the older watch.
let watchingOutbox = 0;

function outboxRow(e) {
    const correlation = e.transmissionId ?? e.messageId ?? '';
    return `<tr data-id="${text(e.id)}" data-state="${text(e.state)}"><td class="id">${text(e.id)}</td>` +
        `<td class="state"><span class="badge ${text(e.state.toLowerCase())}">${text(e.state)}</span></td>` +
        `<td class="attempts">${e.attempts}</td><td class="transport">${text(e.transport ?? '')}</td>` +
        `<td class="correlation">${text(correlation)}</td>` +
        `<td class="possible-duplicate">${e.possibleDuplicate ? 'yes' : ''}</td>` +
        `<td class="due">${e.state === 'PENDING' ? text(e.dueAt ?? '') : ''}</td>` +
        `<td class="last-error">${text(e.lastFailure ? `${e.lastFailure}: ${e.lastError ?? ''}` : '')}</td></tr>`;
}

async function refreshOutbox() {
    let listed;
    try {
        const response = await fetch('api/demo/outbox/entries', {cache: 'no-store'});
        listed = await response.json();
        if (!response.ok) {
            throw new Error(listed.message ?? response.status);
        }
    } catch (e) {
        $('outbox-status').textContent = `Could not read the outbox: ${e}`;
        return [];
    }
    $('outbox-entries').tBodies[0].innerHTML = listed.entries.map(outboxRow).join('');
    $('outbox-status').textContent = `The ${listed.shown} most recently enqueued rows, newest first; ` +
        `read at ${new Date().toLocaleTimeString()}.`;
    return listed.entries;
}

function showOutboxResult(body, ok) {
    const panel = $('outbox-result');
    panel.className = ok ? 'panel' : 'panel error';
    panel.innerHTML = ok
        ? `<dl><dt>Mail id</dt><dd id="outbox-mail-id">${text(body.mailId)}</dd>` +
          `<dt>Transaction</dt><dd id="outbox-outcome">${body.outcome === 'COMMITTED'
              ? 'committed: the relay sends it now' : 'rolled back: nothing is sent, and no row is left'}</dd></dl>`
        : `<dl><dt>Error</dt><dd id="outbox-error">${text(body.error)}${body.kind ? ` (${text(body.kind)})` : ''}: ` +
          `${text(body.message ?? '')}</dd></dl>`;
    panel.dataset.outcome = ok ? body.outcome : 'ERROR';
    panel.hidden = false;
}

async function watchOutbox(mailId) {
    const watch = ++watchingOutbox;
    for (let poll = 1; poll <= POLLS; poll++) {
        const entries = await refreshOutbox();
        const entry = entries.find((e) => e.id === mailId);
        if (watch !== watchingOutbox || (entry && entry.state !== 'PENDING')) {
            break;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await Promise.all([refresh(), refreshHealth()]);
}

async function enqueueInTransaction(outcome) {
    const buttons = [$('outbox-commit'), $('outbox-rollback')];
    buttons.forEach((b) => { b.disabled = true; });
    $('outbox-result').hidden = true;
    $('outbox-result').innerHTML = '';
    delete $('outbox-result').dataset.outcome;
    try {
        await fetch(`api/demo/stand-in/mode/${$('mode').value}`, {method: 'PUT'});
        const response = await fetch(`api/demo/outbox/enqueue/${outcome}`, {
            method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify(composed()),
        });
        const body = await response.json();
        showOutboxResult(body, response.ok);
        if (response.ok && body.outcome === 'COMMITTED') {
            watchOutbox(body.mailId);
        } else {
            watchingOutbox++;
            await refreshOutbox();
        }
    } catch (e) {
        showOutboxResult({error: 'NetworkError', message: String(e)}, false);
    } finally {
        buttons.forEach((b) => { b.disabled = false; });
    }
}

// The Streams panel: the composed message through @MailStream("transactional") or @MailStream("marketing"), each
// outcome a new row on top; the checkbox revokes the marketing key at the stand-in.
let streamSends = 0;

function streamRow(stream, ok, body) {
    const outcome = ok ? 'sent' : 'failed';
    const what = ok
        ? `${text(body.transport)}${body.failedOver ? ' (failed over)' : ''}`
        : `${text(body.error)}${body.kind ? ` (${text(body.kind)})` : ''}`;
    const detail = ok ? (body.transmissionId ?? body.messageId ?? '') : `${body.status ?? ''} ${body.message ?? ''}`;
    return `<tr data-seq="${++streamSends}" data-stream="${text(stream)}" data-outcome="${outcome}">` +
        `<td class="stream">${text(stream)}</td>` +
        `<td class="outcome"><span class="badge ${ok ? 'up' : 'down'}">${outcome}</span></td>` +
        `<td class="what">${what}</td><td class="detail">${text(detail.trim())}</td></tr>`;
}

async function sendInStream(stream, subject) {
    const buttons = [$('send-reset'), $('send-newsletter')];
    buttons.forEach((b) => { b.disabled = true; });
    let row;
    try {
        await fetch(`api/demo/stand-in/mode/${$('mode').value}`, {method: 'PUT'});
        const response = await fetch(`api/demo/streams/${stream}/send`, {
            method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({...composed(), subject, templateId: ''}),
        });
        row = streamRow(stream, response.ok, await response.json());
    } catch (e) {
        row = streamRow(stream, false, {error: 'NetworkError', message: String(e)});
    } finally {
        $('stream-sends').tBodies[0].insertAdjacentHTML('afterbegin', row);
        buttons.forEach((b) => { b.disabled = false; });
        await Promise.all([refresh(), refreshHealth()]);
    }
}

$('send-reset').addEventListener('click', () => sendInStream('transactional', 'Reset your password'));
$('send-newsletter').addEventListener('click', () => sendInStream('marketing', 'This week\'s news'));
$('marketing-key-revoked').addEventListener('change', async (event) => {
    const box = event.target;
    const revoked = box.checked;
    // What the stand-in does: "pending" until it answered, so that a refresh does not undo the click meanwhile.
    box.dataset.applied = 'pending';
    await fetch(`api/demo/stand-in/marketing-key-revoked/${revoked}`, {method: 'PUT'});
    box.dataset.applied = String(revoked);
});
$('outbox-commit').addEventListener('click', () => enqueueInTransaction('COMMIT'));
$('outbox-rollback').addEventListener('click', () => enqueueInTransaction('ROLLBACK'));
$('outbox-refresh').addEventListener('click', refreshOutbox);
$('refresh').addEventListener('click', refresh);
$('health-refresh').addEventListener('click', refreshHealth);
$('clear').addEventListener('click', async () => {
    await fetch('api/demo/received', {method: 'DELETE'});
    await refresh();
});
refresh();
refreshHealth();
refreshOutbox();
